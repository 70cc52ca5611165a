"""Rule tests: YAML files of expected results, run against a framework (``maturity test``).

A rule-test file names a framework and lists test cases. Each case builds a small batch (a
submission file, inline values, child units), scores it with the engine and compares the
results of one unit, the *unit under test*, with the expectations: formula values, indicator
values, scores, points, statuses and levels, pillar scores, the total, the level and the gates
that capped it, the rank and the diagnostics. The format is documented in
``docs/rule-tests.md``.

Three stages, as everywhere in this project: read every file (safe YAML with positions) and
check it completely -- unknown keys, ids, units and types are located ``file:line:col`` errors
raised together as one :class:`~maturity.errors.InputError` before anything runs -- then run
the cases, then render a report. The library never prints and never exits.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from maturity import _formula as fx
from maturity._i18n import t
from maturity._yaml import Document, PathKey, dotted, load_yaml_file
from maturity.engine import SCORED, STATUS_NAMES, Results, TierResult, score_batch
from maturity.errors import InputError, Location, Problem
from maturity.framework import Framework, load_framework
from maturity.model import Indicator
from maturity.submissions import Batch, Diagnostic, Entry, _Reader, load_submissions
from maturity.units import Registry, load_registry

__all__ = [
    "Case",
    "Coverage",
    "Expectation",
    "Failure",
    "Outcome",
    "Report",
    "Suite",
    "collect",
    "render_json",
    "render_text",
    "run",
]

REPORT_VERSION = 1
DEFAULT_MARGIN = 1e-9
COLUMN_STATUS = ("ok", "missing", "invalid", "error")

TOP_KEYS = ("framework", "units", "missing_policy", "tests")
TEST_KEYS = (
    "name",
    "unit",
    "submission",
    "values",
    "not_applicable",
    "children",
    "communes",
    "peers",
    "missing_policy",
    "expect",
)
ENTRY_KEYS = ("unit", "values", "not_applicable")
EXPECT_KEYS = (
    "indicators",
    "derived",
    "inputs",
    "pillars",
    "score",
    "max_score",
    "index",
    "coverage",
    "level",
    "score_level",
    "capped_by",
    "rank",
    "rank_in_parent",
    "diagnostics",
    "margin",
    "relative_margin",
)
INDICATOR_FIELDS = ("value", "score", "points", "max_points", "status", "level")
PILLAR_FIELDS = ("score", "max_score", "level")
COLUMN_FIELDS = ("value", "status")
NUMBER_FIELDS = ("value",)
TOLERANCE_KEYS = ("margin", "relative_margin")
DIAGNOSTIC_KEYS = ("code", "severity", "unit", "indicator", "check", "contains", "count")
UNIT_NUMBERS = ("score", "max_score", "index", "coverage")
UNIT_INTEGERS = ("level", "score_level", "rank", "rank_in_parent")
POLICIES = ("zero", "exclude")
SEVERITIES = ("error", "warning", "info")

_FLOAT_TEXT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class DiagnosticSpec:
    """What a diagnostic must look like; every given field must match."""

    code: str | None = None
    severity: str | None = None
    unit: str | None = None
    indicator: str | None = None
    check: str | None = None
    contains: str | None = None
    count: int | None = None

    def matches(self, diag: Diagnostic) -> bool:
        if self.code is not None and diag.code != self.code:
            return False
        if self.severity is not None and diag.severity != self.severity:
            return False
        if self.unit is not None and diag.unit != self.unit:
            return False
        if self.indicator is not None and diag.indicator != self.indicator:
            return False
        if self.check is not None and diag.check != self.check:
            return False
        return self.contains is None or self.contains in diag.message

    def describe(self) -> str:
        parts = [
            f"{name}: {value}"
            for name in ("code", "severity", "unit", "indicator", "check", "contains")
            if (value := getattr(self, name)) is not None
        ]
        return "{" + ", ".join(parts) + "}"

    def as_json(self) -> dict[str, Any]:
        return {k: v for k, v in dataclasses.asdict(self).items() if v is not None}


@dataclass(frozen=True)
class Expectation:
    """One expected result of the unit under test.

    ``kind`` is ``indicator``, ``column`` (an input or derived value), ``pillar``, ``unit``
    (a unit-level result) or ``diagnostic``; ``target`` the id (or the unit field) and
    ``field`` the compared field.
    """

    path: str
    kind: str
    target: str
    field: str
    expected: Any
    margin: float = DEFAULT_MARGIN
    relative_margin: float = 0.0

    def tolerance(self) -> float:
        if isinstance(self.expected, (int, float)) and not isinstance(self.expected, bool):
            return max(self.margin, self.relative_margin * abs(float(self.expected)))
        return 0.0


@dataclass
class Case:
    """One test case, checked and ready to run."""

    file: str
    line: int
    index: int
    name: str
    framework: Framework
    registry: Registry
    batch: Batch
    unit: str
    tier: str
    policy: str | None
    expectations: list[Expectation]

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass
class Suite:
    """Every case collected from the test files, in file order."""

    cases: list[Case]
    files: list[str]


@dataclass
class Failure:
    """An expectation that did not hold, with the trace of the value it looked at."""

    path: str
    expected: Any
    actual: Any
    tolerance: float
    message: str
    trace: dict[str, Any] | None = None


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

    def add(self, case: Case, result: TierResult, row: int, diagnostics: list[Diagnostic]) -> None:
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
            "path": _display(fw.path),
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

    >>> from maturity.model import Indicator
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


# --------------------------------------------------------------------------- helpers


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _hint(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return t("shape.did_you_mean", name=close[0]) if close else ""


def _kind_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return t("rt.kind.number")
    if isinstance(value, str):
        return t("rt.kind.text")
    if isinstance(value, list):
        return t("rt.kind.list")
    return t("rt.kind.mapping")


def fmt_number(x: Any, digits: int = 12) -> str:
    """Numbers in reports: whole numbers without decimals, others to ``digits`` significant.

    >>> fmt_number(2141.0), fmt_number(49.535714285714285), fmt_number(None)
    ('2141', '49.5357142857', 'null')
    """
    if x is None:
        return "null"
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        return str(x)
    if math.isnan(x):
        return "null"
    if float(x).is_integer() and abs(x) < 1e15:
        return str(int(x))
    return f"{x:.{digits}g}"


def _opt(x: float) -> float | None:
    return None if math.isnan(x) else float(x)


def _short(x: Any) -> str:
    return fmt_number(x, 6)


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class _Group:
    """A group of expectations keyed by id: indicators, derived values, inputs, pillars."""

    key: str
    kind: str
    fields: tuple[str, ...]
    shorthand: str
    label: str
    known: set[str]
    in_tier: set[str]


class _FileReader:
    """Checks one test file and builds its cases; problems are collected, never raised."""

    def __init__(
        self,
        path: Path,
        doc: Document,
        problems: list[Problem],
        frameworks: dict[Path, Framework | None],
        registries: dict[Path, Registry | None],
    ) -> None:
        self.path = path
        self.doc = doc
        self.file = doc.file
        self.problems = problems
        self.frameworks = frameworks
        self.registries = registries
        self.fw: Framework | None = None

    # -- problems ------------------------------------------------------------
    def problem(self, where: PathKey, code: str, /, *, at_key: bool = False, **kw: Any) -> None:
        self.problems.append(Problem(self.doc.locate(where, key=at_key), t(code, **kw), code))

    def wrong_type(self, path: PathKey, value: Any, expected: str) -> None:
        self.problem(path, "rt.type", expected=t(expected), got=_kind_of(value))

    def keys(self, data: dict[str, Any], path: PathKey, allowed: Sequence[str]) -> None:
        for key in data:
            if key not in allowed:
                self.problems.append(
                    Problem(
                        self.doc.locate((*path, key), key=True),
                        t(
                            "shape.unknown_key",
                            key=key,
                            hint=_hint(key, allowed),
                            allowed=", ".join(allowed),
                        ),
                        "rt.unknown_key",
                    )
                )

    def mapping(self, value: Any, path: PathKey) -> dict[str, Any] | None:
        if isinstance(value, dict):
            return value
        self.wrong_type(path, value, "rt.kind.mapping")
        return None

    def text(self, value: Any, path: PathKey) -> str | None:
        if isinstance(value, str) and value.strip():
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return str(self.doc.written(path))  # an unquoted unit code, as written (00070)
        self.wrong_type(path, value, "rt.kind.text")
        return None

    def number(
        self, value: Any, path: PathKey, *, nullable: bool = True
    ) -> tuple[bool, float | None]:
        """``(ok, value)``; numbers written as text (``1e-9``, which YAML reads as text) too."""
        if value is None and nullable:
            return True, None
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
            return True, float(value)
        if isinstance(value, str) and _FLOAT_TEXT.match(value.strip()):
            return True, float(value)
        self.wrong_type(path, value, "rt.kind.number_or_null" if nullable else "rt.kind.number")
        return False, None

    def integer(
        self, value: Any, path: PathKey, low: int, high: int | None = None
    ) -> tuple[bool, int | None]:
        if value is None:
            return True, None
        if isinstance(value, int) and not isinstance(value, bool):
            if value < low or (high is not None and value > high):
                limits = f"{low}..{high}" if high is not None else f">= {low}"
                self.problem(path, "rt.range", value=value, allowed=limits)
                return False, None
            return True, value
        self.wrong_type(path, value, "rt.kind.integer_or_null")
        return False, None

    def choice(self, value: Any, path: PathKey, allowed: Sequence[str]) -> str | None:
        if isinstance(value, str) and value in allowed:
            return value
        self.problem(path, "shape.enum", value=value, allowed=", ".join(allowed))
        return None

    def tolerance(
        self, data: dict[str, Any], path: PathKey, default: tuple[float, float]
    ) -> tuple[float, float]:
        margin, rel = default
        for key in TOLERANCE_KEYS:
            if key in data:
                ok, value = self.number(data[key], (*path, key), nullable=False)
                if not ok or value is None:
                    continue
                if value < 0:
                    self.problem((*path, key), "rt.negative", key=key, value=fmt_number(value))
                    continue
                if key == "margin":
                    margin = value
                else:
                    rel = value
        return margin, rel

    # -- files -----------------------------------------------------------------
    def resolve(self, raw: str) -> Path:
        return (self.path.parent / raw).resolve()

    def load_framework(self, raw: str, path: PathKey) -> Framework | None:
        target = self.resolve(raw)
        if target not in self.frameworks:
            if not target.is_file():
                self.problem(path, "rt.file_not_found", path=raw)
                return None
            try:
                self.frameworks[target] = load_framework(target)
            except InputError as exc:
                self.frameworks[target] = None
                self.problem(path, "rt.framework_invalid", path=raw, count=len(exc.problems))
                self.problems.extend(exc.problems)
                return None
        fw = self.frameworks[target]
        if fw is None:
            self.problem(path, "rt.framework_invalid_again", path=raw)
        return fw

    def load_registry(self, target: Path, raw: str, path: PathKey) -> Registry | None:
        if target not in self.registries:
            if not target.is_file():
                self.problem(path, "rt.file_not_found", path=raw)
                return None
            try:
                self.registries[target] = load_registry(target, _display(target))
            except InputError as exc:
                self.registries[target] = None
                self.problems.extend(exc.problems)
        return self.registries[target]

    # -- the file ----------------------------------------------------------------
    def read(self) -> list[Case]:
        data = self.mapping(self.doc.data, ())
        if data is None:
            return []
        self.keys(data, (), TOP_KEYS)
        for key in ("framework", "tests"):
            if key not in data:
                self.problem((), "shape.required", key=key)
        if "framework" not in data or "tests" not in data:
            return []
        fw_raw = self.text(data["framework"], ("framework",))
        if fw_raw is None:
            return []
        fw = self.load_framework(fw_raw, ("framework",))
        if fw is None:
            return []
        self.fw = fw
        if "units" in data:
            units_raw = self.text(data["units"], ("units",))
            if units_raw is None:
                return []
            registry = self.load_registry(self.resolve(units_raw), units_raw, ("units",))
        elif fw.manifest.units is None:
            self.problem(("framework",), "rt.no_registry", framework=fw.id)
            return []
        else:
            target = (fw.path.parent / fw.manifest.units).resolve()
            registry = self.load_registry(target, fw.manifest.units, ("framework",))
        if registry is None:
            return []
        policy: str | None = None
        if "missing_policy" in data:
            policy = self.choice(data["missing_policy"], ("missing_policy",), POLICIES)
        tests = data["tests"]
        if tests is None:
            return []
        if not isinstance(tests, list):
            self.wrong_type(("tests",), tests, "rt.kind.list")
            return []
        cases: list[Case] = []
        names: dict[str, int] = {}
        for i, item in enumerate(tests):
            case = self.read_case(item, i, fw, registry, policy, names)
            if case is not None:
                cases.append(case)
        return cases

    def read_case(
        self,
        item: Any,
        i: int,
        fw: Framework,
        registry: Registry,
        default_policy: str | None,
        names: dict[str, int],
    ) -> Case | None:
        base: PathKey = ("tests", i)
        data = self.mapping(item, base)
        if data is None:
            return None
        before = len(self.problems)
        self.keys(data, base, TEST_KEYS)
        line = self.doc.locate(base).line
        name = ""
        if "name" not in data:
            self.problem(base, "shape.required", key="name")
        else:
            name = self.text(data["name"], (*base, "name")) or ""
            if name in names:
                self.problem((*base, "name"), "rt.duplicate_name", name=name, line=names[name])
            elif name:
                names[name] = line
        if "expect" not in data:
            self.problem(base, "shape.required", key="expect")
        if "unit" not in data and "submission" not in data:
            self.problem(base, "rt.no_unit_or_submission")
        if "children" in data and "communes" in data:
            self.problem((*base, "communes"), "rt.both_children", at_key=True)
        policy = default_policy
        if "missing_policy" in data:
            policy = self.choice(data["missing_policy"], (*base, "missing_policy"), POLICIES)
        built = self.build_batch(data, base, fw, registry)
        if built is None or len(self.problems) > before:
            return None
        batch, unit_id = built
        unit = registry.get(unit_id)
        assert unit is not None
        expect = self.mapping(data["expect"], (*base, "expect"))
        if expect is None:
            return None
        expectations = self.read_expect(expect, (*base, "expect"), fw, unit.tier, unit_id)
        if len(self.problems) > before:
            return None
        return Case(
            self.file, line, i, name, fw, registry, batch, unit_id, unit.tier, policy, expectations
        )

    # -- the batch -----------------------------------------------------------------
    def check_unit(self, raw: Any, path: PathKey, fw: Framework, registry: Registry) -> str | None:
        unit_id = self.text(raw, path)
        if unit_id is None:
            return None
        unit = registry.get(unit_id)
        if unit is None:
            hint = _hint(unit_id, registry.units)
            if isinstance(raw, int):
                hint += t("rt.quote_unit")
            self.problem(
                path, "rt.unknown_unit", id=unit_id, registry=registry.source or "?", hint=hint
            )
            return None
        if unit.tier not in fw.tier_ids():
            self.problem(path, "rt.unit_tier", id=unit_id, tier=unit.tier, framework=fw.id)
            return None
        return unit_id

    def check_values(
        self, raw: Any, path: PathKey, fw: Framework, tier: str
    ) -> dict[str, Any] | None:
        values = self.mapping(raw, path) if raw is not None else {}
        if values is None:
            return None
        tier_inputs = {inp.id for inp in fw.inputs_for(tier)}
        ok = True
        for name in values:
            if name in tier_inputs:
                continue
            ok = False
            if name in fw.inputs:
                self.problem((*path, name), "rt.input_tier", at_key=True, name=name, tier=tier)
            else:
                self.problem(
                    (*path, name),
                    "rt.unknown_id",
                    at_key=True,
                    kind=t("rt.kind.input"),
                    id=name,
                    framework=fw.id,
                    hint=_hint(name, tier_inputs),
                )
        if not ok:
            return None
        # values as written: the submission reader judges them from their source text
        return {
            name: v if isinstance(v, dict | list) else self.doc.written((*path, name))
            for name, v in values.items()
        }

    def check_na(self, raw: Any, path: PathKey, fw: Framework) -> dict[str, Any] | None:
        if raw is None:
            return {}
        ids = {ind.id for ind in fw.indicators}
        if isinstance(raw, list):
            na: dict[str, Any] = {}
            for k, item in enumerate(raw):
                text = self.text(item, (*path, k))
                if text is not None:
                    na[text] = ""
            entries = [(name, (*path, k)) for k, name in enumerate(na)]
        elif isinstance(raw, dict):
            na = dict(raw)
            entries = [(name, (*path, name)) for name in na]
        else:
            self.wrong_type(path, raw, "rt.kind.list_or_mapping")
            return None
        ok = True
        for name, where in entries:
            if name not in ids:
                ok = False
                self.problem(
                    where,
                    "rt.unknown_id",
                    at_key=isinstance(raw, dict),
                    kind=t("rt.kind.indicator"),
                    id=name,
                    framework=fw.id,
                    hint=_hint(name, ids),
                )
        return na if ok else None

    def build_batch(
        self, data: dict[str, Any], base: PathKey, fw: Framework, registry: Registry
    ) -> tuple[Batch, str] | None:
        ok = True
        unit_id: str | None = None
        if "unit" in data:
            unit_id = self.check_unit(data["unit"], (*base, "unit"), fw, registry)
            ok = unit_id is not None
        files: list[Path] = []
        if "submission" in data:
            raw = data["submission"]
            items: list[tuple[Any, PathKey]] = (
                [(r, (*base, "submission", k)) for k, r in enumerate(raw)]
                if isinstance(raw, list)
                else [(raw, (*base, "submission"))]
            )
            for value, at in items:
                text = self.text(value, at)
                if text is None:
                    ok = False
                    continue
                target = self.resolve(text)
                if not target.exists():
                    self.problem(at, "rt.file_not_found", path=text)
                    ok = False
                    continue
                files.append(target)
        if not ok or (unit_id is None and not files):
            return None  # a test without unit and submission is reported by the caller
        batch = load_submissions(files, fw, registry) if files else Batch()
        present = [s.unit for s in batch.submissions]
        inline = "values" in data or "not_applicable" in data
        if unit_id is None:
            if len(present) != 1:
                self.problem(
                    (*base, "submission"),
                    "rt.no_unit",
                    count=len(present),
                    units=", ".join(present[:8]) + (", …" if len(present) > 8 else ""),
                )
                return None
            unit_id = present[0]
        elif files and unit_id not in present and not inline:
            self.problem((*base, "unit"), "rt.unit_absent", id=unit_id)
            return None
        # inline units: (unit id, values, not applicable, path of the entry)
        entries: list[tuple[str, dict[str, Any], dict[str, Any], PathKey]] = []
        if inline or not files:
            tier = registry.units[unit_id].tier
            values = self.check_values(data.get("values"), (*base, "values"), fw, tier)
            na = self.check_na(data.get("not_applicable"), (*base, "not_applicable"), fw)
            if values is None or na is None:
                ok = False
            else:
                entries.append((unit_id, values, na, base))
        for key in ("children", "communes", "peers"):
            if key in data and not self.read_entries(
                data[key], (*base, key), key, unit_id, fw, registry, entries
            ):
                ok = False
        if not ok:
            return None
        for entry_unit, values, na, where in entries:
            self.merge(batch, fw, registry, entry_unit, values, na, where)
        return batch, unit_id

    def read_entries(
        self,
        raw: Any,
        base: PathKey,
        key: str,
        unit_id: str,
        fw: Framework,
        registry: Registry,
        entries: list[tuple[str, dict[str, Any], dict[str, Any], PathKey]],
    ) -> bool:
        """Read ``children``/``communes``/``peers``: more units of the batch."""
        if not isinstance(raw, list):
            self.wrong_type(base, raw, "rt.kind.list")
            return False
        parent_tier = registry.units[unit_id].tier
        if key != "peers" and fw.child_tier(parent_tier) is None:
            self.problem(base, "rt.no_child_tier", at_key=True, tier=parent_tier)
            return False
        ok = True
        for k, item in enumerate(raw):
            where: PathKey = (*base, k)
            entry = self.mapping(item, where)
            if entry is None:
                ok = False
                continue
            self.keys(entry, where, ENTRY_KEYS)
            if "unit" not in entry:
                self.problem(where, "shape.required", key="unit")
                ok = False
                continue
            other = self.check_unit(entry["unit"], (*where, "unit"), fw, registry)
            if other is None:
                ok = False
                continue
            unit = registry.units[other]
            if key != "peers" and unit.parent != unit_id:
                self.problem(
                    (*where, "unit"),
                    "rt.not_child",
                    id=other,
                    parent=unit_id,
                    actual=unit.parent or "-",
                )
                ok = False
                continue
            values = self.check_values(entry.get("values"), (*where, "values"), fw, unit.tier)
            na = self.check_na(entry.get("not_applicable"), (*where, "not_applicable"), fw)
            if values is None or na is None:
                ok = False
                continue
            entries.append((other, values, na, where))
        return ok

    def merge(
        self,
        batch: Batch,
        fw: Framework,
        registry: Registry,
        unit_id: str,
        values: dict[str, Any],
        na: dict[str, Any],
        where: PathKey,
    ) -> None:
        """Add an inline unit to the batch; over a submitted unit, its values replace those
        submitted (read exactly as a submission's values are)."""
        reader = _Reader(fw, registry)
        line = self.doc.locate(where).line
        entries = [
            Entry(name, raw, self.doc.locate((*where, "values", name)).line)
            for name, raw in values.items()
        ]
        reader.add(unit_id, "", entries, na, {}, self.file, line)
        batch.diagnostics.extend(reader.batch.diagnostics)
        if not reader.batch.submissions:
            return
        new = reader.batch.submissions[0]
        at = next((i for i, s in enumerate(batch.submissions) if s.unit == unit_id), None)
        if at is None:
            batch.submissions.append(new)
            return
        old = batch.submissions[at]
        values = {k: v for k, v in old.values.items() if k not in new.invalid}
        values.update(new.values)
        invalid = {k: v for k, v in old.invalid.items() if k not in new.values}
        invalid.update(new.invalid)
        batch.submissions[at] = dataclasses.replace(  # submissions are read-only: a new one
            old,
            values=values,
            invalid=invalid,
            not_applicable={**old.not_applicable, **new.not_applicable},
        )

    # -- expectations ------------------------------------------------------------------
    def read_expect(
        self, expect: dict[str, Any], base: PathKey, fw: Framework, tier: str, unit_id: str
    ) -> list[Expectation]:
        self.keys(expect, base, EXPECT_KEYS)
        default = self.tolerance(expect, base, (DEFAULT_MARGIN, 0.0))
        out: list[Expectation] = []
        groups = (
            _Group("indicators", "indicator", INDICATOR_FIELDS, "value", "rt.kind.indicator",
                   {i.id for i in fw.indicators}, {i.id for i in fw.indicators_for(tier)}),
            _Group("derived", "column", COLUMN_FIELDS, "value", "rt.kind.derived", set(fw.derived),
                   {d for d, der in fw.derived.items() if tier in der.tiers}),
            _Group("inputs", "column", COLUMN_FIELDS, "value", "rt.kind.input", set(fw.inputs),
                   {inp.id for inp in fw.inputs_for(tier)}),
            _Group("pillars", "pillar", PILLAR_FIELDS, "score", "rt.kind.pillar", set(fw.pillars),
                   set(fw.pillars)),
        )  # fmt: skip
        for group in groups:
            if group.key in expect:
                self.read_group(
                    expect[group.key], (*base, group.key), group, default, tier, unit_id, out
                )
        for key in UNIT_NUMBERS:
            if key in expect:
                self.read_unit_number(expect[key], (*base, key), key, default, out)
        for key in UNIT_INTEGERS:
            if key in expect:
                high = len(fw.manifest.levels) if "level" in key else None
                ok, value = self.integer(expect[key], (*base, key), 1, high)
                if ok:
                    out.append(Expectation(key, "unit", key, key, value))
        if "capped_by" in expect:
            self.read_capped_by(expect["capped_by"], (*base, "capped_by"), fw, out)
        if "diagnostics" in expect:
            self.read_diagnostics(expect["diagnostics"], (*base, "diagnostics"), fw, out)
        if not any(k in expect for k in EXPECT_KEYS if k not in TOLERANCE_KEYS):
            self.problem(base, "rt.no_expect")
        return out

    def read_group(
        self,
        raw: Any,
        base: PathKey,
        spec_of: _Group,
        default: tuple[float, float],
        tier: str,
        unit_id: str,
        out: list[Expectation],
    ) -> None:
        kind, fields, shorthand = spec_of.kind, spec_of.fields, spec_of.shorthand
        known, in_tier, kind_label = spec_of.known, spec_of.in_tier, spec_of.label
        group = self.mapping(raw, base)
        if group is None:
            return
        prefix = dotted(base[3:])  # drop tests[i] and "expect"
        fw = self.fw
        assert fw is not None
        for item_id, spec in group.items():
            where: PathKey = (*base, item_id)
            if item_id not in known:
                self.problem(
                    where,
                    "rt.unknown_id",
                    at_key=True,
                    kind=t(kind_label),
                    id=item_id,
                    framework=fw.id,
                    hint=_hint(item_id, known),
                )
                continue
            if item_id not in in_tier:
                self.problem(
                    where,
                    "rt.not_in_tier",
                    at_key=True,
                    kind=t(kind_label),
                    id=item_id,
                    tier=tier,
                    unit=unit_id,
                )
                continue
            label = f"{prefix}.{item_id}"
            if not isinstance(spec, dict):
                ok, value = self.number(spec, where)
                if ok:
                    out.append(
                        Expectation(
                            f"{label}.{shorthand}", kind, item_id, shorthand, value, *default
                        )
                    )
                continue
            self.keys(spec, where, (*fields, *TOLERANCE_KEYS))
            margin, rel = self.tolerance(spec, where, default)
            if not any(f in spec for f in fields):
                self.problem(where, "rt.empty_spec", fields=", ".join(fields))
            for name in fields:
                if name not in spec:
                    continue
                value_path: PathKey = (*where, name)
                expected: Any
                if name == "status":
                    expected = self.choice(
                        spec[name],
                        value_path,
                        STATUS_NAMES if kind == "indicator" else COLUMN_STATUS,
                    )
                    if expected is None:
                        continue
                elif name == "level":
                    high = 5 if kind == "indicator" else len(fw.manifest.levels)
                    ok, level = self.integer(spec[name], value_path, 1, high)
                    if not ok:
                        continue
                    expected = level
                else:
                    ok, expected = self.number(spec[name], value_path)
                    if not ok:
                        continue
                out.append(
                    Expectation(f"{label}.{name}", kind, item_id, name, expected, margin, rel)
                )

    def read_unit_number(
        self,
        raw: Any,
        where: PathKey,
        key: str,
        default: tuple[float, float],
        out: list[Expectation],
    ) -> None:
        margin, rel = default
        value_raw = raw
        if isinstance(raw, dict):
            self.keys(raw, where, ("value", *TOLERANCE_KEYS))
            if "value" not in raw:
                self.problem(where, "shape.required", key="value")
                return
            margin, rel = self.tolerance(raw, where, default)
            value_raw = raw["value"]
            where = (*where, "value")
        ok, value = self.number(value_raw, where)
        if ok:
            out.append(Expectation(key, "unit", key, key, value, margin, rel))

    def read_capped_by(
        self, raw: Any, where: PathKey, fw: Framework, out: list[Expectation]
    ) -> None:
        if raw is None:
            raw = []
        if not isinstance(raw, list):
            self.wrong_type(where, raw, "rt.kind.list")
            return
        gates = [g.id for g in fw.manifest.gates]
        found: list[str] = []
        for k, item in enumerate(raw):
            text = self.text(item, (*where, k))
            if text is None:
                continue
            if text not in gates:
                self.problem(
                    (*where, k),
                    "rt.unknown_id",
                    kind=t("rt.kind.gate"),
                    id=text,
                    framework=fw.id,
                    hint=_hint(text, gates),
                )
                continue
            found.append(text)
        out.append(Expectation("capped_by", "unit", "capped_by", "capped_by", sorted(found)))

    def read_diagnostics(
        self, raw: Any, where: PathKey, fw: Framework, out: list[Expectation]
    ) -> None:
        if not isinstance(raw, list):
            self.wrong_type(where, raw, "rt.kind.list")
            return
        checks = [c.id for c in fw.manifest.checks]
        inds = [i.id for i in fw.indicators]
        for k, item in enumerate(raw):
            path: PathKey = (*where, k)
            spec = self.mapping(item, path)
            if spec is None:
                continue
            self.keys(spec, path, DIAGNOSTIC_KEYS)
            if not any(key in spec for key in DIAGNOSTIC_KEYS if key != "count"):
                self.problem(path, "rt.empty_spec", fields=", ".join(DIAGNOSTIC_KEYS[:-1]))
                continue
            kw: dict[str, Any] = {}
            for key in ("code", "unit", "contains"):
                if key in spec:
                    kw[key] = self.text(spec[key], (*path, key))
            if "severity" in spec:
                kw["severity"] = self.choice(spec["severity"], (*path, "severity"), SEVERITIES)
            if "check" in spec:
                text = self.text(spec["check"], (*path, "check"))
                if text is not None and text not in checks:
                    self.problem(
                        (*path, "check"),
                        "rt.unknown_id",
                        kind=t("rt.kind.check"),
                        id=text,
                        framework=fw.id,
                        hint=_hint(text, checks),
                    )
                kw["check"] = text
            if "indicator" in spec:
                text = self.text(spec["indicator"], (*path, "indicator"))
                if text is not None and text not in inds:
                    self.problem(
                        (*path, "indicator"),
                        "rt.unknown_id",
                        kind=t("rt.kind.indicator"),
                        id=text,
                        framework=fw.id,
                        hint=_hint(text, inds),
                    )
                kw["indicator"] = text
            if "count" in spec:
                ok, count = self.integer(spec["count"], (*path, "count"), 0)
                if not ok or count is None:
                    continue
                kw["count"] = count
            out.append(Expectation(f"diagnostics[{k}]", "diagnostic", "", "", DiagnosticSpec(**kw)))


def _is_test_document(doc: Document) -> bool:
    """In a folder, a YAML file is a rule-test file when it has ``tests``, or names a
    framework file (so a misspelt ``tests`` is reported, not skipped)."""
    data = doc.data
    if not isinstance(data, dict):
        return False
    fw = data.get("framework")
    return "tests" in data or (isinstance(fw, str) and fw.endswith((".yaml", ".yml")))


def collect(paths: Sequence[Path], keyword: str | None = None) -> Suite:
    """Read and check every rule-test file under ``paths`` (files, or folders searched
    recursively for ``*.yaml``/``*.yml``).

    Raises :class:`InputError` with every located problem of every file; nothing runs then.
    ``keyword`` keeps the cases whose name contains it (case-insensitive).
    """
    problems: list[Problem] = []
    frameworks: dict[Path, Framework | None] = {}
    registries: dict[Path, Registry | None] = {}
    docs: list[tuple[Path, Document]] = []
    for path in paths:
        display = _display(path)
        if path.is_dir():
            for found in sorted(
                p for p in path.rglob("*") if p.suffix.lower() in (".yaml", ".yml")
            ):
                try:
                    doc = load_yaml_file(found, _display(found))
                except InputError as exc:
                    problems.extend(exc.problems)
                    continue
                if _is_test_document(doc):
                    docs.append((found, doc))
        elif path.is_file():
            try:
                docs.append((path, load_yaml_file(path, display)))
            except InputError as exc:
                problems.extend(exc.problems)
        else:
            problems.append(Problem(Location(display), t("file.not_found"), "file.not_found"))
    seen: set[Path] = set()
    cases: list[Case] = []
    files: list[str] = []
    for path, doc in docs:
        if path.resolve() in seen:
            continue
        seen.add(path.resolve())
        files.append(doc.file)
        cases.extend(_FileReader(path, doc, problems, frameworks, registries).read())
    if problems:
        raise InputError(problems)
    if keyword:
        low = keyword.lower()
        cases = [c for c in cases if low in c.name.lower()]
    return Suite(cases, files)


# --------------------------------------------------------------------------- running


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
        params: dict[str, Any] = {}
        if ind.method == "linear":
            params = {"floor": ind.floor, "target": ind.target}
        elif ind.method == "steps":
            params = {"steps": [{"at": s.at, "score": s.score} for s in ind.steps or []]}
        elif ind.method == "ordinal":
            params = {"max": ind.max} if ind.max is not None else {"map": dict(ind.map or {})}
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
            failures.append(Failure(exp.path, spec.as_json(), len(hits), 0.0, message, trace))
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
        failures.append(Failure(exp.path, exp.expected, actual, tol, message, trace))
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


# --------------------------------------------------------------------------- rendering


def _trace_lines(trace: dict[str, Any]) -> list[str]:
    kind = trace.get("kind")
    lines: list[str] = []
    if kind == "indicator":
        lines.append(t("rt.tr.indicator", id=trace["id"], unit=trace["unit"]))
        lines.extend(_input_lines(trace))
        lines.append(f"  {t('rt.tr.formula')}: {trace['formula']}")
        cut = ", ".join(_short(c) for c in trace["cutoffs"])
        lines.append(
            f"  {t('rt.tr.value')}: {_short(trace['value'])} ({trace['status']}; "
            + t(
                "rt.tr.level",
                level=trace["level"] or "-",
                cutoffs=cut,
                direction=trace["direction"],
            )
            + ")"
        )
        params = ", ".join(f"{k} {_params(v)}" for k, v in trace["params"].items())
        method = trace["method"] + (" " + params if params else "")
        lines.append(f"  {t('rt.tr.method')}: {method} → s = {_short(trace['s'])}")
        max_points, points = _short(trace["max_points"]), _short(trace["points"])
        weight = f"{t('rt.tr.weight')} {_short(trace['weight'])}"
        lines.append(f"  {t('rt.tr.points')}: s × max_points {max_points} = {points} ({weight})")
    elif kind == "column":
        lines.append(t("rt.tr.column", name=trace["name"]))
        if "formula" in trace:
            lines.extend(_input_lines(trace))
            lines.append(f"  {t('rt.tr.formula')}: {trace['formula']}")
        lines.append(f"  {t('rt.tr.value')}: {_short(trace['value'])} ({trace['status']})")
    elif kind == "pillar":
        lines.append(t("rt.tr.pillar", id=trace["id"], unit=trace["unit"]))
        for m in trace["members"]:
            status = f" ({m['status']})" if "status" in m else ""
            lines.append(f"  {m['id']}: {_short(m['points'])} / {_short(m['max_points'])}{status}")
        lines.append(
            f"  = {_short(trace['score'])} / {_short(trace['max_score'])}, "
            + t("rt.tr.pillar_level", level=trace["level"] or "-")
        )
    elif kind == "unit":
        lines.append(t("rt.tr.unit", unit=trace["unit"]))
        parts = ", ".join(
            f"{p['id']} {_short(p['points'])}/{_short(p['max_points'])}" for p in trace["pillars"]
        )
        lines.append(f"  {t('rt.tr.pillars')}: {parts}")
        lines.append(
            f"  {t('rt.tr.total')}: {_short(trace['score'])} / {_short(trace['max_score'])}; index "
            f"{_short(trace['index'])}; coverage {_short(trace['coverage'])}"
        )
        bands = ", ".join(f"{b['level']}≥{_short(b['min'])}" for b in trace["bands"])
        lines.append(f"  {t('rt.tr.bands')}: {bands} → score level {trace['score_level'] or '-'}")
        levels = ", ".join(f"{p['id']} {p['level'] or '-'}" for p in trace["pillars"])
        lines.append(f"  {t('rt.tr.pillar_levels')}: {levels}")
        if trace["critical"]:
            crit = ", ".join(f"{c['id']} {c['level'] or c['status']}" for c in trace["critical"])
            lines.append(f"  {t('rt.tr.critical')}: {crit}")
        capped = ", ".join(trace["capped_by"]) or "-"
        lines.append(
            f"  capped_by: {capped} → level {trace['level'] or '-'}; rank {trace['rank'] or '-'}"
        )
        if len(trace["peers"]) > 1:
            peers = ", ".join(
                f"{p['unit']} {_short(p['score'])} (#{p['rank'] or '-'})" for p in trace["peers"]
            )
            lines.append(f"  {t('rt.tr.peers')}: {peers}")
    elif kind == "diagnostics":
        label = "rt.tr.matching" if trace.get("matching") else "rt.tr.diagnostics"
        lines.append(t(label, count=len(trace["diagnostics"])))
        for d in trace["diagnostics"][:20]:
            where = "/".join(x for x in (d["unit"], d["indicator"]) if x)
            lines.append(
                f"  {d['severity']} {d['code']}{(' ' + where) if where else ''}: {d['message']}"
            )
        if len(trace["diagnostics"]) > 20:
            lines.append(f"  … (+{len(trace['diagnostics']) - 20})")
    return lines


def _params(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(f"{_short(s['at'])}→{_short(s['score'])}" for s in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_short(v)}" for k, v in value.items()) + "}"
    return _short(value)


def _input_lines(trace: dict[str, Any], indent: str = "  ") -> list[str]:
    lines: list[str] = []
    for inp in trace.get("inputs", []):
        text = f"{indent}{t('rt.tr.input')} {inp['name']} = {_short(inp['value'])}"
        if inp["status"] != "ok":
            text += f" ({inp['status']})"
        if "formula" in inp:
            text += f" ← {inp['formula']}"
        lines.append(text)
        if "formula" in inp:
            lines.extend(_input_lines(inp, indent + "    "))
    for agg in trace.get("aggregates", []):
        text = f"{indent}{t('rt.tr.aggregate')} {agg['expr']} = {_short(agg['value'])}"
        if agg["status"] != "ok":
            text += f" ({agg['status']})"
        lines.append(text)
    return lines


def _listing(label: str, ids: list[str], limit: int = 12) -> str:
    """``  label: a, b, c`` with at most ``limit`` ids (all of them are in the JSON report)."""
    if not ids:
        return ""
    shown = ", ".join(ids[:limit]) + (f", … (+{len(ids) - limit})" if len(ids) > limit else "")
    return f"  {t(label)}: {shown}"


def _coverage_lines(cov: Coverage) -> list[str]:
    s = cov.summary()
    title = t(
        "rt.cov.title",
        framework=s["framework"],
        version=s["version"],
        path=s["path"],
        tests=s["tests"],
    )
    lines = [title]

    def row(label: str, part: dict[str, Any], extra: str = "") -> str:
        counts = f"{part['covered']:>4}/{part['total']:<4} {part['percent']:6.2f}%"
        return f"  {t(label):<18} {counts}{extra}"

    ind = s["indicators"]
    never_g = [g for g, v in s["gates"]["by_id"].items() if not v["triggered"]]
    never_c = [c for c, v in s["checks"]["by_id"].items() if not v["failed"]]
    lines.append(
        row("rt.cov.indicators", ind, _listing("rt.cov.not_exercised", ind["not_exercised"]))
    )
    lines.append(row("rt.cov.levels", s["levels"]))
    lines.append(row("rt.cov.gates", s["gates"], _listing("rt.cov.never_triggered", never_g)))
    lines.append(row("rt.cov.checks", s["checks"], _listing("rt.cov.never_failed", never_c)))
    lines.append(f"  {t('rt.cov.by_indicator')}:")
    label = t("rt.cov.levels_seen")
    for ind_id, v in ind["by_id"].items():
        seen = " ".join(str(lv) for lv in v["levels"]) or "-"
        reach = " ".join(str(lv) for lv in v["reachable"])
        mark = t("rt.cov.asserted") if v["asserted"] else ""
        text = f"    {ind_id:<10} {v['scored']:>3}×  {label} {seen:<10} / {reach:<10} {mark}"
        lines.append(text.rstrip())
    return lines


def render_text(report: Report, *, coverage: bool = False) -> str:
    """The readable report: one line per case, the failures in detail, a summary."""
    lines: list[str] = []
    for outcome in report.outcomes:
        case = outcome.case
        status = t("rt.pass") if outcome.passed else t("rt.fail")
        lines.append(f"{status} {case.where}: {case.name}")
        if outcome.passed:
            continue
        lines.append(
            "    "
            + t(
                "rt.unit_line",
                unit=case.unit,
                tier=case.tier,
                framework=case.framework.id,
                version=case.framework.version,
                policy=outcome.policy,
            )
        )
        for failure in outcome.failures:
            lines.append(f"    {failure.message}")
            if failure.trace:
                lines.extend("      " + ln for ln in _trace_lines(failure.trace))
    if coverage:
        for cov in report.coverage:
            lines.append("")
            lines.extend(_coverage_lines(cov))
    lines.append("")
    lines.append(
        t(
            "rt.summary",
            passed=report.passed,
            failed=report.failed,
            total=len(report.outcomes),
            files=len(report.files),
        )
    )
    return "\n".join(lines) + "\n"


def _json_value(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def render_json(report: Report, *, coverage: bool = False) -> str:
    """The report as JSON (stable key order, UTF-8)."""
    doc: dict[str, Any] = {
        "report": "maturity-rule-tests",
        "version": REPORT_VERSION,
        "summary": {
            "files": len(report.files),
            "tests": len(report.outcomes),
            "passed": report.passed,
            "failed": report.failed,
        },
        "tests": [
            {
                "file": o.case.file,
                "line": o.case.line,
                "name": o.case.name,
                "framework": o.case.framework.id,
                "unit": o.case.unit,
                "tier": o.case.tier,
                "missing_policy": o.policy,
                "passed": o.passed,
                "failures": [
                    {
                        "path": f.path,
                        "expected": _json_value(f.expected),
                        "actual": _json_value(f.actual),
                        "tolerance": f.tolerance,
                        "message": f.message,
                        "trace": f.trace,
                    }
                    for f in o.failures
                ],
            }
            for o in report.outcomes
        ],
    }
    if coverage:
        doc["coverage"] = [cov.summary() for cov in report.coverage]
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
