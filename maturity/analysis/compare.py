"""Change over time: two rounds of the same units compared, unit by unit and pillar by pillar.

A round is a :class:`~maturity.inputs.baseline.Baseline`: a result saved earlier
(``maturity score --format json``, read by :func:`~maturity.inputs.baseline.read_baseline`)
or a batch scored now (:func:`round_from_results`). Comparing saved results means a published
round is compared with the next as it was published, without re-scoring the old one under new
rules; when the two were scored under different frameworks (their digests differ), the
comparison says so (:attr:`Comparison.same_framework`).

Units are matched by id. The movement of a unit is the change of its level (up, same, down)
among units scored in both rounds; ranks are in the tier, as each round ranked them; pillar
ranks are computed here, the same way in both rounds (competition ranks of the pillar's share
of its maximum, in the tier).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np

from maturity.analysis.explain import Explanation
from maturity.errors import UsageError
from maturity.i18n import t
from maturity.inputs.baseline import Baseline, BaselineIndicator, BaselineUnit, make_baseline
from maturity.inputs.periods import sort_key
from maturity.scoring.kernel import competition_rank
from maturity.scoring.results import STATUS_NAMES, Results

MOVERS = 3  # indicators that moved most, per unit


@dataclass(frozen=True)
class RoundInfo:
    """Which round a side of the comparison is: where it came from, its period, its rules."""

    file: str
    period: str
    framework_id: str
    framework_version: str
    digest: str


@dataclass(frozen=True)
class PillarChange:
    id: str
    score_before: float | None
    score_after: float | None
    level_before: int | None
    level_after: int | None
    rank_before: int | None
    rank_after: int | None

    @property
    def delta(self) -> float | None:
        return _delta(self.score_before, self.score_after)


@dataclass(frozen=True)
class IndicatorChange:
    id: str
    points_before: float | None
    points_after: float | None
    level_before: int | None
    level_after: int | None
    status_before: str
    status_after: str

    @property
    def delta(self) -> float | None:
        return _delta(self.points_before, self.points_after)


@dataclass(frozen=True)
class UnitChange:
    """One unit then and now. ``presence`` is ``both``, ``new`` (only now) or ``dropped``
    (only then)."""

    id: str
    name: str
    tier: str
    parent: str | None
    province: str
    presence: str
    score_before: float | None
    score_after: float | None
    level_before: int | None
    level_after: int | None
    rank_before: int | None
    rank_after: int | None
    pillars: tuple[PillarChange, ...] = ()
    movers: tuple[IndicatorChange, ...] = ()

    @property
    def delta(self) -> float | None:
        return _delta(self.score_before, self.score_after)

    @property
    def level_change(self) -> int | None:
        if self.level_before is None or self.level_after is None:
            return None
        return self.level_after - self.level_before

    @property
    def rank_change(self) -> int | None:
        """Places gained (positive: moved up the ranking)."""
        if self.rank_before is None or self.rank_after is None:
            return None
        return self.rank_before - self.rank_after

    @property
    def movement(self) -> str | None:
        """``up``, ``same`` or ``down`` a level; ``None`` unless scored in both rounds."""
        change = self.level_change
        if change is None:
            return None
        return "up" if change > 0 else "down" if change < 0 else "same"


@dataclass(frozen=True)
class Tally:
    """How many units of a group moved: scored in both rounds (``compared``) and went up,
    stayed or went down a level; only in one round (``new``, ``dropped``); the mean change of
    score of those compared."""

    key: str  # a tier id (national summary) or a province id
    compared: int
    up: int
    same: int
    down: int
    new: int
    dropped: int
    mean_delta: float | None
    level_before: int | None = None  # a province's own level, then and now
    level_after: int | None = None
    name: str = ""


@dataclass
class Comparison:
    """Two rounds compared: their identity, every unit's change (the biggest movers of score
    first), a national summary per tier and a summary per province (the province with its
    communes)."""

    baseline: RoundInfo
    current: RoundInfo
    units: list[UnitChange]
    tiers: list[Tally]
    provinces: list[Tally]
    pillar_ids: list[str] = field(default_factory=list)
    province: str | None = None  # only this province and its communes

    @property
    def same_framework(self) -> bool:
        return self.baseline.digest == self.current.digest


def _delta(before: float | None, after: float | None) -> float | None:
    if before is None or after is None:
        return None
    return after - before


def _num(x: float) -> float | None:
    """As a saved result holds it: as computed (the result JSON keeps full precision)."""
    return None if math.isnan(x) else float(x) + 0.0


def round_from_results(results: Results, name: str = "") -> Baseline:
    """The rounds of a batch scored now, as a saved result would hold them."""
    fw = results.framework
    rounds: dict[str, dict[str, BaselineUnit]] = {}
    for result in results.tiers.values():
        for i, unit in enumerate(result.units):
            level = int(result.level[i]) or None
            indicators = {
                ind.id: BaselineIndicator(
                    _num(result.points[i, j]),
                    STATUS_NAMES[int(result.status[i, j])],
                    int(result.ind_level[i, j]) or None,
                    _num(result.value[i, j]),
                )
                for j, ind in enumerate(result.indicators)
            }
            pids = result.pillar_ids
            rounds.setdefault(result.periods[i], {})[unit.id] = BaselineUnit(
                unit.id,
                unit.name,
                unit.tier,
                result.periods[i],
                _num(result.total[i]) if level else None,
                level,
                int(result.rank[i]) or None,
                (int(result.rank_in_parent[i]) or None) if unit.parent else None,
                {pid: _num(result.pillar_points[i, p]) for p, pid in enumerate(pids)},
                parent=unit.parent,
                max_score=_num(result.max_score[i]),
                pillar_levels={
                    pid: int(result.pillar_level[i, p]) or None for p, pid in enumerate(pids)
                },
                pillar_max={pid: _num(result.pillar_max[i, p]) for p, pid in enumerate(pids)},
                indicators=indicators,
            )
    return make_baseline(name, fw.id, fw.version, fw.digest, rounds)


def pick_period(round_: Baseline, period: str | None, what: str) -> str:
    """The period of a round to compare: the one asked (it must be there), else the round's
    only period; a round of several periods needs one named."""
    periods = round_.periods
    if period is not None:
        if period not in periods:
            raise UsageError(
                t("cmp.no_period", what=what, period=period, periods=", ".join(periods) or "—")
            )
        return period
    if len(periods) > 1:
        raise UsageError(t("cmp.many_periods", what=what, periods=", ".join(periods)))
    return periods[0] if periods else ""


def _pillar_ranks(units: Mapping[str, BaselineUnit]) -> dict[tuple[str, str], int]:
    """(unit, pillar) -> rank of the pillar's share of its maximum among the units of the
    same tier (0 = not ranked)."""
    out: dict[tuple[str, str], int] = {}
    by_tier: dict[str, list[BaselineUnit]] = {}
    for u in units.values():
        by_tier.setdefault(u.tier, []).append(u)
    for members in by_tier.values():
        pids = sorted({p for u in members for p in u.pillars})
        for pid in pids:
            share = np.zeros(len(members))
            valid = np.zeros(len(members), dtype=bool)
            for k, u in enumerate(members):
                score, top = u.pillars.get(pid), u.pillar_max.get(pid)
                if score is not None and top and u.level is not None:
                    share[k], valid[k] = score / top, True
            ranks = competition_rank(share, valid)
            for k, u in enumerate(members):
                out[u.id, pid] = int(ranks[k])
    return out


def _province(unit_id: str, *sides: Mapping[str, BaselineUnit]) -> str:
    """The top of the unit's chain of parents (a province is its own)."""
    seen = {unit_id}
    current = unit_id
    while True:
        parent = next((s[current].parent for s in sides if current in s), None)
        if not parent or parent in seen:
            return current
        seen.add(parent)
        current = parent


def _movers(before: BaselineUnit | None, after: BaselineUnit | None) -> tuple[IndicatorChange, ...]:
    ids = sorted(set(before.indicators if before else ()) | set(after.indicators if after else ()))
    changes = []
    for iid in ids:
        b = before.indicators.get(iid) if before else None
        a = after.indicators.get(iid) if after else None
        change = IndicatorChange(
            iid,
            b.points if b else None,
            a.points if a else None,
            b.level if b else None,
            a.level if a else None,
            b.status if b else "",
            a.status if a else "",
        )
        if abs(change.delta or 0.0) > 1e-9:  # a point in a billion is no move
            changes.append(change)
    changes.sort(key=lambda c: (-abs(c.delta or 0.0), c.id))
    return tuple(changes[:MOVERS])


def _unit_change(
    uid: str,
    before: BaselineUnit | None,
    after: BaselineUnit | None,
    ranks: tuple[dict[tuple[str, str], int], dict[tuple[str, str], int]],
    sides: tuple[Mapping[str, BaselineUnit], Mapping[str, BaselineUnit]],
) -> UnitChange:
    either = after or before
    assert either is not None
    pids = list(
        dict.fromkeys([*(before.pillars if before else ()), *(after.pillars if after else ())])
    )
    pillars = tuple(
        PillarChange(
            pid,
            before.pillars.get(pid) if before and before.level is not None else None,
            after.pillars.get(pid) if after and after.level is not None else None,
            before.pillar_levels.get(pid) if before else None,
            after.pillar_levels.get(pid) if after else None,
            ranks[0].get((uid, pid)) or None,
            ranks[1].get((uid, pid)) or None,
        )
        for pid in pids
    )
    return UnitChange(
        uid,
        either.name,
        either.tier,
        either.parent,
        _province(uid, sides[1], sides[0]),
        "both" if before and after else "new" if after else "dropped",
        before.score if before else None,
        after.score if after else None,
        before.level if before else None,
        after.level if after else None,
        before.rank if before else None,
        after.rank if after else None,
        pillars,
        _movers(before, after),
    )


def _tally(key: str, changes: list[UnitChange], name: str = "") -> Tally:
    moved = [c.movement for c in changes]
    deltas = [c.delta for c in changes if c.delta is not None]
    return Tally(
        key,
        sum(1 for m in moved if m is not None),
        moved.count("up"),
        moved.count("same"),
        moved.count("down"),
        sum(1 for c in changes if c.presence == "new"),
        sum(1 for c in changes if c.presence == "dropped"),
        sum(deltas) / len(deltas) if deltas else None,
        name=name,
    )


def compare_rounds(
    baseline: Baseline,
    current: Baseline,
    *,
    baseline_period: str | None = None,
    current_period: str | None = None,
    tier_order: list[str] | None = None,
) -> Comparison:
    """Compare ``current`` with ``baseline`` (each of one period, or the period named)."""
    p0 = pick_period(baseline, baseline_period, baseline.file)
    p1 = pick_period(current, current_period, current.file)
    before, after = baseline.of_period(p0), current.of_period(p1)
    ranks = (_pillar_ranks(before), _pillar_ranks(after))
    ids = sorted(set(before) | set(after))
    units = [_unit_change(u, before.get(u), after.get(u), ranks, (before, after)) for u in ids]
    units.sort(key=lambda c: (c.delta is None, -abs(c.delta or 0.0), c.id))
    tiers = list(dict.fromkeys([*(tier_order or []), *sorted({c.tier for c in units})]))
    national = [_tally(tier, [c for c in units if c.tier == tier]) for tier in tiers]
    national = [x for x in national if x.compared or x.new or x.dropped]
    by_province: dict[str, list[UnitChange]] = {}
    for c in units:
        by_province.setdefault(c.province, []).append(c)
    provinces = []
    for pid in sorted(by_province, key=_id_key):
        own = next((c for c in by_province[pid] if c.id == pid), None)
        tally = _tally(pid, by_province[pid], own.name if own else "")
        if own is not None:
            tally = replace(tally, level_before=own.level_before, level_after=own.level_after)
        provinces.append(tally)
    pillar_ids = list(dict.fromkeys(p.id for c in units for p in c.pillars))
    return Comparison(
        RoundInfo(
            baseline.file, p0, baseline.framework_id, baseline.framework_version, baseline.digest
        ),
        RoundInfo(
            current.file, p1, current.framework_id, current.framework_version, current.digest
        ),
        units,
        national,
        provinces,
        pillar_ids,
    )


def _id_key(unit_id: str) -> tuple[int, str]:
    return (len(unit_id), unit_id)  # unit codes: "01" before "12" before "00004"


def latest_two(round_: Baseline) -> tuple[str, str]:
    """The last two periods of a round that holds several (to compare one batch with itself)."""
    periods = sorted(round_.periods, key=sort_key)
    if len(periods) < 2:
        raise UsageError(t("cmp.one_period", what=round_.file, periods=", ".join(periods) or "—"))
    return periods[-2], periods[-1]


def filter_province(comparison: Comparison, province: str) -> Comparison:
    """Only the units of one province (the province and its communes)."""
    units = [c for c in comparison.units if c.province == province]
    tallies = (_tally(x.key, [c for c in units if c.tier == x.key]) for x in comparison.tiers)
    return Comparison(
        comparison.baseline,
        comparison.current,
        units,
        [x for x in tallies if x.compared or x.new or x.dropped],
        [p for p in comparison.provinces if p.key == province],
        comparison.pillar_ids,
        province=province,
    )


@dataclass(frozen=True)
class Since:
    """One explained unit's change since a baseline round (``explain --baseline``):
    ``change`` is ``None`` when the unit is not in the baseline."""

    baseline: RoundInfo
    current_digest: str
    change: UnitChange | None
    points_before: Mapping[str, float | None]  # indicator id -> points then

    @property
    def same_framework(self) -> bool:
        return self.baseline.digest == self.current_digest


def baseline_period(baseline: Baseline, current_period: str) -> str:
    """The baseline's period to compare a unit of ``current_period`` with: the latest one
    before it, else the latest one."""
    periods = baseline.periods
    earlier = [p for p in periods if sort_key(p) < sort_key(current_period)]
    return earlier[-1] if earlier else (periods[-1] if periods else "")


def since_baseline(exp: Explanation, baseline: Baseline, digest: str) -> Since:
    """The change of an explained unit since ``baseline`` (``digest``: the framework the unit
    is scored with now)."""
    period = baseline_period(baseline, exp.period)
    before_units = baseline.of_period(period)
    info = RoundInfo(
        baseline.file, period, baseline.framework_id, baseline.framework_version, baseline.digest
    )
    before = before_units.get(exp.unit)
    if before is None:
        return Since(info, digest, None, {})
    scored = exp.level is not None
    now = BaselineUnit(
        exp.unit,
        exp.name,
        exp.tier,
        exp.period,
        exp.score if scored else None,
        exp.level,
        exp.rank,
        exp.rank_in_parent,
        {p.id: p.score for p in exp.pillars},
        parent=exp.parent,
        max_score=exp.max_score,
        pillar_levels={p.id: p.level for p in exp.pillars},
        pillar_max={p.id: p.max_score for p in exp.pillars},
        indicators={
            i.id: BaselineIndicator(i.points, i.status, i.level, i.value) for i in exp.indicators
        },
    )
    ranks_before = _pillar_ranks(before_units)
    ranks_now = {(exp.unit, p.id): p.rank or 0 for p in exp.pillars}
    change = _unit_change(exp.unit, before, now, (ranks_before, ranks_now), (before_units, {}))
    points = {iid: ind.points for iid, ind in before.indicators.items()}
    return Since(info, digest, change, points)


@dataclass(frozen=True)
class Before:
    """A unit as a baseline round had it (``score --baseline``)."""

    period: str
    score: float | None
    level: int | None
    rank: int | None


def before_of(results: Results, baseline: Baseline) -> dict[tuple[str, str], Before]:
    """Each unit of ``results`` (by id and period) as ``baseline`` had it, in the baseline's
    latest period before the unit's (:func:`baseline_period`); units it lacks are absent."""
    out: dict[tuple[str, str], Before] = {}
    periods: dict[str, str] = {}
    for result in results.tiers.values():
        for i, unit in enumerate(result.units):
            now = result.periods[i]
            if now not in periods:
                periods[now] = baseline_period(baseline, now)
            then = baseline.of_period(periods[now]).get(unit.id)
            if then is not None:
                out[unit.id, now] = Before(periods[now], then.score, then.level, then.rank)
    return out
