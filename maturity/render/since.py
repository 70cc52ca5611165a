"""``score --baseline RESULT.json``: each unit's change since a saved round beside its score,
level and rank (the baseline's latest period before the unit's, as ``explain --baseline``)."""

from __future__ import annotations

from typing import Any

from maturity.analysis.compare import Before, before_of
from maturity.i18n import t
from maturity.i18n.numbers import signed
from maturity.inputs.baseline import Baseline
from maturity.scoring.results import Results, TierResult

Since = dict[tuple[str, str], Before]

CSV_COLUMNS = ("since_period", "since_score", "since_level", "since_rank", "score_change")


def since_of(results: Results, baseline: Baseline | None) -> Since | None:
    return before_of(results, baseline) if baseline is not None else None


def _change(before: Before | None, result: TierResult, i: int) -> float | None:
    if before is None or before.score is None or result.score_level[i] <= 0:
        return None
    return round(float(result.total[i]) - before.score, 6) + 0.0


def cells(since: Since, result: TierResult, i: int) -> tuple[str, str, str]:
    """Rank then, the score's change, level then ("—" where the baseline has none)."""
    before = since.get((result.units[i].id, result.periods[i]))
    change = _change(before, result, i)
    if before is None:
        return t("lbl.not_in_baseline"), "", ""
    return (
        str(before.rank) if before.rank else "—",
        signed(change) if change is not None else "—",
        str(before.level) if before.level else "—",
    )


def record(since: Since, result: TierResult, i: int) -> dict[str, Any] | None:
    """A unit's ``since`` in the result JSON (``None``: not in the baseline)."""
    before = since.get((result.units[i].id, result.periods[i]))
    if before is None:
        return None
    return {
        "period": before.period,
        "score": before.score,
        "level": before.level,
        "rank": before.rank,
        "score_change": _change(before, result, i),
    }


def csv_cells(rec: dict[str, Any] | None) -> list[str]:
    if rec is None:
        return ["", "", "", "", ""]
    return [
        "" if rec[k] is None else str(rec[k])
        for k in ("period", "score", "level", "rank", "score_change")
    ]


def baseline_data(baseline: Baseline) -> dict[str, Any]:
    return {
        "file": baseline.file,
        "framework": {
            "id": baseline.framework_id,
            "version": baseline.framework_version,
            "digest": baseline.digest,
        },
        "periods": baseline.periods,
    }


def intro(results: Results, baseline: Baseline) -> str:
    """The sentence before the ranking: which round the changes are against, and whether it
    was scored with another framework."""
    fw = results.framework
    text = t("sum.since", file=baseline.file, periods=", ".join(baseline.periods) or "—")
    if baseline.digest != fw.digest:
        text += " " + t("sum.since_framework", digest=baseline.digest)
    return text
