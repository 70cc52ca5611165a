"""Counts the summary pages share: levels, data problems, movers since the baseline.

Issue 11 brings the round's summary (and publication flags) into the library; the pages will
then take those instead, and these helpers shrink to what is left.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from maturity.render.site._core import Diagnostic, TierResult
from maturity.render.site._data import ReportData


def level_counts(result: TierResult, rows: Iterable[int] | None = None) -> Counter[int]:
    """Units per level (0 = not scored) among ``rows`` (default: every unit of the tier)."""
    levels = result.level if rows is None else result.level[list(rows)]
    return Counter(int(x) for x in levels.tolist())


def severity_counts(diagnostics: Iterable[Diagnostic]) -> Counter[str]:
    return Counter(d.severity for d in diagnostics)


@dataclass(frozen=True)
class Move:
    """A unit's change since the baseline."""

    unit: str
    tier: str
    row: int
    then_score: float
    now_score: float
    then_level: int
    now_level: int

    @property
    def delta(self) -> float:
        return self.now_score - self.then_score


def moves(data: ReportData, tier: str, rows: Iterable[int] | None = None) -> list[Move]:
    """The scored units of ``tier`` (among ``rows``) also scored in the baseline."""
    base = data.baseline
    if base is None or tier not in data.results.tiers:
        return []
    r = data.results.tiers[tier]
    out = []
    for i in range(r.size) if rows is None else rows:
        then = base.units.get(r.units[i].id)
        if then is None or then.score is None or np.isnan(r.total[i]):
            continue
        out.append(
            Move(
                r.units[i].id,
                tier,
                i,
                then.score,
                float(r.total[i]),
                then.level or 0,
                int(r.level[i]),
            )
        )
    return out


def biggest(moved: list[Move], n: int) -> tuple[list[Move], list[Move]]:
    """The ``n`` largest rises and falls of score (ties by unit id)."""
    ups = sorted((m for m in moved if m.delta > 0), key=lambda m: (-m.delta, m.unit))[:n]
    downs = sorted((m for m in moved if m.delta < 0), key=lambda m: (m.delta, m.unit))[:n]
    return ups, downs


def level_moves(moved: list[Move]) -> tuple[int, int, int]:
    """How many units went up a level, stayed, went down."""
    up = sum(1 for m in moved if m.now_level > m.then_level)
    down = sum(1 for m in moved if m.now_level < m.then_level)
    return up, len(moved) - up - down, down
