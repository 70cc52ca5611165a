"""The scoring kernel: the one place where shares, points, bands, gates and ranks are
computed. The engine scores a tier with it (:func:`tally`), explanations re-level one unit
(:func:`unit_levels`), the diff takes nominal shares from it (:func:`nominal_shares`), and
sensitivity analysis evaluates a thousand weight draws at once (:class:`BatchedTier`), all
with the same arithmetic, so that none of them can drift from the others.

Semantics (``docs/scoring.md``): weights renormalise over what counts, down the pillar
tree; an indicator's points are its score times its effective share of the scale; pillar
points are the sums of their indicators' points; the level is the highest band the index
reaches, capped by the gates; ranks are competition ranks of scores rounded to 6 decimals
(or half up at the ``ranking:`` rule's digits).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from maturity.framework.compiled import Framework
from maturity.framework.methods import AGGREGATIONS, ROUND, zeros_floor
from maturity.framework.model import Indicator
from maturity.scoring.results import F64, FLAGS, I64, NOT_APPLICABLE, SCORED, U8, TierResult


def indicator_level(ind: Indicator, x: F64) -> NDArray[np.int8]:
    """Indicator level 1..5: one plus the number of cut-offs the value reaches.

    >>> from maturity.framework.model import Indicator
    >>> ind = Indicator.model_validate({"id": "X-1", "name": {"vi": "a", "en": "a"}, "pillar": "P",
    ...     "tiers": ["t"], "unit": {"vi": "%", "en": "%"}, "inputs": ["x"], "method": "binary",
    ...     "direction": "lower", "cutoffs": {"2": 10, "3": 5, "4": 2, "5": 0.5}, "weight": 1,
    ...     "remediation": {"vi": "a", "en": "a", "effort": "low"}})
    >>> indicator_level(ind, np.array([12.0, 5.0, 0.5])).tolist()
    [1, 3, 5]
    """
    xr = np.round(x, ROUND)
    level = np.ones(x.shape, dtype=np.int8)
    for cut in ind.cutoffs.values():
        level += (xr >= cut) if ind.direction == "higher" else (xr <= cut)
    return level


def band_level(index: F64, mins: list[float]) -> NDArray[np.int8]:
    """Highest band whose lower bound the index reaches (1-based).

    >>> band_level(np.array([0.0, 0.3999999999999, 0.4, 0.99]), [0.0, 0.4, 0.55]).tolist()
    [1, 2, 2, 3]
    """
    ir = np.round(index, ROUND)
    return np.searchsorted(np.asarray(mins), ir, side="right").astype(np.int8)


def rank_keys(values: F64, digits: int | None = None) -> F64:
    """The values ranks compare: rounded half up at ``digits`` decimals (the ``ranking:``
    rule), else rounded to 6 decimals so that float noise never splits a tie. The scaled
    value is first rounded to 6 decimals, so 0.7245 stored as 0.72449999… rounds up.

    >>> rank_keys(np.array([0.7245, 0.7235, 0.72449, 1.0005]), 3).tolist()
    [0.725, 0.724, 0.724, 1.001]
    """
    if digits is None:
        return np.round(values, 6)
    scale = 10.0**digits
    return np.floor(np.round(values * scale, 6) + 0.5) / scale


def competition_rank(
    values: F64, valid: NDArray[np.bool_], groups: I64 | None = None, digits: int | None = None
) -> I64:
    """Rank by descending value (1 = best), ties sharing the lowest rank; 0 where not valid.
    Values are compared as :func:`rank_keys` rounds them.

    >>> valid = np.array([True, True, True, False])
    >>> competition_rank(np.array([5.0, 7.0, 5.0, 1.0]), valid).tolist()
    [2, 1, 2, 0]
    >>> competition_rank(np.array([0.9, 0.7245, 0.725, 0.7244]), np.ones(4, bool), None, 3).tolist()
    [1, 2, 2, 4]
    """
    n = values.shape[0]
    rank = np.zeros(n, dtype=np.int64)
    keys = rank_keys(values, digits)
    gid = groups if groups is not None else np.zeros(n, dtype=np.int64)
    idx = np.flatnonzero(valid)
    if idx.size == 0:
        return rank
    order = idx[np.lexsort((-keys[idx], gid[idx]))]
    g = gid[order]
    k = keys[order]
    new_group = np.r_[True, g[1:] != g[:-1]]
    pos = np.arange(order.size)
    group_start = np.maximum.accumulate(np.where(new_group, pos, 0))
    new_value = new_group | np.r_[True, k[1:] != k[:-1]]
    first_of_value = np.maximum.accumulate(np.where(new_value, pos, 0))
    rank[order] = first_of_value - group_start + 1
    return rank


def ranks_among(
    values: F64,
    rankable: NDArray[np.bool_],
    groups: I64 | None = None,
    least: int = 1,
    digits: int | None = None,
) -> I64:
    """Competition ranks of the rankable units within each group, where a group holds at least
    ``least`` rankable units; 0 elsewhere (a ranking of one unit says nothing: no "1/1").

    >>> ok = np.array([True, True, True, False])
    >>> ranks_among(np.array([5.0, 7.0, 5.0, 1.0]), ok, np.array([0, 0, 1, 1]), 2).tolist()
    [2, 1, 0, 0]
    """
    rank = competition_rank(values, rankable, groups, digits)
    if least <= 1:
        return rank
    gid = groups if groups is not None else np.zeros(values.shape[0], dtype=np.int64)
    if gid.size == 0:
        return rank
    _, inverse = np.unique(gid, return_inverse=True)
    counts = np.bincount(inverse, weights=rankable.astype(np.float64))
    return np.where(counts[inverse] >= least, rank, 0)


def rankable_units(fw: Framework, scored: NDArray[np.bool_], flags: U8) -> NDArray[np.bool_]:
    """The units a ranking holds under the framework's publication rules: scored, and not
    carrying a flag the rules keep out of the ranking."""
    rules = fw.manifest.publication
    keep = scored.copy()
    if not rules.rank_units_with_errors:
        keep &= (flags >> FLAGS.index("check_error") & 1) == 0
    if not rules.rank_units_below_coverage:
        keep &= (flags >> FLAGS.index("low_coverage") & 1) == 0
    return keep


def tier_rankable(fw: Framework, result: TierResult) -> NDArray[np.bool_]:
    """:func:`rankable_units` of a scored tier."""
    return rankable_units(fw, result.score_level > 0, result.flags)


def _shares(
    fw: Framework,
    tier: str,
    inds: list[Indicator],
    weights: F64,
    counted: NDArray[np.bool_],
    pillar_ids: list[str],
) -> tuple[F64, F64]:
    """Effective share of the scale per (unit, indicator) and per (unit, pillar)."""
    n = counted.shape[0]
    m = len(pillar_ids)
    pos = {pid: p for p, pid in enumerate(pillar_ids)}
    leaf_weight = np.zeros((n, m))
    for j, ind in enumerate(inds):
        leaf_weight[:, pos[ind.pillar]] += np.where(counted[:, j], weights[j], 0.0)
    active = np.zeros((n, m), dtype=bool)
    for p in reversed(range(m)):  # tree order: parents before children, so reverse is bottom-up
        node = fw.pillars[pillar_ids[p]]
        if node.leaf:
            active[:, p] = leaf_weight[:, p] > 0
        else:
            kids = [pos[c] for c in node.children if fw.pillars[c].model.weights.get(tier, 0) > 0]
            active[:, p] = active[:, kids].any(axis=1) if kids else False
    share = np.zeros((n, m))

    def distribute(ids: list[str], parent_share: F64) -> None:
        w = np.array([fw.pillars[pid].model.weights.get(tier, 0.0) for pid in ids])
        cols = [pos[pid] for pid in ids]
        eff = active[:, cols] * w[None, :]
        denom = eff.sum(axis=1, keepdims=True)
        part = np.where(denom > 0, eff / np.where(denom > 0, denom, 1.0), 0.0)
        share[:, cols] = part * parent_share[:, None]
        for pid in ids:
            kids = list(fw.pillars[pid].children)
            if kids:
                distribute(kids, share[:, pos[pid]])

    roots = [pid for pid in pillar_ids if fw.pillars[pid].parent is None]
    distribute(roots, np.full(n, float(fw.manifest.scale)))
    max_points = np.zeros(counted.shape)
    for j, ind in enumerate(inds):
        p = pos[ind.pillar]
        lw = leaf_weight[:, p]
        max_points[:, j] = np.where(
            counted[:, j] & (lw > 0), share[:, p] * weights[j] / np.where(lw > 0, lw, 1.0), 0.0
        )
    return max_points, share


def _apply_gates(
    fw: Framework,
    inds: list[Indicator],
    status: U8,
    level: NDArray[np.int8],
    score_level: NDArray[np.int8],
    pillar_level: NDArray[np.int8],
    top: list[int],
    pillar_max: F64,
) -> tuple[NDArray[np.int8], list[tuple[str, ...]]]:
    n = score_level.shape[0]
    final = score_level.astype(np.int64).copy()
    caps: list[list[str]] = [[] for _ in range(n)]
    critical = [j for j, ind in enumerate(inds) if ind.critical]
    for gate in fw.manifest.gates:
        if gate.kind == "critical_indicators" and critical:
            assert gate.from_level is not None and gate.min_indicator_level is not None
            applicable = status[:, critical] != NOT_APPLICABLE
            short = applicable & (
                level[:, critical] < gate.min_indicator_level
            )  # missing counts as short
            fails = short.any(axis=1)
            cap = np.where(fails, gate.from_level - 1, 10**6)
        elif gate.kind == "weakest_pillar":
            assert gate.max_gap is not None
            counted = pillar_max[:, top] > 0
            lv = np.where(counted, pillar_level[:, top], 10**6)
            weakest = lv.min(axis=1) if top else np.full(n, 10**6)
            cap = np.where(weakest < 10**6, weakest + gate.max_gap, 10**6)
        else:
            continue
        lowered = (score_level > 0) & (cap < score_level)
        for i in np.flatnonzero(lowered):
            caps[i].append(gate.id)
        final = np.where(score_level > 0, np.minimum(final, np.maximum(cap, 1)), 0)
    return final.astype(np.int8), [tuple(c) for c in caps]


def pillar_sums(fw: Framework, pillar_ids: list[str], inds: list[Indicator], points: F64) -> F64:
    """Points per pillar (n, m): a leaf pillar's are its indicators' points, a parent's the
    sum of its children's."""
    n = points.shape[0]
    out = np.zeros((n, len(pillar_ids)))
    pos = {pid: p for p, pid in enumerate(pillar_ids)}
    leaf_cols: dict[str, list[int]] = {pid: [] for pid in pillar_ids}
    for j, ind in enumerate(inds):
        leaf_cols[ind.pillar].append(j)
    for p in reversed(range(len(pillar_ids))):  # tree order: reversed is bottom-up
        node = fw.pillars[pillar_ids[p]]
        if node.leaf:
            out[:, p] = points[:, leaf_cols[pillar_ids[p]]].sum(axis=1)
        else:
            out[:, p] = out[:, [pos[c] for c in node.children]].sum(axis=1)
    return out


def all_arithmetic(fw: Framework) -> bool:
    """Whether every pillar and the framework aggregate arithmetically (points are then
    simply score × share, summed up the tree)."""
    return fw.manifest.aggregation == "arithmetic" and all(
        node.model.aggregation == "arithmetic" for node in fw.pillars.values()
    )


def _fractions(parts: F64, whole: F64) -> F64:
    """Each part's fraction of the whole's share (0 where the whole has none)."""
    safe = np.where(whole > 0, whole, 1.0)[:, None]
    out: F64 = np.where((whole > 0)[:, None], parts / safe, 0.0)
    return out


def aggregate(
    fw: Framework,
    inds: list[Indicator],
    pillar_ids: list[str],
    s: F64,
    max_points: F64,
    pillar_max: F64,
) -> tuple[F64, F64, F64, F64]:
    """Points per indicator and per pillar, the total and each pillar's index, under each
    pillar's and the framework's aggregation (``docs/scoring.md`` §4).

    Bottom-up, every pillar's index is its parts' arithmetic or geometric mean (weights =
    their effective shares); the unit's index is the top-level pillars' mean. Top-down, the
    points the unit lost (its max score − its score) are attributed to the parts of each
    node in proportion to the aggregation's ``blame`` (arithmetic: each part's own points
    lost; geometric: its log-share), so every level adds up: an indicator's points are its
    max points − its attributed loss. With only arithmetic aggregation this is exactly
    score × share.

    Args: ``s`` (n, k) scores (0 where not scored), ``max_points`` (n, k) and ``pillar_max``
    (n, m) the effective shares. Returns ``(points, pillar_points, total, pillar_index)``.
    """
    n = s.shape[0]
    pos = {pid: p for p, pid in enumerate(pillar_ids)}
    cols: dict[str, list[int]] = {pid: [] for pid in pillar_ids}
    for j, ind in enumerate(inds):
        cols[ind.pillar].append(j)
    index = np.zeros((n, len(pillar_ids)))

    def parts(pid: str) -> tuple[F64, F64, list[int], bool]:
        node = fw.pillars[pid]
        if node.leaf:
            c = cols[pid]
            return s[:, c], max_points[:, c], c, True
        kids = [pos[k] for k in node.children]
        return index[:, kids], pillar_max[:, kids], kids, False

    def rule(model: object) -> tuple[str, float]:
        floor = zeros_floor(getattr(model, "zeros", None))
        return str(getattr(model, "aggregation", "arithmetic")), floor or 0.0

    for p in reversed(range(len(pillar_ids))):  # tree order: reversed is bottom-up
        pid = pillar_ids[p]
        v, share, _, _ = parts(pid)
        how, floor = rule(fw.pillars[pid].model)
        f = _fractions(share, pillar_max[:, p])
        index[:, p] = AGGREGATIONS[how].combine(v, f, floor) if v.shape[1] else 0.0
    top = top_pillars(fw, pillar_ids)
    top_share = pillar_max[:, top]
    max_score = top_share.sum(axis=1)
    how, floor = rule(fw.manifest)
    top_f = _fractions(top_share, max_score)
    total = max_score * AGGREGATIONS[how].combine(index[:, top], top_f, floor)
    loss = np.zeros((n, len(pillar_ids)))
    ind_loss = np.zeros(s.shape)

    def attribute(v: F64, share: F64, f: F64, lost: F64, how: str, floor: float) -> F64:
        blame = AGGREGATIONS[how].blame(v, f, share, floor)
        weight = blame.sum(axis=1)
        safe = np.where(weight > 0, weight, 1.0)
        out: F64 = np.where((weight > 0)[:, None], blame * (lost / safe)[:, None], 0.0)
        return out

    loss[:, top] = attribute(index[:, top], top_share, top_f, max_score - total, how, floor)
    for p, pid in enumerate(pillar_ids):  # tree order: parents before children
        v, share, at, leaf = parts(pid)
        if not at:
            continue
        how, floor = rule(fw.pillars[pid].model)
        f = _fractions(share, pillar_max[:, p])
        part_loss = attribute(v, share, f, loss[:, p], how, floor)
        if leaf:
            ind_loss[:, at] = part_loss
        else:
            loss[:, at] = part_loss
    points = np.where(max_points > 0, max_points - ind_loss, 0.0)
    pillar_points = np.where(pillar_max > 0, pillar_max - loss, 0.0)
    return points, pillar_points, total, np.where(pillar_max > 0, index, 0.0)


def top_pillars(fw: Framework, pillar_ids: list[str]) -> list[int]:
    return [p for p, pid in enumerate(pillar_ids) if fw.pillars[pid].parent is None]


def pillar_levels(mins: list[float], pillar_points: F64, pillar_max: F64) -> NDArray[np.int8]:
    """Each pillar's level: the band its own index reaches; 0 where the pillar counts nothing."""
    with np.errstate(invalid="ignore", divide="ignore"):
        index = np.where(
            pillar_max > 0, pillar_points / np.where(pillar_max > 0, pillar_max, 1), np.nan
        )
    return np.where(pillar_max > 0, band_level(np.nan_to_num(index), mins), 0).astype(np.int8)


def pillar_index_levels(mins: list[float], index: F64, pillar_max: F64) -> NDArray[np.int8]:
    """Each pillar's level from its own index (its aggregation's mean of its parts)."""
    return np.where(pillar_max > 0, band_level(index, mins), 0).astype(np.int8)


@dataclass(frozen=True)
class Tally:
    """Everything the kernel computes for the units of one tier (rows = units)."""

    points: F64  # (n, k)
    max_points: F64  # (n, k) effective share of the scale
    pillar_points: F64  # (n, m)
    pillar_max: F64  # (n, m)
    pillar_level: NDArray[np.int8]  # (n, m)
    total: F64  # (n,) NaN where nothing can be scored
    max_score: F64
    index: F64
    coverage: F64
    score_level: NDArray[np.int8]  # 0 = not scored
    level: NDArray[np.int8]
    capped_by: list[tuple[str, ...]]
    pillar_index: F64 | None = None  # (n, m) each pillar's own index; 0 where nothing counts

    @property
    def scorable(self) -> NDArray[np.bool_]:
        return self.max_score > 0


def tally(
    fw: Framework,
    tier: str,
    inds: list[Indicator],
    status: U8,
    score: F64,
    ind_level: NDArray[np.int8],
    policy: str,
) -> Tally:
    """Shares, points, pillar points, index, coverage, levels and gates of a tier's units,
    from each indicator's status, score and level, under the missing-data ``policy``."""
    weights = np.array([ind.weight for ind in inds])
    applicable = status != NOT_APPLICABLE
    counted_zero = applicable & (weights > 0)[None, :]
    counted = counted_zero & (status == SCORED) if policy == "exclude" else counted_zero
    pillar_ids = list(fw.pillars)
    max_points, pillar_max = _shares(fw, tier, inds, weights, counted, pillar_ids)
    if policy == "exclude":
        max_zero, _ = _shares(fw, tier, inds, weights, counted_zero, pillar_ids)
    else:
        max_zero = max_points
    top = top_pillars(fw, pillar_ids)
    max_score = pillar_max[:, top].sum(axis=1)
    mins = [lv.min for lv in fw.manifest.levels]
    if all_arithmetic(fw):
        points = np.where(status == SCORED, np.nan_to_num(score) * max_points, 0.0)
        pillar_points = pillar_sums(fw, pillar_ids, inds, points)
        total = pillar_points[:, top].sum(axis=1)
        pillar_level = pillar_levels(mins, pillar_points, pillar_max)
        with np.errstate(invalid="ignore", divide="ignore"):
            pillar_index = np.where(
                pillar_max > 0, pillar_points / np.where(pillar_max > 0, pillar_max, 1.0), 0.0
            )
    else:
        s = np.where(status == SCORED, np.nan_to_num(score), 0.0)
        points, pillar_points, total, pillar_index = aggregate(
            fw, inds, pillar_ids, s, max_points, pillar_max
        )
        pillar_level = pillar_index_levels(mins, pillar_index, pillar_max)
    scorable = max_score > 0
    index = np.where(scorable, total / fw.manifest.scale, np.nan)
    zero_total = max_zero.sum(axis=1)
    coverage = np.where(
        zero_total > 0,
        (max_zero * (status == SCORED)).sum(axis=1) / np.where(zero_total > 0, zero_total, 1),
        0.0,
    )
    score_level = np.where(scorable, band_level(np.nan_to_num(index), mins), 0).astype(np.int8)
    level, capped_by = _apply_gates(
        fw, inds, status, ind_level, score_level, pillar_level, top, pillar_max
    )
    return Tally(
        points=points,
        max_points=max_points,
        pillar_points=pillar_points,
        pillar_max=pillar_max,
        pillar_level=pillar_level,
        total=np.where(scorable, total, np.nan),
        max_score=max_score,
        index=index,
        coverage=coverage,
        score_level=score_level,
        level=level,
        capped_by=capped_by,
        pillar_index=pillar_index,
    )


def levels_of(
    fw: Framework,
    inds: list[Indicator],
    pillar_ids: list[str],
    s: F64,
    ind_level: NDArray[np.int8] | I64,
    status: U8,
    max_points: F64,
    pillar_max: F64,
) -> tuple[I64, NDArray[np.int8], F64]:
    """Level, pillar levels and total of each row of indicator scores ``s`` (u, k) and their
    levels, with each row's shares as they are: how explanations test candidate changes."""
    top = top_pillars(fw, pillar_ids)
    mins = [lv.min for lv in fw.manifest.levels]
    if all_arithmetic(fw):
        points = s * max_points
        pillar_points = pillar_sums(fw, pillar_ids, inds, points)
        total = pillar_points[:, top].sum(axis=1)
        plevel = pillar_levels(mins, pillar_points, pillar_max)
    else:
        _, _, total, pillar_index = aggregate(fw, inds, pillar_ids, s, max_points, pillar_max)
        plevel = pillar_index_levels(mins, pillar_index, pillar_max)
    score_level = band_level(total / fw.manifest.scale, mins)
    level, _ = _apply_gates(
        fw, inds, status, np.asarray(ind_level), score_level, plevel, top, pillar_max
    )
    return np.maximum(level.astype(np.int64), 1), plevel, total


def unit_levels(
    fw: Framework,
    inds: list[Indicator],
    pillar_ids: list[str],
    s: F64,
    ind_level: NDArray[np.int8],
    status: U8,
    max_points: F64,
    pillar_max: F64,
) -> tuple[int, NDArray[np.int8], float]:
    """One unit's level, pillar levels and total (:func:`levels_of` for one row)."""
    level, plevel, total = levels_of(
        fw,
        inds,
        pillar_ids,
        s[None, :],
        ind_level[None, :],
        status[None, :],
        max_points[None, :],
        pillar_max[None, :],
    )
    return int(level[0]), plevel[0], float(total[0])


def nominal_shares(fw: Framework, tier: str) -> dict[str, float]:
    """Each pillar's share of the scale for ``tier`` when every pillar counts: its weight
    ÷ the weights of its siblings, times its parent's share (points, not a fraction)."""
    shares: dict[str, float] = {}
    roots = [pid for pid, node in fw.pillars.items() if node.parent is None]

    def distribute(ids: list[str], total: float) -> None:
        weights = {pid: fw.pillars[pid].model.weights.get(tier, 0.0) for pid in ids}
        denom = sum(weights.values())
        for pid in ids:
            shares[pid] = total * weights[pid] / denom if denom > 0 else 0.0
            kids = list(fw.pillars[pid].children)
            if kids:
                distribute(kids, shares[pid])

    distribute(roots, float(fw.manifest.scale))
    return shares


def nominal_max_points(fw: Framework, tier: str) -> dict[str, float]:
    """Each indicator's maximum points for ``tier`` when every indicator counts."""
    shares = nominal_shares(fw, tier)
    inds = [ind for ind in fw.indicators_for(tier) if ind.weight > 0]
    per_pillar: dict[str, float] = {}
    for ind in inds:
        per_pillar[ind.pillar] = per_pillar.get(ind.pillar, 0.0) + ind.weight
    return {
        ind.id: shares.get(ind.pillar, 0.0) * ind.weight / per_pillar[ind.pillar] for ind in inds
    }


# --------------------------------------------------------------------------- many runs at once


I32 = NDArray[np.int32]
Mask = NDArray[np.bool_]
_BIG = 10**6


@dataclass(frozen=True)
class _Config:
    """One missing-data policy applied to a tier: what counts, and the scored part."""

    counted_t: dict[int, F64]  # leaf pillar -> (k_p, n) 0/1: the indicator counts
    cs_t: dict[int, F64]  # leaf pillar -> (k_p, n) counted × s (s = 0 where not scored)
    active: Mask  # (n, m) pillars with something counting (tier weight ignored)
    scorable: Mask  # (n,)


class BatchedTier:
    """The arithmetic of one tier's scores as matrices: shares down the pillar tree, points
    per leaf pillar, bands and gates, so a batch of runs costs a few matrix products."""

    def __init__(self, fw: Framework, result: TierResult) -> None:
        self.fw = fw
        self.tier = result.tier
        self.n = result.size
        inds = result.indicators
        self.k = len(inds)
        self.weights = np.array([ind.weight for ind in inds], dtype=np.float64)
        pillar_ids = result.pillar_ids
        self.m = len(pillar_ids)
        pos = {pid: p for p, pid in enumerate(pillar_ids)}
        self.pillar_weights = np.array(
            [fw.pillars[pid].model.weights.get(self.tier, 0.0) for pid in pillar_ids]
        )
        self.scale = float(fw.manifest.scale)
        self.leaves = [
            (pos[pid], [j for j, ind in enumerate(inds) if ind.pillar == pid])
            for pid in pillar_ids
            if fw.pillars[pid].leaf
        ]
        self.leaves = [(p, cols) for p, cols in self.leaves if cols]
        self.inner = [  # bottom-up, as the engine sums them
            (p, [pos[c] for c in fw.pillars[pillar_ids[p]].children])
            for p in reversed(range(self.m))
            if not fw.pillars[pillar_ids[p]].leaf
        ]
        self.top = [p for p, pid in enumerate(pillar_ids) if fw.pillars[pid].parent is None]
        self.groups: list[tuple[int, list[int]]] = [(-1, self.top)]
        for pid in pillar_ids:  # tree order: parents before children
            kids = fw.pillars[pid].children
            if kids:
                self.groups.append((pos[pid], [pos[c] for c in kids]))
        self.mins = np.array([lv.min for lv in fw.manifest.levels], dtype=np.float64)
        self.weakest_gaps = [
            int(g.max_gap)
            for g in fw.manifest.gates
            if g.kind == "weakest_pillar" and g.max_gap is not None
        ]
        # the critical-indicator gates depend on indicator levels only: fixed for every run
        critical = [j for j, ind in enumerate(inds) if ind.critical]
        self.fixed_cap = np.full(self.n, _BIG, dtype=np.int64)
        for gate in fw.manifest.gates:
            if gate.kind == "critical_indicators" and critical:
                assert gate.from_level is not None and gate.min_indicator_level is not None
                applicable = result.status[:, critical] != NOT_APPLICABLE
                short = applicable & (result.ind_level[:, critical] < gate.min_indicator_level)
                cap = np.where(short.any(axis=1), gate.from_level - 1, _BIG)
                self.fixed_cap = np.minimum(self.fixed_cap, np.maximum(cap, 1))
        self.fixed_cap_i8 = np.minimum(self.fixed_cap, 127).astype(np.int8)
        status = result.status
        scored = status == SCORED
        s = np.where(scored, np.nan_to_num(result.score), 0.0)
        base = (status != NOT_APPLICABLE) & (self.weights > 0)[None, :]
        self.configs = {
            "zero": self._config(base, s, pillar_ids, pos),
            "exclude": self._config(base & scored, s, pillar_ids, pos),
        }

    def _config(self, counted: Mask, s: F64, pillar_ids: list[str], pos: dict[str, int]) -> _Config:
        fw = self.fw
        leaf_weight = np.zeros((self.n, self.m))
        for p, cols in self.leaves:
            leaf_weight[:, p] = (counted[:, cols] * self.weights[cols]).sum(axis=1)
        active = np.zeros((self.n, self.m), dtype=bool)
        for p in reversed(range(self.m)):
            node = fw.pillars[pillar_ids[p]]
            if node.leaf:
                active[:, p] = leaf_weight[:, p] > 0
            else:
                kids = [
                    pos[c]
                    for c in node.children
                    if fw.pillars[c].model.weights.get(self.tier, 0) > 0
                ]
                active[:, p] = active[:, kids].any(axis=1) if kids else False
        top_weight = (active[:, self.top] * self.pillar_weights[self.top]).sum(axis=1)
        c = counted.astype(np.float64)
        counted_t = {p: np.ascontiguousarray(c[:, cols].T) for p, cols in self.leaves}
        cs_t = {p: np.ascontiguousarray((c * s)[:, cols].T) for p, cols in self.leaves}
        return _Config(counted_t, cs_t, active, top_weight > 0)

    def evaluate(self, policy: str, wi: F64, wp: F64, edges: F64) -> tuple[F64, NDArray[np.int8]]:
        """Totals and levels for a batch of runs: ``wi`` (B, k) indicator weights, ``wp``
        (B, m) pillar weights, ``edges`` (B, L) sorted band edges. Returns (B, n) arrays;
        total NaN and level 0 where the unit cannot be scored.

        Every pillar's share and points are kept as their own contiguous (B, n) array."""
        cfg = self.configs[policy]
        b = wi.shape[0]
        share: dict[int, F64] = {}
        for parent, kids in self.groups:
            effs = [np.multiply.outer(wp[:, q], cfg.active[:, q]) for q in kids]
            denom = effs[0].copy()
            for eff in effs[1:]:
                denom += eff
            positive = denom > 0
            base = share[parent] if parent >= 0 else self.scale
            factor = np.divide(base, denom, out=np.zeros_like(denom), where=positive)
            for q, eff in zip(kids, effs, strict=True):
                share[q] = eff * factor
        pts: dict[int, F64] = {}
        ratio: dict[int, F64] = {}  # a leaf's points ÷ its share: its pillar index
        for p, cols in self.leaves:
            # einsum, not BLAS: with a handful of indicators per pillar, a multi-threaded BLAS
            # spends more time waking threads than multiplying (3-5x slower on 2 cores)
            w = wi[:, cols]
            num = np.einsum("bj,jn->bn", w, cfg.cs_t[p])
            den = np.einsum("bj,jn->bn", w, cfg.counted_t[p])
            np.divide(num, den, out=num, where=den > 0)
            num[den <= 0] = 0.0
            ratio[p] = num
            pts[p] = share[p] * num
        for p, kids in self.inner:
            acc = np.zeros((b, self.n))
            for q in kids:
                if q in pts:
                    acc += pts[q]
            pts[p] = acc
        total = np.zeros((b, self.n))
        for p in self.top:
            if p in pts:
                total += pts[p]
        level = self._band(np.round(total / self.scale, 9), edges)
        np.minimum(level, self.fixed_cap_i8[None, :], out=level)
        if self.weakest_gaps and self.top:
            # bands are monotone, so the weakest pillar's level is the band of the lowest
            # pillar index among the top-level pillars that count
            lowest = np.full((b, self.n), np.inf)
            for p in self.top:
                if p not in pts:
                    continue
                counted = share[p] > 0
                if p in ratio:
                    pidx = np.where(counted, ratio[p], np.inf)
                else:
                    pidx = np.divide(
                        pts[p], share[p], out=np.full_like(pts[p], np.inf), where=counted
                    )
                np.minimum(lowest, pidx, out=lowest)
            any_counted = np.isfinite(lowest)
            lowest_index: F64 = np.where(any_counted, lowest, 0.0)
            weakest = self._band(lowest_index.round(9), edges)
            for gap in self.weakest_gaps:
                cap = np.where(any_counted, np.maximum(weakest + gap, 1), 127).astype(np.int8)
                np.minimum(level, cap, out=level)
        scorable = cfg.scorable[None, :]
        level = np.where(scorable, level, 0).astype(np.int8)
        return np.where(scorable, total, np.nan), level

    @staticmethod
    def _band(index: F64, edges: F64) -> NDArray[np.int8]:
        """Number of band edges each index reaches (edges per run, sorted)."""
        level = np.zeros(index.shape, dtype=np.int8)
        for e in range(edges.shape[1]):
            level += index >= edges[:, e : e + 1]
        return level


def competition_ranks(totals: F64, digits: int | None = None) -> I32:
    """Competition ranks (1 = best, ties share the lowest rank) of each row, comparing scores
    as :func:`rank_keys` rounds them, as the engine does; 0 where the total is NaN.

    >>> competition_ranks(np.array([[5.0, 7.0, 5.0, np.nan], [1.0, 2.0, 3.0, 4.0]])).tolist()
    [[2, 1, 2, 0], [4, 3, 2, 1]]
    """
    valid = ~np.isnan(totals)
    keys = np.where(valid, rank_keys(totals, digits), -np.inf)
    order = np.argsort(-keys, axis=1, kind="stable")
    ranked = np.take_along_axis(keys, order, axis=1)
    b, n = keys.shape
    new = np.ones((b, n), dtype=bool)
    new[:, 1:] = ranked[:, 1:] != ranked[:, :-1]
    pos = np.broadcast_to(np.arange(n), (b, n))
    first = np.maximum.accumulate(np.where(new, pos, 0), axis=1)
    rank = np.empty((b, n), dtype=np.int32)
    np.put_along_axis(rank, order, (first + 1).astype(np.int32), axis=1)
    return np.where(valid, rank, 0).astype(np.int32)


def sub_indices(
    fw: Framework,
    inds: list[Indicator],
    status: U8,
    score: F64,
    pillar_ids: list[str],
    pillar_points: F64,
    pillar_max: F64,
    policy: str,
) -> dict[str, F64]:
    """Each declared sub-index of every row: ``Σ w·v / Σ w`` over the parts that count, where
    a pillar's ``v`` is its points ÷ its share (counts where its share is above 0) and an
    indicator's ``v`` is its score ``s`` (a missing, invalid or erroneous one counts as 0
    under ``zero`` and not at all under ``exclude``; a not-applicable one never counts). NaN
    where nothing counts."""
    n = status.shape[0]
    col = {ind.id: j for j, ind in enumerate(inds)}
    pcol = {pid: p for p, pid in enumerate(pillar_ids)}
    out: dict[str, F64] = {}
    for sub in fw.manifest.indices:
        num = np.zeros(n)
        den = np.zeros(n)
        for part, w in sub.weights.items():
            if part in pcol:
                share = pillar_max[:, pcol[part]]
                counts = share > 0
                v = np.where(counts, pillar_points[:, pcol[part]] / np.where(counts, share, 1), 0)
            elif part in col:
                st = status[:, col[part]]
                counts = (st == SCORED) | ((st != NOT_APPLICABLE) & (policy == "zero"))
                v = np.where(st == SCORED, np.nan_to_num(score[:, col[part]]), 0.0)
            else:  # an indicator of another tier
                continue
            num += np.where(counts, w * v, 0.0)
            den += np.where(counts, w, 0.0)
        out[sub.id] = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)
    return out
