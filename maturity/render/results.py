"""Results as documents: the ranking, the level distribution and the diagnostics of a batch,
and the JSON record of each unit; the writers give table, Markdown, JSON, CSV or a workbook.
Nothing here prints."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import replace
from typing import Any

import numpy as np

from maturity.errors import Problem
from maturity.framework.compiled import Framework
from maturity.framework.needs import affected_indicators
from maturity.i18n import pick, t
from maturity.i18n.numbers import number, percent
from maturity.inputs.periods import sort_key as period_order
from maturity.inputs.submissions import Submission
from maturity.render.document import (
    Block,
    Document,
    Heading,
    Only,
    Paragraph,
    Records,
    Table,
    Title,
)
from maturity.render.since import CSV_COLUMNS as SINCE_COLUMNS
from maturity.render.since import baseline_data, since_of
from maturity.render.since import cells as since_cells
from maturity.render.since import csv_cells as since_csv
from maturity.render.since import intro as since_intro
from maturity.render.since import record as since_record
from maturity.render.summary import (
    flag_counts,
    flag_names,
    flags_line,
    problem_blocks,
    problems_line,
    shown_diagnostics,
    summary_table,
)
from maturity.render.view import SEVERITIES, View, province_of
from maturity.render.writers import write
from maturity.scoring.results import STATUS_NAMES, Results, TierResult

SCHEMA_VERSION = "1.1"


FORMATS = ("table", "json", "csv", "markdown")


def label(key: str) -> str:
    """A column name or a word of the result tables, in the current language."""
    return t(f"lbl.{key}")


def num(x: float | None, digits: int | None = None) -> float | None:
    """A JSON-safe number (``None`` for NaN): as computed, which JSON and CSV write in the
    shortest form that reads back to the same float (``repr``); rounded only when ``digits``
    is given. Presentation rounding belongs to the human formats.

    >>> num(float("nan")) is None, num(88.56872427983538), num(1.23456789, 6), num(-0.0)
    (True, 88.56872427983538, 1.234568, 0.0)
    """
    if x is None:
        return None
    xf = float(x)
    if math.isnan(xf):
        return None
    value = xf if digits is None else round(xf, digits)
    return 0.0 if value == 0 else value


def _level_name(fw: Framework, level: int) -> str:
    if level <= 0:
        return ""
    return pick(fw.manifest.levels[level - 1].name)


def _unit_order(
    results: Results, sort: str, view: View | None = None
) -> list[tuple[TierResult, int]]:
    """Tier by tier, period by period (in time order), then by rank (units left out of the
    ranking after the ranked ones, by score; unscored units last) or by id; only the units
    ``view`` shows (its tier, its province and its communes, the top N of each ranking)."""
    view = view or View()
    province = province_of(results) if view.province is not None else {}
    rows: list[tuple[TierResult, int]] = []
    for result in results.tiers.values():
        if view.tier is not None and result.tier != view.tier:
            continue
        idx = list(range(result.size))
        if view.province is not None:
            idx = [i for i in idx if province.get(result.units[i].id) == view.province]
        when = [period_order(p) for p in result.periods]
        if sort == "id":
            idx.sort(key=lambda i: (when[i], result.units[i].id))
        else:
            scored = result.score_level > 0
            total = np.round(np.nan_to_num(result.total), 6)
            idx.sort(
                key=lambda i: (
                    when[i],
                    0 if result.rank[i] else 1 if scored[i] else 2,
                    result.rank[i],
                    -total[i],
                    result.units[i].id,
                )
            )
        if view.top is not None:
            kept: dict[str, int] = {}
            top_idx = []
            for i in idx:
                period = result.periods[i]
                if kept.get(period, 0) < view.top:
                    kept[period] = kept.get(period, 0) + 1
                    top_idx.append(i)
            idx = top_idx
        rows.extend((result, i) for i in idx)
    return rows


class _TierLists:
    """A tier's arrays turned into Python lists once (NaN as None, full precision), so building
    hundreds of thousands of indicator records costs list indexing, not per-value calls."""

    def __init__(self, result: TierResult) -> None:
        def clean(arr: np.ndarray) -> list[list[float | None]]:
            exact = arr + 0.0  # + 0.0 turns -0.0 into 0.0
            return [[None if math.isnan(v) else v for v in row] for row in exact.tolist()]

        self.value = clean(result.value)
        self.score = clean(result.score)
        self.points = clean(result.points)
        self.max_points = clean(result.max_points)
        self.level = result.ind_level.tolist()
        self.status = result.status.tolist()
        self.pillar_points = clean(result.pillar_points)
        self.pillar_max = clean(result.pillar_max)
        self.pillar_level = result.pillar_level.tolist()


def unit_record(
    results: Results, result: TierResult, i: int, lists: _TierLists | None = None
) -> dict[str, Any]:
    """One unit of the result JSON (schema ``maturity schema result``)."""
    fw = results.framework
    unit = result.units[i]
    level = int(result.level[i])
    tl = lists if lists is not None else _TierLists(result)
    ids = [ind.id for ind in result.indicators]
    pillars_of = [ind.pillar for ind in result.indicators]
    record: dict[str, Any] = {
        "id": unit.id,
        "name": unit.name,
        "tier": unit.tier,
        "parent": unit.parent,
        "period": result.periods[i],
        "score": num(result.total[i]),
        "max_score": num(result.max_score[i]),
        "index": num(result.index[i]),
        "level": level or None,
        "level_name": _level_name(fw, level) or None,
        "score_level": int(result.score_level[i]) or None,
        "capped_by": list(result.capped_by[i]),
        "coverage": num(result.coverage[i]),
        "rank": int(result.rank[i]) or None,
        "rank_in_parent": (int(result.rank_in_parent[i]) or None) if unit.parent else None,
        "flags": result.flags_of(i),
        "values": _ledger(result.submissions[i]),
        "pillars": [
            {
                "id": pid,
                "parent": fw.pillars[pid].parent,
                "score": tl.pillar_points[i][p],
                "max_score": tl.pillar_max[i][p],
                "level": tl.pillar_level[i][p] or None,
            }
            for p, pid in enumerate(result.pillar_ids)
        ],
        "indicators": [
            {
                "id": ids[j],
                "pillar": pillars_of[j],
                "value": tl.value[i][j],
                "status": STATUS_NAMES[tl.status[i][j]],
                "score": tl.score[i][j],
                "points": tl.points[i][j],
                "max_points": tl.max_points[i][j],
                "level": tl.level[i][j] or None,
            }
            for j in range(len(ids))
        ],
    }
    if fw.manifest.indices:  # only where declared: other frameworks' results are unchanged
        record["indices"] = [
            {
                "id": sub.id,
                "index": num(result.sub_index[sub.id][i]),
                "score": num(result.sub_index[sub.id][i] * fw.manifest.scale),
                "rank": int(result.sub_rank[sub.id][i]) or None,
                "rank_in_parent": (int(result.sub_rank[f"{sub.id}@parent"][i]) or None)
                if unit.parent
                else None,
            }
            for sub in fw.manifest.indices
            if sub.id in result.sub_index
        ]
    return record


def _ledger(sub: Submission) -> dict[str, int]:
    led = sub.ledger
    if led is None:  # a submission made in code: every value it holds is used
        return {"submitted": len(sub.values), "used": len(sub.values), "rejected": 0, "ignored": 0}
    return {
        "submitted": led.submitted,
        "used": led.used,
        "rejected": led.rejected,
        "ignored": led.ignored,
    }


def _view(tier: str | None, view: View | None) -> View:
    view = view or View()
    return replace(view, tier=tier) if tier is not None and view.tier is None else view


def results_document(
    results: Results, *, sort: str = "rank", tier: str | None = None, view: View | None = None
) -> dict[str, Any]:
    """The result JSON (``maturity schema result``): every diagnostic unless the view asks
    for a severity; each carries its province and the indicators it affects."""
    fw = results.framework
    view = _view(tier, view)
    lists = {r.tier: _TierLists(r) for r in results.tiers.values()}
    order = _unit_order(results, sort, view)
    units = [unit_record(results, r, i, lists[r.tier]) for r, i in order]
    since = since_of(results, view.baseline)
    if since is not None:
        for unit, (r, i) in zip(units, order, strict=True):
            unit["since"] = since_record(since, r, i)
    levels = Counter(u["level"] for u in units if u["level"])
    statuses: Counter[str] = Counter(ind["status"] for u in units for ind in u["indicators"])
    shown = shown_diagnostics(results, replace(view, severity=view.severity or "info"))
    by_input, by_check = affected_indicators(fw)
    rules = fw.manifest.publication
    severities = Counter(d.severity for d in shown.diagnostics)
    return {
        "schema_version": SCHEMA_VERSION,
        "framework": {
            "id": fw.id,
            "version": fw.version,
            "digest": fw.digest,
            "title": pick(fw.manifest.title),
        },
        "engine": {"name": "maturity", "version": results.engine_version},
        "missing_policy": results.policy,
        "inputs": [
            {"file": name, "sha256": digest} for name, digest in sorted(results.files.items())
        ],
        "publication": {
            "min_coverage": rules.min_coverage,
            "rank_units_with_errors": rules.rank_units_with_errors,
            "rank_units_below_coverage": rules.rank_units_below_coverage,
            "min_ranked": rules.min_ranked,
        },
        "summary": {
            "units": len(units),
            "scored": sum(1 for u in units if u["level"]),
            "ranked": sum(1 for u in units if u["rank"]),
            "flagged": sum(1 for u in units if u["flags"]),
            "by_level": {str(k): levels[k] for k in sorted(levels)},
            "by_status": {k: statuses[k] for k in STATUS_NAMES if statuses[k]},
            "by_flag": {f: c for f, c in sorted(flag_counts(order).items())},
            "by_severity": {s: severities[s] for s in SEVERITIES if severities[s]},
        },
        **({"baseline": baseline_data(view.baseline)} if view.baseline is not None else {}),
        "units": units,
        "diagnostics": [
            {
                "severity": d.severity,
                "code": d.code,
                "message": d.message,
                "unit": d.unit,
                "province": shown.province.get(d.unit) if d.unit else None,
                "indicator": d.indicator,
                "input": d.input,
                "indicators": _affected(d, by_input, by_check),
                "file": d.file,
                "line": d.line,
                "column": d.column,
                "check": d.check,
            }
            for d in shown.diagnostics
        ],
    }


def _affected(
    d: Problem, by_input: dict[str, list[str]], by_check: dict[str, list[str]]
) -> list[str]:
    """The indicators a diagnostic affects: its own; else those computed from its input;
    else those computed from the values its check reads."""
    if d.indicator:
        return [d.indicator]
    if d.input:
        return by_input.get(d.input, [])
    if d.check:
        return by_check.get(d.check, [])
    return []


def results_doc(
    results: Results, *, sort: str = "rank", tier: str | None = None, view: View | None = None
) -> Document:
    """The result of a batch as a document: for people, the round's summary first, then the
    ranking and the data problems by province; for JSON, the result document (``maturity
    schema result``); for CSV, one row per unit."""
    fw = results.framework
    view = _view(tier, view)

    def blocks() -> list[Block | Only]:
        order = _unit_order(results, sort, replace(view, top=None))
        shown = shown_diagnostics(results, view)
        out: list[Block | Only] = [
            Title(f"{pick(fw.manifest.title)} ({fw.version})"),
            Paragraph(_summary(results, sum(1 for r, i in order if r.score_level[i] > 0))),
            Heading(label("summary_heading")),
            summary_table(results, order),
            Paragraph(flags_line(order)),
            Paragraph(problems_line(shown.diagnostics, shown.hidden)),
        ]
        if view.quiet:
            return out
        headers, rows = unit_rows(results, sort, None, view)
        ranking = label("ranking")
        if view.top is not None:
            ranking += " " + t("sum.top", top=number(view.top, 0))
        out.append(Heading(ranking))
        if view.baseline is not None:
            out.append(Paragraph(since_intro(results, view.baseline)))
        out.append(Table(headers, rows, empty=label("none")))
        names = {u.id: u.name for r in results.tiers.values() for u in r.units}
        out += problem_blocks(shown, names)
        return out

    return Document(
        blocks,
        data=lambda: results_document(results, sort=sort, view=view),
        records=lambda: _records(results, sort, None, view),
        json_lines=("units", "diagnostics"),
        source=("results", (results, sort, view.tier)),
    )


def render_json(results: Results, *, sort: str = "rank", tier: str | None = None) -> str:
    """Indented JSON, except that each unit and each diagnostic stands on one line: a national
    result stays a few tens of megabytes, and a diff between two results shows units."""
    return write(results_doc(results, sort=sort, tier=tier), "json")


def unit_rows(
    results: Results, sort: str, tier: str | None, view: View | None = None
) -> tuple[list[str], list[list[Any]]]:
    """The ranking for people: a row per unit the view shows, gate names in capped-by and the
    publication flags in words."""
    fw = results.framework
    view = _view(tier, view)
    names = {u.id: u.name for r in results.tiers.values() for u in r.units}
    gate_names = {g.id: pick(g.name) for g in fw.manifest.gates}
    headers = [
        label(k)
        for k in (
            "tier",
            "rank",
            "id",
            "name",
            "parent",
            "score",
            "index",
            "level",
            "capped_by",
            "coverage",
            "data_gaps",
            "flags",
        )
    ]
    rows: list[list[Any]] = []
    weighted = {
        r.tier: np.array([ind.weight > 0 for ind in r.indicators], dtype=bool)
        for r in results.tiers.values()
    }
    since = since_of(results, view.baseline)
    if since is not None:
        headers[2:2] = [label("rank_then")]
        headers[7:7] = [label("score_change")]
        headers[10:10] = [label("level_then")]
    for result, i in _unit_order(results, sort, view):
        scored_weight = weighted[result.tier]  # context indicators are never data gaps
        unit = result.units[i]
        level = int(result.level[i])
        gaps = int((((result.status[i] >= 1) & (result.status[i] <= 3)) & scored_weight).sum())
        parent = f"{unit.parent} {names.get(unit.parent, '')}".strip() if unit.parent else ""
        rows.append(
            [
                fw.tier_label(unit.tier),
                int(result.rank[i]) or "—",
                unit.id,
                unit.name,
                parent,
                number(result.total[i], 2, fixed=True),
                number(result.index[i], 4, fixed=True),
                f"{level} {_level_name(fw, level)}" if level else "—",
                ", ".join(gate_names.get(g, g) for g in result.capped_by[i]),
                percent(result.coverage[i]),
                gaps,
                flag_names(result.flags_of(i)),
            ]
        )
        if since is not None:
            rank_then, change, level_then = since_cells(since, result, i)
            row = rows[-1]
            row[2:2] = [rank_then]
            row[7:7] = [change]
            row[10:10] = [level_then]
    return headers, rows


def _summary(results: Results, units: int) -> str:
    fw = results.framework
    return t(
        "lbl.summary",
        units=number(units, 0),
        framework=fw.id,
        version=fw.version,
        policy=t(f"lbl.policy.{results.policy}"),
    )


_CSV_HEAD = (
    "tier",
    "id",
    "name",
    "parent",
    "period",
    "score",
    "max_score",
    "index",
    "level",
    "level_name",
    "score_level",
    "capped_by",
    "coverage",
    "rank",
    "rank_in_parent",
    "flags",
)


def _records(results: Results, sort: str, tier: str | None, view: View | None = None) -> Records:
    """One row per unit: totals, then points per pillar, then points per indicator."""
    fw = results.framework
    pillar_ids = list(fw.pillars)
    ind_ids = [ind.id for ind in fw.indicators]
    view = _view(tier, view)
    since = since_of(results, view.baseline)
    header = [
        *_CSV_HEAD,
        *(SINCE_COLUMNS if since is not None else ()),
        *(f"pillar:{p}" for p in pillar_ids),
        *(f"points:{i}" for i in ind_ids),
        *(f"status:{i}" for i in ind_ids),
        *(f"{k}:{s.id}" for s in fw.manifest.indices for k in ("index", "rank")),
    ]
    lists = {r.tier: _TierLists(r) for r in results.tiers.values()}
    rows: list[list[str]] = []
    for result, i in _unit_order(results, sort, view):
        rec = unit_record(results, result, i, lists[result.tier])
        extra = since_csv(since_record(since, result, i)) if since is not None else []
        pts = {ind["id"]: ind for ind in rec["indicators"]}
        pil = {p["id"]: p for p in rec["pillars"]}
        rows.append(
            [
                rec["tier"],
                rec["id"],
                rec["name"],
                rec["parent"] or "",
                rec["period"],
                _c(rec["score"]),
                _c(rec["max_score"]),
                _c(rec["index"]),
                _c(rec["level"]),
                rec["level_name"] or "",
                _c(rec["score_level"]),
                " ".join(rec["capped_by"]),
                _c(rec["coverage"]),
                _c(rec["rank"]),
                _c(rec["rank_in_parent"]),
                " ".join(rec["flags"]),
            ]
            + extra
            + [_c(pil[p]["score"]) if p in pil else "" for p in pillar_ids]
            + [_c(pts[i]["points"]) if i in pts else "" for i in ind_ids]
            + [pts[i]["status"] if i in pts else "" for i in ind_ids]
            + _index_cells(fw, rec)
        )
    return Records(header, rows)


def _index_cells(fw: Framework, rec: dict[str, Any]) -> list[str]:
    subs = {x["id"]: x for x in rec.get("indices", [])}
    return [
        _c(subs[s.id][k]) if s.id in subs else ""
        for s in fw.manifest.indices
        for k in ("index", "rank")
    ]


def render_csv(results: Results, *, sort: str = "rank", tier: str | None = None) -> str:
    return write(results_doc(results, sort=sort, tier=tier), "csv")


def _c(x: Any) -> str:
    return "" if x is None else str(x)


def render(
    results: Results,
    fmt: str,
    *,
    sort: str = "rank",
    tier: str | None = None,
    tablefmt: str = "simple",
) -> str:
    """The result of a batch in format ``fmt`` (any writer of the registry)."""
    return write(results_doc(results, sort=sort, tier=tier), fmt, tablefmt)


def level_counts(results: Results) -> dict[str, dict[int, int]]:
    return {tier: dict(Counter(int(v) for v in r.level if v)) for tier, r in results.tiers.items()}
