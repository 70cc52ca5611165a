"""Shared fixtures: load each framework once per test session; and the YAML rule tests of
``tests/rules`` collected as pytest items, one per case."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from maturity import Framework, Registry, load_framework, load_registry
from maturity.analysis.ruletest.collect import Case, Suite, collect
from maturity.analysis.ruletest.run import run
from maturity.errors import InputError
from maturity.i18n import set_language
from maturity.render.ruletest import render_text

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINI = FIXTURES / "mini"
RULE_TESTS = Path(__file__).resolve().parent / "rules"

pytest_plugins = ("pytester",)  # tests/test_rule_items.py runs pytest on this conftest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite tests/golden/ from the current output (review the diff before committing).",
    )


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages in English unless a test asks otherwise; reset after every test."""
    set_language("en")
    yield
    set_language("en")


@pytest.fixture(scope="session")
def mini() -> Framework:
    return load_framework(MINI / "framework.yaml")


@pytest.fixture(scope="session")
def mini_registry() -> Registry:
    return load_registry(MINI / "units.csv")


@pytest.fixture(scope="session")
def national() -> Framework:
    return load_framework(ROOT / "frameworks" / "vn-2tier.yaml")


@pytest.fixture(scope="session")
def national_registry() -> Registry:
    return load_registry(ROOT / "frameworks" / "units" / "vn-admin-units-2025.csv")


@pytest.fixture
def mini_copy(tmp_path: Path) -> Path:
    """A writable copy of the mini framework."""
    dest = tmp_path / "mini"
    shutil.copytree(MINI, dest)
    return dest


# --------------------------------------------------------------------------- rule tests as items

# The folder is collected once, as ``maturity test tests/rules`` does: the runner decides which
# YAML files are rule tests (the others are their data) and loads each framework once.
_SUITE = pytest.StashKey["Suite | InputError"]()


def _rule_suite(config: pytest.Config) -> Suite | InputError:
    if _SUITE not in config.stash:
        try:
            config.stash[_SUITE] = collect([RULE_TESTS])
        except InputError as exc:
            config.stash[_SUITE] = exc
    return config.stash[_SUITE]


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    path = file_path.resolve()
    if path.suffix.lower() not in (".yaml", ".yml") or RULE_TESTS not in path.parents:
        return None
    suite = _rule_suite(parent.config)
    if isinstance(suite, InputError):
        # nothing runs then, as in the runner; the problems, each located, are reported once,
        # on the first file of the folder itself (the subfolders hold data)
        found = (p for p in RULE_TESTS.rglob("*") if p.suffix.lower() in (".yaml", ".yml"))
        first = min(found, key=lambda p: (len(p.parts), p))
        if path != first:
            return None
        return RuleTestFile.from_parent(parent, path=file_path, cases=[], error=suite)
    cases = [c for c in suite.cases if Path(c.file).resolve() == path]
    if not cases:  # a submission or other data the tests read
        return None
    return RuleTestFile.from_parent(parent, path=file_path, cases=cases, error=None)


class RuleTestFile(pytest.File):
    """A rule-test file: one item per case."""

    def __init__(self, *, cases: list[Case], error: InputError | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.cases = cases
        self.error = error

    def collect(self) -> Iterator[RuleTestItem]:
        if self.error is not None:
            folder = os.path.relpath(RULE_TESTS, self.config.rootpath)
            raise self.CollectError(f"rule tests under {folder} are invalid:\n{self.error}")
        seen: set[str] = set()
        for case in self.cases:
            name = case.name if case.name not in seen else f"{case.name} (line {case.line})"
            seen.add(case.name)
            yield RuleTestItem.from_parent(self, name=name, case=case)


class RuleTestItem(pytest.Item):
    """One case of a rule-test file, run by the rule-test runner; a failure shows the runner's
    own report of it (each expectation that did not hold, with the trace of its value)."""

    def __init__(self, *, case: Case, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case

    def runtest(self) -> None:
        set_language("en")
        report = run(Suite([self.case], [self.case.file]))
        if report.failed:
            # the runner's report of the case, without its summary line (0 passed, 1 failed)
            text = render_text(report).rstrip("\n").rsplit("\n\n", 1)[0]
            pytest.fail(text, pytrace=False)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.case.line - 1, self.name
