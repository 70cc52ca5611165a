"""The page of one province: its own result, then its communes: the distribution of levels,
the weakest pillars across the province, a strip chart of commune scores per pillar, the
ranking within the province, the communes with data problems, and the movers."""

from __future__ import annotations

import math

import numpy as np

from maturity.analysis.batch import median
from maturity.render.site._blocks import level_distribution, movers
from maturity.render.site._data import ReportData
from maturity.render.site._format import DASH, h, integer, num, pct, signed, table
from maturity.render.site._layout import (
    Links,
    frame,
    level_badge,
    level_cell,
    problems_of,
    section,
    severity_cell,
    tier_label,
    tier_name,
    translator,
)
from maturity.render.site._svg import Strip, strip_chart
from maturity.render.site._texts import framework_texts
from maturity.render.site._unit_page import rank_texts


def province_page(data: ReportData, unit_id: str, lang: str, links: Links) -> str:
    """The HTML page of the top-tier unit ``unit_id`` and its child units."""
    tr = translator(lang)
    name = data.names.get(unit_id, unit_id)
    rows = list(data.children.get(unit_id, ()))
    parts = [
        f"<h1>{h(name)}</h1>",
        _facts(data, unit_id, lang, links),
        _own_result(data, unit_id, lang, links),
    ]
    child = data.child_tier
    if child is not None:
        what = tr("report.province.children_of", name=name)
        known = data.registry_children.get(unit_id, len(rows))
        intro = tr(
            "report.province.children_intro",
            scored=integer(sum(1 for i in rows if data.tier_result(child).level[i] > 0), lang),
            known=integer(known, lang),
            tier=tier_label(data.framework, child, lang),
        )
        parts.append(
            section(
                "levels",
                tr("report.province.levels"),
                f"<p>{h(intro)}</p>"
                + level_distribution(data, child, rows, lang, f"levels-{unit_id}", what),
            )
        )
        if rows:
            parts.append(_weakest_pillars(data, unit_id, rows, lang))
            parts.append(_ranking(data, unit_id, rows, lang, links))
            parts.append(_problems(data, rows, lang, links))
        parts.append(movers(data, child, rows, lang, links, n=5, section_id="movers"))
    return frame(
        data,
        lang,
        links,
        title=name,
        crumbs=[(tr("report.national.crumb"), links.national()), (name, None)],
        body="\n".join(parts),
        page_class="province",
    )


def _facts(data: ReportData, unit_id: str, lang: str, links: Links) -> str:
    tr = translator(lang)
    facts = [
        h(tr("report.unit.tier", tier=tier_name(data.framework, data.top_tier, lang))),
        h(tr("report.code", id=unit_id)),
    ]
    if data.periods():
        facts.append(h(tr("report.period", period=", ".join(data.periods()))))
    return f'<p class="facts">{" · ".join(facts)}</p>'


def _own_result(data: ReportData, unit_id: str, lang: str, links: Links) -> str:
    tr = translator(lang)
    fw = data.framework
    found = data.find(unit_id)
    heading = tr("report.province.own")
    if found is None:
        return section("own", heading, f'<p class="empty">{h(tr("report.province.no_own"))}</p>')
    ta, row = found
    r = ta.result
    level = int(r.level[row])
    if level <= 0:
        body = f"<p>{h(tr('report.unit.not_scored'))}</p>"
    else:
        rank = rank_texts(data, r, row, lang)[0]
        coverage = tr("report.coverage", coverage=pct(float(r.coverage[row]), lang))
        body = (
            '<div class="figures">'
            f'<p class="score"><span class="big">{h(num(float(r.total[row]), lang, 1))}</span>'
            f' <span class="of">{h(tr("report.of_scale", scale=num(fw.manifest.scale, lang, 0)))}'
            "</span></p>"
            f'<p class="level">{level_badge(fw, level, lang)}</p>'
            f'<p class="rank">{h(rank)}</p><p class="coverage">{h(coverage)}</p>'
            "</div>"
        )
    more = h(tr("report.province.own_link"))
    body += f'<p><a class="more" href="{h(links.unit(unit_id))}">{more}</a></p>'
    return section("own", heading, body)


def _weakest_pillars(data: ReportData, unit_id: str, rows: list[int], lang: str) -> str:
    """The pillars across the province, weakest first, with the strip chart of its units."""
    tr = translator(lang)
    fw = data.framework
    tx = framework_texts(fw, lang)
    child = data.child_tier
    assert child is not None
    ta = data.analysis[child]
    r = ta.result
    top = [p for p, pid in enumerate(r.pillar_ids) if fw.pillars[pid].parent is None]
    share = ta.pillar_share[rows][:, top]
    scored = r.level[rows] > 0
    share = share[scored]
    weakest_count = np.zeros(len(top), dtype=np.int64)
    for line in share:
        if np.isfinite(line).any():
            weakest_count[int(np.nanargmin(line))] += 1
    items = []
    for n, p in enumerate(top):
        column = share[:, n]
        finite = column[np.isfinite(column)]
        med = median(column)
        q1 = float(np.quantile(finite, 0.25)) if finite.size else None
        q3 = float(np.quantile(finite, 0.75)) if finite.size else None
        items.append((med if med is not None else math.inf, r.pillar_ids[p], n, med, q1, q3))
    items.sort(key=lambda x: (x[0], x[1]))
    table_rows = [
        [
            h(f"{pid} · {tx.pillar_name[pid]}"),
            h(pct(med, lang)),
            h(f"{pct(q1, lang)} – {pct(q3, lang)}" if q1 is not None else DASH),
            h(integer(int(weakest_count[n]), lang)),
        ]
        for _, pid, n, med, q1, q3 in items
    ]
    headers = [
        tr("report.col.pillar"),
        tr("report.col.median"),
        tr("report.col.middle_half"),
        tr("report.col.weakest_for"),
    ]
    weakest = items[0] if items and items[0][3] is not None else None
    intro = (
        tr(
            "report.province.weakest_intro",
            name=f"{weakest[1]} · {tx.pillar_name[weakest[1]]}",
            median=pct(weakest[3], lang),
        )
        if weakest
        else ""
    )
    tbl = table(
        tr("report.province.weakest_table"),
        headers,
        table_rows,
        numeric=frozenset({1, 2, 3}),
    )
    strips = [
        Strip(
            f"{r.pillar_ids[p]} · {tx.pillar_name[r.pillar_ids[p]]}",
            [float(x) for x in share[:, n] if math.isfinite(x)],
            median(share[:, n]),
            tr("report.strip.median", median=pct(median(share[:, n]), lang)),
        )
        for n, p in enumerate(top)
    ]
    chart = strip_chart(
        f"strips-{unit_id}",
        strips,
        tr("report.strip.title", name=data.names.get(unit_id, unit_id)),
        tr("report.strip.desc", count=integer(int(scored.sum()), lang)),
    )
    body = (f"<p>{h(intro)}</p>" if intro else "") + tbl
    caption = h(tr("report.strip.caption"))
    body += f'<figure class="strips">{chart}<figcaption>{caption}</figcaption></figure>'
    return section("pillars", tr("report.province.weakest"), body)


def _ranking(data: ReportData, unit_id: str, rows: list[int], lang: str, links: Links) -> str:
    tr = translator(lang)
    fw = data.framework
    child = data.child_tier
    assert child is not None
    r = data.tier_result(child)
    base = data.baseline
    headers = [
        tr("report.col.rank"),
        tr("report.col.unit"),
        tr("report.col.type"),
        tr("report.col.score"),
        tr("report.col.level"),
        tr("report.col.coverage"),
        tr("report.col.problems"),
    ]
    if base is not None:
        headers.append(tr("report.change.delta"))
    table_rows = []
    for i in rows:
        unit = r.units[i]
        shown, _ = problems_of(data, unit.id)
        rank = int(r.rank_in_parent[i]) if data.scored_children.get(unit_id, 0) > 1 else 0
        cells = [
            h(integer(rank, lang) if rank else DASH),
            f'<a href="{h(links.unit(unit.id))}">{h(unit.name)}</a>',
            h(unit.type),
            h(num(float(r.total[i]), lang, 1)),
            level_cell(fw, int(r.level[i]), lang),
            h(pct(float(r.coverage[i]), lang)),
            h(integer(len(shown), lang) if shown else ""),
        ]
        if base is not None:
            then = base.units.get(unit.id)
            now = float(r.total[i])
            delta = (
                None if then is None or then.score is None or math.isnan(now) else now - then.score
            )
            cells.append(h(signed(delta, lang)))
        table_rows.append(cells)
    body = table(
        tr("report.province.ranking_table", name=data.names.get(unit_id, unit_id)),
        headers,
        table_rows,
        numeric=frozenset({0, 3, 5, 6, 7}),
        row_header=1,
        class_="sortable",
    )
    return section("ranking", tr("report.province.ranking"), body)


def _problems(data: ReportData, rows: list[int], lang: str, links: Links) -> str:
    tr = translator(lang)
    child = data.child_tier
    assert child is not None
    r = data.tier_result(child)
    table_rows = []
    for i in sorted(rows, key=lambda i: r.units[i].id):
        unit = r.units[i]
        shown, _ = problems_of(data, unit.id)
        if not shown:
            continue
        errors = sum(1 for d in shown if d.severity == "error")
        items = "".join(f"<li>{severity_cell(d.severity, lang)} {h(d.message)}</li>" for d in shown)
        table_rows.append(
            [
                f'<a href="{h(links.unit(unit.id))}">{h(unit.name)}</a>',
                h(integer(errors, lang)),
                h(integer(len(shown) - errors, lang)),
                f'<ul class="problems">{items}</ul>',
            ]
        )
    headers = [
        tr("report.col.unit"),
        tr("report.col.errors"),
        tr("report.col.warnings"),
        tr("report.col.messages"),
    ]
    body = table(
        tr("report.province.problems_table"),
        headers,
        table_rows,
        numeric=frozenset({1, 2}),
        empty=tr("report.province.problems_none"),
    )
    return section("problems", tr("report.province.problems"), body)
