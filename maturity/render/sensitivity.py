"""Sensitivity reports (how stable ranks and levels are under noise) as documents."""

from __future__ import annotations

import math
from typing import Any

from maturity.analysis.sensitivity import SensitivityReport, UnitSensitivity
from maturity.i18n import t
from maturity.i18n.numbers import number, percent
from maturity.render.document import (
    Block,
    Bullets,
    Document,
    Heading,
    Headline,
    Only,
    Records,
    Table,
)
from maturity.render.writers import write

SENSITIVITY_FORMATS = ("table", "json", "csv", "markdown")


def _pct(p: float) -> str:
    """A probability for people; never rounds a possibility to 0% or 100%.

    >>> _pct(0.0), _pct(0.004), _pct(0.5), _pct(0.996), _pct(1.0)
    ('0%', '<1%', '50%', '>99%', '100%')
    """
    if 0 < p < 0.005:
        return "<1%"
    if 0.995 <= p < 1:
        return ">99%"
    return percent(p)


def _level_text(report: SensitivityReport, u: UnitSensitivity) -> str:
    parts = [
        t("sens.level", level=lv, share=_pct(p))
        for lv, p in enumerate(u.level_probability, start=1)
        if p > 0
    ]
    if u.not_scored > 0:
        parts.append(f"— {_pct(u.not_scored)}")
    return " · ".join(parts)


def _r(x: float | None, digits: int = 6) -> float | None:
    return None if x is None or math.isnan(x) else round(x, digits) + 0.0


def sensitivity_document(report: SensitivityReport, tier: str | None = None) -> dict[str, Any]:
    """The report as plain data (the JSON output)."""
    o = report.options
    return {
        "framework": report.framework,
        "method": {
            "runs": o.runs,
            "seed": o.seed,
            "weight_noise": o.weight_noise,
            "band_noise": o.band_noise,
            "missing_policy_flip": o.missing_policy_flip,
            "nominal_missing_policy": report.policy,
            "sources": list(o.sources()),
            "quantiles": "inverse empirical distribution function (observed ranks)",
        },
        "levels": [{"level": lv, "name": {"vi": vi, "en": en}} for lv, vi, en in report.levels],
        "sources": [
            {
                "source": e.source,
                "tier": e.tier,
                "runs": e.runs,
                "mean_abs_rank_shift": _r(e.mean_abs_rank_shift, 4),
                "max_abs_rank_shift": e.max_abs_rank_shift,
                "level_change_share": _r(e.level_change_share, 4),
                "mean_abs_score_shift": _r(e.mean_abs_score_shift, 4),
            }
            for e in report.sources
            if tier is None or e.tier == tier
        ],
        "units": [
            {
                "id": u.id,
                "name": u.name,
                "tier": u.tier,
                "parent": u.parent,
                "nominal_score": _r(u.nominal_score),
                "nominal_rank": u.nominal_rank,
                "nominal_level": u.nominal_level,
                "median_rank": u.median_rank,
                "rank_p5": u.rank_p5,
                "rank_p95": u.rank_p95,
                "score_p5": _r(u.score_p5),
                "score_p95": _r(u.score_p95),
                "mean_abs_rank_shift": _r(u.mean_abs_rank_shift, 4),
                "level_probability": {
                    str(lv): _r(p, 4) for lv, p in enumerate(u.level_probability, start=1)
                },
                "not_scored": _r(u.not_scored, 4),
            }
            for u in report.units
            if tier is None or u.tier == tier
        ],
        "notes": list(report.notes),
    }


def _unit_table(report: SensitivityReport, tier: str | None) -> tuple[list[str], list[list[Any]]]:
    headers = [
        t(f"sens.col.{c}")
        for c in ("tier", "id", "name", "score", "rank", "median", "interval", "level", "levels")
    ]
    rows: list[list[Any]] = []
    for u in report.units:
        if tier is not None and u.tier != tier:
            continue
        interval = f"{u.rank_p5}–{u.rank_p95}" if u.rank_p5 is not None else "—"
        rows.append(
            [
                report.tier_label(u.tier),
                u.id,
                u.name,
                number(u.nominal_score, 2, fixed=True),
                u.nominal_rank or "—",
                u.median_rank or "—",
                interval,
                u.nominal_level or "—",
                _level_text(report, u),
            ]
        )
    return headers, rows


def _source_table(report: SensitivityReport, tier: str | None) -> tuple[list[str], list[list[Any]]]:
    headers = [
        t(f"sens.col.{c}")
        for c in ("source", "tier", "mean_shift", "max_shift", "level_change", "score_shift")
    ]
    rows = [
        [
            t(f"sens.source.{e.source}"),
            report.tier_label(e.tier),
            number(e.mean_abs_rank_shift, 2, fixed=True),
            e.max_abs_rank_shift,
            _pct(e.level_change_share),
            number(e.mean_abs_score_shift, 2, fixed=True),
        ]
        for e in report.sources
        if tier is None or e.tier == tier
    ]
    return headers, rows


def _summary_lines(report: SensitivityReport, tier: str | None) -> list[str]:
    o = report.options
    lines = [
        t("sens.title", framework=report.framework["id"], version=report.framework["version"]),
        t(
            "sens.method",
            runs=o.runs,
            seed=o.seed,
            weight=number(o.weight_noise, 4),
            band=number(o.band_noise, 4),
            flip=t("sens.yes") if o.missing_policy_flip else t("sens.no"),
            policy=t(f"lbl.policy.{report.policy}"),
        ),
    ]
    tiers = sorted(
        {e.tier for e in report.sources if tier is None or e.tier == tier},
        key=[e.tier for e in report.sources].index,
    )
    for tt in tiers:
        single = [e for e in report.sources if e.tier == tt and e.source != "all"]
        if not single:
            continue
        top = max(single, key=lambda e: (e.mean_abs_rank_shift, e.level_change_share))
        lines.append(
            t(
                "sens.most",
                tier=report.tier_label(tt),
                source=t(f"sens.source.{top.source}"),
                shift=number(top.mean_abs_rank_shift, 2, fixed=True),
                level=_pct(top.level_change_share),
            )
        )
    return lines


_CSV_COLUMNS = (
    "tier",
    "id",
    "name",
    "parent",
    "nominal_score",
    "nominal_rank",
    "nominal_level",
    "median_rank",
    "rank_p5",
    "rank_p95",
    "score_p5",
    "score_p95",
    "mean_abs_rank_shift",
    "not_scored",
)


def sensitivity_doc(report: SensitivityReport, tier: str | None = None) -> Document:
    """The report: a summary, the effect of each source of uncertainty, each unit's rank
    interval and level probabilities, and notes; one CSV row per unit."""

    def blocks() -> list[Block | Only]:
        lines = _summary_lines(report, tier)
        sh, srows = _source_table(report, tier)
        uh, urows = _unit_table(report, tier)
        out: list[Block | Only] = [
            Headline(lines[0], lines[1:]),
            Heading(t("sens.sources")),
            Table(sh, srows),
            Heading(t("sens.units")),
            Table(uh, urows),
        ]
        if report.notes:
            out += [Heading(t("sens.notes")), Bullets(list(report.notes))]
        return out

    def records() -> Records:
        levels = range(1, len(report.levels) + 1)
        rows = [
            [_c(rec[key]) for key in _CSV_COLUMNS]
            + [_c(rec["level_probability"][str(lv)]) for lv in levels]
            for rec in sensitivity_document(report, tier)["units"]
        ]
        return Records([*_CSV_COLUMNS, *(f"p_level_{lv}" for lv in levels)], rows)

    return Document(blocks, data=lambda: sensitivity_document(report, tier), records=records)


def render_sensitivity(
    report: SensitivityReport,
    fmt: str = "table",
    *,
    tier: str | None = None,
    tablefmt: str = "simple",
) -> str:
    """The report as a table (text), JSON, CSV (one row per unit) or Markdown."""
    return write(sensitivity_doc(report, tier), fmt, tablefmt)


def _c(x: Any) -> str:
    return "" if x is None else str(x)
