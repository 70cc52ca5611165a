"""TODO docstring."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from maturity.framework.compiled import Framework
from maturity.framework.methods import ROUND
from maturity.framework.model import Indicator
from maturity.scoring.results import F64, I64, NOT_APPLICABLE, U8


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


def competition_rank(values: F64, valid: NDArray[np.bool_], groups: I64 | None = None) -> I64:
    """Rank by descending value (1 = best), ties sharing the lowest rank; 0 where not valid.

    >>> valid = np.array([True, True, True, False])
    >>> competition_rank(np.array([5.0, 7.0, 5.0, 1.0]), valid).tolist()
    [2, 1, 2, 0]
    """
    n = values.shape[0]
    rank = np.zeros(n, dtype=np.int64)
    keys = np.round(values, 6)
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
