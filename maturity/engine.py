"""The scoring engine: every unit of a tier at once, column-wise (numpy arrays + status masks).

Order of work, per tier, children before parents (communes before provinces, so province
formulas can aggregate their communes):

1. input columns from the submissions (value + status: ok / missing / invalid);
2. derived values and indicator values from their formulas, in dependency order;
3. indicator statuses (scored, missing, not_applicable, invalid, error), scores ``s ∈ [0, 1]``
   by each rule's method, indicator levels from the cut-offs;
4. effective shares: weights renormalised per unit over the indicators that count, down the
   pillar tree; points = ``s ×`` share; pillar points = sum of their indicators' points;
5. level from the bands, capped by the gates (the result names each gate that capped it);
6. consistency checks; ranks within the tier and within the parent unit.

Semantics and every decision they leave open are written down in ``docs/scoring.md``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import repeat
from types import MappingProxyType
from typing import Any

import numpy as np
from numpy.typing import NDArray

from maturity import __version__
from maturity import _formula as fx
from maturity._i18n import pick, t
from maturity.framework import Framework
from maturity.model import Indicator
from maturity.submissions import Batch, Diagnostic, Submission, Table
from maturity.units import Registry, Unit

SCORED, MISSING, INVALID, ERROR, NOT_APPLICABLE = 0, 1, 2, 3, 4
STATUS_NAMES = ("scored", "missing", "invalid", "error", "not_applicable")
_ROUND = 9  # values are compared with cut-offs after rounding away float noise (49.9999999999)

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
    diagnostics: list[Diagnostic]
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


# --------------------------------------------------------------------------- scopes


class _Scope:
    def __init__(self, size: int, columns: dict[str, fx.Column], group: fx.Group | None) -> None:
        self.size = size
        self.columns = columns
        self.group = group

    def lookup(self, name: str) -> fx.Column:
        col = self.columns.get(name)
        if col is None:
            return _missing(self.size)
        return col

    def children(self) -> fx.Group | None:
        return self.group


class _PaddedScope:
    """A child scope plus rows for registry units that submitted nothing (all missing)."""

    def __init__(self, base: _Scope, extra: int) -> None:
        self.base = base
        self.extra = extra
        self.size = base.size + extra

    def lookup(self, name: str) -> fx.Column:
        col = self.base.lookup(name)
        if not self.extra:
            return col
        return fx.Column(
            np.concatenate([col.values, np.zeros(self.extra)]),
            np.concatenate([col.status, np.full(self.extra, fx.MISSING, dtype=np.uint8)]),
            tuple(
                (np.concatenate([m, np.zeros(self.extra, dtype=bool)]), msg) for m, msg in col.notes
            ),
        )

    def children(self) -> fx.Group | None:
        return None


def _missing(n: int) -> fx.Column:
    return fx.Column(np.zeros(n), np.full(n, fx.MISSING, dtype=np.uint8))


# --------------------------------------------------------------------------- scoring arithmetic


def method_score(ind: Indicator, x: F64) -> tuple[F64, NDArray[np.bool_]]:
    """Score ``s ∈ [0, 1]`` of values ``x`` by the indicator's method, and a mask of values
    the method cannot score (an ordinal answer missing from the map).

    >>> from maturity.model import Indicator
    >>> ind = Indicator.model_validate({"id": "X-1", "name": {"vi": "a", "en": "a"}, "pillar": "P",
    ...     "tiers": ["t"], "unit": {"vi": "%", "en": "%"}, "inputs": ["x"], "method": "linear",
    ...     "floor": 0, "target": 70, "cutoffs": {"2": 20, "3": 35, "4": 50, "5": 70}, "weight": 1,
    ...     "remediation": {"vi": "a", "en": "a", "effort": "low"}})
    >>> s, bad = method_score(ind, np.array([35.0, 49.54, 90.0]))
    >>> [round(float(v), 4) for v in s]
    [0.5, 0.7077, 1.0]
    """
    bad = np.zeros(x.shape, dtype=bool)
    higher = ind.direction == "higher"
    if ind.method == "linear":
        assert ind.floor is not None and ind.target is not None
        s = np.clip((x - ind.floor) / (ind.target - ind.floor), 0.0, 1.0)
    elif ind.method == "steps":
        assert ind.steps is not None
        s = np.zeros_like(x)
        xr = np.round(x, _ROUND)
        for step in ind.steps:
            reached = xr >= step.at if higher else xr <= step.at
            s = np.where(reached, step.score, s)
    elif ind.method == "ordinal":
        if ind.map is not None:
            s = np.zeros_like(x)
            known = np.zeros(x.shape, dtype=bool)
            for answer, score in ind.map.items():
                hit = np.isclose(x, float(answer))
                s = np.where(hit, score, s)
                known |= hit
            bad = ~known
        else:
            assert ind.max is not None
            s = np.clip(x / ind.max, 0.0, 1.0)
    else:  # binary
        s = (x != 0).astype(np.float64)
    return s.astype(np.float64), bad


def indicator_level(ind: Indicator, x: F64) -> NDArray[np.int8]:
    """Indicator level 1..5: one plus the number of cut-offs the value reaches.

    >>> from maturity.model import Indicator
    >>> ind = Indicator.model_validate({"id": "X-1", "name": {"vi": "a", "en": "a"}, "pillar": "P",
    ...     "tiers": ["t"], "unit": {"vi": "%", "en": "%"}, "inputs": ["x"], "method": "binary",
    ...     "direction": "lower", "cutoffs": {"2": 10, "3": 5, "4": 2, "5": 0.5}, "weight": 1,
    ...     "remediation": {"vi": "a", "en": "a", "effort": "low"}})
    >>> indicator_level(ind, np.array([12.0, 5.0, 0.5])).tolist()
    [1, 3, 5]
    """
    xr = np.round(x, _ROUND)
    level = np.ones(x.shape, dtype=np.int8)
    for cut in ind.cutoffs.values():
        level += (xr >= cut) if ind.direction == "higher" else (xr <= cut)
    return level


def band_level(index: F64, mins: list[float]) -> NDArray[np.int8]:
    """Highest band whose lower bound the index reaches (1-based).

    >>> band_level(np.array([0.0, 0.3999999999999, 0.4, 0.99]), [0.0, 0.4, 0.55]).tolist()
    [1, 2, 2, 3]
    """
    ir = np.round(index, _ROUND)
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


# --------------------------------------------------------------------------- engine


def _tier_order(framework: Framework) -> list[str]:
    """Tiers with children before their parents."""
    tiers = framework.tier_ids()
    depth: dict[str, int] = {}
    parents = {tt.id: tt.parent for tt in framework.manifest.tiers}

    def d(tier: str, seen: tuple[str, ...] = ()) -> int:
        parent = parents.get(tier)
        if parent is None or parent in seen:
            return 0
        return 1 + d(parent, (*seen, tier))

    for tier in tiers:
        depth[tier] = d(tier)
    return sorted(tiers, key=lambda tt: (-depth[tt], tiers.index(tt)))


def score_batch(
    framework: Framework,
    batch: Batch,
    registry: Registry,
    *,
    missing_policy: str | None = None,
    overrides: dict[str, dict[str, float]] | None = None,
) -> Results:
    """Score every submission of ``batch``.

    ``overrides`` maps unit id -> {input or indicator id: value} and replaces submitted values
    (used by ``whatif``); an indicator id sets the indicator's value directly.
    """
    policy = missing_policy or framework.manifest.missing_policy
    diagnostics = list(batch.diagnostics)
    by_tier: dict[str, list[tuple[Unit, Submission]]] = {tier: [] for tier in framework.tier_ids()}
    for sub in batch.submissions:
        unit = registry.get(sub.unit)
        if unit is not None and unit.tier in by_tier:
            by_tier[unit.tier].append((unit, sub))
    for pairs in by_tier.values():
        pairs.sort(key=lambda pair: pair[0].id)  # unit order never matters
    tiers: dict[str, TierResult] = {}
    for tier in _tier_order(framework):
        child_tier = framework.child_tier(tier)
        child = tiers.get(child_tier) if child_tier else None
        result = _score_tier(
            framework, tier, by_tier[tier], registry, child, policy, overrides or {}, diagnostics
        )
        tiers[tier] = result
    # parents absent from the batch
    present = {u.id for rows in by_tier.values() for u, _ in rows}
    for rows in by_tier.values():
        for unit, sub in rows:
            if unit.parent and unit.parent not in present:
                diagnostics.append(
                    Diagnostic(
                        "warning",
                        "unit.parent_absent",
                        t("unit.parent_absent", parent=unit.parent),
                        unit.id,
                        None,
                        sub.file,
                        sub.line or None,
                    )
                )
    ordered = {tier: tiers[tier] for tier in framework.tier_ids()}
    diagnostics.sort(key=Diagnostic.sort_key)
    return Results(framework, policy, ordered, diagnostics, dict(batch.files))


def _score_tier(
    fw: Framework,
    tier: str,
    rows: list[tuple[Unit, Submission]],
    registry: Registry,
    child: TierResult | None,
    policy: str,
    overrides: dict[str, dict[str, float]],
    diagnostics: list[Diagnostic],
) -> TierResult:
    n = len(rows)
    units = [u for u, _ in rows]
    subs = [s for _, s in rows]
    row_of = {u.id: i for i, u in enumerate(units)}
    # 1. input columns
    tier_inputs = fw.inputs_for(tier)
    values_by, status_by = _input_columns(fw, [inp.id for inp in tier_inputs], subs)
    for unit_id, changes in overrides.items():
        if unit_id in row_of:
            for name, val in changes.items():
                if name in values_by:
                    values_by[name][row_of[unit_id]] = val
                    status_by[name][row_of[unit_id]] = fx.OK
    columns: dict[str, fx.Column] = {
        name: fx.Column(values_by[name], status_by[name]) for name in values_by
    }
    group = _child_group(fw, child, registry, row_of) if child is not None else None
    scope = _Scope(n, columns, group)
    for did in fw.derived_order:
        der = fw.derived[did]
        if tier in der.tiers:
            columns[did] = fx.evaluate(fw.formulas[did], scope, der.formula)
    # 2-3. indicators
    inds = fw.indicators_for(tier)
    k = len(inds)
    value = np.full((n, k), np.nan)
    status = np.zeros((n, k), dtype=np.uint8)
    score = np.full((n, k), np.nan)
    level = np.zeros((n, k), dtype=np.int8)
    col_of = {ind.id: j for j, ind in enumerate(inds)}
    na_mask = np.zeros((n, k), dtype=bool)
    for i, sub in enumerate(subs):
        for ind_id in sub.not_applicable:
            if ind_id in col_of:
                na_mask[i, col_of[ind_id]] = True
    for j, ind in enumerate(inds):
        src = ind.formula or ind.inputs[0]
        col = fx.evaluate(fw.formulas[ind.id], scope, src)
        vals = col.values.astype(np.float64)
        st = col.status.astype(np.uint8).copy()
        for unit_id, changes in overrides.items():
            if unit_id in row_of and ind.id in changes:
                vals[row_of[unit_id]] = changes[ind.id]
                st[row_of[unit_id]] = fx.OK
        for mask, note in col.notes:
            for r in np.flatnonzero(mask & ((col.status == fx.ERROR) | (col.status == fx.OK))):
                severity = "error" if col.status[r] == fx.ERROR else "info"
                code = (
                    "score.formula_error"
                    if col.status[r] == fx.ERROR
                    else "score.partial_aggregate"
                )
                diagnostics.append(
                    Diagnostic(
                        severity,
                        code,
                        t(code, indicator=ind.id, note=note),
                        units[r].id,
                        ind.id,
                        subs[r].file,
                        subs[r].line or None,
                    )
                )
        ok = st == fx.OK
        s, bad = method_score(ind, np.where(ok, vals, 0.0))
        bad &= ok
        if bad.any():
            for r in np.flatnonzero(bad):
                diagnostics.append(
                    Diagnostic(
                        "error",
                        "score.ordinal_map",
                        t("score.ordinal_map", value=vals[r]),
                        units[r].id,
                        ind.id,
                        subs[r].file,
                        subs[r].line or None,
                    )
                )
            st = np.where(bad, np.uint8(fx.INVALID), st)
            ok &= ~bad
        na = na_mask[:, j]
        status[:, j] = np.where(na, np.uint8(NOT_APPLICABLE), st)  # fx codes equal the engine's
        value[:, j] = np.where(ok, vals, np.nan)
        score[:, j] = np.where(ok & ~na, s, np.nan)
        level[:, j] = np.where(ok & ~na, indicator_level(ind, np.where(ok, vals, 0.0)), 0)
    # 4. shares and points
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
    points = np.where(status == SCORED, np.nan_to_num(score) * max_points, 0.0)
    pillar_points = np.zeros((n, len(pillar_ids)))
    leaf_cols = {pid: [j for j, ind in enumerate(inds) if ind.pillar == pid] for pid in pillar_ids}
    for p in reversed(range(len(pillar_ids))):
        pid = pillar_ids[p]
        node = fw.pillars[pid]
        if node.leaf:
            pillar_points[:, p] = points[:, leaf_cols[pid]].sum(axis=1)
        else:
            kids = [pillar_ids.index(c) for c in node.children]
            pillar_points[:, p] = pillar_points[:, kids].sum(axis=1)
    top = [p for p, pid in enumerate(pillar_ids) if fw.pillars[pid].parent is None]
    total = pillar_points[:, top].sum(axis=1)
    max_score = pillar_max[:, top].sum(axis=1)
    scale = fw.manifest.scale
    scorable = max_score > 0
    index = np.where(scorable, total / scale, np.nan)
    zero_total = max_zero.sum(axis=1)
    coverage = np.where(
        zero_total > 0,
        (max_zero * (status == SCORED)).sum(axis=1) / np.where(zero_total > 0, zero_total, 1),
        0.0,
    )
    # 5. levels and gates
    mins = [lv.min for lv in fw.manifest.levels]
    score_level = np.where(scorable, band_level(np.nan_to_num(index), mins), 0).astype(np.int8)
    with np.errstate(invalid="ignore", divide="ignore"):
        pillar_index = np.where(
            pillar_max > 0, pillar_points / np.where(pillar_max > 0, pillar_max, 1), np.nan
        )
    pillar_level = np.where(
        pillar_max > 0, band_level(np.nan_to_num(pillar_index), mins), 0
    ).astype(np.int8)
    level_arr, capped_by = _apply_gates(
        fw, inds, status, level, score_level, pillar_level, top, pillar_max
    )
    for r in np.flatnonzero(~scorable):
        diagnostics.append(
            Diagnostic(
                "warning",
                "score.nothing",
                t("score.nothing"),
                units[r].id,
                None,
                subs[r].file,
                subs[r].line or None,
            )
        )
    # 6. ranks
    valid = scorable
    rank = competition_rank(total, valid)
    parents = [u.parent or "" for u in units]
    parent_codes = {p: c for c, p in enumerate(sorted(set(parents)))}
    rank_in_parent = competition_rank(
        total, valid, np.array([parent_codes[p] for p in parents], dtype=np.int64)
    )
    # results of this tier, usable by the parent tier's aggregates
    columns["score"] = fx.Column(
        np.where(scorable, total, 0.0), np.where(scorable, fx.OK, fx.MISSING).astype(np.uint8)
    )
    columns["index"] = fx.Column(np.nan_to_num(index), columns["score"].status)
    columns["level"] = fx.Column(level_arr.astype(np.float64), columns["score"].status)
    result = TierResult(
        tier=tier,
        units=units,
        periods=[s.period for s in subs],
        submissions=subs,
        indicators=inds,
        value=value,
        status=status,
        score=score,
        points=points,
        max_points=max_points,
        ind_level=level,
        pillar_ids=pillar_ids,
        pillar_points=pillar_points,
        pillar_max=pillar_max,
        pillar_level=pillar_level,
        total=np.where(scorable, total, np.nan),
        max_score=max_score,
        index=index,
        coverage=coverage,
        score_level=score_level,
        level=level_arr,
        capped_by=capped_by,
        rank=rank,
        rank_in_parent=rank_in_parent,
        columns=columns,
    )
    _run_checks(fw, tier, scope, units, subs, diagnostics)
    return result


def _input_columns(
    fw: Framework, names: list[str], subs: list[Submission]
) -> tuple[dict[str, F64], dict[str, NDArray[np.uint8]]]:
    """Each input's column of submitted values (0 where absent) and statuses (OK, MISSING or
    INVALID). Submissions read from a CSV table are taken a whole column at a time from the
    table (``Submission.source``); the others one input at a time from their ``values``
    mappings. Accepted values are finite, so NaN marks "not submitted" in both."""
    n = len(subs)
    raw: dict[str, F64] = {}
    from_table: dict[int, tuple[Table, list[int], list[int]]] = {}
    rest: list[int] = []
    for i, sub in enumerate(subs):
        src = sub.source
        # still the mapping the reader made, read for this very framework
        if src is not None and src.values is sub.values and src.table.framework is fw:
            entry = from_table.setdefault(id(src.table), (src.table, [], []))
            entry[1].append(i)
            entry[2].append(src.row)
        else:
            rest.append(i)
    if n == 0 or len(rest) < n:
        raw = {name: np.full(n, np.nan) for name in names}
    for table, positions, rows in from_table.values():
        at, take = np.array(positions, dtype=np.intp), np.array(rows, dtype=np.intp)
        for name in names:
            column = table.columns.get(name)
            if column is not None:
                raw[name][at] = column[take]
    if rest:
        dicts = [subs[i].values for i in rest]
        every = len(rest) == n  # no table at all: whole columns, no scatter
        at = np.array(rest, dtype=np.intp)
        nan = math.nan
        kinds = {type(d) for d in dicts}
        # map over the C-level get of one mapping type runs the loop in C
        getter: Callable[[Any, str, float], float] | None = None
        if kinds == {dict}:
            getter = dict.get
        elif kinds == {MappingProxyType}:
            getter = MappingProxyType.get
        for name in names:
            if getter is not None:
                found = map(getter, dicts, repeat(name), repeat(nan))
                column = np.fromiter(found, dtype=np.float64, count=len(dicts))
            else:
                column = np.array([d.get(name, nan) for d in dicts], dtype=np.float64)
            if every:
                raw[name] = column
            else:
                raw[name][at] = column
    values_by: dict[str, F64] = {}
    status_by: dict[str, NDArray[np.uint8]] = {}
    for name in names:
        given = ~np.isnan(raw[name])
        values_by[name] = np.where(given, raw[name], 0.0)
        status_by[name] = np.where(given, np.uint8(fx.OK), np.uint8(fx.MISSING))
    for i, sub in enumerate(subs):
        for name in sub.invalid:
            if name in status_by:
                status_by[name][i] = fx.INVALID
    return values_by, status_by


def _child_group(
    fw: Framework, child: TierResult, registry: Registry, row_of: dict[str, int]
) -> fx.Group:
    """Children of this tier's units: the scored children plus registry children that
    submitted nothing (all values missing), so ``count()`` counts every commune."""
    child_scope = _Scope(child.size, child.columns, None)
    parent_index = [row_of.get(u.parent or "", -1) for u in child.units]
    submitted = {u.id for u in child.units}
    extra = [
        u
        for u in registry.units.values()
        if u.tier == child.tier and u.parent in row_of and u.id not in submitted
    ]
    extra.sort(key=lambda u: u.id)
    parent_index += [row_of[u.parent or ""] for u in extra]
    padded = _PaddedScope(child_scope, len(extra))
    return fx.Group(padded, np.asarray(parent_index, dtype=np.int64), len(row_of))


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


def _shown_parts(expr: fx.Expr) -> list[fx.Expr]:
    """The sub-expressions a failed check reports: every aggregate, and each side of a
    comparison that is more than a name or a number (``a + b + c = 2132``)."""
    found: list[fx.Expr] = []

    def walk(node: fx.Expr) -> None:
        if isinstance(node, fx.Call) and fx.is_aggregate(node):
            found.append(node)
            return
        if isinstance(node, fx.Compare):
            for side in (node.left, node.right):
                if not isinstance(side, (fx.Name, fx.Number)):
                    found.append(side)
        for child in _children(node):
            walk(child)

    walk(expr)
    unique: dict[str, fx.Expr] = {}
    for node in found:
        unique.setdefault(fx.unparse(node), node)
    return list(unique.values())


def _children(node: fx.Expr) -> tuple[fx.Expr, ...]:
    if isinstance(node, (fx.Unary, fx.Not)):
        return (node.operand,)
    if isinstance(node, (fx.Binary, fx.Compare, fx.Logic)):
        return (node.left, node.right)
    if isinstance(node, fx.Call):
        return tuple(node.args)
    return ()


def _run_checks(
    fw: Framework,
    tier: str,
    scope: _Scope,
    units: list[Unit],
    subs: list[Submission],
    diagnostics: list[Diagnostic],
) -> None:
    for check in fw.manifest.checks:
        if tier not in check.tiers:
            continue
        expr = fw.formulas[f"check:{check.id}"]
        col = fx.evaluate(expr, scope, check.assert_)
        failed = (col.status == fx.OK) & (col.values == 0)
        errored = col.status == fx.ERROR
        if not failed.any() and not errored.any():
            continue
        own, _ = fx.names_used(expr)
        parts: list[tuple[str, fx.Column]] = [(name, scope.lookup(name)) for name in sorted(own)]
        parts += [
            (fx.unparse(part), fx.evaluate(part, scope, check.assert_))
            for part in _shown_parts(expr)
        ]
        for i in np.flatnonzero(failed):
            shown = ", ".join(
                f"{name} = {_num(c.values[i])}" for name, c in parts if c.status[i] == fx.OK
            )
            diagnostics.append(
                Diagnostic(
                    check.severity,
                    "check.failed",
                    t("check.failed", check=check.id, message=pick(check.message), values=shown),
                    units[i].id,
                    None,
                    subs[i].file,
                    subs[i].line or None,
                    check=check.id,
                )
            )
        for i in np.flatnonzero(errored):
            notes = "; ".join(msg for mask, msg in col.notes if mask[i]) or "error"
            diagnostics.append(
                Diagnostic(
                    "warning",
                    "check.error",
                    t("check.error", check=check.id, note=notes),
                    units[i].id,
                    None,
                    subs[i].file,
                    subs[i].line or None,
                    check=check.id,
                )
            )


def _num(x: float) -> str:
    """Numbers in messages: whole numbers without decimals, others to 4 significant decimals.

    >>> _num(2141.0), _num(49.53573)
    ('2141', '49.5357')
    """
    if float(x).is_integer():
        return str(int(x))
    return f"{x:.4f}".rstrip("0").rstrip(".")
