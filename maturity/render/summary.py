"""The round's summary and its data problems, as result documents open with them: units,
scored, levels, flags, ranked and median coverage per tier and period; the diagnostics grouped
by province (a commune's under its province), errors first, with a count per province."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from maturity.errors import Problem
from maturity.i18n import pick, t
from maturity.i18n.numbers import number, percent
from maturity.render.document import Block, Heading, Paragraph, Table
from maturity.render.view import SEVERITIES, View, diagnostic_shown, province_of
from maturity.scoring.results import FLAGS, Results, TierResult

Row = tuple[TierResult, int]


def label(key: str) -> str:
    return t(f"lbl.{key}")


def flag_names(names: Sequence[str]) -> str:
    """Flags in the current language, comma-separated (empty where none)."""
    return ", ".join(label(f"flag.{name}") for name in names)


def summary_table(results: Results, rows: list[Row]) -> Table:
    """Per tier and period: units, scored, one column per level, flagged, ranked and the
    median data coverage of the scored units."""
    fw = results.framework
    levels = fw.manifest.levels
    headers = [
        label("tier"),
        label("period"),
        label("units"),
        label("scored"),
        *(f"{lv.level} {pick(lv.name)}" for lv in levels),
        label("flagged"),
        label("ranked"),
        label("median_coverage"),
    ]
    groups: dict[tuple[str, str], list[int]] = {}
    by_tier: dict[tuple[str, str], TierResult] = {}
    for result, i in rows:
        key = (result.tier, result.periods[i])
        groups.setdefault(key, []).append(i)
        by_tier[key] = result
    table: list[list[Any]] = []
    for key, idx in groups.items():
        result = by_tier[key]
        at = np.array(idx, dtype=np.intp)
        scored = result.score_level[at] > 0
        counts = Counter(int(v) for v in result.level[at].tolist() if v)
        cover = result.coverage[at][scored]
        table.append(
            [
                fw.tier_label(key[0]),
                key[1] or "—",
                number(len(idx), 0),
                number(int(scored.sum()), 0),
                *(number(counts.get(lv.level, 0), 0) for lv in levels),
                number(int((result.flags[at] > 0).sum()), 0),
                number(int((result.rank[at] > 0).sum()), 0),
                percent(float(np.median(cover))) if cover.size else "—",
            ]
        )
    return Table(headers, table, empty=label("none"))


def flag_counts(rows: list[Row]) -> Counter[str]:
    """Units per flag among ``rows``."""
    counts: Counter[str] = Counter()
    for result, i in rows:
        counts.update(result.flags_of(i))
    return counts


def flags_line(rows: list[Row]) -> str:
    flagged = sum(1 for result, i in rows if result.flags[i])
    if not flagged:
        return t("sum.flags_none")
    counts = flag_counts(rows)
    parts = ", ".join(f"{label('flag.' + f)}: {number(counts[f], 0)}" for f in FLAGS if counts[f])
    return t("sum.flags", count=number(flagged, 0), parts=parts)


def problems_line(shown: list[Problem], hidden: int) -> str:
    counts = Counter(d.severity for d in shown)
    line = t(
        "sum.problems",
        errors=number(counts["error"], 0),
        warnings=number(counts["warning"], 0),
    )
    if counts["info"]:
        line += " " + t("sum.problems_info", info=number(counts["info"], 0))
    if hidden:
        line += " " + t("sum.hidden", count=number(hidden, 0))
    return line


@dataclass(frozen=True)
class Shown:
    """The diagnostics a view shows and how many it hides."""

    diagnostics: list[Problem]
    hidden: int
    province: dict[str, str]


def shown_diagnostics(results: Results, view: View) -> Shown:
    tier_of = {u.id: r.tier for r in results.tiers.values() for u in r.units}
    province = province_of(results)
    shown: list[Problem] = []
    hidden = 0
    every = View(tier=view.tier, province=view.province, severity="info")
    for d in results.diagnostics:
        if diagnostic_shown(d, view, tier_of, province):
            shown.append(d)
        elif diagnostic_shown(d, every, tier_of, province):
            hidden += 1  # of the tier and province asked, below the severity shown
    return Shown(shown, hidden, province)


def where(d: Problem) -> str:
    text = d.file or ""
    if d.line:
        text += f":{d.line}"
    if d.column:
        text += f" [{d.column}]"
    return text


def by_province(
    diagnostics: list[Problem], province: dict[str, str]
) -> list[tuple[str | None, list[Problem]]]:
    """Diagnostics grouped by province (by id; those about no unit of the batch last), each
    group errors first, then warnings, then info, in the batch's order within a severity."""
    groups: dict[str | None, list[Problem]] = {}
    for d in diagnostics:
        groups.setdefault(province.get(d.unit) if d.unit else None, []).append(d)
    order = {s: k for k, s in enumerate(SEVERITIES)}
    keys = sorted((k for k in groups if k is not None), key=lambda k: k)
    if None in groups:
        keys.append(None)  # type: ignore[arg-type]
    return [(k, sorted(groups[k], key=lambda d: order.get(d.severity, 3))) for k in keys]


def count_text(problems: list[Problem]) -> str:
    """``2 errors, 3 warnings`` in the current language."""
    counts = Counter(d.severity for d in problems)
    return ", ".join(
        t(f"sum.count.{s}" + (".one" if counts[s] == 1 else ""), count=number(counts[s], 0))
        for s in SEVERITIES
        if counts[s]
    )


def problem_blocks(shown: Shown, names: dict[str, str]) -> list[Block]:
    """The data problems, a section per province with its count line and its table."""
    blocks: list[Block] = [
        Heading(f"{label('problems_by_province')} ({number(len(shown.diagnostics), 0)})")
    ]
    if not shown.diagnostics:
        blocks.append(Paragraph(label("none")))
        return blocks
    headers = [label(k) for k in ("severity", "unit", "code", "about", "where", "message")]
    for province, problems in by_province(shown.diagnostics, shown.province):
        title = f"{province} {names.get(province, '')}".strip() if province else label("no_unit")
        blocks.append(Heading(f"{title}: {count_text(problems)}", 3))
        rows = [
            [
                label(f"severity.{d.severity}"),
                f"{d.unit} {names.get(d.unit, '')}".strip() if d.unit else "",
                d.code,
                d.input or d.indicator or d.check or "",
                where(d),
                d.message,
            ]
            for d in problems
        ]
        blocks.append(Table(headers, rows))
    return blocks
