"""``maturity test --update``: accepting an intended change rewrites the expected values of
the failing cases in place, and nothing else.

The files are copies in ``tmp_path`` (the mini framework with ``fixtures/ruletests``, the
national framework with ``tests/rules``); the printed diff of a weight change has goldens in
``tests/golden/ruletest`` (regenerate with ``--update-golden`` and read the diff).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from maturity.analysis.ruletest.collect import collect
from maturity.analysis.ruletest.run import run
from maturity.analysis.ruletest.update import plan_update, write_update
from maturity.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
GOLDEN = ROOT / "tests" / "golden" / "ruletest"


def invoke(*args: str, lang: str = "en") -> Result:
    return CliRunner().invoke(main, ["--lang", lang, "test", *args], prog_name="maturity")


@pytest.fixture
def mini(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The mini framework and its rule tests, copied; the working folder is the copy."""
    shutil.copytree(FIXTURES / "mini", tmp_path / "mini")
    (tmp_path / "ruletests").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def national(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The national framework, its examples and tests/rules, copied, with GOV's province weight
    100 → 120 (so every province share moves: 1,000 × 120 / 1,020 for GOV, the others
    × 1,000 / 1,020)."""
    for folder in ("frameworks", "rules", "examples"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    shutil.copytree(ROOT / "tests" / "rules", tmp_path / "tests" / "rules")
    manifest = tmp_path / "frameworks" / "vn-2tier.yaml"
    text = manifest.read_text(encoding="utf-8")
    old = "weights: {province: 100, commune: 100}"  # GOV's, the only one
    assert text.count(old) == 1
    manifest.write_text(text.replace(old, "weights: {province: 120, commune: 100}"), "utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --------------------------------------------------------------------------- the mini framework

FAILING_AFTER = """\
# Rule tests of the mini framework with deliberately wrong expectations: each failure must be
# named, with expected vs actual and the trace of the value (see tests/test_ruletest.py).
framework: ../mini/framework.yaml
tests:
  - name: this one passes
    submission: ../mini/submissions/batch.csv
    unit: P1
    expect:
      score: 78.75

  - name: wrong online rate and points
    submission: ../mini/submissions/batch.csv
    unit: P1
    expect:
      indicators:
        SVC-01: {value: 50, points: 18.75}     # the value is 50; the points are right
        INF-01: {points: 20}                    # 20
      derived:
        online_rate: 50                       # 50

  - name: wrong level and gates
    submission: ../mini/submissions/batch.csv
    unit: C11
    expect:
      pillars:
        SVC: 34.375                                  # 34.375
      level: 4                                   # 4
      capped_by: []                   # none

  - name: a diagnostic that is not there
    submission: ../mini/submissions/batch.csv
    unit: P1
    expect:
      diagnostics:
        - {check: online-le-received}
        - {code: score.formula_error, count: 2}  # C21 has two
"""


def test_every_wrong_expected_value_is_rewritten_in_place(mini: Path) -> None:
    """fixtures/ruletests/failing.yaml: the values its comments give are what is written;
    the comments, spacing and flow mappings stay; a diagnostic expected that never came
    cannot be 'updated' and is said so."""
    target = mini / "ruletests" / "failing.yaml"
    shutil.copy(FIXTURES / "ruletests" / "failing.yaml", target)
    plan = plan_update(run(collect([target])))
    assert [(e.path, e.old, e.new) for f in plan.files for e in f.edits] == [
        ("indicators.SVC-01.value", 60, 50),
        ("indicators.INF-01.points", 10, 20),
        ("derived.online_rate.value", 49.5, 50),
        ("pillars.SVC.score", 30, 34.375),
        ("level", 3, 4),
        ("capped_by", ["critical-l3"], []),
        ("diagnostics[1]", {"code": "score.formula_error", "count": 0}, 2),
    ]
    assert [(s.case, s.path, s.reason) for s in plan.skipped] == [
        ("ruletests/failing.yaml:30", "diagnostics[0]", "rt.update.no_count")
    ]
    write_update(plan)
    assert target.read_text(encoding="utf-8") == FAILING_AFTER
    again = run(collect([target]))
    assert [(o.case.name, [f.path for f in o.failures]) for o in again.outcomes if o.failures] == [
        ("a diagnostic that is not there", ["diagnostics[0]"])
    ]


STYLES = """\
framework: ../mini/framework.yaml\r
tests:\r
  - name: block list, quoted status, empty level\r
    submission: ../mini/submissions/batch.csv\r
    unit: P1\r
    expect:\r
      indicators:\r
        SVC-01: {status: "missing", value: 50}\r
      level:\r
      capped_by:\r
        - weakest-pillar   # P1 is not capped\r
      # the end\r
      rank: 1\r
  - name: shared, first\r
    submission: ../mini/submissions/batch.csv\r
    unit: P1\r
    expect: &same\r
      score: 70\r
  - name: shared, second\r
    submission: ../mini/submissions/batch.csv\r
    unit: P2\r
    expect: *same\r
"""


def test_styles_line_endings_and_a_shared_value(mini: Path) -> None:
    """A quoted value stays quoted, an empty value gets one, a block list becomes the flow
    list it now is (its comment kept), CRLF line endings and the byte-order mark stay; a
    value two cases share through a YAML anchor and now disagree on is left alone."""
    target = mini / "ruletests" / "styles.yaml"
    target.write_bytes(("\ufeff" + STYLES).encode("utf-8"))
    plan = plan_update(run(collect([target])))
    write_update(plan)
    after = target.read_bytes().decode("utf-8")
    assert after.startswith("\ufeff") and after.count("\r\n") == STYLES.count("\r\n")
    lines = after[1:].split("\r\n")
    assert lines[7] == '        SVC-01: {status: "scored", value: 50}'
    assert lines[8] == "      level: 3"
    assert lines[9:12] == ["      capped_by:", "        []   # P1 is not capped", "      # the end"]
    assert [(s.case, s.reason) for s in plan.skipped] == [
        ("ruletests/styles.yaml:14", "rt.update.shared"),
        ("ruletests/styles.yaml:19", "rt.update.shared"),
    ]
    assert "score: 70" in after
    assert [o.passed for o in run(collect([target])).outcomes] == [True, False, False]


# --------------------------------------------------------------------------- the CLI


def _only_numbers_changed(before: str, after: str) -> None:
    """Every changed line differs from the line it replaces in its numbers only."""
    number = re.compile(r"-?\d+(\.\d+)?")
    old = before.splitlines()
    new = after.splitlines()
    assert len(old) == len(new)
    changed = [(a, b) for a, b in zip(old, new, strict=True) if a != b]
    assert changed
    for a, b in changed:
        assert number.sub("N", a) == number.sub("N", b), (a, b)


def test_after_a_weight_change_the_suite_passes_again(national: Path) -> None:
    files = sorted((national / "tests" / "rules").glob("*.yaml"))
    before = {p: p.read_text(encoding="utf-8") for p in files}
    assert invoke("tests/rules").exit_code == 1
    result = invoke("--update", "tests/rules")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Updated 127 expected value(s) in 2 file(s):\n")
    assert result.stdout.endswith("\n15 passed, 0 failed (15 tests in 3 file(s))\n")
    changed = [p.name for p in files if p.read_text(encoding="utf-8") != before[p]]
    assert changed == ["province.yaml", "vinh-long.yaml"]
    for p in files:
        if p.name in changed:
            _only_numbers_changed(before[p], p.read_text(encoding="utf-8"))
    assert invoke("tests/rules").exit_code == 0
    again = invoke("--update", "tests/rules")
    assert again.exit_code == 0
    assert again.stdout.startswith("No expected value to update: every case passes.\n")


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_golden_diff_of_a_weight_change(
    national: Path, request: pytest.FixtureRequest, lang: str
) -> None:
    result = invoke("--update", "tests/rules/vinh-long.yaml", lang=lang)
    assert result.exit_code == 0, result.output
    out = result.stdout_bytes
    path = GOLDEN / f"update.{lang}.txt"
    if request.config.getoption("--update-golden"):
        GOLDEN.mkdir(exist_ok=True)
        path.write_bytes(out)
        return
    assert path.exists(), f"{path} is missing: run pytest {__file__} --update-golden"
    assert out == path.read_bytes(), f"{path.name} differs; --update-golden and review"


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "--update rewrites the expected values in the test files: name the files"),
        ("vi", "--update ghi đè giá trị mong đợi trong các tệp kiểm thử quy tắc: hãy nêu rõ"),
    ],
)
def test_update_needs_an_explicit_path(national: Path, lang: str, text: str) -> None:
    (national / "tests" / "rules" / "extra").mkdir()
    before = (national / "tests" / "rules" / "vinh-long.yaml").read_bytes()
    result = invoke("--update", lang=lang)
    assert result.exit_code == 2
    assert text in result.stderr and result.stdout == ""
    assert (national / "tests" / "rules" / "vinh-long.yaml").read_bytes() == before


def test_update_beside_a_json_report_prints_the_diff_on_stderr(national: Path) -> None:
    result = invoke("--update", "--format", "json", "tests/rules/vinh-long.yaml")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["summary"]["failed"] == 0
    assert "+++ b/tests/rules/vinh-long.yaml" in result.stderr


def test_update_with_a_keyword_rewrites_the_selected_cases_only(national: Path) -> None:
    target = national / "tests" / "rules" / "vinh-long.yaml"
    before = target.read_text(encoding="utf-8").splitlines()
    result = invoke("--update", "-k", "SVC-03 score", "tests/rules/vinh-long.yaml")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Updated 2 expected value(s) in 1 file(s):\n")
    after = target.read_text(encoding="utf-8").splitlines()
    changed = [n for n, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    # line 31: SVC-03's max_points and points, 200 × 3 / 31 × 1,000 / 1,020 = 18.975332
    assert changed == [30] and "max_points: 18.975332, points: 13.427952" in after[30]
    assert invoke("tests/rules/vinh-long.yaml").exit_code == 1  # the other cases still fail
