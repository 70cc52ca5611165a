"""Running rule tests: each case is scored on its own framework and batch, its expectations
compared with the results, and a trace kept of the values behind each failure; coverage
counts the indicators, branches and levels the cases reach."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from maturity.analysis.ruletest.collect import (
    COLUMN_STATUS,
    DEFAULT_MARGIN,
    UNIT_INTEGERS,
    Case,
    DiagnosticSpec,
    Expectation,
    Suite,
    _opt,
    fmt_number,
)
from maturity.errors import Problem, display_path
from maturity.framework import formula as fx
from maturity.framework.compiled import Framework
from maturity.framework.methods import method_params
from maturity.framework.model import Indicator
from maturity.i18n import t
from maturity.inputs.units import Registry
from maturity.scoring.engine import score_batch
from maturity.scoring.results import SCORED, STATUS_NAMES, Results, TierResult


@dataclass
class Failure:
    """An expectation that did not hold, with the trace of the value it looked at."""

    path: str
    expected: Any
    actual: Any
    tolerance: float
    message: str
    trace: dict[str, Any] | None = None
    expectation: Expectation | None = None


@dataclass
class Outcome:
    case: Case
    failures: list[Failure]
    policy: str

    @property
    def passed(self) -> bool:
        return not self.failures


@dataclass
class Coverage:
    """What the tests of one framework exercised (units under test only)."""

    framework: Framework
    tests: int = 0
    scored: dict[str, int] = field(default_factory=dict)  # indicator -> times it had a value
    asserted: set[str] = field(default_factory=set)  # indicators named in an expectation
    levels: dict[str, set[int]] = field(default_factory=dict)  # indicator -> levels seen
    gates_triggered: dict[str, int] = field(default_factory=dict)
    gates_passed: dict[str, int] = field(default_factory=dict)
    checks_failed: dict[str, int] = field(default_factory=dict)

    def add(self, case: Case, result: TierResult, row: int, diagnostics: list[Problem]) -> None:
        self.tests += 1
        for j, ind in enumerate(result.indicators):
            if result.status[row, j] == SCORED:
                self.scored[ind.id] = self.scored.get(ind.id, 0) + 1
                self.levels.setdefault(ind.id, set()).add(int(result.ind_level[row, j]))
        self.asserted.update(e.target for e in case.expectations if e.kind == "indicator")
        if result.score_level[row] > 0:
            for gate in self.framework.manifest.gates:
                book = (
                    self.gates_triggered if gate.id in result.capped_by[row] else self.gates_passed
                )
                book[gate.id] = book.get(gate.id, 0) + 1
        for check in self.framework.manifest.checks:
            spec = DiagnosticSpec(code="check.failed", unit=case.unit, check=check.id)
            if any(spec.matches(d) for d in diagnostics):
                self.checks_failed[check.id] = self.checks_failed.get(check.id, 0) + 1

    def indicator_ids(self) -> list[str]:
        return [ind.id for ind in self.framework.indicators]

    def summary(self) -> dict[str, Any]:
        fw = self.framework
        ids = self.indicator_ids()
        covered = [i for i in ids if self.scored.get(i)]
        reach = {ind.id: reachable_levels(ind) for ind in fw.indicators}
        level_total = sum(len(v) for v in reach.values())
        level_seen = sum(len(self.levels.get(i, set()) & set(reach[i])) for i in ids)
        gates = [g.id for g in fw.manifest.gates]
        checks = [c.id for c in fw.manifest.checks]
        return {
            "framework": fw.id,
            "version": fw.version,
            "path": display_path(fw.path),
            "tests": self.tests,
            "indicators": {
                **_ratio(len(covered), len(ids)),
                "not_exercised": [i for i in ids if not self.scored.get(i)],
                "not_asserted": [i for i in ids if i not in self.asserted],
                "by_id": {
                    i: {
                        "scored": self.scored.get(i, 0),
                        "asserted": i in self.asserted,
                        "levels": sorted(self.levels.get(i, set())),
                        "reachable": reach[i],
                    }
                    for i in ids
                },
            },
            "levels": _ratio(level_seen, level_total),
            "gates": {
                **_ratio(sum(1 for g in gates if self.gates_triggered.get(g)), len(gates)),
                "by_id": {
                    g: {
                        "triggered": self.gates_triggered.get(g, 0),
                        "not_triggered": self.gates_passed.get(g, 0),
                    }
                    for g in gates
                },
            },
            "checks": {
                **_ratio(sum(1 for c in checks if self.checks_failed.get(c)), len(checks)),
                "by_id": {c: {"failed": self.checks_failed.get(c, 0)} for c in checks},
            },
        }


@dataclass
class Report:
    outcomes: list[Outcome]
    files: list[str]
    coverage: list[Coverage]

    @property
    def passed(self) -> int:
        return sum(1 for o in self.outcomes if o.passed)

    @property
    def failed(self) -> int:
        return len(self.outcomes) - self.passed

    def below(self, fail_under: float) -> list[Coverage]:
        """Frameworks whose indicator coverage is below ``fail_under`` percent."""
        return [c for c in self.coverage if c.summary()["indicators"]["percent"] < fail_under]


def _ratio(covered: int, total: int) -> dict[str, Any]:
    percent = 100.0 if total == 0 else round(100.0 * covered / total, 2)
    return {"covered": covered, "total": total, "percent": percent}


def reachable_levels(ind: Indicator) -> list[int]:
    """Indicator levels some value can reach: level ``L`` (2..4) needs its cut-off strictly
    before the next one in the indicator's direction.

    >>> from maturity.framework.model import Indicator
    >>> ind = Indicator.model_validate({"id": "X-1", "name": {"vi": "a", "en": "a"}, "pillar": "P",
    ...     "tiers": ["t"], "unit": {"vi": "%", "en": "%"}, "inputs": ["x"], "method": "binary",
    ...     "cutoffs": {"2": 1, "3": 1, "4": 1, "5": 1}, "weight": 1,
    ...     "remediation": {"vi": "a", "en": "a", "effort": "low"}})
    >>> reachable_levels(ind)
    [1, 5]
    """
    cuts = list(ind.cutoffs.values())
    higher = ind.direction == "higher"
    levels = [1]
    for k in range(3):  # levels 2, 3, 4 sit between cut-off k and k + 1
        if (cuts[k] < cuts[k + 1]) if higher else (cuts[k] > cuts[k + 1]):
            levels.append(k + 2)
    levels.append(5)
    return levels


class _ResultScope:
    """The columns of a scored tier, with the child tier's units (registry units that
    submitted nothing included as missing rows) for aggregates -- as the engine sees them."""

    def __init__(self, result: TierResult, child: TierResult | None, registry: Registry) -> None:
        self.size = result.size
        self.result = result
        self.group: fx.Group | None = None
        if child is not None:
            row_of = {u.id: i for i, u in enumerate(result.units)}
            submitted = {u.id for u in child.units}
            extra = sorted(
                (
                    u
                    for u in registry.units.values()
                    if u.tier == child.tier and u.parent in row_of and u.id not in submitted
                ),
                key=lambda u: u.id,
            )
            index = [row_of.get(u.parent or "", -1) for u in child.units]
            index += [row_of[u.parent or ""] for u in extra]
            scope = _PaddedColumns(child, len(extra))
            self.group = fx.Group(scope, np.asarray(index, dtype=np.int64), len(row_of))

    def lookup(self, name: str) -> fx.Column:
        col = self.result.columns.get(name)
        if col is None:
            return fx.Column(np.zeros(self.size), np.full(self.size, fx.MISSING, dtype=np.uint8))
        return col

    def children(self) -> fx.Group | None:
        return self.group


class _PaddedColumns:
    def __init__(self, result: TierResult, extra: int) -> None:
        self.result = result
        self.extra = extra
        self.size = result.size + extra

    def lookup(self, name: str) -> fx.Column:
        n = self.result.size
        col = self.result.columns.get(name)
        values = col.values if col is not None else np.zeros(n)
        status = col.status if col is not None else np.full(n, fx.MISSING, dtype=np.uint8)
        return fx.Column(
            np.concatenate([values, np.zeros(self.extra)]),
            np.concatenate([status, np.full(self.extra, fx.MISSING, dtype=np.uint8)]),
        )

    def children(self) -> fx.Group | None:
        return None


def _aggregate_calls(expr: fx.Expr) -> list[fx.Call]:
    found: list[fx.Call] = []
    stack: list[Any] = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, fx.Call) and fx.is_aggregate(node):
            found.append(node)
            continue
        if dataclasses.is_dataclass(node):
            for f in dataclasses.fields(node):
                child = getattr(node, f.name)
                if isinstance(child, tuple):
                    stack.extend(c for c in child if dataclasses.is_dataclass(c))
                elif dataclasses.is_dataclass(child):
                    stack.append(child)
    return sorted(found, key=fx.unparse)


class _Tracer:
    """Builds the trace of a value of one unit from the engine's arrays."""

    def __init__(self, results: Results, result: TierResult, row: int, registry: Registry) -> None:
        self.results = results
        self.fw = results.framework
        self.result = result
        self.row = row
        child_tier = self.fw.child_tier(result.tier)
        child = results.tiers.get(child_tier) if child_tier else None
        self.scope = _ResultScope(result, child, registry)

    def column(self, name: str, depth: int = 0) -> dict[str, Any]:
        col = self.scope.lookup(name)
        status = int(col.status[self.row])
        out: dict[str, Any] = {
            "name": name,
            "value": float(col.values[self.row]) if status == fx.OK else None,
            "status": COLUMN_STATUS[status],
        }
        if name in self.fw.derived and depth < 4:
            out["formula"] = self.fw.derived[name].formula
            out.update(self.names(self.fw.formulas[name], out["formula"], depth + 1))
        return out

    def names(self, expr: fx.Expr, source: str, depth: int) -> dict[str, Any]:
        own, _ = fx.names_used(expr)
        out: dict[str, Any] = {"inputs": [self.column(n, depth) for n in sorted(own)]}
        calls = _aggregate_calls(expr)
        if calls and self.scope.children() is not None:
            aggs = []
            for call in calls:
                col = fx.evaluate(call, self.scope, source)
                status = int(col.status[self.row])
                aggs.append(
                    {
                        "expr": fx.unparse(call),
                        "value": float(col.values[self.row]) if status == fx.OK else None,
                        "status": COLUMN_STATUS[status],
                    }
                )
            out["aggregates"] = aggs
        return out

    def indicator(self, ind_id: str) -> dict[str, Any]:
        r, i = self.result, self.row
        j = next(k for k, ind in enumerate(r.indicators) if ind.id == ind_id)
        ind = r.indicators[j]
        source = ind.formula or ind.inputs[0]
        params = method_params(ind)
        return {
            "kind": "indicator",
            "id": ind.id,
            "unit": r.units[i].id,
            **self.names(self.fw.formulas[ind.id], source, 0),
            "formula": source,
            "value": _opt(r.value[i, j]),
            "status": STATUS_NAMES[int(r.status[i, j])],
            "direction": ind.direction,
            "cutoffs": list(ind.cutoffs.values()),
            "level": int(r.ind_level[i, j]) or None,
            "method": ind.method,
            "params": params,
            "s": _opt(r.score[i, j]),
            "weight": ind.weight,
            "max_points": float(r.max_points[i, j]),
            "points": float(r.points[i, j]),
        }

    def pillar(self, pid: str) -> dict[str, Any]:
        r, i = self.result, self.row
        p = r.pillar_ids.index(pid)
        node = self.fw.pillars[pid]
        members: list[dict[str, Any]] = []
        if node.leaf:
            for j, ind in enumerate(r.indicators):
                if ind.pillar == pid:
                    members.append(
                        {
                            "id": ind.id,
                            "status": STATUS_NAMES[int(r.status[i, j])],
                            "points": float(r.points[i, j]),
                            "max_points": float(r.max_points[i, j]),
                        }
                    )
        else:
            for child in node.children:
                c = r.pillar_ids.index(child)
                members.append(
                    {
                        "id": child,
                        "points": float(r.pillar_points[i, c]),
                        "max_points": float(r.pillar_max[i, c]),
                    }
                )
        return {
            "kind": "pillar",
            "id": pid,
            "unit": r.units[i].id,
            "members": members,
            "score": float(r.pillar_points[i, p]),
            "max_score": float(r.pillar_max[i, p]),
            "level": int(r.pillar_level[i, p]) or None,
        }

    def unit(self) -> dict[str, Any]:
        r, i = self.result, self.row
        top = [p for p, pid in enumerate(r.pillar_ids) if self.fw.pillars[pid].parent is None]
        critical = [
            {
                "id": ind.id,
                "status": STATUS_NAMES[int(r.status[i, j])],
                "level": int(r.ind_level[i, j]) or None,
            }
            for j, ind in enumerate(r.indicators)
            if ind.critical
        ]
        return {
            "kind": "unit",
            "unit": r.units[i].id,
            "pillars": [
                {
                    "id": r.pillar_ids[p],
                    "points": float(r.pillar_points[i, p]),
                    "max_points": float(r.pillar_max[i, p]),
                    "level": int(r.pillar_level[i, p]) or None,
                }
                for p in top
            ],
            "score": _opt(r.total[i]),
            "max_score": float(r.max_score[i]),
            "scale": self.fw.manifest.scale,
            "index": _opt(r.index[i]),
            "coverage": float(r.coverage[i]),
            "bands": [{"level": lv.level, "min": lv.min} for lv in self.fw.manifest.levels],
            "score_level": int(r.score_level[i]) or None,
            "critical": critical,
            "capped_by": list(r.capped_by[i]),
            "level": int(r.level[i]) or None,
            "rank": int(r.rank[i]) or None,
            "peers": [
                {"unit": u.id, "score": _opt(r.total[k]), "rank": int(r.rank[k]) or None}
                for k, u in enumerate(r.units)
            ],
        }


def _actual(exp: Expectation, result: TierResult, row: int) -> Any:
    i = row
    if exp.kind == "indicator":
        j = next(k for k, ind in enumerate(result.indicators) if ind.id == exp.target)
        if exp.field == "status":
            return STATUS_NAMES[int(result.status[i, j])]
        if exp.field == "level":
            return int(result.ind_level[i, j]) or None
        array = {
            "value": result.value,
            "score": result.score,
            "points": result.points,
            "max_points": result.max_points,
        }[exp.field]
        return _opt(array[i, j])
    if exp.kind == "column":
        col = result.columns.get(exp.target)
        status = int(col.status[i]) if col is not None else fx.MISSING
        if exp.field == "status":
            return COLUMN_STATUS[status]
        return float(col.values[i]) if col is not None and status == fx.OK else None
    if exp.kind == "pillar":
        p = result.pillar_ids.index(exp.target)
        if exp.field == "level":
            return int(result.pillar_level[i, p]) or None
        return float((result.pillar_points if exp.field == "score" else result.pillar_max)[i, p])
    # unit-level results
    if exp.field == "capped_by":
        return sorted(result.capped_by[i])
    if exp.field in UNIT_INTEGERS:
        ints: dict[str, Any] = {
            "level": result.level,
            "score_level": result.score_level,
            "rank": result.rank,
            "rank_in_parent": result.rank_in_parent,
        }
        return int(ints[exp.field][i]) or None
    array_f = {
        "score": result.total,
        "max_score": result.max_score,
        "index": result.index,
        "coverage": result.coverage,
    }[exp.field]
    return _opt(array_f[i])


def _equal(exp: Expectation, actual: Any) -> bool:
    expected = exp.expected
    if expected is None or actual is None:
        return expected is None and actual is None
    if isinstance(expected, float) and isinstance(actual, (int, float)):
        return abs(float(actual) - expected) <= exp.tolerance()
    return bool(expected == actual)


def _run_case(case: Case) -> tuple[Outcome, Results, TierResult, int]:
    results = score_batch(case.framework, case.batch, case.registry, missing_policy=case.policy)
    found = results.find(case.unit)
    assert found is not None  # collect() made sure the unit is in the batch
    result, row = found
    tracer = _Tracer(results, result, row, case.registry)
    failures: list[Failure] = []
    for exp in case.expectations:
        if exp.kind == "diagnostic":
            spec: DiagnosticSpec = exp.expected
            hits = [d for d in results.diagnostics if spec.matches(d)]
            if (spec.count is None and hits) or (
                spec.count is not None and len(hits) == spec.count
            ):
                continue
            if spec.count is None:
                message = t("rt.diag_none", path=exp.path, spec=spec.describe())
            else:
                message = t(
                    "rt.diag_count",
                    path=exp.path,
                    spec=spec.describe(),
                    count=spec.count,
                    found=len(hits),
                )
            trace = {
                "kind": "diagnostics",
                "matching": bool(hits),
                "diagnostics": [
                    {
                        "severity": d.severity,
                        "code": d.code,
                        "unit": d.unit,
                        "indicator": d.indicator,
                        "message": d.message,
                    }
                    for d in (hits or results.diagnostics)
                ],
            }
            failures.append(Failure(exp.path, spec.as_json(), len(hits), 0.0, message, trace, exp))
            continue
        actual = _actual(exp, result, row)
        if _equal(exp, actual):
            continue
        tol = exp.tolerance()
        shown_tol = t("rt.tolerance", margin=fmt_number(tol)) if tol > DEFAULT_MARGIN else ""
        message = t(
            "rt.mismatch",
            path=exp.path,
            expected=_show(exp.expected),
            actual=_show(actual),
            tolerance=shown_tol,
        )
        if exp.kind == "indicator":
            trace = tracer.indicator(exp.target)
        elif exp.kind == "column":
            trace = {"kind": "column", **tracer.column(exp.target)}
        elif exp.kind == "pillar":
            trace = tracer.pillar(exp.target)
        else:
            trace = tracer.unit()
        failures.append(Failure(exp.path, exp.expected, actual, tol, message, trace, exp))
    return Outcome(case, failures, results.policy), results, result, row


def _show(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return fmt_number(value)


def run(suite: Suite) -> Report:
    """Run every case; coverage is gathered per framework (units under test only)."""
    outcomes: list[Outcome] = []
    coverage: dict[Path, Coverage] = {}
    for case in suite.cases:
        outcome, results, result, row = _run_case(case)
        outcomes.append(outcome)
        cov = coverage.setdefault(case.framework.path.resolve(), Coverage(case.framework))
        cov.add(case, result, row, results.diagnostics)
    return Report(outcomes, suite.files, list(coverage.values()))
