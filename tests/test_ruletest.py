"""``maturity test``: YAML rule tests, run in-process through the CLI.

The fixtures in ``fixtures/ruletests`` test the mini framework (hand-checked numbers in their
comments); ``tests/rules`` tests the national framework and must pass in CI.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from maturity.analysis.ruletest.collect import collect
from maturity.analysis.ruletest.run import run
from maturity.cli import main
from maturity.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
RT = "tests/fixtures/ruletests"


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Paths in messages are relative to the working folder: run from the repository root."""
    monkeypatch.chdir(ROOT)


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, ["test", *args])


# --------------------------------------------------------------------------- passing


def test_passing_file() -> None:
    result = invoke(f"{RT}/passing.yaml")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"PASS {RT}/passing.yaml:6: P1 from the batch scores 78.75"
    assert lines[-1] == "12 passed, 0 failed (12 tests in 1 file(s))"
    assert "FAIL" not in result.stdout
    assert result.stderr == ""


def test_margins() -> None:
    result = invoke(f"{RT}/margins.yaml")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "3 passed, 0 failed (3 tests in 1 file(s))"


def test_keyword_filter() -> None:
    result = invoke(f"{RT}/passing.yaml", "-k", "CAPS")
    assert result.exit_code == 0, result.output
    names = [ln for ln in result.stdout.splitlines() if ln.startswith("PASS")]
    assert names == [
        f"PASS {RT}/passing.yaml:104: a weak critical indicator caps a level-4 commune at level 2",
        f"PASS {RT}/passing.yaml:115: the weakest pillar caps a province",
    ]


def test_library_api() -> None:
    suite = collect([ROOT / RT / "passing.yaml"])
    report = run(suite)
    assert (report.passed, report.failed) == (12, 0)
    assert [c.unit for c in suite.cases[:3]] == ["P1", "P2", "C21"]


# --------------------------------------------------------------------------- failing


def test_failing_file_names_each_case_with_expected_actual_and_trace() -> None:
    result = invoke(f"{RT}/failing.yaml")
    assert result.exit_code == 1
    out = result.stdout
    assert f"PASS {RT}/failing.yaml:5: this one passes" in out
    assert f"FAIL {RT}/failing.yaml:11: wrong online rate and points" in out
    assert f"FAIL {RT}/failing.yaml:21: wrong level and gates" in out
    assert f"FAIL {RT}/failing.yaml:30: a diagnostic that is not there" in out
    assert out.splitlines()[-1] == "1 passed, 3 failed (4 tests in 1 file(s))"
    # expected vs actual, then the trace: inputs -> formula -> value -> score -> points
    block = out.split("FAIL")[1]
    expected = """\
    unit P1 (province), framework mini 1.0, missing-data policy zero
    indicators.SVC-01.value: expected 60, got 50
      trace of SVC-01 for P1:
        input online_rate = 50 ← ratio(dossiers_online, dossiers_received) * 100
            input dossiers_online = 500
            input dossiers_received = 1000
        formula: online_rate
        value: 50 (scored; level 3; cut-offs 20, 40, 60, 80, higher is better)
        method: linear floor 0, target 80 → s = 0.625
        points: s × max_points 30 = 18.75 (weight 3)
    indicators.INF-01.points: expected 10, got 20
      trace of INF-01 for P1:
        input communes_with_fibre = null (missing)
        aggregate count() = 2
        aggregate count(has_fibre) = 2
"""
    assert expected in block
    assert "indicators.SVC-01.points" not in block  # 18.75 is right
    assert "derived.online_rate.value: expected 49.5, got 50" in block
    assert "pillars.SVC.score: expected 30, got 34.375" in out
    assert "level: expected 3, got 4" in out
    assert "capped_by: expected [critical-l3], got []" in out
    assert (
        "diagnostics[0]: expected a diagnostic matching {check: online-le-received}, found none"
        in out
    )
    assert (
        "diagnostics[1]: expected 0 diagnostic(s) matching {code: score.formula_error}, found 2"
        in out
    )


def test_failing_file_as_json() -> None:
    result = invoke(f"{RT}/failing.yaml", "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["summary"] == {"files": 1, "tests": 4, "passed": 1, "failed": 3}
    case = doc["tests"][1]
    assert (case["name"], case["line"], case["unit"], case["passed"]) == (
        "wrong online rate and points", 11, "P1", False,
    )  # fmt: skip
    first = case["failures"][0]
    assert first["path"] == "indicators.SVC-01.value"
    assert (first["expected"], first["actual"]) == (60, 50)
    trace = first["trace"]
    assert trace["inputs"][0]["name"] == "online_rate"
    assert trace["inputs"][0]["formula"] == "ratio(dossiers_online, dossiers_received) * 100"
    assert (trace["value"], trace["s"]) == (50, 0.625)
    assert (trace["max_points"], trace["points"]) == (30, 18.75)


# --------------------------------------------------------------------------- zero tests


def test_zero_tests_exit_1() -> None:
    result = invoke(f"{RT}/zero.yaml")
    assert result.exit_code == 1
    assert result.stderr == f"no rule tests collected from {RT}/zero.yaml.\n"


def test_empty_folder_exit_1(tmp_path: Path) -> None:
    result = invoke(str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr.startswith("no rule tests collected from ")


def test_keyword_matching_nothing_exit_1() -> None:
    result = invoke(f"{RT}/passing.yaml", "-k", "no such test")
    assert result.exit_code == 1


# --------------------------------------------------------------------------- bad test files

BAD_KEYS = f"""\
{RT}/bad/keys.yaml:2:1: tets: unknown key 'tets'. Did you mean 'tests'? Allowed: framework, units, missing_policy, tests.
{RT}/bad/keys.yaml:4:5: tests[0]: missing required key 'expect'.
{RT}/bad/keys.yaml:5:11: tests[0].unit: unknown unit 'P9': not in the unit registry tests/fixtures/mini/units.csv.
{RT}/bad/keys.yaml:6:5: tests[0].expct: unknown key 'expct'. Did you mean 'expect'? Allowed: name, unit, submission, values, not_applicable, children, communes, peers, missing_policy, expect.
{RT}/bad/keys.yaml:12:9: tests[1].expect.indicators.SVC-1: unknown indicator 'SVC-1' in framework mini. Did you mean 'SVC-01'?
{RT}/bad/keys.yaml:13:9: tests[1].expect.indicators.SVC-04: indicator 'SVC-04' does not apply to tier 'province' of unit P1.
{RT}/bad/keys.yaml:14:26: tests[1].expect.indicators.INF-02.points: expected a number or null, got text.
{RT}/bad/keys.yaml:14:32: tests[1].expect.indicators.INF-02.levle: unknown key 'levle'. Did you mean 'level'? Allowed: value, score, points, max_points, status, level, margin, relative_margin.
{RT}/bad/keys.yaml:16:9: tests[1].expect.pillars.SVX: unknown pillar 'SVX' in framework mini. Did you mean 'SVC'?
{RT}/bad/keys.yaml:17:19: tests[1].expect.capped_by[0]: unknown gate 'critical' in framework mini. Did you mean 'critical-l3'?
{RT}/bad/keys.yaml:18:14: tests[1].expect.level: 9 is out of range; allowed: 1..4.
{RT}/bad/keys.yaml:20:19: tests[1].expect.diagnostics[0].check: unknown check 'procedures-add-up' in framework mini.
{RT}/bad/keys.yaml:23:14: tests[2].values.dossiers_recieved: unknown input 'dossiers_recieved' in framework mini. Did you mean 'dossiers_received'?
{RT}/bad/keys.yaml:23:37: tests[2].values.uses_ai: input 'uses_ai' is not submitted by a commune.
{RT}/bad/keys.yaml:24:5: tests[2].children: tier 'commune' has no child tier; this key cannot be used.
15 problems found.
"""  # noqa: E501


def test_bad_test_file_located_errors() -> None:
    result = invoke(f"{RT}/bad/keys.yaml")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == BAD_KEYS


def test_bad_yaml() -> None:
    result = invoke(f"{RT}/bad/syntax.yaml")
    assert result.exit_code == 1
    assert result.stderr == (
        f"{RT}/bad/syntax.yaml:6:1: YAML syntax error: while parsing a flow mapping did not find"
        " expected ',' or '}'\n1 problem found.\n"
    )


def test_bad_file_in_a_folder_stops_the_run() -> None:
    result = invoke(RT)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert f"{RT}/bad/keys.yaml:2:1: tets: unknown key 'tets'." in result.stderr
    assert f"{RT}/bad/syntax.yaml:6:1: YAML syntax error" in result.stderr


def test_missing_path() -> None:
    result = invoke(f"{RT}/nope.yaml")
    assert result.exit_code == 1
    assert result.stderr == f"{RT}/nope.yaml: no such file or folder\n1 problem found.\n"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "framework: nowhere.yaml\ntests: []\n",
            "T.yaml:1:12: framework: no such file or folder: nowhere.yaml (paths are relative to"
            " the test file).",
        ),
        (
            "framework: F\ntests:\n  - name: a\n    expect: {score: 1}\n",
            "T.yaml:3:5: tests[0]: a test needs 'unit' (inline values) or 'submission' (a file).",
        ),
        (
            "framework: F\ntests:\n  - name: a\n    unit: P1\n    expect: {margin: 1}\n",
            "T.yaml:5:13: tests[0].expect: a test needs at least one expectation under 'expect'.",
        ),
        (
            "framework: F\ntests:\n  - {name: a, unit: P1, expect: {score: 1}}\n"
            "  - {name: a, unit: P1, expect: {score: 1}}\n",
            "T.yaml:4:12: tests[1].name: test name 'a' is used twice in this file (first at line"
            " 3). Names must be unique.",
        ),
        (
            "framework: F\ntests:\n"
            "  - {name: a, unit: P1, children: [{unit: C21}], expect: {score: 1}}\n",
            "T.yaml:3:43: tests[0].children[0].unit: unit 'C21' is not a child of 'P1' (its parent"
            " is P2). Put other units under 'peers'.",
        ),
        (
            "framework: F\ntests:\n  - {name: a, submission: S, expect: {score: 1}}\n",
            "T.yaml:3:27: tests[0].submission: the submissions hold 5 unit(s) (P1, P2, C11, C12,"
            " C21); name the unit under test with 'unit'.",
        ),
        (
            "framework: F\ntests:\n"
            "  - {name: a, unit: P1, expect: {indicators: {SVC-01: {status: done}}}}\n",
            "T.yaml:3:64: tests[0].expect.indicators.SVC-01.status: 'done' is not allowed. Allowed:"
            " scored, missing, invalid, error, not_applicable.",
        ),
        (
            "framework: F\ntests:\n  - {name: a, unit: P1, expect: {score: 1, margin: -1}}\n",
            "T.yaml:3:52: tests[0].expect.margin: margin must be 0 or more; got -1.",
        ),
    ],
)
def test_located_errors(tmp_path: Path, body: str, message: str) -> None:
    shutil.copytree(ROOT / "tests" / "fixtures" / "mini", tmp_path / "mini")
    body = body.replace("framework: F", "framework: mini/framework.yaml")
    body = body.replace("submission: S", "submission: mini/submissions/batch.csv")
    test_file = tmp_path / "T.yaml"
    test_file.write_text(body, encoding="utf-8")
    with pytest.raises(InputError) as err:
        collect([test_file])
    assert str(err.value).replace(f"{tmp_path}/", "") == message


def test_framework_errors_are_reported_with_their_own_locations(tmp_path: Path) -> None:
    fw = tmp_path / "fw.yaml"
    fw.write_text("id: Bad\n", encoding="utf-8")
    test_file = tmp_path / "T.yaml"
    test_file.write_text("framework: fw.yaml\ntests: []\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        collect([test_file])
    messages = [p.message for p in err.value.problems]
    assert any(m.startswith("framework fw.yaml does not load (") for m in messages)
    assert len(messages) > 1


# --------------------------------------------------------------------------- coverage


def test_coverage_report() -> None:
    result = invoke(f"{RT}/passing.yaml", "--coverage")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Coverage of mini 1.0 (tests/fixtures/mini/framework.yaml) by 12 test(s):" in out
    assert "  indicators            6/6    100.00%\n" in out
    assert "  gates triggered       2/2    100.00%\n" in out
    assert "  checks failed         1/2     50.00%  never failed: online-le-received\n" in out
    assert "    SVC-03       4×  levels 5          / 1 5        asserted\n" in out


def test_coverage_json_and_fail_under() -> None:
    result = invoke(f"{RT}/margins.yaml", "--format", "json", "--fail-under", "70")
    assert result.exit_code == 1
    assert result.stderr == "indicator coverage of mini is 66.67%, below --fail-under 70.\n"
    cov = json.loads(result.stdout)["coverage"][0]
    assert cov["indicators"]["covered"] == 4
    assert cov["indicators"]["not_exercised"] == ["INF-01", "SVC-03"]
    assert cov["indicators"]["by_id"]["SVC-01"]["levels"] == [2]
    assert cov["gates"]["by_id"]["critical-l3"] == {"triggered": 3, "not_triggered": 0}
    ok = invoke(f"{RT}/margins.yaml", "--fail-under", "60")
    assert ok.exit_code == 0, ok.output


# --------------------------------------------------------------------------- details


def test_vietnamese_messages() -> None:
    result = invoke(f"{RT}/failing.yaml", "--lang", "vi")
    assert result.exit_code == 1
    assert f"KHÔNG ĐẠT {RT}/failing.yaml:11: wrong online rate and points" in result.stdout
    assert "indicators.SVC-01.value: mong đợi 60, nhận được 50" in result.stdout
    assert result.stdout.splitlines()[-1] == "1 đạt, 3 không đạt (4 ca kiểm thử trong 1 tệp)"
    bad = invoke(f"{RT}/bad/keys.yaml", "--lang", "vi")
    assert (
        f"{RT}/bad/keys.yaml:12:9: tests[1].expect.indicators.SVC-1: không có chỉ số 'SVC-1' trong"
        " khung mini. Có phải ý bạn là 'SVC-01'?" in bad.stderr
    )


def test_folder_collects_only_rule_test_files(tmp_path: Path) -> None:
    fw = ROOT / "tests" / "fixtures" / "mini" / "framework.yaml"
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c12.yaml").write_text(
        "unit: C12\nframework: mini\nvalues: {dossiers_received: 400, dossiers_online: 380}\n",
        encoding="utf-8",
    )
    (tmp_path / "t.yaml").write_text(
        f"framework: {fw}\ntests:\n  - name: from a file\n    submission: sub/c12.yaml\n"
        "    expect: {indicators: {SVC-01: {value: 95, points: 25}}}\n",
        encoding="utf-8",
    )
    result = invoke(str(tmp_path), "-o", str(tmp_path / "report.txt"))
    assert result.exit_code == 0, result.output
    report = (tmp_path / "report.txt").read_text(encoding="utf-8")
    assert report.splitlines()[-1] == "1 passed, 0 failed (1 tests in 1 file(s))"


def test_unquoted_unit_code_keeps_its_leading_zeros(tmp_path: Path) -> None:
    mini = ROOT / "tests" / "fixtures" / "mini"
    units = tmp_path / "units.csv"
    units.write_text(
        (mini / "units.csv").read_text(encoding="utf-8") + "00070,Phường Không,commune,P1,Phường\n",
        encoding="utf-8",
    )
    test_file = tmp_path / "t.yaml"
    test_file.write_text(
        f"framework: {mini / 'framework.yaml'}\nunits: units.csv\ntests:\n"
        "  - {name: zeros, unit: 00070, values: {network_level: 02},\n"
        "     expect: {indicators: {INF-02: 2}}}\n",
        encoding="utf-8",
    )
    report = run(collect([test_file]))
    assert report.failed == 0
    assert report.outcomes[0].case.unit == "00070"


# --------------------------------------------------------------------------- the national rules


def test_national_rule_tests_pass() -> None:
    result = invoke("tests/rules", "--coverage", "--fail-under", "100")
    assert result.exit_code == 0, result.output
    assert " 0 failed " in result.stdout.splitlines()[-1]
