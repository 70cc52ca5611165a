"""TODO docstring."""

from __future__ import annotations

from dataclasses import dataclass, field

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
    columns: dict[str, fx.Column] = field(default_factory=dict)  # inputs and derived values

    @property
    def size(self) -> int:
        return len(self.units)

    def row(self, unit_id: str) -> int:
        for i, unit in enumerate(self.units):
            if unit.id == unit_id:
                return i
        raise KeyError(unit_id)


@dataclass
class Results:
    """The result of scoring a batch."""

    framework: Framework
    policy: str
    tiers: dict[str, TierResult]
    diagnostics: list[Problem]
    files: dict[str, str]
    engine_version: str = __version__

    def find(self, unit_id: str) -> tuple[TierResult, int] | None:
        for result in self.tiers.values():
            for i, unit in enumerate(result.units):
                if unit.id == unit_id:
                    return result, i
        return None

    def scored_count(self) -> int:
        return int(sum(int((r.score_level > 0).sum()) for r in self.tiers.values()))
