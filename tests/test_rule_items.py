"""The rule-test files of ``tests/rules`` collected as pytest items (``conftest.py``).

Each case is an item named after its file and its name; a failing case fails with the
rule-test runner's own report of it, a broken file is one located collection error and data
files the tests read are not collected. Checked by running pytest on a copy of the mini
framework's rule-test fixtures with this folder's ``conftest.py``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    """A folder laid out as this one: ``conftest.py``, ``rules/`` (a rule-test file and the
    data it reads) and the mini framework beside it."""
    shutil.copy(HERE / "conftest.py", pytester.path / "conftest.py")
    shutil.copytree(FIXTURES / "mini", pytester.path / "mini")
    rules = pytester.path / "rules"
    (rules / "data").mkdir(parents=True)
    shutil.copy(FIXTURES / "ruletests" / "failing.yaml", rules / "failing.yaml")
    shutil.copy(FIXTURES / "ruletests" / "data" / "p1.yaml", rules / "data" / "p1.yaml")
    return pytester


def test_each_case_is_an_item_named_after_its_file_and_case(project: pytest.Pytester) -> None:
    result = project.runpytest("rules", "--collect-only", "-q")
    assert result.ret == pytest.ExitCode.OK
    assert result.outlines[:4] == [
        "rules/failing.yaml::this one passes",
        "rules/failing.yaml::wrong online rate and points",
        "rules/failing.yaml::wrong level and gates",
        "rules/failing.yaml::a diagnostic that is not there",
    ]
    assert not any("p1.yaml" in line for line in result.outlines)  # data, not a test


def test_a_failing_case_fails_with_the_runners_message_and_trace(
    project: pytest.Pytester,
) -> None:
    result = project.runpytest("rules", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=3)
    result.stdout.fnmatch_lines(
        [
            "*_ wrong online rate and points _*",
            "FAIL rules/failing.yaml:11: wrong online rate and points",
            "    unit P1 (province), framework mini 1.0, missing-data policy zero",
            "    indicators.SVC-01.value: expected 60, got 50",
            "      trace of SVC-01 for P1:",
            "        input online_rate = 50 ← ratio(dossiers_online, dossiers_received) * 100",
        ]
    )
    result.stdout.fnmatch_lines(
        ["FAILED rules/failing.yaml::wrong level and gates - Failed: FAIL*"]
    )
    assert "0 passed, 1 failed" not in result.stdout.str()  # one summary: pytest's
    assert "Traceback" not in result.stdout.str()
    assert "conftest.py" not in result.stdout.str()  # the report, not the hook's frames


def test_a_broken_file_is_one_located_collection_error(project: pytest.Pytester) -> None:
    shutil.copy(FIXTURES / "ruletests" / "bad" / "keys.yaml", project.path / "rules" / "bad.yaml")
    (project.path / "rules" / "bad.yaml").write_text(
        (project.path / "rules" / "bad.yaml").read_text().replace("../../mini", "../mini")
    )
    result = project.runpytest("rules", "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.INTERRUPTED  # collection errors: nothing runs
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [
            "rule tests under rules are invalid:",
            "rules/bad.yaml:2:1: tets: unknown key*",
        ]
    )
    result.stdout.fnmatch_lines(["ERROR rules/bad.yaml*"])
