"""The static site: every page of a round as (path, text), and writing them to a folder.

Layout: ``index.html`` (national), ``method.html``, ``province/ID.html``, ``unit/ID.html`` and
``assets/`` (one stylesheet, one small optional script). Links are relative, so the folder
opens from disk or from any web server, and nothing is fetched from anywhere else.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from maturity.render.site._cells import gap_texts, path_texts, pillar_cells, tier_cells
from maturity.render.site._core import UsageError, t
from maturity.render.site._data import ReportData
from maturity.render.site._layout import SiteLinks, file_stem
from maturity.render.site._method_page import method_page
from maturity.render.site._national_page import national_page
from maturity.render.site._province_page import province_page
from maturity.render.site._unit_page import unit_page

ASSETS = ("report.css", "report.js")
MARKER = ".maturity-report"  # names a folder this command wrote, so a rebuild may clear it
_OWN = ("index.html", "method.html", "index.pdf", "method.pdf", MARKER)
_OWN_FOLDERS = ("unit", "province", "assets")


def province_ids(data: ReportData) -> list[str]:
    """The top-tier units that get a page: scored themselves or with scored child units. A
    framework of one tier has no province pages: its national page links the unit pages."""
    if data.child_tier is None:
        return []
    own = {u.id for u in data.tier_result(data.top_tier).units}
    return sorted(own | {p for p in data.children if p})


def site_pages(data: ReportData, lang: str, *, units: bool = True) -> Iterator[tuple[str, str]]:
    """Every page of the site, as (path relative to the site's root, HTML); without the unit
    pages when ``units`` is false."""
    root, below = SiteLinks(0), SiteLinks(1)
    yield "index.html", national_page(data, lang, root)
    yield "method.html", method_page(data, lang, root)
    for pid in province_ids(data):
        yield f"province/{file_stem(pid)}.html", province_page(data, pid, lang, below)
    if not units:
        return
    for tier in data.results.tiers.values():
        for unit in tier.units:
            yield f"unit/{file_stem(unit.id)}.html", unit_page(data, unit.id, lang, below)


def asset_files() -> Iterator[tuple[str, bytes]]:
    """The stylesheet and the script, from the package."""
    folder = resources.files("maturity.render.site") / "assets"
    for name in ASSETS:
        yield f"assets/{name}", (folder / name).read_bytes()


@dataclass(frozen=True)
class SiteSummary:
    pages: int
    files: int
    bytes: int


def prepare_folder(out: Path) -> None:
    """Make ``out`` ready for a site: create it, or clear a site written there before. A
    folder with anything else in it is left alone, with an error."""
    if out.exists() and not out.is_dir():
        raise UsageError(t("report.out.not_folder", path=out))
    if out.is_dir() and any(out.iterdir()):
        if not (out / MARKER).exists():
            raise UsageError(t("report.out.not_empty", path=out))
        for name in _OWN:
            (out / name).unlink(missing_ok=True)
        for folder in _OWN_FOLDERS:
            shutil.rmtree(out / folder, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)


def write_site(data: ReportData, out: Path, lang: str, *, workers: int = 1) -> SiteSummary:
    """Write the whole site into ``out`` (see :func:`prepare_folder`). With ``workers`` > 1
    the unit pages are rendered by that many forked processes, where forking is safe (see
    :func:`can_fork`); the files are the same either way."""
    prepare_folder(out)
    for folder in _OWN_FOLDERS:
        (out / folder).mkdir(exist_ok=True)
    units = [u.id for r in data.results.tiers.values() for u in r.units]
    parallel = workers > 1 and len(units) >= 2 * workers and can_fork()
    pages = size = 0
    for path, html in site_pages(data, lang, units=not parallel):
        size += _write(out / path, html)
        pages += 1
    if parallel:
        sizes = _render_in_workers(data, out, lang, units, workers)
        pages += len(units)
        size += sum(sizes)
    files = 0
    for path, raw in asset_files():
        (out / path).write_bytes(raw)
        files += 1
        size += len(raw)
    (out / MARKER).write_text("maturity report\n", encoding="utf-8")
    return SiteSummary(pages, pages + files + 1, size)


def _write(path: Path, html: str) -> int:
    raw = html.encode("utf-8")
    path.write_bytes(raw)
    return len(raw)


def can_fork() -> bool:
    """Whether worker processes may be forked from this one: on POSIX, and before Python
    3.12, which warns (rightly) against forking a process that runs threads, as numpy's
    BLAS does. Elsewhere the site is written by one process."""
    return hasattr(os, "fork") and sys.version_info < (3, 12)


_SHARED: list[ReportData] = []  # the data the forked workers render from (not pickled)


def _render_in_workers(
    data: ReportData, out: Path, lang: str, units: list[str], workers: int
) -> list[int]:
    # what every unit page shares, computed once here so that the workers inherit it
    fw = data.framework
    for ta in data.analysis.values():
        tier_cells(fw, ta, lang)
        gap_texts(fw, ta, lang)
        path_texts(fw, ta, lang)
        pillar_cells(fw, ta, lang)
    _SHARED[:] = [data]
    try:
        context = multiprocessing.get_context("fork")
        shares = [(str(out), lang, units[k::workers]) for k in range(workers)]
        with context.Pool(workers) as pool:
            return pool.map(_render_share, shares)
    finally:
        _SHARED.clear()


def _render_share(share: tuple[str, str, list[str]]) -> int:
    """In a worker: render and write the pages of these units; the bytes written."""
    folder, lang, units = share
    data = _SHARED[0]
    links = SiteLinks(1)
    out = Path(folder) / "unit"
    return sum(_write(out / f"{file_stem(u)}.html", unit_page(data, u, lang, links)) for u in units)
