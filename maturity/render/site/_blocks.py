"""Blocks the national and province pages share: a level distribution (chart and table) and
the movers since the baseline."""

from __future__ import annotations

from maturity.render.site._core import pick
from maturity.render.site._data import ReportData
from maturity.render.site._format import h, integer, num, pct, signed, table
from maturity.render.site._layout import Links, level_cell, tier_name, translator
from maturity.render.site._summary import Move, biggest, level_counts, level_moves, moves
from maturity.render.site._svg import LevelCount, level_bars


def level_distribution(
    data: ReportData, tier: str, rows: list[int] | None, lang: str, chart_id: str, what: str
) -> str:
    """Units of ``tier`` (among ``rows``) per level: a bar chart and the same as a table."""
    tr = translator(lang)
    fw = data.framework
    r = data.tier_result(tier)
    counts = level_counts(r, rows)
    scored = sum(n for lv, n in counts.items() if lv > 0)
    items = [
        LevelCount(
            lv.level,
            f"{lv.level} · {pick(lv.name, lang)}",
            counts.get(lv.level, 0),
            integer(counts.get(lv.level, 0), lang),
        )
        for lv in fw.manifest.levels
    ]
    most = max(items, key=lambda c: (c.count, -c.level)) if items else None
    desc = tr(
        "report.levels.desc",
        what=what,
        scored=integer(scored, lang),
        level=most.label if most else "",
        count=most.count_text if most else "",
    )
    chart = level_bars(chart_id, items, tr("report.levels.title", what=what), desc)
    scale = fw.manifest.scale
    table_rows = [
        [
            level_cell(fw, c.level, lang),
            h(num(fw.manifest.levels[c.level - 1].min * scale, lang, 0)),
            h(c.count_text),
            h(pct(c.count / scored if scored else None, lang)),
        ]
        for c in items
    ]
    unscored = counts.get(0, 0)
    if unscored:
        table_rows.append([h(tr("report.not_scored")), "", h(integer(unscored, lang)), ""])
    headers = [
        tr("report.col.level"),
        tr("report.col.from_points"),
        tr("report.col.units"),
        tr("report.col.share_units"),
    ]
    tbl = table(
        tr("report.levels.table", what=what), headers, table_rows, numeric=frozenset({1, 2, 3})
    )
    return f'<div class="levels"><figure>{chart}</figure>{tbl}</div>'


def movers(
    data: ReportData,
    tier: str,
    rows: list[int] | None,
    lang: str,
    links: Links,
    *,
    n: int,
    section_id: str,
    heading: str | None = None,
) -> str:
    """The largest rises and falls since the baseline, and how many units changed level;
    a short note when no baseline was given."""
    tr = translator(lang)
    fw = data.framework
    base = data.baseline
    heading = heading or tr("report.movers.heading")
    if base is None:
        body = f'<p class="empty">{h(tr("report.change.no_baseline"))}</p>'
        return _section(section_id, heading, body)
    moved = moves(data, tier, rows)
    up, same, down = level_moves(moved)
    r = data.tier_result(tier)
    lines = [
        tr(
            "report.movers.levels",
            compared=integer(len(moved), lang),
            up=integer(up, lang),
            same=integer(same, lang),
            down=integer(down, lang),
            periods=", ".join(base.periods) or base.file,
        )
    ]
    if base.digest and base.digest != fw.digest:
        lines.append(
            tr(
                "report.change.other_framework",
                baseline=f"{base.framework_id} {base.framework_version}",
                current=f"{fw.id} {fw.version}",
            )
        )
    ups, downs = biggest(moved, n)
    headers = [
        tr("report.col.unit"),
        tr("report.change.then_short"),
        tr("report.change.now"),
        tr("report.change.delta"),
        tr("report.col.level"),
    ]

    def rows_of(items: list[Move]) -> list[list[str]]:
        out = []
        for m in items:
            unit = r.units[m.row]
            level = (
                level_cell(fw, m.now_level, lang)
                if m.then_level == m.now_level
                else f"{h(str(m.then_level or '—'))} → {level_cell(fw, m.now_level, lang)}"
            )
            out.append(
                [
                    f'<a href="{h(links.unit(unit.id))}">{h(unit.name)}</a>',
                    h(num(m.then_score, lang, 1)),
                    h(num(m.now_score, lang, 1)),
                    h(signed(m.delta, lang)),
                    level,
                ]
            )
        return out

    body = "".join(f"<p>{h(line)}</p>" for line in lines)
    body += table(
        tr("report.movers.up", what=tier_name(data.framework, tier, lang)),
        headers,
        rows_of(ups),
        numeric=frozenset({1, 2, 3}),
        empty=tr("report.movers.none_up"),
    )
    body += table(
        tr("report.movers.down", what=tier_name(data.framework, tier, lang)),
        headers,
        rows_of(downs),
        numeric=frozenset({1, 2, 3}),
        empty=tr("report.movers.none_down"),
    )
    return _section(section_id, heading, body)


def _section(section_id: str, heading: str, body: str) -> str:
    return (
        f'<section id="{section_id}" aria-labelledby="{section_id}-h">'
        f'<h2 id="{section_id}-h">{h(heading)}</h2>{body}</section>'
    )
