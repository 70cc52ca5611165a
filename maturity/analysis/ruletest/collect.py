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
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from maturity.errors import InputError, Location, Problem, display_path
from maturity.framework.compiled import Framework
from maturity.framework.load import load_framework
from maturity.framework.yaml_loader import Document, PathKey, dotted, load_yaml_file
from maturity.i18n import LANGUAGES, Joined, Text, did_you_mean, msg, t
from maturity.inputs.load import load_submissions
from maturity.inputs.reader import SubmissionReader
from maturity.inputs.submissions import Batch, Entry
from maturity.inputs.units import Registry, load_registry
from maturity.scoring.results import STATUS_NAMES

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

    def matches(self, diag: Problem) -> bool:
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
        # in either language: a failed check's numbers follow it (1,737 / 1.737)
        return self.contains is None or any(self.contains in diag.text(lg) for lg in LANGUAGES)

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
    source: PathKey = ()  # where the expected value is written in the file (for --update)

    def tolerance(self, expected: Any = None) -> float:
        """The margin allowed around the expected value (or around ``expected``, a new one)."""
        value = self.expected if expected is None else expected
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return max(self.margin, self.relative_margin * abs(float(value)))
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
    path: Path | None = None  # the test file on disk (``file`` is its name as shown)

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass
class Suite:
    """Every case collected from the test files, in file order."""

    cases: list[Case]
    files: list[str]


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
        self.problems.append(Problem.at(self.doc.locate(where, key=at_key), code, **kw))

    def wrong_type(self, path: PathKey, value: Any, expected: str) -> None:
        self.problem(path, "rt.type", expected=t(expected), got=_kind_of(value))

    def keys(self, data: dict[str, Any], path: PathKey, allowed: Sequence[str]) -> None:
        for key in data:
            if key not in allowed:
                self.problems.append(
                    Problem.at(
                        self.doc.locate((*path, key), key=True),
                        "shape.unknown_key",
                        key=key,
                        hint=did_you_mean(key, allowed),
                        allowed=", ".join(allowed),
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
                self.registries[target] = load_registry(target, display_path(target))
            except InputError as exc:
                self.registries[target] = None
                self.problems.extend(exc.problems)
        return self.registries[target]

    # -- the file ----------------------------------------------------------------
    # complex on purpose: a validator over every top-level key of a rule-test file
    def read(self) -> list[Case]:  # noqa: C901
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
            self.file,
            line,
            i,
            name,
            fw,
            registry,
            batch,
            unit_id,
            unit.tier,
            policy,
            expectations,
            self.path,
        )

    # -- the batch -----------------------------------------------------------------
    def check_unit(self, raw: Any, path: PathKey, fw: Framework, registry: Registry) -> str | None:
        unit_id = self.text(raw, path)
        if unit_id is None:
            return None
        unit = registry.get(unit_id)
        if unit is None:
            hint: Text = did_you_mean(unit_id, registry.units)
            if isinstance(raw, int):
                hint = Joined([hint, msg("rt.quote_unit")], "")
            self.problem(
                path, "rt.unknown_unit", id=unit_id, registry=registry.source or "?", hint=hint
            )
            return None
        if unit.tier not in fw.tier_ids():
            self.problem(
                path, "rt.unit_tier", id=unit_id, tier=fw.tier_text(unit.tier), framework=fw.id
            )
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
                self.problem(
                    (*path, name), "rt.input_tier", at_key=True, name=name, tier=fw.tier_text(tier)
                )
            else:
                self.problem(
                    (*path, name),
                    "rt.unknown_id",
                    at_key=True,
                    kind=t("rt.kind.input"),
                    id=name,
                    framework=fw.id,
                    hint=did_you_mean(name, tier_inputs),
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
                    hint=did_you_mean(name, ids),
                )
        return na if ok else None

    # complex on purpose: a validator over the keys that build a case's batch
    def build_batch(  # noqa: C901
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
        reader = SubmissionReader(fw, registry)
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
                    out.append(Expectation(key, "unit", key, key, value, source=(*base, key)))
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
                    hint=did_you_mean(item_id, known),
                )
                continue
            if item_id not in in_tier:
                self.problem(
                    where,
                    "rt.not_in_tier",
                    at_key=True,
                    kind=t(kind_label),
                    id=item_id,
                    tier=fw.tier_text(tier),
                    unit=unit_id,
                )
                continue
            label = f"{prefix}.{item_id}"
            if not isinstance(spec, dict):
                ok, value = self.number(spec, where)
                if ok:
                    out.append(
                        Expectation(
                            f"{label}.{shorthand}",
                            kind,
                            item_id,
                            shorthand,
                            value,
                            *default,
                            source=where,
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
                    Expectation(
                        f"{label}.{name}", kind, item_id, name, expected, margin, rel, value_path
                    )
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
            out.append(Expectation(key, "unit", key, key, value, margin, rel, where))

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
                    hint=did_you_mean(text, gates),
                )
                continue
            found.append(text)
        out.append(
            Expectation("capped_by", "unit", "capped_by", "capped_by", sorted(found), source=where)
        )

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
                        hint=did_you_mean(text, checks),
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
                        hint=did_you_mean(text, inds),
                    )
                kw["indicator"] = text
            if "count" in spec:
                ok, count = self.integer(spec["count"], (*path, "count"), 0)
                if not ok or count is None:
                    continue
                kw["count"] = count
            source = (*path, "count") if "count" in kw else path
            spec_ = DiagnosticSpec(**kw)
            out.append(Expectation(f"diagnostics[{k}]", "diagnostic", "", "", spec_, source=source))


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
        display = display_path(path)
        if path.is_dir():
            for found in sorted(
                p for p in path.rglob("*") if p.suffix.lower() in (".yaml", ".yml")
            ):
                try:
                    doc = load_yaml_file(found, display_path(found))
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
            problems.append(Problem.at(Location(display), "file.not_found"))
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
