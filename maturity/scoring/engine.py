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
6. consistency checks; the publication rules (flags: a failed error check, coverage below the
   minimum) and ranks of the rankable units within the tier and within the parent unit.

Semantics and every decision they leave open are written down in ``docs/scoring.md``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from itertools import repeat
from types import MappingProxyType
from typing import Any

import numpy as np
from numpy.typing import NDArray

from maturity.errors import Location, Problem
from maturity.framework import formula as fx
from maturity.framework.compiled import Framework
from maturity.framework.methods import method_score
from maturity.inputs.periods import sort_key as period_order
from maturity.inputs.submissions import Batch, Submission, Table
from maturity.inputs.units import Registry, Unit
from maturity.scoring.checks import _run_checks
from maturity.scoring.kernel import (
    indicator_level,
    rankable_units,
    ranks_among,
    sub_indices,
    tally,
)
from maturity.scoring.results import (
    F64,
    FLAGS,
    NOT_APPLICABLE,
    U8,
    Results,
    TierResult,
    concat,
)
from maturity.scoring.scopes import _PaddedScope, _Scope


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
    """Score every submission of ``batch``: each period on its own (a province aggregates its
    communes of the same period; ranks are within tier and period), the periods' results
    side by side, in time order.

    ``overrides`` maps unit id -> {input or indicator id: value} and replaces submitted values
    (used by ``whatif``); an indicator id sets the indicator's value directly.
    """
    policy = missing_policy or framework.manifest.missing_policy
    periods = sorted({sub.period for sub in batch.submissions}, key=period_order)
    diagnostics = list(batch.diagnostics)
    parts: list[dict[str, TierResult]] = []
    for period in periods or [""]:
        subs = [sub for sub in batch.submissions if sub.period == period]
        parts.append(_score_period(framework, subs, registry, policy, overrides, diagnostics))
    tiers = {tier: concat([part[tier] for part in parts]) for tier in framework.tier_ids()}
    diagnostics.sort(key=Problem.diagnostic_key)
    return Results(framework, policy, tiers, diagnostics, dict(batch.files))


def _score_period(
    framework: Framework,
    submissions: list[Submission],
    registry: Registry,
    policy: str,
    overrides: dict[str, dict[str, float]] | None,
    diagnostics: list[Problem],
) -> dict[str, TierResult]:
    """The tiers of one period's submissions, children before parents."""
    by_tier: dict[str, list[tuple[Unit, Submission]]] = {tier: [] for tier in framework.tier_ids()}
    for sub in submissions:
        unit = registry.get(sub.unit)
        if unit is not None and unit.tier in by_tier:
            by_tier[unit.tier].append((unit, sub))
    for pairs in by_tier.values():
        pairs.sort(key=lambda pair: pair[0].id)  # unit order never matters
    tiers: dict[str, TierResult] = {}
    for tier in _tier_order(framework):
        child_tier = framework.child_tier(tier)
        child = tiers.get(child_tier) if child_tier else None
        tiers[tier] = _score_tier(
            framework, tier, by_tier[tier], registry, child, policy, overrides or {}, diagnostics
        )
    # parents absent from the batch
    present = {u.id for rows in by_tier.values() for u, _ in rows}
    for rows in by_tier.values():
        for unit, sub in rows:
            if unit.parent and unit.parent not in present:
                diagnostics.append(
                    Problem.at(
                        Location(sub.file or "", sub.line or 0),
                        "unit.parent_absent",
                        severity="warning",
                        unit=unit.id,
                        parent=unit.parent,
                    )
                )
    return tiers


def _score_tier(  # noqa: C901
    fw: Framework,
    tier: str,
    rows: list[tuple[Unit, Submission]],
    registry: Registry,
    child: TierResult | None,
    policy: str,
    overrides: dict[str, dict[str, float]],
    diagnostics: list[Problem],
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
    rank_of = {iid: r for r, iid in enumerate(fw.indicator_order)}
    evaluation = sorted(range(k), key=lambda j: rank_of.get(inds[j].id, j))
    for j in evaluation:  # every indicator after the results its formula reads
        ind = inds[j]
        src = ind.formula or ind.inputs[0]
        _result_columns(fw, tier, inds, fw.formulas[ind.id], columns, status, score, level, policy)
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
                    Problem.at(
                        Location(subs[r].file or "", subs[r].line or 0),
                        code,
                        severity=severity,
                        unit=units[r].id,
                        indicator=ind.id,
                        note=note,
                    )
                )
        ok = st == fx.OK
        s, bad = method_score(ind, np.where(ok, vals, 0.0))
        bad &= ok
        if bad.any():
            for r in np.flatnonzero(bad):
                diagnostics.append(
                    Problem.at(
                        Location(subs[r].file or "", subs[r].line or 0),
                        "score.ordinal_map",
                        severity="error",
                        unit=units[r].id,
                        indicator=ind.id,
                        value=vals[r],
                    )
                )
            st = np.where(bad, np.uint8(fx.INVALID), st)
            ok &= ~bad
        na = na_mask[:, j]
        status[:, j] = np.where(na, np.uint8(NOT_APPLICABLE), st)  # fx codes equal the engine's
        value[:, j] = np.where(ok, vals, np.nan)
        score[:, j] = np.where(ok & ~na, s, np.nan)
        level[:, j] = np.where(ok & ~na, indicator_level(ind, np.where(ok, vals, 0.0)), 0)
        scored = status[:, j] == fx.OK
        columns[f"indicator.{ind.id}"] = fx.Column(
            np.where(scored, score[:, j], 0.0),
            np.where(scored, fx.OK, fx.MISSING).astype(np.uint8),
        )
    # 4-5. shares, points, levels and gates: the kernel
    pillar_ids = list(fw.pillars)
    tl = tally(fw, tier, inds, status, score, level, policy)
    scorable = tl.scorable
    total = np.where(scorable, tl.total, 0.0)
    for r in np.flatnonzero(~scorable):
        diagnostics.append(
            Problem.at(
                Location(subs[r].file or "", subs[r].line or 0),
                "score.nothing",
                severity="warning",
                unit=units[r].id,
                indicator=None,
            )
        )
    # 6. consistency checks, then the publication rules, then ranks
    failing = _run_checks(fw, tier, scope, units, subs, diagnostics)
    flags, rankable = _publication(fw, tl.coverage, scorable, failing, units, subs, diagnostics)
    least = fw.manifest.publication.min_ranked
    digits = fw.manifest.ranking.digits
    rank = ranks_among(total, rankable, None, least, digits)
    parents = [u.parent or "" for u in units]
    parent_codes = {p: c for c, p in enumerate(sorted(set(parents)))}
    rank_in_parent = ranks_among(
        total,
        rankable,
        np.array([parent_codes[p] for p in parents], dtype=np.int64),
        least,
        digits,
    )
    # results of this tier, usable by the parent tier's aggregates
    columns["score"] = fx.Column(
        np.where(scorable, total, 0.0), np.where(scorable, fx.OK, fx.MISSING).astype(np.uint8)
    )
    columns["index"] = fx.Column(np.nan_to_num(tl.index), columns["score"].status)
    columns["level"] = fx.Column(tl.level.astype(np.float64), columns["score"].status)
    result = TierResult(
        tier=tier,
        units=units,
        periods=[s.period for s in subs],
        submissions=subs,
        indicators=inds,
        value=value,
        status=status,
        score=score,
        points=tl.points,
        max_points=tl.max_points,
        ind_level=level,
        pillar_ids=pillar_ids,
        pillar_points=tl.pillar_points,
        pillar_max=tl.pillar_max,
        pillar_level=tl.pillar_level,
        total=tl.total,
        max_score=tl.max_score,
        index=tl.index,
        coverage=tl.coverage,
        score_level=tl.score_level,
        level=tl.level,
        capped_by=tl.capped_by,
        rank=rank,
        rank_in_parent=rank_in_parent,
        flags=flags,
        columns=columns,
    )
    subs_of = sub_indices(
        fw, inds, status, score, pillar_ids, tl.pillar_points, tl.pillar_max, policy
    )
    codes = np.array([parent_codes[p] for p in parents], dtype=np.int64)
    for sid, values in subs_of.items():
        ok = rankable & ~np.isnan(values)
        result.sub_index[sid] = values
        result.sub_rank[sid] = ranks_among(np.nan_to_num(values), ok, None, least)
        result.sub_rank[f"{sid}@parent"] = ranks_among(np.nan_to_num(values), ok, codes, least)
    return result


def _result_columns(
    fw: Framework,
    tier: str,
    inds: list[Any],
    expr: fx.Expr,
    columns: dict[str, fx.Column],
    status: NDArray[np.uint8],
    score: F64,
    level: NDArray[np.int8],
    policy: str,
) -> None:
    """Put the pillar results a formula reads (``pillar.P``: the pillar's index, its points
    ÷ its share, missing where nothing of it counts) into ``columns``, from the indicators
    scored so far (the framework's indicator order puts all of the pillar's first)."""
    wanted = [n for n in fx.names_used(expr)[0] if n.startswith("pillar.") and n not in columns]
    if not wanted:
        return
    tl = tally(fw, tier, inds, status, score, level, policy)
    pos = {pid: p for p, pid in enumerate(fw.pillars)}
    assert tl.pillar_index is not None
    for name in wanted:
        p = pos[name.removeprefix("pillar.")]
        counts = tl.pillar_max[:, p] > 0
        columns[name] = fx.Column(
            np.where(counts, tl.pillar_index[:, p], 0.0),
            np.where(counts, fx.OK, fx.MISSING).astype(np.uint8),
        )


def _publication(
    fw: Framework,
    coverage: F64,
    scorable: NDArray[np.bool_],
    failing: NDArray[np.bool_],
    units: list[Unit],
    subs: list[Submission],
    diagnostics: list[Problem],
) -> tuple[U8, NDArray[np.bool_]]:
    """The framework's publication rules over a tier: each unit's flags (bits of ``FLAGS``)
    and whether it may be ranked. A unit below the coverage minimum gets a warning."""
    rules = fw.manifest.publication
    low = scorable & (np.round(np.nan_to_num(coverage), 6) < rules.min_coverage)
    errors = scorable & failing
    flags = (errors.astype(np.uint8) << FLAGS.index("check_error")) | (
        low.astype(np.uint8) << FLAGS.index("low_coverage")
    )
    rankable = rankable_units(fw, scorable, flags.astype(np.uint8))
    for r in np.flatnonzero(low):
        diagnostics.append(
            Problem.at(
                Location(subs[r].file or "", subs[r].line or 0),
                "publication.low_coverage",
                severity="warning",
                unit=units[r].id,
                indicator=None,
                coverage=_below(float(coverage[r]), rules.min_coverage),
                minimum=round(rules.min_coverage * 100),
            )
        )
    return flags.astype(np.uint8), rankable


def _below(share: float, minimum: float) -> int:
    """A coverage below ``minimum`` as a whole percentage, as tables round it, but never
    rounded up to the minimum itself (59.6 % below 60 % says 59).

    >>> _below(0.1464, 0.6), _below(0.596, 0.6)
    (15, 59)
    """
    shown = round(share * 100)
    return shown if shown < round(minimum * 100) else math.floor(share * 100)


# complex on purpose: table columns and mappings, each with its statuses (the hot path)
def _input_columns(  # noqa: C901
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
