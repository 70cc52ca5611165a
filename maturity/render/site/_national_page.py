"""The national page: the round's summary, levels by tier, the map of the provinces coloured
by level, the provincial ranking, the movers since the baseline, and the coverage and data
problems of every province."""

from __future__ import annotations

from collections import Counter

from maturity.analysis.batch import median
from maturity.render.site._blocks import level_distribution, movers
from maturity.render.site._core import MESSAGES, pick
from maturity.render.site._data import ReportData
from maturity.render.site._format import DASH, h, integer, num, pct, table
from maturity.render.site._layout import (
    Links,
    frame,
    level_cell,
    level_text,
    problems_of,
    section,
    severity_text,
    swatch,
    tier_name,
    translator,
)
from maturity.render.site._summary import severity_counts
from maturity.render.site._svg import Tile, tile_map
from maturity.render.site._tiles import layout_for


def national_page(data: ReportData, lang: str, links: Links) -> str:
    """The HTML page of the whole round."""
    tr = translator(lang)
    fw = data.framework
    title = pick(fw.manifest.title, lang)
    parts = [
        f"<h1>{h(tr('report.national.title'))}</h1>",
        f'<p class="lead">{h(title)}</p>',
        _facts(data, lang),
        _summary(data, lang),
        _levels(data, lang),
        _map_and_ranking(data, lang, links),
        movers(data, data.top_tier, None, lang, links, n=10, section_id="movers"),
    ]
    if data.child_tier is not None:
        parts.append(
            movers(
                data,
                data.child_tier,
                None,
                lang,
                links,
                n=10,
                section_id="movers-children",
                heading=tr("report.movers.heading_children"),
            )
        )
    parts.append(_coverage(data, lang, links))
    return frame(
        data,
        lang,
        links,
        title=tr("report.national.title"),
        crumbs=[(tr("report.national.crumb"), None)],
        body="\n".join(parts),
        page_class="national",
    )


def _facts(data: ReportData, lang: str) -> str:
    tr = translator(lang)
    fw = data.framework
    facts = [tr("report.framework", id=fw.id, version=fw.version)]
    if data.periods():
        facts.append(tr("report.period", period=", ".join(data.periods())))
    return f'<p class="facts">{h(" · ".join(facts))}</p>'


def _summary(data: ReportData, lang: str) -> str:
    """The round at a glance: units scored per tier, median score, data problems."""
    tr = translator(lang)
    cards = []
    for tier, r in data.results.tiers.items():
        scored = int((r.level > 0).sum())
        known = (
            len(data.top_units) if tier == data.top_tier else sum(data.registry_children.values())
        )
        med = median(r.total)
        cov = median(r.coverage)
        cards.append(
            '<div class="card">'
            f"<h3>{h(tier_name(data.framework, tier, lang))}</h3>"
            f'<p class="big">{h(integer(scored, lang))}</p>'
            f"<p>{h(tr('report.summary.scored', known=integer(max(known, r.size), lang)))}</p>"
            f"<p>{h(tr('report.summary.median', score=num(med, lang, 1)))}</p>"
            f"<p>{h(tr('report.summary.coverage', coverage=pct(cov, lang)))}</p>"
            "</div>"
        )
    counts = severity_counts(data.results.diagnostics)
    with_errors = len(
        {d.unit for d in data.results.diagnostics if d.severity == "error" and d.unit}
    )
    problems = [
        f"<li>{h(severity_text(sev, lang))}: {h(integer(counts.get(sev, 0), lang))}</li>"
        for sev in ("error", "warning", "info")
    ]
    cards.append(
        '<div class="card">'
        f"<h3>{h(tr('report.summary.problems'))}</h3>"
        f'<p class="big">{h(integer(counts.get("error", 0) + counts.get("warning", 0), lang))}</p>'
        f"<ul>{''.join(problems)}</ul>"
        f"<p>{h(tr('report.summary.units_with_errors', count=integer(with_errors, lang)))}</p>"
        "</div>"
    )
    if data.verification:
        verified = tr("report.summary.verified", count=integer(len(data.verification), lang))
        cards[-1] = cards[-1].replace("</div>", f"<p>{h(verified)}</p></div>")
    # issue 11 (publication rules) adds here how many units are flagged and why
    flagged = sum(1 for f in data.flags.values() if f)
    if flagged:
        cards.append(
            f'<div class="card"><h3>{h(tr("report.summary.flagged"))}</h3>'
            f'<p class="big">{h(integer(flagged, lang))}</p></div>'
        )
    return section(
        "summary", tr("report.summary.heading"), f'<div class="cards">{"".join(cards)}</div>'
    )


def _levels(data: ReportData, lang: str) -> str:
    tr = translator(lang)
    blocks = []
    for tier in data.results.tiers:
        name = tier_name(data.framework, tier, lang)
        blocks.append(
            f'<div class="tier"><h3>{h(name)}</h3>'
            + level_distribution(data, tier, None, lang, f"levels-{tier}", name)
            + "</div>"
        )
    return section(
        "levels", tr("report.national.levels"), f'<div class="tiers">{"".join(blocks)}</div>'
    )


def _map_and_ranking(data: ReportData, lang: str, links: Links) -> str:
    tr = translator(lang)
    fw = data.framework
    top = data.top_tier
    r = data.tier_result(top)
    row_of = {u.id: i for i, u in enumerate(r.units)}
    linked = set(row_of) | {p for p in data.children if p}
    layout = layout_for(set(data.top_units))
    levels = len(fw.manifest.levels)
    parts = []
    if layout is not None:
        tiles = []
        for code in data.top_units:
            col, line, short = layout[code]
            i = row_of.get(code)
            level = int(r.level[i]) if i is not None else 0
            name = data.names.get(code, code)
            if i is not None and level > 0:
                label = tr(
                    "report.map.tile",
                    name=name,
                    level=level_text(fw, level, lang),
                    score=num(float(r.total[i]), lang, 1),
                )
            else:
                label = tr("report.map.tile_none", name=name)
            href = links.province(code) if code in linked else None
            tiles.append(Tile(col, line, short, level, str(level) if level else "–", href, label))
        counts = Counter(t.level for t in tiles)
        desc = tr(
            "report.map.desc",
            counts="; ".join(
                f"{level_text(fw, lv, lang)}: {integer(counts.get(lv, 0), lang)}"
                for lv in range(1, levels + 1)
            ),
        )
        chart = tile_map("map", tiles, levels, tr("report.map.title"), desc)
        legend = "".join(
            f"<li>{swatch(lv.level, levels)} {h(level_text(fw, lv.level, lang))}</li>"
            for lv in fw.manifest.levels
        )
        legend += f"<li>{swatch(0, levels)} {h(tr('report.not_scored'))}</li>"
        parts.append(
            f'<figure class="map">{chart}<figcaption><p>{h(tr("report.map.caption"))}</p>'
            f'<ul class="legend">{legend}</ul></figcaption></figure>'
        )
    parts.append(_ranking(data, lang, links))
    if layout is None:  # units the authored map does not place: the ranking alone
        return section("ranking", tr("report.national.ranking_only"), parts[0])
    body = f'<div class="map-ranking">{"".join(parts)}</div>'
    return section("ranking", tr("report.national.ranking"), body)


def _ranking(data: ReportData, lang: str, links: Links) -> str:
    tr = translator(lang)
    fw = data.framework
    r = data.tier_result(data.top_tier)
    child = data.child_tier
    cr = data.tier_result(child) if child is not None else None
    order = sorted(range(r.size), key=lambda i: (r.rank[i] == 0, r.rank[i], r.units[i].id))
    headers = [
        tr("report.col.rank"),
        tr("report.col.province"),
        tr("report.col.score"),
        tr("report.col.level"),
    ]
    if cr is not None:
        headers += [tr("report.col.children_scored"), tr("report.col.children_median")]
    headers.append(tr("report.col.coverage"))
    rows = []
    has_page = child is not None
    for i in order:
        unit = r.units[i]
        href = links.province(unit.id) if has_page else links.unit(unit.id)
        rank = int(r.rank[i]) if data.scored_in_tier[r.tier] > 1 else 0  # none among one
        cells = [
            h(integer(rank, lang) if rank else DASH),
            f'<a href="{h(href)}">{h(unit.name)}</a>',
            h(num(float(r.total[i]), lang, 1)),
            level_cell(fw, int(r.level[i]), lang),
        ]
        if cr is not None:
            kids = list(data.children.get(unit.id, ()))
            scored = [k for k in kids if cr.level[k] > 0]
            known = data.registry_children.get(unit.id, len(kids))
            cells += [
                h(f"{integer(len(scored), lang)}/{integer(known, lang)}"),
                h(num(median(cr.total[scored]) if scored else None, lang, 1)),
            ]
        cells.append(h(pct(float(r.coverage[i]), lang)))
        rows.append(cells)
    # provinces with communes scored but no result of their own still get a line
    missing = sorted(p for p in data.children if p and p not in {u.id for u in r.units})
    for pid in missing:
        kids = list(data.children[pid])
        assert cr is not None
        scored = [k for k in kids if cr.level[k] > 0]
        known = data.registry_children.get(pid, len(kids))
        cells = [
            h(DASH),
            f'<a href="{h(links.province(pid))}">{h(data.names.get(pid, pid))}</a>',
            h(DASH),
            h(tr("report.not_scored")),
            h(f"{integer(len(scored), lang)}/{integer(known, lang)}"),
            h(num(median(cr.total[scored]) if scored else None, lang, 1)),
            h(DASH),
        ]
        rows.append(cells)
    numeric = frozenset({0, 2, 4, 5, 6}) if cr is not None else frozenset({0, 2, 4})
    return table(
        tr("report.national.ranking_table"),
        headers,
        rows,
        numeric=numeric,
        row_header=1,
        class_="sortable ranking",
    )


def _kind_names(data: ReportData, lang: str) -> dict[str, str]:
    """Each consistency check by what it tells (its message), for the kinds of problems."""
    checks = data.results.framework.manifest.checks
    return {c.id: pick(c.message, lang).strip().rstrip(".") for c in checks}


def _family(code: str, lang: str) -> str:
    """The family of a problem code in words (``value.out_of_range``: an entered value)."""
    family = f"report.kind.{code.partition('.')[0]}"
    return translator(lang)(family) if family in MESSAGES else code


def _coverage(data: ReportData, lang: str, links: Links) -> str:
    """Coverage and data problems per province (its own and its communes'), then by kind."""
    tr = translator(lang)
    r = data.tier_result(data.top_tier)
    child = data.child_tier
    cr = data.tier_result(child) if child is not None else None
    row_of = {u.id: i for i, u in enumerate(r.units)}
    ids = sorted(set(row_of) | {p for p in data.children if p})
    rows = []
    for pid in ids:
        own = row_of.get(pid)
        kids = list(data.children.get(pid, ()))
        units = [pid, *(cr.units[k].id for k in kids)] if cr is not None else [pid]
        errors = warnings = 0
        with_problems = 0
        for uid in units:
            shown, _ = problems_of(data, uid)
            e = sum(1 for d in shown if d.severity == "error")
            errors += e
            warnings += len(shown) - e
            with_problems += bool(shown)
        href = links.province(pid) if child else links.unit(pid)
        cells = [
            f'<a href="{h(href)}">{h(data.names.get(pid, pid))}</a>',
            h(pct(float(r.coverage[own]), lang) if own is not None else DASH),
        ]
        if cr is not None:
            cov = median(cr.coverage[kids]) if kids else None
            cells.append(h(pct(cov, lang)))
        cells += [
            h(integer(errors, lang)),
            h(integer(warnings, lang)),
            h(integer(with_problems, lang)),
        ]
        rows.append(cells)
    headers = [tr("report.col.province"), tr("report.col.own_coverage")]
    if cr is not None:
        headers.append(tr("report.col.children_coverage"))
    headers += [
        tr("report.col.errors"),
        tr("report.col.warnings"),
        tr("report.col.units_with_problems"),
    ]
    numeric = frozenset(range(1, len(headers)))
    body = f"<p>{h(tr('report.coverage.intro'))}</p>" + table(
        tr("report.coverage.table"), headers, rows, numeric=numeric, class_="sortable"
    )
    by_code: Counter[tuple[str, str]] = Counter()
    units_of: dict[tuple[str, str], set[str]] = {}
    example: dict[tuple[str, str], str] = {}
    for d in data.results.diagnostics:
        key = (d.severity, d.check or d.code)
        by_code[key] += 1
        units_of.setdefault(key, set()).add(d.unit or "")
        example.setdefault(key, d.message)
    order = {"error": 0, "warning": 1, "info": 2}
    kinds = sorted(by_code, key=lambda k: (order.get(k[0], 3), -by_code[k], k[1]))
    named = _kind_names(data, lang)
    kind_rows = [
        [
            h(named.get(k[1]) or _family(k[1], lang)),
            h(severity_text(k[0], lang)),
            h(integer(by_code[k], lang)),
            h(integer(len(units_of[k] - {""}), lang)),
            h(example[k]),
        ]
        for k in kinds
    ]
    kind_headers = [
        tr("report.col.kind"),
        tr("report.col.severity"),
        tr("report.col.count"),
        tr("report.col.units"),
        tr("report.col.example"),
    ]
    body += table(
        tr("report.coverage.kinds"),
        kind_headers,
        kind_rows,
        numeric=frozenset({2, 3}),
        empty=tr("report.problems.none"),
    )
    return section("coverage", tr("report.coverage.heading"), body)
