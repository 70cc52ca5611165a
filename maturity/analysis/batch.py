"""Explanations for every unit of a batch at once: gaps, gaps in the indicators' own units,
pillar ranks and medians, and the verified path to the next level.

``explain_unit`` answers for one unit in about 20 ms (60 ms with its path verified by
re-scoring): 3,355 units would take minutes. This module computes the same answers for a
whole tier with numpy, column-wise like the engine:

- the gap of each indicator to its next cut-off, from the cut-off arrays;
- the gap in the indicator's own units (:func:`natural_gaps`): the search of
  :func:`maturity.explain.natural_gap` (exponential, then 64 candidates per round), run for
  every unit that needs it in one formula evaluation per round;
- the greedy path of :func:`maturity.explain.greedy_path`, one step for every unit per round;
- the verification of every path with one re-score per tier (a unit's level depends only on
  its own values and its children's, and paths change only one tier at a time); the few
  paths that fall short are extended by the library's own ``verify_path``.

The results are those of ``explain_unit`` (tests compare them unit by unit); what belongs in
the library's analysis layer is described in ``docs/reports.md``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from maturity.analysis.explain import EFFORT_COST, NaturalGap, PathStep, verify_path
from maturity.framework import formula as fx
from maturity.framework.compiled import Framework
from maturity.framework.methods import method_score
from maturity.framework.model import Indicator
from maturity.inputs.submissions import Batch
from maturity.inputs.units import Registry
from maturity.scoring.engine import score_batch
from maturity.scoring.kernel import indicator_level, levels_of, ranks_among, tier_rankable
from maturity.scoring.results import NOT_APPLICABLE, SCORED, Results, TierResult

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
Mask = NDArray[np.bool_]

_EXP_STEPS = np.array([0.0] + [2.0**k for k in range(48)])


@dataclass(frozen=True)
class UnitPath:
    """The path to the next level of one unit, as ``explain_unit`` gives it."""

    target: int
    steps: tuple[PathStep, ...]
    reaches: int | None  # the level the re-scored path reaches; None when not verified


@dataclass(frozen=True)
class TierAnalysis:
    """What the pages say about every unit of one tier (rows = units, as in the result)."""

    result: TierResult
    next_level: NDArray[np.int8]  # (n, k) the indicator's next level, 0 at level 5
    next_cutoff: F64  # (n, k) its value at that level, NaN where none
    natural: dict[tuple[int, int], NaturalGap]  # (row, column) of each performance gap
    pillar_rank: I64  # (n, m) rank of the pillar's index in the tier, 0 = none
    pillar_rank_in_parent: I64  # (n, m) within the parent unit
    pillar_peers: I64  # (m,) units whose pillar counts
    pillar_share: F64  # (n, m) pillar points / pillar maximum, NaN where the pillar has none
    paths: tuple[UnitPath | None, ...]

    performance: tuple[tuple[int, ...], ...] = ()  # per row: performance gap columns
    missing: tuple[tuple[int, ...], ...] = ()  # per row: data gap columns

    def performance_gaps(self, row: int) -> list[int]:
        """Columns of the scored indicators that lost points, most lost first (then id), as
        :meth:`maturity.explain.Explanation.performance_gaps` orders them."""
        return list(self.performance[row])

    def data_gaps(self, row: int) -> list[int]:
        """Columns without a usable value (missing, invalid, error), by points at stake
        (then id), as :meth:`maturity.explain.Explanation.data_gaps` orders them."""
        return list(self.missing[row])


def _ordered(result: TierResult, mask: Mask, key: F64) -> tuple[tuple[int, ...], ...]:
    """For each row, the columns where ``mask`` holds, by ``key`` descending, then id."""
    k = len(result.indicators)
    id_rank = np.empty(k, dtype=np.int64)
    id_rank[sorted(range(k), key=lambda j: result.indicators[j].id)] = np.arange(k)
    keyed = np.where(mask, -key, np.inf)
    order = np.lexsort((np.broadcast_to(id_rank, keyed.shape), keyed), axis=-1)
    counts = mask.sum(axis=1).tolist()
    return tuple(tuple(line[:c]) for line, c in zip(order.tolist(), counts, strict=True))


def analyse(
    results: Results, batch: Batch | None = None, registry: Registry | None = None
) -> dict[str, TierAnalysis]:
    """Analyse every tier of ``results``. With the ``batch`` and ``registry`` they were
    scored from, every path is verified by re-scoring, as ``explain_unit`` does."""
    out: dict[str, TierAnalysis] = {}
    for tier, result in results.tiers.items():
        out[tier] = _analyse_tier(results, result, batch, registry)
    return out


def _analyse_tier(
    results: Results, result: TierResult, batch: Batch | None, registry: Registry | None
) -> TierAnalysis:
    fw = results.framework
    k = len(result.indicators)
    cuts = np.array([ind.cutoffs.values() for ind in result.indicators]).reshape(k, 4)
    level_now = np.maximum(result.ind_level.astype(np.int64), 1)
    next_level = np.where(level_now < 5, level_now + 1, 0).astype(np.int8)
    take = np.clip(next_level.astype(np.int64) - 2, 0, 3)
    next_cutoff = np.where(next_level > 0, cuts[np.arange(k)[None, :], take], np.nan)
    # the gaps a page shows in the indicator's own units: performance gaps with a next level
    lost = result.max_points - result.points
    context = np.array([ind.context for ind in result.indicators], dtype=bool)
    wanted = (result.status == SCORED) & (lost > 1e-9) & (next_level > 0) & ~context[None, :]
    natural: dict[tuple[int, int], NaturalGap] = {}
    for j in range(k):
        rows = np.flatnonzero(wanted[:, j])
        if rows.size:
            gaps = natural_gaps(fw, result, rows, result.indicators[j], next_cutoff[rows, j])
            for row, gap in zip(rows.tolist(), gaps, strict=True):
                if gap is not None:
                    natural[row, j] = gap
    rank, rank_in_parent, peers, share = _pillar_ranks(fw, result)
    paths = _paths(results, result, batch, registry)
    performance = _ordered(result, (result.status == SCORED) & (lost > 1e-9), lost)
    usable = (result.status == SCORED) | (result.status == NOT_APPLICABLE)
    missing = _ordered(result, ~usable & ~context[None, :], result.max_points)
    return TierAnalysis(
        result,
        next_level,
        next_cutoff,
        natural,
        rank,
        rank_in_parent,
        peers,
        share,
        paths,
        performance,
        missing,
    )


def _pillar_ranks(fw: Framework, result: TierResult) -> tuple[I64, I64, I64, F64]:
    """Rank of each pillar's index among the tier's units and within the parent unit, under
    the same publication rules as the units' ranks (flagged units and rankings of one out)."""
    n, m = result.pillar_points.shape
    parents = [u.parent or "" for u in result.units]
    codes = {p: c for c, p in enumerate(sorted(set(parents)))}
    groups = np.array([codes[p] for p in parents], dtype=np.int64)
    rank = np.zeros((n, m), dtype=np.int64)
    in_parent = np.zeros((n, m), dtype=np.int64)
    peers = np.zeros(m, dtype=np.int64)
    share = np.full((n, m), np.nan)
    rankable = tier_rankable(fw, result)
    least = fw.manifest.publication.min_ranked
    for p in range(m):
        maxes = result.pillar_max[:, p]
        valid = maxes > 0
        with np.errstate(invalid="ignore", divide="ignore"):
            idx = np.where(valid, result.pillar_points[:, p] / np.where(valid, maxes, 1), 0.0)
        rank[:, p] = ranks_among(idx, valid & rankable, None, least)
        in_parent[:, p] = ranks_among(idx, valid & rankable, groups, least)
        peers[p] = int((valid & rankable).sum())
        share[:, p] = np.where(valid, idx, np.nan)
    return rank, in_parent, peers, share


# --------------------------------------------------------------------------- natural gaps


def _has_aggregate(expr: fx.Expr) -> bool:
    _, inside = fx.names_used(expr)
    return bool(inside) or "count()" in fx.unparse(expr)


def _derived_needed(fw: Framework, formula_id: str, tier: str) -> list[str]:
    """The derived values of ``tier`` a formula uses, directly or not, in dependency order."""
    wanted: set[str] = set()
    todo = [formula_id]
    while todo:
        own, _ = fx.names_used(fw.formulas[todo.pop()])
        for name in own:
            if name in fw.derived and name not in wanted and tier in fw.derived[name].tiers:
                wanted.add(name)
                todo.append(name)
    return [d for d in fw.derived_order if d in wanted]


def _lever(fw: Framework, ind: Indicator) -> tuple[str, str | None] | None:
    """The input whose change expresses the indicator's gap, and the input it moves from."""
    if _has_aggregate(fw.formulas[ind.id]):
        return None
    lever = ind.lever.input if ind.lever else ind.inputs[0]
    transfer = ind.lever.transfer_from if ind.lever else None
    seen: set[str] = set()
    while lever in fw.derived and lever not in seen:  # a derived value: its first input
        seen.add(lever)
        own, _ = fx.names_used(fw.formulas[lever])
        text = fx.unparse(fw.formulas[lever]).replace("(", " ").replace(",", " ")
        names = [word for word in text.split() if word in own]
        if not names:
            return None
        lever = names[0]
    if lever not in fw.inputs:
        return None
    return lever, transfer


class _RowsScope:
    """Rows of a tier, each repeated over ``width`` candidate values of one or two inputs."""

    def __init__(self, result: TierResult, rows: I64, width: int, changes: dict[str, F64]) -> None:
        self.size = int(rows.size) * width
        self.result = result
        self.rows = rows
        self.width = width
        self.changes = changes
        self.cache: dict[str, fx.Column] = {}

    def lookup(self, name: str) -> fx.Column:
        if name in self.changes:
            return fx.Column(self.changes[name], np.zeros(self.size, dtype=np.uint8))
        if name in self.cache:
            return self.cache[name]
        col = self.result.columns.get(name)
        if col is None:
            return fx.Column(np.zeros(self.size), np.full(self.size, fx.MISSING, dtype=np.uint8))
        return fx.Column(
            np.repeat(col.values[self.rows], self.width),
            np.repeat(col.status[self.rows], self.width).astype(np.uint8),
        )

    def children(self) -> fx.Group | None:
        return None


class _Search:
    """Evaluates one indicator's formula for rows of a tier over candidate lever values."""

    def __init__(
        self,
        fw: Framework,
        result: TierResult,
        ind: Indicator,
        lever: str,
        transfer: str | None,
        current: F64,
        base: F64,
        targets: F64,
    ) -> None:
        self.fw, self.result, self.ind = fw, result, ind
        self.lever, self.transfer = lever, transfer
        self.current, self.base, self.targets = current, base, targets
        self.derived = _derived_needed(fw, ind.id, result.tier)
        self.higher = ind.direction == "higher"

    def reaches(self, rows: I64, where: I64, values: F64) -> Mask:
        """``values`` (a, c): candidates for the rows ``rows`` (positions ``where`` in the
        search); True where the indicator's value reaches the row's target."""
        a, c = values.shape
        changes = {self.lever: values.ravel()}
        if self.transfer is not None:
            moved = values - self.current[where][:, None]
            changes[self.transfer] = (self.base[where][:, None] - moved).ravel()
        scope = _RowsScope(self.result, rows, c, changes)
        for did in self.derived:
            scope.cache[did] = fx.evaluate(
                self.fw.formulas[did], scope, self.fw.derived[did].formula
            )
        out = fx.evaluate(self.fw.formulas[self.ind.id], scope, self.ind.formula or "")
        v = np.round(out.values, 9).reshape(a, c)
        ok = (out.status == fx.OK).reshape(a, c)
        target = self.targets[where][:, None]
        reached: Mask = ok & ((v >= target) if self.higher else (v <= target))
        return reached


def natural_gaps(
    fw: Framework, result: TierResult, rows: I64, ind: Indicator, targets: F64
) -> list[NaturalGap | None]:
    """For each row, the change of one input that brings the indicator to its target: the
    answer of :func:`maturity.explain.natural_gap`, for many rows in one search."""
    found = _lever(fw, ind)
    out: list[NaturalGap | None] = [None] * int(rows.size)
    if found is None:
        return out
    lever, transfer = found
    col = result.columns.get(lever)
    if col is None:
        return out
    current = np.where(col.status[rows] == fx.OK, col.values[rows], 0.0)
    tcol = result.columns.get(transfer) if transfer is not None else None
    if tcol is not None:
        base = np.where(tcol.status[rows] == fx.OK, tcol.values[rows], 0.0)
    else:
        base = np.zeros(rows.size)
    inp = fw.inputs[lever]
    integer = inp.type in ("integer", "ordinal", "boolean")
    search = _Search(fw, result, ind, lever, transfer, current, base, np.asarray(targets))
    todo = np.arange(rows.size)
    for sign in (1.0, -1.0):
        if todo.size == 0:
            break
        cand = current[todo][:, None] + sign * _EXP_STEPS[None, :]
        if inp.min is not None:
            cand = np.maximum(cand, inp.min)
        if inp.max is not None:
            cand = np.minimum(cand, inp.max)
        if transfer is not None:  # cannot move more than the other input holds
            cur, avail = current[todo][:, None], base[todo][:, None]
            low = cur - avail if sign < 0 else cur
            high = cur + avail if sign > 0 else cur
            cand = np.clip(cand, low, high)
        hits = search.reaches(rows[todo], todo, cand)
        some = hits.any(axis=1)
        first = np.argmax(hits, axis=1)
        picked = np.arange(todo.size)
        before = cand[picked, np.maximum(first - 1, 0)]
        already = some & (first == 0)  # the value reaches the target as it is
        # reached between two different candidates: search between them (equal ones: the
        # input is at its bound, so no change of it alone reaches the target)
        between = some & (first > 0) & (before != cand[picked, first])
        now = current.tolist()
        for at in todo[already].tolist():
            out[at] = NaturalGap(lever, now[at], now[at], transfer)
        sel = np.flatnonzero(between)
        if sel.size:
            lo, hi = cand[sel, first[sel] - 1], cand[sel, first[sel]]
            hi = _narrow(search, rows, todo[sel], lo, hi, sign, integer)
            for at, value in zip(todo[sel].tolist(), hi.tolist(), strict=True):
                out[at] = NaturalGap(lever, now[at], value, transfer)
        todo = todo[~some]
    return out


def _narrow(
    search: _Search, rows: I64, where: I64, lo: F64, hi: F64, sign: float, integer: bool
) -> F64:
    """The k-ary search of ``natural_gap`` between the last candidate that fails (``lo``)
    and the first that reaches (``hi``), for many rows at once; returns the final ``hi``."""
    lo, hi = lo.copy(), hi.copy()
    active = np.ones(lo.size, dtype=bool)
    for _ in range(40):
        if integer:
            done = np.abs(hi - lo) <= 1
        else:
            done = np.abs(hi - lo) <= np.maximum(1e-9, np.abs(hi) * 1e-12)
        active &= ~done
        at = np.flatnonzero(active)
        if at.size == 0:
            break
        grid = np.linspace(lo[at], hi[at], 66, axis=1)[:, 1:-1]
        valid = np.ones(grid.shape, dtype=bool)
        if integer:
            grid = np.floor(grid) if sign > 0 else np.ceil(grid)
            valid = (grid != lo[at][:, None]) & (grid != hi[at][:, None])
            empty = ~valid.any(axis=1)
            active[at[empty]] = False
            keep = ~empty
            at, grid, valid = at[keep], grid[keep], valid[keep]
            if at.size == 0:
                break
        hit = search.reaches(rows[where[at]], where[at], grid) & valid
        some = hit.any(axis=1)
        first = np.argmax(hit, axis=1)
        # the last valid candidate before the first hit, or before the end when none hit
        position = np.arange(grid.shape[1])[None, :]
        stop = np.where(some, first, grid.shape[1])[:, None]
        before = valid & (position < stop)
        has_before = before.any(axis=1)
        last_before = grid.shape[1] - 1 - np.argmax(before[:, ::-1], axis=1)
        picked = np.arange(at.size)
        hi[at[some]] = grid[picked[some], first[some]]
        lower = has_before
        lo[at[lower]] = grid[picked[lower], last_before[lower]]
    return hi


# --------------------------------------------------------------------------- paths


def _paths(
    results: Results, result: TierResult, batch: Batch | None, registry: Registry | None
) -> tuple[UnitPath | None, ...]:
    fw = results.framework
    n = result.size
    levels = len(fw.manifest.levels)
    target = np.where(
        (result.level > 0) & (result.level < levels), result.level.astype(np.int64) + 1, 0
    )
    chosen, chosen_at = _greedy(results, result, target)
    steps = _steps(fw, result, target, chosen, chosen_at)
    reaches: list[int | None] = [None] * n
    if batch is not None and registry is not None:
        overrides = {
            result.units[i].id: {st.indicator: st.to_value for st in steps[i]}
            for i in range(n)
            if target[i] and steps[i]
        }
        rescored = score_batch(
            fw, batch, registry, missing_policy=results.policy, overrides=overrides
        )
        again = rescored.tiers[result.tier]
        reached_of = {u.id: int(again.level[i]) for i, u in enumerate(again.units)}
        for i in range(n):
            if not target[i]:
                continue
            reached = reached_of[result.units[i].id]
            if reached >= target[i]:
                reaches[i] = reached
            else:  # the library extends a path that falls short, and re-scores it
                path, got = verify_path(
                    results, result, i, list(steps[i]), int(target[i]), batch, registry
                )
                steps[i] = tuple(path)
                reaches[i] = got
    return tuple(
        UnitPath(int(target[i]), steps[i], reaches[i]) if target[i] else None for i in range(n)
    )


class _Shape:
    """The tier's pillar tree and gates as arrays, for the path's level arithmetic."""

    def __init__(self, fw: Framework, result: TierResult) -> None:
        self.fw = fw
        inds = result.indicators
        self.inds = inds
        self.pillar_ids = result.pillar_ids
        self.pillar_of = [result.pillar_ids.index(ind.pillar) for ind in inds]
        self.inner = [
            (p, [result.pillar_ids.index(c) for c in fw.pillars[pid].children])
            for p, pid in reversed(list(enumerate(result.pillar_ids)))
            if not fw.pillars[pid].leaf
        ]
        self.top = [p for p, pid in enumerate(result.pillar_ids) if fw.pillars[pid].parent is None]
        self.mins = [lv.min for lv in fw.manifest.levels]
        self.scale = fw.manifest.scale
        self.critical = np.array([ind.critical for ind in inds], dtype=bool)
        # indicator j lies under pillar p (p is its leaf pillar or an ancestor of it)
        self.under = np.zeros((len(result.pillar_ids), len(inds)), dtype=bool)
        for p, pid in enumerate(result.pillar_ids):
            leaves = set(fw.leaf_of(pid))
            for j, ind in enumerate(inds):
                self.under[p, j] = ind.pillar in leaves

    def levels(
        self, s: F64, lvl: I64, maxp: F64, pmax: F64, applicable: Mask
    ) -> tuple[I64, NDArray[np.int8], F64]:
        """Final level, pillar levels and total of each row's state: the kernel's."""
        status = np.where(applicable, SCORED, NOT_APPLICABLE).astype(np.uint8)
        return levels_of(self.fw, self.inds, self.pillar_ids, s, lvl, status, maxp, pmax)


def _greedy(results: Results, result: TierResult, target: I64) -> tuple[Mask, I64]:
    """The greedy steps of :func:`maturity.explain.greedy_path` for every row with a target:
    which indicators are raised, and to which cut-off (0..3: the value for level 2..5)."""
    fw = results.framework
    inds = result.indicators
    n, k = result.status.shape
    shape = _Shape(fw, result)
    status = result.status
    scored = status == SCORED
    s = np.where(scored, np.nan_to_num(result.score), 0.0)
    lvl = np.where(scored, result.ind_level, 0).astype(np.int64)
    weights = np.array([ind.weight for ind in inds])
    applicable = status != NOT_APPLICABLE
    movable = applicable & (weights > 0)[None, :] & (result.max_points > 0)
    effort = np.array([EFFORT_COST[ind.remediation.effort] for ind in inds])
    cuts = np.array([ind.cutoffs.values() for ind in inds]).reshape(k, 4)
    s_at = np.array([method_score(ind, cuts[j])[0] for j, ind in enumerate(inds)]).reshape(k, 4)
    lvl_at = np.array([indicator_level(ind, cuts[j]) for j, ind in enumerate(inds)]).reshape(k, 4)
    by_id = np.array(sorted(range(k), key=lambda j: inds[j].id), dtype=np.intp)
    chosen = np.zeros((n, k), dtype=bool)
    chosen_at = np.zeros((n, k), dtype=np.int64)
    active = target > 0
    cols = np.arange(k)
    for _ in range(5 * k + 10):
        rows = np.flatnonzero(active)
        if rows.size == 0:
            break
        tgt = target[rows]
        level, plevel, total = shape.levels(
            s[rows], lvl[rows], result.max_points[rows], result.pillar_max[rows], applicable[rows]
        )
        reached = level >= tgt
        options, stop = _options(fw, shape, rows, tgt, movable, lvl, plevel, total, reached)
        nxt = np.maximum(lvl[rows] + 1, 2)
        valid = options & (nxt <= 5)
        at = np.clip(nxt - 2, 0, 3)
        s_new = s_at[cols[None, :], at]
        ratio = (s_new - s[rows]) * result.max_points[rows] / effort[None, :]
        ratio = np.where(valid, ratio, -np.inf)[:, by_id]
        best = by_id[np.argmax(ratio, axis=1)]
        has = valid.any(axis=1) & ~reached & ~stop
        active[rows[~has]] = False
        r, j = rows[has], best[has]
        lv = at[np.flatnonzero(has), j]
        s[r, j] = s_at[j, lv]
        lvl[r, j] = lvl_at[j, lv]
        chosen[r, j] = True
        chosen_at[r, j] = lv
    return chosen, chosen_at


def _options(
    fw: Framework,
    shape: _Shape,
    rows: I64,
    tgt: I64,
    movable: Mask,
    lvl: I64,
    plevel: NDArray[np.int8],
    total: F64,
    reached: Mask,
) -> tuple[Mask, Mask]:
    """The indicators each row may raise next, and the rows that stop: the band is reached
    and no gate asks for more (the choice of ``greedy_path``)."""
    mov, lv = movable[rows], lvl[rows]
    u, k = lv.shape
    options = np.zeros((u, k), dtype=bool)
    found = np.zeros(u, dtype=bool)
    for gate in fw.manifest.gates:
        if gate.kind == "critical_indicators" and gate.from_level is not None:
            assert gate.min_indicator_level is not None
            cand = mov & shape.critical[None, :] & (lv < gate.min_indicator_level)
            use = ~found & (tgt >= gate.from_level) & cand.any(axis=1)
            options[use] = cand[use]
            found |= use
    settled = found.copy()
    for gate in fw.manifest.gates:
        if gate.kind == "weakest_pillar" and gate.max_gap is not None:
            need = tgt - gate.max_gap
            pmax_rows = plevel  # plevel is 0 where the pillar does not count
            behind = (pmax_rows > 0) & (pmax_rows < need[:, None])
            use = ~settled & behind.any(axis=1)
            under = (behind.astype(np.int64) @ shape.under.astype(np.int64)) > 0
            cand = mov & under & (lv < 5)
            options[use] = cand[use]
            settled |= use
    empty = ~options.any(axis=1)
    band = np.array([shape.mins[int(t) - 1] for t in tgt]) if u else np.zeros(0)
    stop = empty & (total / shape.scale >= band - 1e-12) & ~reached
    fallback = empty & ~stop
    options[fallback] = (mov & (lv < 5))[fallback]
    return options, stop


def _steps(
    fw: Framework,
    result: TierResult,
    target: I64,
    chosen: Mask,
    chosen_at: I64,
) -> list[tuple[PathStep, ...]]:
    """The chosen raises as the path steps ``greedy_path`` returns, sorted the same way."""
    inds = result.indicators
    n, k = chosen.shape
    cuts = np.array([ind.cutoffs.values() for ind in inds]).reshape(k, 4)
    s_at = np.array([method_score(ind, cuts[j])[0] for j, ind in enumerate(inds)]).reshape(k, 4)
    lvl_at = np.array([indicator_level(ind, cuts[j]) for j, ind in enumerate(inds)]).reshape(k, 4)
    to_value = np.where(chosen, cuts[np.arange(k)[None, :], chosen_at], 0.0)
    natural: dict[tuple[int, int], NaturalGap | None] = {}
    scored = result.status == SCORED
    for j in range(k):
        rows = np.flatnonzero(chosen[:, j] & scored[:, j])
        if rows.size:
            gaps = natural_gaps(fw, result, rows, inds[j], to_value[rows, j])
            for row, gap in zip(rows.tolist(), gaps, strict=True):
                natural[row, j] = gap
    s_now = np.where(scored, np.nan_to_num(result.score), 0.0)
    s_after_of = s_at.tolist()
    level_after_of = lvl_at.tolist()
    out: list[tuple[PathStep, ...]] = []
    for i in range(n):
        if not target[i]:
            out.append(())
            continue
        cols = np.flatnonzero(chosen[i]).tolist()
        values, levels = result.value[i].tolist(), result.ind_level[i].tolist()
        s_before, maxes = s_now[i].tolist(), result.max_points[i].tolist()
        to, at_of = to_value[i].tolist(), chosen_at[i].tolist()
        steps = []
        for j in cols:
            ind, at = inds[j], at_of[j]
            before = None if math.isnan(values[j]) else values[j]
            steps.append(
                PathStep(
                    ind.id,
                    before,
                    to[j],
                    levels[j] or None,
                    level_after_of[j][at],
                    (s_after_of[j][at] - s_before[j]) * maxes[j],
                    ind.remediation.effort,
                    natural.get((i, j)),
                )
            )
        steps.sort(key=lambda st: (-st.points_gained / EFFORT_COST[st.effort], st.indicator))
        out.append(tuple(steps))
    return out


def median(values: F64) -> float | None:
    """The median of the finite values, ``None`` when there is none.

    >>> median(np.array([3.0, np.nan, 1.0, 2.0])), median(np.array([np.nan]))
    (2.0, None)
    """
    finite = values[np.isfinite(values)]
    return float(np.median(finite)) if finite.size else None


__all__: list[Any] = ["TierAnalysis", "UnitPath", "analyse", "median", "natural_gaps"]
