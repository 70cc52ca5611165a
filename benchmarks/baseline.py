"""The engine's arithmetic written directly in numpy: the yardstick for ``bench_score.py``.

No engine code runs in :func:`compute`. Missing, invalid and erroneous values are plain
``NaN`` (they all earn no points), so there are no status masks, no notes and no diagnostic
objects; what remains is the arithmetic of ``docs/scoring.md``: formulas (derived values,
indicators, consistency checks, province aggregates over communes), scores by method,
indicator levels, shares renormalised per unit down the pillar tree, points, pillar sums,
totals, coverage, bands, gates and ranks.

The formulas themselves are transcribed from the rule files into straight-line numpy source
by :func:`transcribe` (one line per formula, ``ratio(a, b)`` -> ``_ratio(a, b)`` and so on),
compiled once before timing: the code a person would type for these 100-odd formulas, without
the typing. The rule parameters (floors, targets, steps, cut-offs, weights, pillar weights)
are read into plain arrays beforehand, as constants of a hand-written program would be.
:func:`prepare` (untimed) turns a batch into the input arrays both sides start from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from maturity.framework import formula as fx
from maturity.framework.compiled import Framework
from maturity.framework.model import Indicator
from maturity.inputs.submissions import Batch
from maturity.inputs.units import Registry

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
B = NDArray[np.bool_]
Arrays = dict[str, F64]
ROUND = 9

# --------------------------------------------------------------------------- formula helpers
# NaN is "no value": it propagates through arithmetic, as missing values do in the engine.


def _ratio(a: F64, b: F64, when_zero: F64 | None = None) -> F64:
    zero = b == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        q = a / np.where(zero, 1.0, b)
    out: F64 = np.where(zero, np.nan if when_zero is None else when_zero, q)
    return out


def _div(a: F64, b: F64) -> F64:
    return _ratio(a, b)


def _known(*xs: F64) -> F64:
    """0 where every operand has a value, NaN elsewhere (adds NaN-propagation to booleans)."""
    out = xs[0] * 0.0
    for x in xs[1:]:
        out = out + x * 0.0
    return out


def _cmp(result: B, a: F64, b: F64) -> F64:
    out: F64 = result + _known(a, b)
    return out


def _if(c: F64, a: F64, b: F64) -> F64:
    out: F64 = np.where(np.isnan(c), np.nan, np.where(c != 0, a, b))
    return out


def _coalesce(*xs: F64) -> F64:
    out = xs[-1]
    for x in reversed(xs[:-1]):
        out = np.where(np.isnan(x), out, x)
    return out


def _round(x: F64, digits: float = 0.0) -> F64:
    scale = 10.0**digits
    scaled = np.abs(x) * scale
    out: F64 = np.copysign(np.floor(scaled + 0.5 + 4 * np.spacing(scaled)) / scale, x) + 0.0
    return out


def _full(n: int, value: float) -> F64:
    return np.full(n, value)


class _Kids:
    """The child rows of a parent tier: ``parent[i]`` is the parent row of child ``i``."""

    def __init__(self, parent: I64, n: int) -> None:
        self.parent = parent
        self.n = n
        self.total = np.bincount(parent, minlength=n).astype(np.float64)

    def present(self, x: F64) -> tuple[B, F64]:
        ok = ~np.isnan(x)
        return ok, np.bincount(self.parent[ok], minlength=self.n).astype(np.float64)

    def sum(self, x: F64) -> F64:
        ok, k = self.present(x)
        s = np.bincount(self.parent[ok], weights=x[ok], minlength=self.n)
        out: F64 = np.where(k > 0, s, np.nan)
        return out

    def mean(self, x: F64) -> F64:
        ok, k = self.present(x)
        s = np.bincount(self.parent[ok], weights=x[ok], minlength=self.n)
        out: F64 = np.where(k > 0, s / np.maximum(k, 1), np.nan)
        return out

    def extreme(self, x: F64, fn: Any, fill: float) -> F64:
        ok, k = self.present(x)
        out = np.full(self.n, fill)
        fn.at(out, self.parent[ok], x[ok])
        res: F64 = np.where(k > 0, out, np.nan)
        return res

    def count(self, x: F64 | None = None) -> F64:
        if x is None:
            return self.total
        hit = ~np.isnan(x) & (x != 0)
        return np.bincount(self.parent[hit], minlength=self.n).astype(np.float64)

    def share(self, x: F64) -> F64:
        ok, k = self.present(x)
        hits = np.bincount(self.parent[ok & (x != 0)], minlength=self.n)
        out: F64 = np.where(k > 0, hits / np.maximum(k, 1), np.nan)
        return out


HELPERS: dict[str, Any] = {
    "np": np, "_ratio": _ratio, "_div": _div, "_cmp": _cmp, "_if": _if, "_coalesce": _coalesce,
    "_round": _round, "_known": _known, "_full": _full, "nan": np.nan,
}  # fmt: skip


# --------------------------------------------------------------------------- transcription

_CMP = {"<": "<", "<=": "<=", ">": ">", ">=": ">=", "==": "==", "!=": "!="}


# complex on purpose: a transcriber over every formula node kind, as the evaluator is
def transcribe(expr: fx.Expr, own: str, kids: str, inside: bool = False) -> str:  # noqa: C901
    """numpy source for a formula; names read ``own[...]`` (or ``kids[...]`` in aggregates).

    >>> transcribe(fx.parse("ratio(a, a + b) * 100"), "c", "k")
    "(_ratio(c['a'], (c['a'] + c['b'])) * 100.0)"
    """

    def go(node: fx.Expr, in_agg: bool) -> str:
        scope = kids if in_agg else own
        if isinstance(node, fx.Number):
            return repr(float(node.value))
        if isinstance(node, fx.Bool):
            return "1.0" if node.value else "0.0"
        if isinstance(node, fx.Name):
            return f"{scope}[{node.id!r}]"
        if isinstance(node, fx.Unary):
            return f"(-{go(node.operand, in_agg)})" if node.op == "-" else go(node.operand, in_agg)
        if isinstance(node, fx.Not):
            a = go(node.operand, in_agg)
            return f"(({a} == 0) + _known({a}))"
        if isinstance(node, fx.Binary):
            a, b = go(node.left, in_agg), go(node.right, in_agg)
            return f"_div({a}, {b})" if node.op == "/" else f"({a} {node.op} {b})"
        if isinstance(node, fx.Compare):
            a, b = go(node.left, in_agg), go(node.right, in_agg)
            return f"_cmp({a} {_CMP[node.op]} {b}, {a}, {b})"
        if isinstance(node, fx.Logic):
            a, b = go(node.left, in_agg), go(node.right, in_agg)
            op = "&" if node.op == "and" else "|"
            return f"_cmp(({a} != 0) {op} ({b} != 0), {a}, {b})"
        assert isinstance(node, fx.Call)
        if fx.is_aggregate(node):
            args = [go(a, True) for a in node.args]
            if node.func in ("min", "max"):
                fn = "np.fmin" if node.func == "min" else "np.fmax"
                fill = "np.inf" if node.func == "min" else "-np.inf"
                return f"_g.extreme({args[0]}, {fn}, {fill})"
            return f"_g.{node.func}({', '.join(args)})"
        args = [go(a, in_agg) for a in node.args]
        if node.func in ("min", "max"):
            fn = "np.minimum" if node.func == "min" else "np.maximum"
            out = args[0]
            for arg in args[1:]:
                out = f"{fn}({out}, {arg})"
            return out
        if node.func == "abs":
            return f"np.abs({args[0]})"
        if node.func == "clamp":
            return f"np.minimum(np.maximum({args[0]}, {args[1]}), {args[2]})"
        return {"if": "_if", "coalesce": "_coalesce", "ratio": "_ratio", "round": "_round"}[
            node.func
        ] + f"({', '.join(args)})"

    return go(expr, inside)


# --------------------------------------------------------------------------- plan


@dataclass
class TierPlan:
    """Everything about one tier a hand-written program would have as constants."""

    tier: str
    child: str | None
    indicators: list[Indicator]
    formulas: Any  # compiled function (own, kids, _g) -> (values (n, k), checks)
    source: str
    weights: F64
    counted_weight: B
    pillar_of: I64  # leaf pillar row of each indicator
    onehot: F64  # (k, m) 1 where indicator j is in leaf pillar p
    pillar_children: list[list[int]]
    pillar_weight: F64  # (m,)
    roots: list[int]
    top: list[int]
    leaf: list[bool]
    linear: I64
    lin_floor: F64
    lin_span: F64
    binary: I64
    ordinal_max: I64
    ord_max: F64
    others: list[int]  # steps, ordinal maps
    cut: F64  # (4, k) cut-offs signed by direction
    sign: F64
    critical: I64
    gates: list[tuple[str, int, int]]  # (kind, a, b)
    mins: F64
    scale: float
    policy: str
    check_count: int = 0
    check_ids: list[str] = field(default_factory=list)


def plan_tier(fw: Framework, tier: str, policy: str) -> TierPlan:
    inds = fw.indicators_for(tier)
    child = fw.child_tier(tier)
    lines = ["def tier_formulas(c, k, _g):", "    c = dict(c)"]
    for did in fw.derived_order:
        if tier in fw.derived[did].tiers:
            lines.append(f"    c[{did!r}] = {transcribe(fw.formulas[did], 'c', 'k')}")
    n_expr = "next(iter(c.values())).shape[0]"
    lines.append(f"    n = {n_expr}")
    cols = []
    for ind in inds:
        src = transcribe(fw.formulas[ind.id], "c", "k")
        cols.append(f"        {src} + np.zeros(n),")
    lines.append("    values = np.stack([")
    lines += cols
    lines.append("    ], axis=1)")
    checks = [ch for ch in fw.manifest.checks if tier in ch.tiers]
    lines.append("    checks = [")
    lines += [
        f"        {transcribe(fw.formulas['check:' + ch.id], 'c', 'k')} + np.zeros(n),"
        for ch in checks
    ]
    lines.append("    ]")
    lines.append("    return values, checks")
    source = "\n".join(lines) + "\n"
    namespace = dict(HELPERS)
    exec(compile(source, f"<baseline {tier}>", "exec"), namespace)  # our own generated source
    pillar_ids = list(fw.pillars)
    pos = {pid: p for p, pid in enumerate(pillar_ids)}
    m, k = len(pillar_ids), len(inds)
    onehot = np.zeros((k, m))
    for j, ind in enumerate(inds):
        onehot[j, pos[ind.pillar]] = 1.0
    weights = np.array([ind.weight for ind in inds], dtype=np.float64)

    def idx(pred: Any) -> I64:
        return np.array([j for j, ind in enumerate(inds) if pred(ind)], dtype=np.int64)

    linear = idx(lambda i: i.method == "linear")
    ord_max = [float(ind.max or 1) for ind in inds if ind.method == "ordinal" and ind.map is None]
    others = [
        j
        for j, ind in enumerate(inds)
        if ind.method == "steps" or (ind.method == "ordinal" and ind.map is not None)
    ]
    cut = np.array([list(ind.cutoffs.values()) for ind in inds]).T if inds else np.zeros((4, 0))
    sign = np.array([1.0 if ind.direction == "higher" else -1.0 for ind in inds])
    gates: list[tuple[str, int, int]] = []
    for gate in fw.manifest.gates:
        if gate.kind == "critical_indicators":
            gates.append((gate.kind, gate.from_level or 0, gate.min_indicator_level or 0))
        else:
            gates.append((gate.kind, gate.max_gap or 0, 0))
    return TierPlan(
        tier=tier,
        child=child,
        indicators=inds,
        formulas=namespace["tier_formulas"],
        source=source,
        weights=weights,
        counted_weight=weights > 0,
        pillar_of=np.array([pos[ind.pillar] for ind in inds], dtype=np.int64),
        onehot=onehot,
        pillar_children=[[pos[c] for c in fw.pillars[pid].children] for pid in pillar_ids],
        pillar_weight=np.array([fw.pillars[p].model.weights.get(tier, 0.0) for p in pillar_ids]),
        roots=[pos[pid] for pid in pillar_ids if fw.pillars[pid].parent is None],
        top=[pos[pid] for pid in pillar_ids if fw.pillars[pid].parent is None],
        leaf=[fw.pillars[pid].leaf for pid in pillar_ids],
        linear=linear,
        lin_floor=np.array([inds[j].floor or 0.0 for j in linear]),
        lin_span=np.array([(inds[j].target or 0.0) - (inds[j].floor or 0.0) for j in linear]),
        binary=idx(lambda i: i.method == "binary"),
        ordinal_max=idx(lambda i: i.method == "ordinal" and i.map is None),
        ord_max=np.array(ord_max),
        others=others,
        cut=cut * sign[None, :],
        sign=sign,
        critical=idx(lambda i: i.critical),
        gates=gates,
        mins=np.array([lv.min for lv in fw.manifest.levels]),
        scale=float(fw.manifest.scale),
        policy=policy,
        check_count=len(checks),
        check_ids=[ch.id for ch in checks],
    )


@dataclass
class Plan:
    tiers: list[TierPlan]  # children before parents


def plan(fw: Framework, policy: str | None = None) -> Plan:
    """The plan of every tier, children before their parents."""
    parent = {tt.id: tt.parent for tt in fw.manifest.tiers}

    def depth(tier: str) -> int:
        d, seen = 0, {tier}
        while parent.get(tier) is not None and parent[tier] not in seen:
            tier = parent[tier] or ""
            seen.add(tier)
            d += 1
        return d

    order = sorted(fw.tier_ids(), key=lambda tt: -depth(tt))
    pol = policy or fw.manifest.missing_policy
    return Plan([plan_tier(fw, tier, pol) for tier in order])


# --------------------------------------------------------------------------- inputs


@dataclass
class TierInputs:
    ids: list[str]
    parents: list[str]
    columns: Arrays  # input id -> (n,), NaN = no accepted value
    na: B  # (n, k) declared not applicable
    parent_code: I64  # parent unit of every row as a small integer, for ranks within parent
    child_parent: I64 | None = None  # for a parent tier: parent row of every child row
    pad: int = 0  # registry children that submitted nothing (all-NaN rows)


def prepare(
    fw: Framework, batch: Batch, registry: Registry, the_plan: Plan
) -> dict[str, TierInputs]:
    """The input arrays of each tier (untimed): what both the engine and the baseline read."""
    out: dict[str, TierInputs] = {}
    by_tier: dict[str, list[Any]] = {tp.tier: [] for tp in the_plan.tiers}
    for sub in batch.submissions:
        unit = registry.get(sub.unit)
        if unit is not None and unit.tier in by_tier:
            by_tier[unit.tier].append((unit, sub))
    for tp in the_plan.tiers:
        rows = sorted(by_tier[tp.tier], key=lambda pair: pair[0].id)
        n = len(rows)
        cols: Arrays = {}
        for inp in fw.inputs_for(tp.tier):
            cols[inp.id] = np.array(
                [s.values.get(inp.id, np.nan) for _, s in rows], dtype=np.float64
            )
        col_of = {ind.id: j for j, ind in enumerate(tp.indicators)}
        na = np.zeros((n, len(tp.indicators)), dtype=bool)
        for i, (_, sub) in enumerate(rows):
            for ind_id in sub.not_applicable:
                if ind_id in col_of:
                    na[i, col_of[ind_id]] = True
        parents = [u.parent or "" for u, _ in rows]
        codes = {p: c for c, p in enumerate(sorted(set(parents)))}
        out[tp.tier] = TierInputs(
            [u.id for u, _ in rows],
            parents,
            cols,
            na,
            np.array([codes[p] for p in parents], dtype=np.int64),
        )
    for tp in the_plan.tiers:
        if tp.child is None:
            continue
        row_of = {uid: i for i, uid in enumerate(out[tp.tier].ids)}
        kids = out[tp.child]
        parent = [row_of.get(p, -1) for p in kids.parents]
        submitted = set(kids.ids)
        extra = sorted(
            u.id
            for u in registry.units.values()
            if u.tier == tp.child and u.parent in row_of and u.id not in submitted
        )
        parent += [row_of[registry.units[u].parent or ""] for u in extra]
        out[tp.tier].child_parent = np.asarray(parent, dtype=np.int64)
        out[tp.tier].pad = len(extra)
    return out


# --------------------------------------------------------------------------- the arithmetic


def _band(index: F64, mins: F64) -> I64:
    out: I64 = np.searchsorted(mins, np.round(index, ROUND), side="right").astype(np.int64)
    return out


def _rank(values: F64, valid: B, groups: I64) -> I64:
    n = values.shape[0]
    rank = np.zeros(n, dtype=np.int64)
    idx = np.flatnonzero(valid)
    if idx.size == 0:
        return rank
    keys = np.round(values, 6)
    order = idx[np.lexsort((-keys[idx], groups[idx]))]
    g, kk = groups[order], keys[order]
    pos = np.arange(order.size)
    new_group = np.r_[True, g[1:] != g[:-1]]
    start = np.maximum.accumulate(np.where(new_group, pos, 0))
    first = np.maximum.accumulate(np.where(new_group | np.r_[True, kk[1:] != kk[:-1]], pos, 0))
    rank[order] = first - start + 1
    return rank


def _shares(tp: TierPlan, counted: B) -> tuple[F64, F64]:
    n = counted.shape[0]
    leaf_w = (counted * tp.weights) @ tp.onehot  # (n, m) counted weight per leaf pillar
    m = leaf_w.shape[1]
    active = np.zeros((n, m), dtype=bool)
    for p in reversed(range(m)):
        kids = [c for c in tp.pillar_children[p] if tp.pillar_weight[c] > 0]
        active[:, p] = (
            leaf_w[:, p] > 0 if tp.leaf[p] else (active[:, kids].any(axis=1) if kids else False)
        )
    share = np.zeros((n, m))
    level = [(tp.roots, np.full(n, tp.scale))]
    while level:
        ids, parent_share = level.pop()
        eff = active[:, ids] * tp.pillar_weight[ids]
        denom = eff.sum(axis=1, keepdims=True)
        share[:, ids] = (
            np.where(denom > 0, eff / np.where(denom > 0, denom, 1.0), 0.0) * parent_share[:, None]
        )
        level += [(tp.pillar_children[p], share[:, p]) for p in ids if tp.pillar_children[p]]
    lw = leaf_w[:, tp.pillar_of]
    max_points = np.where(
        counted & (lw > 0), share[:, tp.pillar_of] * tp.weights / np.where(lw > 0, lw, 1.0), 0.0
    )
    return max_points, share


@dataclass
class TierOut:
    total: F64
    level: I64
    rank: I64
    rank_in_parent: I64
    coverage: F64
    check_failures: int
    results: Arrays  # score / index / level, for the parent tier's aggregates


def compute_tier(
    tp: TierPlan, inp: TierInputs, child: TierOut | None, child_inp: TierInputs | None
) -> TierOut:
    n = len(inp.ids)
    kids_cols: Arrays = {}
    group = None
    if (
        tp.child is not None
        and child is not None
        and child_inp is not None
        and inp.child_parent is not None
    ):
        kids_cols = {**child_inp.columns, **child.results}
        if inp.pad:
            kids_cols = {
                name: np.r_[col, np.full(inp.pad, np.nan)] for name, col in kids_cols.items()
            }
        group = _Kids(inp.child_parent, n)
    with np.errstate(all="ignore"):
        values, checks = tp.formulas(inp.columns, kids_cols, group)
        values[~np.isfinite(values)] = np.nan
        # scores by method
        s = np.full(values.shape, np.nan)
        x = values
        s[:, tp.linear] = np.clip((x[:, tp.linear] - tp.lin_floor) / tp.lin_span, 0.0, 1.0)
        s[:, tp.binary] = (x[:, tp.binary] != 0) + x[:, tp.binary] * 0.0
        s[:, tp.ordinal_max] = np.clip(x[:, tp.ordinal_max] / tp.ord_max, 0.0, 1.0)
        for j in tp.others:
            ind = tp.indicators[j]
            xj = x[:, j]
            if ind.method == "steps":
                xr = np.round(xj, ROUND) * tp.sign[j]
                sj = np.zeros(n)
                for step in ind.steps or []:
                    sj = np.where(xr >= step.at * tp.sign[j], step.score, sj)
                s[:, j] = sj + xj * 0.0
            else:
                sj = np.full(n, np.nan)
                for answer, score in (ind.map or {}).items():
                    sj = np.where(np.isclose(xj, float(answer)), score, sj)
                s[:, j] = sj
        value_ok = ~np.isnan(s)  # an ordinal answer outside the map is invalid: no value
        scored = value_ok & ~inp.na
        # indicator levels: 1 + cut-offs reached (signed so that >= works both ways)
        xr = np.round(np.where(value_ok, x, 0.0), ROUND) * tp.sign
        ind_level = np.where(scored, 1 + (xr[:, None, :] >= tp.cut[None, :, :]).sum(axis=1), 0)
        # shares and points
        counted_zero = ~inp.na & tp.counted_weight
        counted = counted_zero & scored if tp.policy == "exclude" else counted_zero
        max_points, pillar_max = _shares(tp, counted)
        max_zero = _shares(tp, counted_zero)[0] if tp.policy == "exclude" else max_points
        points = np.where(scored, s * max_points, 0.0)
        pillar_points = points @ tp.onehot
        for p in reversed(range(len(tp.leaf))):
            if not tp.leaf[p]:
                pillar_points[:, p] = pillar_points[:, tp.pillar_children[p]].sum(axis=1)
        total = pillar_points[:, tp.top].sum(axis=1)
        max_score = pillar_max[:, tp.top].sum(axis=1)
        scorable = max_score > 0
        index = np.where(scorable, total / tp.scale, np.nan)
        zero_total = max_zero.sum(axis=1)
        coverage = np.where(
            zero_total > 0,
            (max_zero * scored).sum(axis=1) / np.where(zero_total > 0, zero_total, 1),
            0.0,
        )
        # levels and gates
        score_level = np.where(scorable, _band(np.nan_to_num(index), tp.mins), 0)
        pillar_level = np.where(
            pillar_max > 0,
            _band(np.nan_to_num(pillar_points / np.where(pillar_max > 0, pillar_max, 1)), tp.mins),
            0,
        )
        final = score_level.copy()
        for kind, a, b in tp.gates:
            if kind == "critical_indicators":
                if tp.critical.size == 0:
                    continue
                short = ~inp.na[:, tp.critical] & (ind_level[:, tp.critical] < b)
                cap = np.where(short.any(axis=1), a - 1, 10**6)
            else:
                lv = np.where(pillar_max[:, tp.top] > 0, pillar_level[:, tp.top], 10**6)
                weakest = lv.min(axis=1)
                cap = np.where(weakest < 10**6, weakest + a, 10**6)
            final = np.where(score_level > 0, np.minimum(final, np.maximum(cap, 1)), 0)
        # ranks
        rank = _rank(total, scorable, np.zeros(n, dtype=np.int64))
        rank_in_parent = _rank(total, scorable, inp.parent_code)
        failures = sum(int((chk == 0).sum()) for chk in checks)
    results = {
        "score": np.where(scorable, total, np.nan),
        "index": index,
        "level": np.where(scorable, final, np.nan).astype(np.float64),
    }
    return TierOut(
        np.where(scorable, total, np.nan), final, rank, rank_in_parent, coverage, failures, results
    )


def compute(the_plan: Plan, inputs: dict[str, TierInputs]) -> dict[str, TierOut]:
    """Score every tier, children first (the timed part)."""
    out: dict[str, TierOut] = {}
    for tp in the_plan.tiers:
        child = out.get(tp.child) if tp.child else None
        child_inp = inputs.get(tp.child) if tp.child else None
        out[tp.tier] = compute_tier(tp, inputs[tp.tier], child, child_inp)
    return out
