"""What scoring gives: per tier, the arrays of every unit (rows) and indicator or pillar
(columns), frozen in meaning once computed; and the whole batch, indexed by unit and period."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from maturity import __version__
from maturity.errors import Problem
from maturity.framework import formula as fx
from maturity.framework.compiled import Framework
from maturity.framework.model import Indicator
from maturity.inputs.submissions import Submission
from maturity.inputs.units import Unit

SCORED, MISSING, INVALID, ERROR, NOT_APPLICABLE = 0, 1, 2, 3, 4


STATUS_NAMES = ("scored", "missing", "invalid", "error", "not_applicable")


# The publication flags of a unit, one bit each (bit j = FLAGS[j]): it fails an error-severity
# check; its data coverage is below the framework's ``publication.min_coverage``.
FLAGS = ("check_error", "low_coverage")


F64 = NDArray[np.float64]


I64 = NDArray[np.int64]


U8 = NDArray[np.uint8]


@dataclass
class TierResult:
    """Everything computed for the units of one tier, as arrays (rows = units)."""

    tier: str
    units: list[Unit]
    periods: list[str]
    submissions: list[Submission]
    indicators: list[Indicator]
    value: F64  # (n, k) indicator values, NaN where none
    status: U8  # (n, k) STATUS codes
    score: F64  # (n, k) s in [0, 1], NaN where not scored
    points: F64  # (n, k)
    max_points: F64  # (n, k) effective share of the scale
    ind_level: NDArray[np.int8]  # (n, k) 1..5, 0 where no value
    pillar_ids: list[str]
    pillar_points: F64  # (n, m)
    pillar_max: F64  # (n, m)
    pillar_level: NDArray[np.int8]  # (n, m), 0 where the pillar does not count
    total: F64
    max_score: F64
    index: F64
    coverage: F64
    score_level: NDArray[np.int8]  # 0 = not scored
    level: NDArray[np.int8]
    capped_by: list[tuple[str, ...]]
    rank: I64  # 0 = no rank
    rank_in_parent: I64
    flags: U8  # bit j set = FLAGS[j] (publication rules); 0 = not flagged
    columns: dict[str, fx.Column] = field(default_factory=dict)  # inputs and derived values
    sub_index: dict[str, F64] = field(default_factory=dict)  # sub-index id -> (n,) index, NaN
    sub_rank: dict[str, I64] = field(default_factory=dict)  # sub-index id -> (n,) rank, 0 = none

    @property
    def size(self) -> int:
        return len(self.units)

    def flags_of(self, i: int) -> list[str]:
        """The names of row ``i``'s publication flags, in the order of :data:`FLAGS`."""
        bits = int(self.flags[i])
        return [name for j, name in enumerate(FLAGS) if bits >> j & 1]

    def row(self, unit_id: str, period: str | None = None) -> int:
        for i, unit in enumerate(self.units):
            if unit.id == unit_id and (period is None or self.periods[i] == period):
                return i
        raise KeyError(unit_id)


def concat(parts: list[TierResult]) -> TierResult:
    """One tier's results of several periods, side by side (rows of the first period first).
    Each part was scored and ranked on its own."""
    if len(parts) == 1:
        return parts[0]
    first = parts[0]

    def rows(name: str) -> Any:
        return np.concatenate([getattr(p, name) for p in parts], axis=0)

    columns = {
        name: fx.Column(
            np.concatenate([p.columns[name].values for p in parts]),
            np.concatenate([p.columns[name].status for p in parts]),
        )
        for name in first.columns
        if all(name in p.columns for p in parts)
    }
    return TierResult(
        tier=first.tier,
        units=[u for p in parts for u in p.units],
        periods=[x for p in parts for x in p.periods],
        submissions=[x for p in parts for x in p.submissions],
        indicators=first.indicators,
        value=rows("value"),
        status=rows("status"),
        score=rows("score"),
        points=rows("points"),
        max_points=rows("max_points"),
        ind_level=rows("ind_level"),
        pillar_ids=first.pillar_ids,
        pillar_points=rows("pillar_points"),
        pillar_max=rows("pillar_max"),
        pillar_level=rows("pillar_level"),
        total=rows("total"),
        max_score=rows("max_score"),
        index=rows("index"),
        coverage=rows("coverage"),
        score_level=rows("score_level"),
        level=rows("level"),
        capped_by=[x for p in parts for x in p.capped_by],
        rank=rows("rank"),
        rank_in_parent=rows("rank_in_parent"),
        flags=rows("flags"),
        columns=columns,
        sub_index={k: np.concatenate([p.sub_index[k] for p in parts]) for k in first.sub_index},
        sub_rank={k: np.concatenate([p.sub_rank[k] for p in parts]) for k in first.sub_rank},
    )


@dataclass
class Results:
    """The result of scoring a batch."""

    framework: Framework
    policy: str
    tiers: dict[str, TierResult]
    diagnostics: list[Problem]
    files: dict[str, str]
    engine_version: str = __version__
    _by_key: dict[tuple[str, str], tuple[TierResult, int]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def find(self, unit_id: str, period: str | None = None) -> tuple[TierResult, int] | None:
        """A unit's tier result and row: of ``period``, or (none given) of its latest period.
        An index built once makes it one dictionary lookup."""
        index = self._index()
        if period is not None:
            return index.get((unit_id, period))
        found = self._latest().get(unit_id)
        return index.get((unit_id, found)) if found is not None else None

    def periods_of(self, unit_id: str) -> list[str]:
        """The periods the batch holds for a unit, in time order."""
        return self._periods().get(unit_id, [])

    def periods(self) -> list[str]:
        """Every period of the batch, in time order."""
        from maturity.inputs.periods import sort_key

        return sorted({p for r in self.tiers.values() for p in r.periods}, key=sort_key)

    def _index(self) -> dict[tuple[str, str], tuple[TierResult, int]]:
        if self._by_key is None:
            self._by_key = {
                (unit.id, result.periods[i]): (result, i)
                for result in self.tiers.values()
                for i, unit in enumerate(result.units)
            }
        return self._by_key

    def _periods(self) -> dict[str, list[str]]:
        from maturity.inputs.periods import sort_key

        out: dict[str, list[str]] = {}
        for unit_id, period in self._index():
            out.setdefault(unit_id, []).append(period)
        return {k: sorted(v, key=sort_key) for k, v in out.items()}

    def _latest(self) -> dict[str, str]:
        return {unit_id: periods[-1] for unit_id, periods in self._periods().items()}

    def scored_count(self) -> int:
        return int(sum(int((r.score_level > 0).sum()) for r in self.tiers.values()))
