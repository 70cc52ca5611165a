"""What every page shares: the frame (head, breadcrumbs, footer), links between pages, and
the small pieces (level badge, unit link, status and severity names) the pages repeat."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from maturity.render.site._core import LANGUAGES, MESSAGES, Diagnostic, Framework, pick
from maturity.render.site._data import ReportData
from maturity.render.site._format import h
from maturity.render.site._svg import level_fill, level_ink

Tr = Callable[..., str]

_SAFE = re.compile(r"^[A-Za-z0-9_-]+$")


def translator(lang: str) -> Tr:
    """``t`` bound to the page's language (the catalogue's template, formatted directly:
    a national build renders about a million texts)."""
    return _TRANSLATORS[lang] if lang in _TRANSLATORS else _make_translator(lang)


def _make_translator(lang: str) -> Tr:
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, got {lang!r}")
    index = 1 if lang == "vi" else 0  # the catalogue holds (English, Vietnamese)

    def tr(code: str, **kw: Any) -> str:
        return MESSAGES[code][index].format(**kw)

    _TRANSLATORS[lang] = tr
    return tr


_TRANSLATORS: dict[str, Tr] = {}


class Links(Protocol):
    """Where the pages are. The static site links files relative to the page; the platform
    gives its own URLs."""

    def national(self) -> str: ...

    def method(self) -> str: ...

    def province(self, unit_id: str) -> str: ...

    def unit(self, unit_id: str) -> str: ...

    def asset(self, name: str) -> str: ...


def file_stem(unit_id: str) -> str:
    """A unit's file name: its id when the id is safe in a path and a URL, else the id made
    safe plus a short hash, so two ids never share a file.

    >>> file_stem("00070"), file_stem("a/b")
    ('00070', 'a_b-c14cddc0')
    """
    if _SAFE.match(unit_id):
        return unit_id
    digest = hashlib.sha256(unit_id.encode("utf-8")).hexdigest()[:8]
    return re.sub(r"[^A-Za-z0-9_-]", "_", unit_id) + "-" + digest


@dataclass(frozen=True)
class SiteLinks:
    """Links of the static site (``index.html``, ``method.html``, ``province/ID.html``,
    ``unit/ID.html``, ``assets/``), relative to a page ``depth`` folders below the root, so
    the site opens from disk as well as from any web server."""

    depth: int = 0

    @property
    def _up(self) -> str:
        return "../" * self.depth

    def national(self) -> str:
        return self._up + "index.html"

    def method(self) -> str:
        return self._up + "method.html"

    def province(self, unit_id: str) -> str:
        return f"{self._up}province/{file_stem(unit_id)}.html"

    def unit(self, unit_id: str) -> str:
        return f"{self._up}unit/{file_stem(unit_id)}.html"

    def asset(self, name: str) -> str:
        return f"{self._up}assets/{name}"


def frame(
    data: ReportData,
    lang: str,
    links: Links,
    *,
    title: str,
    crumbs: list[tuple[str, str | None]],
    body: str,
    page_class: str,
) -> str:
    """A whole page: head (no external resource of any kind), skip link, breadcrumbs, the
    body, and a footer that names the framework, its digest and the engine."""
    tr = translator(lang)
    fw = data.framework
    report = pick(fw.manifest.title, lang)
    trail = []
    for n, (text, href) in enumerate(crumbs):
        if href is None or n == len(crumbs) - 1:
            trail.append(f'<li aria-current="page">{h(text)}</li>')
        else:
            trail.append(f'<li><a href="{h(href)}">{h(text)}</a></li>')
    periods = ", ".join(data.periods())
    footer = tr(
        "report.footer",
        framework=f"{fw.id} {fw.version}",
        digest=fw.digest.removeprefix("sha256:")[:12],
        engine=data.results.engine_version,
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        # no request may leave the page's own folder: no CDN, font or script from elsewhere
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\';'
        " style-src 'self'; script-src 'self'; img-src 'self' data:\">\n"
        f"<title>{h(title)} · {h(report)}</title>\n"
        f'<link rel="stylesheet" href="{h(links.asset("report.css"))}">\n'
        f'<script src="{h(links.asset("report.js"))}" defer></script>\n'
        f'</head>\n<body class="{page_class}">\n'
        f'<a class="skip" href="#main">{h(tr("report.skip"))}</a>\n'
        f'<header class="site"><p class="brand">{h(report)}'
        f"{' · ' + h(periods) if periods else ''}</p>"
        f'<nav aria-label="{h(tr("report.crumbs"))}"><ol class="crumbs">{"".join(trail)}</ol>'
        f"</nav></header>\n"
        f'<main id="main">\n{body}\n</main>\n'
        f'<footer class="site"><p>{h(footer)} · <a href="{h(links.method())}">'
        f"{h(tr('report.method.link'))}</a></p></footer>\n"
        "</body>\n</html>\n"
    )


def level_badge(fw: Framework, level: int, lang: str) -> str:
    """The level as a coloured badge with its number and name (or a dash when not scored)."""
    tr = translator(lang)
    levels = len(fw.manifest.levels)
    if level <= 0:
        return f'<span class="badge none">{h(tr("report.not_scored"))}</span>'
    name = pick(fw.manifest.levels[level - 1].name, lang)
    return (
        f'<span class="badge">{swatch(level, levels)}'
        f" {h(tr('report.level_name', level=level, name=name))}</span>"
    )


def level_text(fw: Framework, level: int, lang: str) -> str:
    """``Mức 3 · Xác lập`` / ``Level 3 · Defined`` as plain text."""
    if level <= 0:
        return translator(lang)("report.not_scored")
    name = pick(fw.manifest.levels[level - 1].name, lang)
    return translator(lang)("report.level_name", level=level, name=name)


def swatch(level: int, levels: int) -> str:
    """A small square of a level's colour with its number, for legends and table cells
    (a styled span on the usual 5 levels, an SVG square on other scales)."""
    if levels == 5:
        shown = max(level, 0)
        mark = str(level) if level > 0 else "–"
        return f'<span class="sw lv{shown}" aria-hidden="true">{mark}</span>'
    fill, ink = level_fill(level, levels), level_ink(level, levels)
    mark = str(level) if level > 0 else "–"
    return (
        f'<svg class="swatch" viewBox="0 0 18 18" width="18" height="18" aria-hidden="true">'
        f'<rect x="0.5" y="0.5" width="17" height="17" fill="{fill}" stroke="#1a1a1a"/>'
        f'<text x="9" y="13.5" text-anchor="middle" fill="{ink}">{mark}</text></svg>'
    )


def level_cell(fw: Framework, level: int, lang: str) -> str:
    """A table cell's level: the swatch and the level's name."""
    levels = len(fw.manifest.levels)
    if level <= 0:
        return h(translator(lang)("report.not_scored"))
    name = h(pick(fw.manifest.levels[level - 1].name, lang))
    return f'<span class="lvl">{swatch(level, levels)} {name}</span>'


def tier_name(fw: Framework, tier: str, lang: str) -> str:
    """The tier's name in ``lang`` (``Xã, phường, đặc khu``), else its id."""
    for tt in fw.manifest.tiers:
        if tt.id == tier:
            return pick(tt.name, lang)
    return tier


def tier_label(fw: Framework, tier: str, lang: str) -> str:
    """The tier's short name in ``lang`` (``xã``, ``tỉnh``), else its id."""
    for tt in fw.manifest.tiers:
        if tt.id == tier and tt.label is not None:
            return pick(tt.label, lang)
    return tier


def status_text(status: str, lang: str) -> str:
    return translator(lang)(f"report.status.{status}")


def severity_text(severity: str, lang: str) -> str:
    return translator(lang)(f"report.severity.{severity}")


def severity_cell(severity: str, lang: str) -> str:
    return f'<span class="sev {h(severity)}">{h(severity_text(severity, lang))}</span>'


def problems_of(data: ReportData, unit_id: str) -> tuple[list[Diagnostic], int]:
    """A unit's errors and warnings (errors first), and how many info notes it has."""
    found = data.diagnostics.get(unit_id, ())
    shown = [d for d in found if d.severity in ("error", "warning")]
    shown.sort(key=lambda d: (d.severity != "error", d.code, d.indicator or "", d.message))
    return shown, sum(1 for d in found if d.severity == "info")


def section(section_id: str, heading: str, body: str, *, level: int = 2) -> str:
    return (
        f'<section id="{section_id}" aria-labelledby="{section_id}-h">'
        f'<h{level} id="{section_id}-h">{h(heading)}</h{level}>{body}</section>'
    )


def collapsible(summary: str, body: str, *, open_: bool = False) -> str:
    """A section a reader opens; printing opens every one (stylesheet and script)."""
    state = " open" if open_ else ""
    return (
        f'<details{state}><summary>{h(summary)}</summary><div class="details">{body}</div>'
        "</details>"
    )
