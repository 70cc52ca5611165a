"""Explanations: why a unit has its score and level, what each gap costs, what earns the
points back, and the path to the next level. Computed from the same rules as the score.

The path to the next level is greedy (documented in ``docs/explain.md``): it is honest about
not being optimal, and it is verified by re-scoring before it is promised.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from maturity.framework import formula as fx
from maturity.framework.compiled import Framework
from maturity.framework.methods import method_params, method_score
from maturity.framework.model import Indicator
from maturity.i18n import Text, pick
from maturity.inputs.submissions import Batch
from maturity.inputs.units import Registry
from maturity.scoring.engine import score_batch
from maturity.scoring.kernel import indicator_level, ranks_among, tier_rankable, unit_levels
from maturity.scoring.results import NOT_APPLICABLE, SCORED, STATUS_NAMES, Results, TierResult

EFFORT_COST = {"low": 1.0, "medium": 2.0, "high": 3.0}


TRACE_VERSION = "1"


@dataclass(frozen=True)
class NaturalGap:
    """A gap in the indicator's own units: change ``input`` from ``current`` to ``needed``."""

    input: str
    current: float
    needed: float
    transfer_from: str | None = None

    @property
    def delta(self) -> float:
        return self.needed - self.current


@dataclass(frozen=True)
class IndicatorExplanation:
    id: str
    pillar: str
    status: str
    value: float | None
    score: float | None
    points: float
    max_points: float
    lost: float
    level: int | None
    next_level: int | None
    next_cutoff: float | None
    gap: float | None  # in the indicator's units, to the next cut-off
    natural: NaturalGap | None
    context: bool
    critical: bool


@dataclass(frozen=True)
class PathStep:
    indicator: str
    from_value: float | None
    to_value: float
    from_level: int | None
    to_level: int
    points_gained: float
    effort: str
    natural: NaturalGap | None


@dataclass(frozen=True)
class PillarExplanation:
    id: str
    parent: str | None
    score: float
    max_score: float
    level: int | None
    rank: int | None
    rank_in_parent: int | None
    peers: int


@dataclass(frozen=True)
class RejectedValue:
    """A value the unit submitted that was not accepted: as written, and why."""

    input: str
    written: str | None
    reason: Text
    indicators: tuple[str, ...]  # the indicators that use it


@dataclass(frozen=True)
class FailedCheck:
    """A consistency check the unit failed (or that could not be evaluated), with its values."""

    check: str
    severity: str
    code: str  # check.failed | check.error
    message: Text
    values: Text  # its numbers shown in the language of the moment it is shown


@dataclass(frozen=True)
class GateCause:
    """What behind a gate capped the level: the critical indicators below the level the gate
    needs, or the pillars too far behind."""

    gate: str
    kind: str
    indicators: tuple[str, ...] = ()
    pillars: tuple[str, ...] = ()
    needed: int | None = None  # the indicator level a critical-indicators gate needs


@dataclass
class Explanation:
    """Everything ``maturity explain`` says about one unit."""

    unit: str
    name: str
    tier: str
    parent: str | None
    score: float | None
    max_score: float
    index: float | None
    level: int | None
    score_level: int | None
    band_min: float | None
    next_band_min: float | None
    points_to_next_band: float | None
    capped_by: list[str]
    rank: int | None
    rank_in_parent: int | None
    peers: int
    coverage: float
    indicators: list[IndicatorExplanation]
    pillars: list[PillarExplanation]
    period: str = ""
    rejected: list[RejectedValue] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)  # publication flags (scoring.results.FLAGS)
    failed_checks: list[FailedCheck] = field(default_factory=list)
    gate_causes: list[GateCause] = field(default_factory=list)
    path_target: int | None = None
    path: list[PathStep] = field(default_factory=list)
    path_reaches: int | None = None
    trace: dict[str, Any] | None = None

    def performance_gaps(self) -> list[IndicatorExplanation]:
        """Scored indicators that lost points, most points lost first (then by id)."""
        gaps = [i for i in self.indicators if i.status == "scored" and i.lost > 1e-9]
        return sorted(gaps, key=lambda i: (-i.lost, i.id))

    def data_gaps(self) -> list[IndicatorExplanation]:
        """Indicators without a usable value (missing, invalid, error), by points at stake."""
        gaps = [
            i
            for i in self.indicators
            if i.status in ("missing", "invalid", "error") and not i.context
        ]
        return sorted(gaps, key=lambda i: (-i.max_points, i.id))

    def not_applicable(self) -> list[IndicatorExplanation]:
        return [i for i in self.indicators if i.status == "not_applicable"]


class _RowScope:
    """One unit's columns, repeated over candidate values of one or two inputs."""

    def __init__(
        self, result: TierResult, row: int, size: int, changes: dict[str, np.ndarray]
    ) -> None:
        self.size = size
        self.result = result
        self.row = row
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
            np.full(self.size, col.values[self.row]),
            np.full(self.size, col.status[self.row], dtype=np.uint8),
        )

    def children(self) -> fx.Group | None:
        return None


def _has_aggregate(expr: fx.Expr) -> bool:
    _, inside = fx.names_used(expr)
    return bool(inside) or "count()" in fx.unparse(expr)


def _evaluate_candidates(
    fw: Framework, result: TierResult, row: int, ind: Indicator, changes: dict[str, np.ndarray]
) -> fx.Column:
    size = next(iter(changes.values())).shape[0]
    scope = _RowScope(result, row, size, changes)
    for did in _derived_needed(fw, ind.id, result.tier):  # they may depend on the changes
        scope.cache[did] = fx.evaluate(fw.formulas[did], scope, fw.derived[did].formula)
    return fx.evaluate(fw.formulas[ind.id], scope, ind.formula or "")


_NEEDED: dict[int, tuple[Framework, dict[tuple[str, str], list[str]]]] = {}


def _derived_needed(fw: Framework, formula_id: str, tier: str) -> list[str]:
    """The derived values of ``tier`` that the formula uses, directly or not, in dependency
    order (memoised per framework object; the entry holds the framework, so its id cannot
    be reused by another while the entry lives)."""
    entry = _NEEDED.get(id(fw))
    if entry is None or entry[0] is not fw:
        entry = _NEEDED[id(fw)] = (fw, {})
    memo = entry[1]
    if (formula_id, tier) not in memo:
        wanted: set[str] = set()
        todo = [formula_id]
        while todo:
            own, _ = fx.names_used(fw.formulas[todo.pop()])
            for name in own:
                if name in fw.derived and name not in wanted and tier in fw.derived[name].tiers:
                    wanted.add(name)
                    todo.append(name)
        memo[formula_id, tier] = [d for d in fw.derived_order if d in wanted]
    return memo[formula_id, tier]


# complex on purpose: one search with its lever, transfer, bounds and integer cases
def natural_gap(  # noqa: C901
    fw: Framework, result: TierResult, row: int, ind: Indicator, target: float
) -> NaturalGap | None:
    """The change of one input (the rule's ``lever``, else the first input) that brings the
    indicator's value to ``target``, found by exponential then binary search on the formula.

    Returns ``None`` when the value cannot reach the target by that input alone (or the
    formula aggregates child units, whose values the unit does not control directly).
    """
    expr = fw.formulas[ind.id]
    if _has_aggregate(expr):
        return None
    lever = ind.lever.input if ind.lever else ind.inputs[0]
    transfer = ind.lever.transfer_from if ind.lever else None
    seen: set[str] = set()
    while lever in fw.derived and lever not in seen:  # a derived value: change its first input
        seen.add(lever)
        own, _ = fx.names_used(fw.formulas[lever])
        names = [
            n
            for n in fx.unparse(fw.formulas[lever]).replace("(", " ").replace(",", " ").split()
            if n in own
        ]
        if not names:
            return None
        lever = names[0]
    col = result.columns.get(lever)
    if col is None or lever not in fw.inputs:
        return None
    current = float(col.values[row]) if col.status[row] == fx.OK else 0.0
    inp = fw.inputs[lever]
    integer = inp.type in ("integer", "ordinal", "boolean")
    higher = ind.direction == "higher"

    def reaches(values: np.ndarray) -> np.ndarray:
        changes = {lever: values}
        if transfer is not None:
            tcol = result.columns.get(transfer)
            base = (
                float(tcol.values[row]) if tcol is not None and tcol.status[row] == fx.OK else 0.0
            )
            changes[transfer] = base - (values - current)
        out = _evaluate_candidates(fw, result, row, ind, changes)
        v = np.round(out.values, 9)
        ok = out.status == fx.OK
        reached: np.ndarray = ok & ((v >= target) if higher else (v <= target))
        return reached

    for sign in (1.0, -1.0):
        steps = np.array([0.0] + [2.0**k for k in range(0, 48)])
        cand = current + sign * steps
        if inp.min is not None:
            cand = np.maximum(cand, inp.min)
        if inp.max is not None:
            cand = np.minimum(cand, inp.max)
        if transfer is not None:  # cannot move more than the other input holds
            tcol = result.columns.get(transfer)
            avail = (
                float(tcol.values[row]) if tcol is not None and tcol.status[row] == fx.OK else 0.0
            )
            cand = np.clip(
                cand,
                current - avail if sign < 0 else current,
                current + avail if sign > 0 else current,
            )
        hits = reaches(cand)
        if not hits.any():
            continue
        first = int(np.argmax(hits))
        if first == 0:
            return NaturalGap(lever, current, current, transfer)
        if first - 1 >= 0 and cand[first - 1] == cand[first]:
            return None
        lo, hi = float(cand[first - 1]), float(cand[first])
        # k-ary search between the last candidate that fails (lo) and the first that reaches
        # (hi): 64 candidates per formula evaluation instead of one, so about 8 rounds find
        # the smallest integer change within 2**48 and a real one to 1e-12 (relative)
        for _ in range(40):
            if integer and abs(hi - lo) <= 1:
                break
            if not integer and abs(hi - lo) <= max(1e-9, abs(hi) * 1e-12):
                break
            grid = np.linspace(lo, hi, 66)[1:-1]
            if integer:
                grid = np.floor(grid) if sign > 0 else np.ceil(grid)
                grid = grid[(grid != lo) & (grid != hi)]
                if grid.size == 0:
                    break
            hit = reaches(grid)
            if hit.any():
                first = int(np.argmax(hit))
                hi = float(grid[first])
                if first > 0:
                    lo = float(grid[first - 1])
            else:
                lo = float(grid[-1])
        return NaturalGap(lever, current, float(hi), transfer)
    return None


def _value_at_level(ind: Indicator, level: int) -> float:
    return ind.cutoffs.values()[level - 2]


def explain_unit(
    results: Results,
    unit_id: str,
    *,
    with_trace: bool = False,
    batch: Batch | None = None,
    registry: Registry | None = None,
) -> Explanation:
    """Explain one unit of ``results``. ``batch`` and ``registry`` (those the results were
    scored from) let the path to the next level be verified by re-scoring."""
    found = results.find(unit_id)
    if found is None:
        raise KeyError(unit_id)
    result, row = found
    fw = results.framework
    unit = result.units[row]
    mins = [lv.min for lv in fw.manifest.levels]
    level = int(result.level[row]) or None
    score_level = int(result.score_level[row]) or None
    scale = fw.manifest.scale
    indicators: list[IndicatorExplanation] = []
    for j, ind in enumerate(result.indicators):
        status = STATUS_NAMES[int(result.status[row, j])]
        value = float(result.value[row, j]) if not math.isnan(result.value[row, j]) else None
        lvl = int(result.ind_level[row, j]) or None
        next_level = (lvl or 1) + 1 if (lvl or 1) < 5 else None
        cut = _value_at_level(ind, next_level) if next_level else None
        gap = None
        natural = None
        if status == "scored" and cut is not None and value is not None:
            gap = cut - value
            if not ind.context:
                natural = natural_gap(fw, result, row, ind, cut)
        maxp = float(result.max_points[row, j])
        pts = float(result.points[row, j])
        indicators.append(
            IndicatorExplanation(
                ind.id,
                ind.pillar,
                status,
                value,
                None if math.isnan(result.score[row, j]) else float(result.score[row, j]),
                pts,
                maxp,
                maxp - pts,
                lvl,
                next_level,
                cut,
                gap,
                natural,
                ind.context,
                ind.critical,
            )
        )
    # pillars and peers
    pillars: list[PillarExplanation] = []
    same_parent = np.array([u.parent == unit.parent for u in result.units], dtype=bool)
    rankable = tier_rankable(fw, result)
    least = fw.manifest.publication.min_ranked
    for p, pid in enumerate(result.pillar_ids):
        maxes = result.pillar_max[:, p]
        valid = maxes > 0
        with np.errstate(invalid="ignore", divide="ignore"):
            idx = np.where(valid, result.pillar_points[:, p] / np.where(valid, maxes, 1), 0.0)
        ranks = ranks_among(idx, valid & rankable, None, least)
        parent_ranks = ranks_among(idx, valid & rankable & same_parent, None, least)
        pillars.append(
            PillarExplanation(
                pid,
                fw.pillars[pid].parent,
                float(result.pillar_points[row, p]),
                float(maxes[row]),
                int(result.pillar_level[row, p]) or None,
                int(ranks[row]) or None,
                (int(parent_ranks[row]) or None) if unit.parent else None,
                int((valid & rankable).sum()),
            )
        )
    total = None if math.isnan(result.total[row]) else float(result.total[row])
    band_min = mins[score_level - 1] if score_level else None
    next_min = mins[score_level] if score_level and score_level < len(mins) else None
    exp = Explanation(
        unit=unit.id,
        name=unit.name,
        tier=unit.tier,
        parent=unit.parent,
        score=total,
        max_score=float(result.max_score[row]),
        index=None if math.isnan(result.index[row]) else float(result.index[row]),
        level=level,
        score_level=score_level,
        band_min=band_min,
        next_band_min=next_min,
        points_to_next_band=(next_min * scale - (total or 0.0)) if next_min is not None else None,
        capped_by=list(result.capped_by[row]),
        rank=int(result.rank[row]) or None,
        rank_in_parent=(int(result.rank_in_parent[row]) or None) if unit.parent else None,
        peers=int(rankable.sum()),
        coverage=float(result.coverage[row]),
        flags=result.flags_of(row),
        indicators=indicators,
        pillars=pillars,
    )
    exp.period = result.periods[row]
    exp.rejected = rejected_values(result, row)
    exp.failed_checks = failed_checks(results, result, row)
    exp.gate_causes = gate_causes(fw, result, row)
    if level is not None and level < len(mins):
        exp.path_target = level + 1
        exp.path = greedy_path(results, result, row, level + 1)
        if batch is not None and registry is not None:
            exp.path, exp.path_reaches = verify_path(
                results, result, row, exp.path, level + 1, batch, registry
            )
    if with_trace:
        exp.trace = trace(results, result, row)
    return exp


def rejected_values(result: TierResult, row: int) -> list[RejectedValue]:
    """The unit's rejected values, by input id: as written and the reason."""
    sub = result.submissions[row]
    users: dict[str, list[str]] = {}
    for ind in result.indicators:
        for name in ind.inputs:
            users.setdefault(name, []).append(ind.id)
    return [
        RejectedValue(name, sub.written.get(name), why, tuple(users.get(name, ())))
        for name, why in sorted(sub.invalid.items())
    ]


def failed_checks(results: Results, result: TierResult, row: int) -> list[FailedCheck]:
    """The consistency checks the unit failed in this period (errors first, then by id)."""
    unit = result.units[row].id
    sub = result.submissions[row]
    out = []
    for p in results.diagnostics:
        if p.unit != unit or p.code not in ("check.failed", "check.error") or p.check is None:
            continue
        if sub.file and (p.location.file, p.location.line) != (sub.file, sub.line):
            continue  # the same unit's submission of another period
        out.append(
            FailedCheck(
                p.check,
                p.severity,
                p.code,
                p.args.get("message", "") if p.code == "check.failed" else p.args.get("note", ""),
                p.args.get("values", ""),
            )
        )
    order = {"error": 0, "warning": 1, "info": 2}
    return sorted(out, key=lambda c: (order.get(c.severity, 3), c.check))


def gate_causes(fw: Framework, result: TierResult, row: int) -> list[GateCause]:
    """For each gate that capped the unit's level, what caused it (as the kernel decides:
    a critical indicator without a value counts as below the level)."""
    out = []
    gates = {g.id: g for g in fw.manifest.gates}
    for gate_id in result.capped_by[row]:
        gate = gates[gate_id]
        if gate.kind == "critical_indicators":
            needed = gate.min_indicator_level or 0
            short = tuple(
                ind.id
                for j, ind in enumerate(result.indicators)
                if ind.critical
                and result.status[row, j] != NOT_APPLICABLE
                and result.ind_level[row, j] < needed
            )
            out.append(GateCause(gate_id, gate.kind, indicators=short, needed=needed))
        elif gate.kind == "weakest_pillar":
            counted = [
                (int(result.pillar_level[row, p]), pid)
                for p, pid in enumerate(result.pillar_ids)
                if fw.pillars[pid].parent is None and result.pillar_max[row, p] > 0
            ]
            low = min((lv for lv, _ in counted), default=0)
            behind = tuple(pid for lv, pid in counted if lv == low)
            out.append(GateCause(gate_id, gate.kind, pillars=behind))
    return out


@dataclass
class _State:
    s: np.ndarray  # score per indicator (0 where no value)
    lvl: np.ndarray  # indicator level (0 where no value)
    val: np.ndarray


def _levels_now(
    fw: Framework, result: TierResult, row: int, state: _State
) -> tuple[int, np.ndarray, float]:
    """Final level, pillar levels and total of the state, with the unit's current shares."""
    return unit_levels(
        fw,
        result.indicators,
        result.pillar_ids,
        state.s,
        state.lvl.astype(np.int8),
        result.status[row],
        result.max_points[row],
        result.pillar_max[row],
    )


# complex on purpose: the documented greedy order (gates first, then points per effort) in one loop
def greedy_path(results: Results, result: TierResult, row: int, target: int) -> list[PathStep]:  # noqa: C901
    """A small set of indicator improvements that together reach level ``target``.

    Greedy: each step raises one indicator to its next cut-off. Steps that a gate requires
    (critical indicators below the gate's level, pillars too far behind) come first; then the
    step with the most points per unit of effort (low 1, medium 2, high 3), ties by id.
    """
    fw = results.framework
    inds = result.indicators
    k = len(inds)
    status = result.status[row]
    state = _State(
        np.where(status == SCORED, np.nan_to_num(result.score[row]), 0.0),
        np.where(status == SCORED, result.ind_level[row], 0).astype(int),
        result.value[row].copy(),
    )
    movable = [
        j
        for j in range(k)
        if status[j] != NOT_APPLICABLE and inds[j].weight > 0 and result.max_points[row, j] > 0
    ]
    maxp = result.max_points[row]
    mins = [lv.min for lv in fw.manifest.levels]
    scale = fw.manifest.scale
    chosen: dict[int, tuple[float, int]] = {}
    for _ in range(5 * k + 10):
        level, plevel, total = _levels_now(fw, result, row, state)
        if level >= target:
            break
        options: list[int] = []
        for gate in fw.manifest.gates:
            if (
                gate.kind == "critical_indicators"
                and gate.from_level is not None
                and target >= gate.from_level
            ):
                assert gate.min_indicator_level is not None
                options = [
                    j
                    for j in movable
                    if inds[j].critical and state.lvl[j] < gate.min_indicator_level
                ]
                if options:
                    break
        if not options:
            for gate in fw.manifest.gates:
                if gate.kind == "weakest_pillar" and gate.max_gap is not None:
                    need = target - gate.max_gap
                    behind = {
                        pid
                        for p, pid in enumerate(result.pillar_ids)
                        if result.pillar_max[row, p] > 0 and 0 < plevel[p] < need
                    }
                    if behind:
                        leaves = {leaf for pid in behind for leaf in fw.leaf_of(pid)}
                        options = [
                            j for j in movable if inds[j].pillar in leaves and state.lvl[j] < 5
                        ]
                        break
        if not options:
            if total / scale >= mins[target - 1] - 1e-12:
                break  # the band is reached; nothing more a single move could fix
            options = [j for j in movable if state.lvl[j] < 5]
        best: tuple[float, str, int, float, int, float] | None = None
        for j in options:
            ind = inds[j]
            nxt = max(int(state.lvl[j]) + 1, 2)
            if nxt > 5:
                continue
            to_value = _value_at_level(ind, nxt)
            s_new = float(method_score(ind, np.array([to_value]))[0][0])
            gained = (s_new - state.s[j]) * maxp[j]
            ratio = gained / EFFORT_COST[ind.remediation.effort]
            key = (-ratio, ind.id)
            if best is None or key < (best[0], best[1]):
                best = (-ratio, ind.id, j, to_value, nxt, s_new)
        if best is None:
            break
        _, _, j, to_value, nxt, s_new = best
        state.s[j] = s_new
        state.lvl[j] = int(indicator_level(inds[j], np.array([to_value]))[0])
        state.val[j] = to_value
        chosen[j] = (to_value, int(state.lvl[j]))
    steps = []
    for j, (to_value, to_level) in chosen.items():
        ind = inds[j]
        before = None if math.isnan(result.value[row, j]) else float(result.value[row, j])
        s_before = float(np.nan_to_num(result.score[row, j])) if status[j] == SCORED else 0.0
        s_after = float(method_score(ind, np.array([to_value]))[0][0])
        natural = natural_gap(fw, result, row, ind, to_value) if status[j] == SCORED else None
        steps.append(
            PathStep(
                ind.id,
                before,
                float(to_value),
                int(result.ind_level[row, j]) or None,
                to_level,
                float((s_after - s_before) * maxp[j]),
                ind.remediation.effort,
                natural,
            )
        )
    steps.sort(key=lambda st: (-st.points_gained / EFFORT_COST[st.effort], st.indicator))
    return steps


def path_overrides(path: list[PathStep]) -> dict[str, float]:
    """The path as indicator values, for ``whatif --path``."""
    return {step.indicator: step.to_value for step in path}


def _sub_batch(batch: Batch, results: Results, unit_id: str, registry: Registry) -> Batch:
    """The unit with its child units (a province needs its communes for aggregates)."""
    keep = {unit_id} | {u.id for u in registry.children(unit_id)}
    return Batch([s for s in batch.submissions if s.unit in keep], [], dict(batch.files))


def verify_path(
    results: Results,
    result: TierResult,
    row: int,
    path: list[PathStep],
    target: int,
    batch: Batch,
    registry: Registry,
) -> tuple[list[PathStep], int | None]:
    """Re-score the unit with the path applied; extend the path while it falls short."""
    fw = results.framework
    unit_id = result.units[row].id
    sub = _sub_batch(batch, results, unit_id, registry)
    for _ in range(10):
        rescored = score_batch(
            fw,
            sub,
            registry,
            missing_policy=results.policy,
            overrides={unit_id: path_overrides(path)},
        )
        found = rescored.find(unit_id)
        assert found is not None
        r2, i2 = found
        reached = int(r2.level[i2])
        if reached >= target:
            return path, reached
        extra = greedy_path(rescored, r2, i2, target)
        if not extra:
            return path, reached
        merged = {st.indicator: st for st in path}
        for st in extra:
            merged[st.indicator] = PathStep(
                st.indicator,
                merged[st.indicator].from_value if st.indicator in merged else st.from_value,
                st.to_value,
                merged[st.indicator].from_level if st.indicator in merged else st.from_level,
                st.to_level,
                st.points_gained
                + (merged[st.indicator].points_gained if st.indicator in merged else 0.0),
                st.effort,
                st.natural,
            )
        path = sorted(
            merged.values(),
            key=lambda st: (-st.points_gained / EFFORT_COST[st.effort], st.indicator),
        )
    return path, None


def _f(x: float) -> float | None:
    return None if x is None or math.isnan(x) else round(float(x), 9)


def trace(results: Results, result: TierResult, row: int) -> dict[str, Any]:
    """The machine-readable trace behind every number: inputs → formulas → scores → points."""
    fw = results.framework
    sub = result.submissions[row]
    inputs = {}
    for inp in fw.inputs_for(result.tier):
        col = result.columns[inp.id]
        inputs[inp.id] = {
            "value": _f(col.values[row]) if col.status[row] == fx.OK else None,
            "status": ("ok", "missing", "invalid", "error")[int(col.status[row])],
            **({"rejected": sub.invalid[inp.id]} if inp.id in sub.invalid else {}),
        }
    derived = {}
    for did in fw.derived_order:
        if result.tier in fw.derived[did].tiers:
            col = result.columns[did]
            derived[did] = {
                "formula": fw.derived[did].formula,
                "value": _f(col.values[row]) if col.status[row] == fx.OK else None,
                "status": ("ok", "missing", "invalid", "error")[int(col.status[row])],
            }
    indicators = []
    for j, ind in enumerate(result.indicators):
        params = method_params(ind)
        indicators.append(
            {
                "id": ind.id,
                "pillar": ind.pillar,
                "inputs": list(ind.inputs),
                "formula": ind.formula or ind.inputs[0],
                "value": _f(result.value[row, j]),
                "status": STATUS_NAMES[int(result.status[row, j])],
                "method": ind.method,
                "params": params,
                "direction": ind.direction,
                "cutoffs": list(ind.cutoffs.values()),
                "level": int(result.ind_level[row, j]) or None,
                "score": _f(result.score[row, j]),
                "weight": ind.weight,
                "max_points": _f(result.max_points[row, j]),
                "points": _f(result.points[row, j]),
            }
        )
    pillars = [
        {
            "id": pid,
            "parent": fw.pillars[pid].parent,
            "weight": fw.pillars[pid].model.weights.get(result.tier, 0.0),
            "max_score": _f(result.pillar_max[row, p]),
            "score": _f(result.pillar_points[row, p]),
            "level": int(result.pillar_level[row, p]) or None,
        }
        for p, pid in enumerate(result.pillar_ids)
    ]
    return {
        "trace_version": TRACE_VERSION,
        "framework": {"id": fw.id, "version": fw.version, "digest": fw.digest},
        "unit": result.units[row].id,
        "missing_policy": results.policy,
        "scale": fw.manifest.scale,
        "inputs": inputs,
        "derived": derived,
        "indicators": indicators,
        "pillars": pillars,
        "total": _f(result.total[row]),
        "index": _f(result.index[row]),
        "bands": [{"level": lv.level, "min": lv.min} for lv in fw.manifest.levels],
        "score_level": int(result.score_level[row]) or None,
        "gates": [
            {"id": g.id, "kind": g.kind, "capped": g.id in result.capped_by[row]}
            for g in fw.manifest.gates
        ],
        "level": int(result.level[row]) or None,
    }


def indicator_name(fw: Framework, indicator_id: str) -> str:
    return pick(fw.indicator(indicator_id).name)
