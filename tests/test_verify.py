"""Verified values: an evaluator's corrections replace self-assessed values, each with a reason,
and the report shows what changed and why.

``tests/fixtures/verify/P1.yaml`` corrects province P1 of the mini framework (500 → 400 online
dossiers; AI assistant not shown; overdue count confirmed); ``C12.yaml`` does not accept
commune C12's network answer. Expected numbers are worked out by hand in the comments.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner, Result

from maturity import Batch, Framework, Registry, load_submissions, score_batch
from maturity.analysis.verification import apply_verifications, compare
from maturity.cli import main
from maturity.errors import InputError
from maturity.i18n import set_language
from maturity.inputs.verification import load_verifications
from maturity.render.verification import render_verification, verification_document

FIXTURES = Path(__file__).resolve().parent / "fixtures"
VERIFY = FIXTURES / "verify"
BATCH = FIXTURES / "mini" / "submissions" / "batch.csv"


@pytest.fixture
def batch(mini: Framework, mini_registry: Registry) -> Batch:
    return load_submissions([BATCH], mini, mini_registry)


def write(tmp_path: Path, text: str, name: str = "v.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(paths: list[Path], fw: Framework, registry: Registry) -> list[str]:
    with pytest.raises(InputError) as exc:
        load_verifications(paths, fw, registry)
    return [str(p) for p in exc.value.problems]


def test_a_verified_value_changes_the_score_and_the_report_shows_why(
    mini: Framework, mini_registry: Registry, batch: Batch
) -> None:
    ver = load_verifications([VERIFY / "P1.yaml"], mini, mini_registry)
    verified_batch = apply_verifications(batch, ver)
    assert batch.submissions[0].values["dossiers_online"] == 500  # the batch given is untouched
    before = score_batch(mini, batch, mini_registry)
    after = score_batch(mini, verified_batch, mini_registry)
    report = compare(before, after, ver)
    (unit,) = report.units
    # P1: online 400/1000 = 40% → s = 40/80 = 0.5; SVC-ON = 40 · (3·0.5 + 1·0)/4 = 15;
    # SVC-Q 10 and INF 40 unchanged → 65 (was 78.75), still level 3
    assert unit.outcome.self_score == pytest.approx(78.75)
    assert unit.outcome.verified_score == pytest.approx(65.0)
    assert (unit.outcome.self_level, unit.outcome.verified_level) == (3, 3)
    diffs = {d.id: d for d in unit.indicators}
    assert set(diffs) == {"SVC-01", "SVC-03"}
    assert (diffs["SVC-01"].self_value, diffs["SVC-01"].verified_value) == (50.0, 40.0)
    assert (diffs["SVC-01"].self_points, diffs["SVC-01"].verified_points) == pytest.approx(
        (18.75, 15.0)
    )
    assert diffs["SVC-01"].reasons == ("dossiers_online: 100 records were duplicates",)
    assert diffs["SVC-03"].delta == pytest.approx(-10.0)
    assert diffs["SVC-03"].reasons == ("uses_ai: no working assistant was shown",)
    values = {v.input: v for v in unit.values}
    assert values["overdue"].changed is False and values["dossiers_online"].changed is True
    text = render_verification(report)
    assert (
        "Self-assessed: 78.75 (level 3 Defined, rank 1) → verified: 65 (level 3 Defined, rank 1)"
        in text
    )
    assert "18.75 → 15" in text and "100 records were duplicates" in text
    doc = json.loads(render_verification(report, "json"))
    assert doc == json.loads(json.dumps(verification_document(report)))
    assert doc["units"][0]["indicators"][0]["delta_points"] == -3.75
    assert render_verification(report, "markdown").startswith("# Verified values — mini 1.0")
    # every replaced value is accounted for in the diagnostics, located in the verification file
    notes = [d for d in verified_batch.diagnostics if d.code.startswith("verify.")]
    assert [(d.code, d.line) for d in notes] == [
        ("verify.replaced", 7),
        ("verify.replaced", 8),
        ("verify.confirmed", 9),
    ]
    assert any(
        f.endswith("P1.yaml") and h.startswith("sha256:") for f, h in verified_batch.files.items()
    )


def test_a_value_not_accepted_counts_as_missing(
    mini: Framework, mini_registry: Registry, batch: Batch
) -> None:
    # C12: network_level (INF-02, critical) not accepted → INF-02 missing: INF = 50 · (0 + 0)...
    # INF-02 is the only commune INF indicator: 25 points lost, 75 → 50; the critical gate caps at 2
    ver = load_verifications([VERIFY], mini, mini_registry)
    assert sorted(ver.items) == ["C12", "P1"]
    before = score_batch(mini, batch, mini_registry)
    after = score_batch(mini, apply_verifications(batch, ver), mini_registry)
    report = compare(before, after, ver)
    assert [u.outcome.id for u in report.units] == ["P1", "C12"]  # tier order, then id
    c12 = report.units[1]
    assert (c12.outcome.self_score, c12.outcome.verified_score) == pytest.approx((75.0, 50.0))
    assert (c12.outcome.self_level, c12.outcome.verified_level) == (3, 2)
    (inf02,) = c12.indicators
    assert (inf02.id, inf02.self_status, inf02.verified_status) == ("INF-02", "scored", "missing")
    assert "not accepted (missing)" in render_verification(report)


def test_a_commune_verification_moves_its_province(
    tmp_path: Path, mini: Framework, mini_registry: Registry, batch: Batch
) -> None:
    # C11 has no fibre after all: P1's INF-01 counts communes with fibre (no province figure):
    # 1 of 2 → 50% → 20 · 0.5 = 10 points instead of 20, P1 78.75 → 68.75
    path = write(
        tmp_path,
        'unit: "C11"\nverified_by: "Sở KH&CN"\ndate: "2025-09-01"\n'
        'values:\n  has_fibre: {value: false, reason: "fibre ends at the district"}\n',
    )
    ver = load_verifications([path], mini, mini_registry)
    before = score_batch(mini, batch, mini_registry)
    report = compare(before, score_batch(mini, apply_verifications(batch, ver), mini_registry), ver)
    (affected,) = report.affected
    assert affected.id == "P1"
    assert (affected.self_score, affected.verified_score) == pytest.approx((78.75, 68.75))
    assert report.units[0].indicators == []  # has_fibre is context for C11's own indicators: none
    assert "No indicator differs" in render_verification(report)
    assert "Other units whose result changes" in render_verification(report)


def test_unknown_input_or_indicator_is_rejected_with_a_located_message(
    tmp_path: Path, mini: Framework, mini_registry: Registry
) -> None:
    path = write(
        tmp_path,
        'unit: "P1"\nverified_by: "X"\ndate: "2025-08-28"\nvalues:\n'
        '  dossiers_onlin: {value: 400, reason: "dup"}\n'
        '  SVC-01: {value: 40, reason: "x"}\n'
        '  has_fibre: {value: 1, reason: "x"}\n',
    )
    found = problems([path], mini, mini_registry)
    name = str(path)
    assert found == [
        f"{name}:5:3: values.dossiers_onlin: unknown input 'dossiers_onlin' for a province. "
        "Did you mean 'dossiers_online'?",
        f"{name}:6:3: values.SVC-01: 'SVC-01' is an indicator; "
        "verify the inputs it is computed from (dossiers_online, dossiers_received).",
        f"{name}:7:3: values.has_fibre: input 'has_fibre' is not submitted by a province.",
    ]


def test_unknown_unit_bad_values_and_missing_reasons(
    tmp_path: Path, mini: Framework, mini_registry: Registry
) -> None:
    unit = write(
        tmp_path,
        'unit: "C111"\nverified_by: "X"\ndate: "2025-08-28"\n'
        'values:\n  overdue: {value: 1, reason: "x"}\n',
        "a.yaml",
    )
    bad = write(
        tmp_path,
        'unit: "P1"\nverified_by: "X"\ndate: "28/08/2025"\nvalues:\n'
        '  overdue: {value: -3, reason: "x"}\n  uses_ai: {value: 1}\n  network_level: 2\n'
        '  dossiers_received: {value: 10, reason: "y", evidnce: "z"}\n',
        "b.yaml",
    )
    found = problems([unit, bad], mini, mini_registry)
    assert (
        found[0] == f"{unit}:1:7: unit: unknown unit 'C111': it is not in the unit registry. "
        "Did you mean 'C11'?"
    )
    assert found[1] == f"{bad}:3:7: date: '28/08/2025' is not a date; write it as YYYY-MM-DD."
    assert len(found) == 2  # a file whose header is wrong is not checked further
    bad.write_text(
        bad.read_text(encoding="utf-8").replace("28/08/2025", "2025-08-28"), encoding="utf-8"
    )
    found = problems([bad], mini, mini_registry)
    assert found == [
        f"{bad}:5:20: values.overdue.value: 'overdue': '-3' is below the minimum 0.",
        f"{bad}:6:12: values.uses_ai: the verified value of 'uses_ai' needs a reason.",
        f"{bad}:7:18: values.network_level: write the verified value of 'network_level' as "
        '{value: ..., reason: "..."}.',
        f"{bad}:8:47: values.dossiers_received.evidnce: unknown key 'evidnce'. "
        "Did you mean 'evidence'? "
        "Allowed: value, reason, evidence.",
    ]


def test_bad_yaml_and_duplicates_are_located(
    tmp_path: Path, mini: Framework, mini_registry: Registry
) -> None:
    broken = write(
        tmp_path,
        'unit: "P1"\nverified_by: "X"\ndate: "2025-08-28"\n'
        'values:\n  overdue: {value: 3, reason: "x"\n',
        "c.yaml",
    )
    found = problems([broken], mini, mini_registry)
    assert len(found) == 1 and found[0].startswith(f"{broken}:") and "YAML syntax error" in found[0]
    again = write(tmp_path, (VERIFY / "P1.yaml").read_text(encoding="utf-8"), "d.yaml")
    found = problems([VERIFY / "P1.yaml", again], mini, mini_registry)
    assert len(found) == 1 and found[0].startswith(
        f"{again}:3:7: unit: unit 'P1' is already verified in "
    )
    assert found[0].endswith("P1.yaml:3; keep one verification per unit.")
    keys = write(tmp_path, 'unit: 1\nverified: "X"\n', "e.yaml")
    found = problems([keys], mini, mini_registry)
    assert any("unknown key 'verified'. Did you mean 'verified_by'?" in p for p in found)
    assert any("missing required key 'date'" in p for p in found)


def test_a_unit_without_submission_is_scored_from_its_verified_values(
    tmp_path: Path, mini: Framework, mini_registry: Registry, batch: Batch
) -> None:
    only = Batch(
        [s for s in batch.submissions if s.unit != "C21"],
        list(batch.diagnostics),
        dict(batch.files),
    )
    path = write(
        tmp_path,
        'unit: "C21"\nverified_by: "X"\ndate: "2025-08-28"\nvalues:\n'
        '  network_level: {value: 2, reason: "seen on site"}\n',
    )
    ver = load_verifications([path], mini, mini_registry)
    verified = apply_verifications(only, ver)
    assert [d.code for d in verified.diagnostics if d.unit == "C21"] == [
        "verify.no_submission",
        "verify.replaced",
    ]
    after = score_batch(mini, verified, mini_registry)
    found = after.find("C21")
    assert found is not None
    # INF-02 2/2 → 50 points; SVC indicators missing (zero policy) → 50
    assert found[0].total[found[1]] == pytest.approx(50.0)


def test_report_in_vietnamese(mini: Framework, mini_registry: Registry, batch: Batch) -> None:
    set_language("vi")
    ver = load_verifications([VERIFY / "P1.yaml"], mini, mini_registry)
    before = score_batch(mini, batch, mini_registry)
    after = score_batch(mini, apply_verifications(batch, ver), mini_registry)
    text = render_verification(compare(before, after, ver))
    assert text.startswith("Giá trị thẩm định — mini 1.0")
    assert "Đoàn công tác số 5 thẩm định ngày 2025-08-28" in text


# --------------------------------------------------------------------------- the command line


def run_cli(*args: str) -> Result:
    """The command run from the repository root, as the README runs it."""
    cwd = Path.cwd()
    os.chdir(Path(__file__).resolve().parent.parent)
    try:
        return CliRunner().invoke(main, list(args))
    finally:
        os.chdir(cwd)


MINI_ARGS = (
    "-f",
    "tests/fixtures/mini/framework.yaml",
    "tests/fixtures/mini/submissions/batch.csv",
)
P1 = "tests/fixtures/verify/P1.yaml"


def test_score_verified_json_carries_both_results_and_validates() -> None:
    result = run_cli("score", *MINI_ARGS, "--verified", P1, "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    schema = json.loads(run_cli("schema", "result").output)
    jsonschema.validate(doc, schema)
    units = {u["id"]: u for u in doc["units"]}
    assert units["P1"]["score"] == 65.0  # the results are the verified ones (hand-checked above)
    (p1,) = doc["verification"]["units"]
    assert p1["self_assessed"]["score"] == 78.75 and p1["verified"]["score"] == 65.0
    assert p1["delta"] == -13.75
    assert {d["id"]: d["delta_points"] for d in p1["indicators"]} == {
        "SVC-01": -3.75,
        "SVC-03": -10.0,
    }
    assert any(i["file"].endswith("P1.yaml") for i in doc["inputs"])  # replayable
    plain = json.loads(run_cli("score", *MINI_ARGS, "--format", "json").output)
    assert "verification" not in plain
    jsonschema.validate(plain, schema)


def test_score_verified_table_shows_the_report_after_the_scores() -> None:
    result = run_cli("score", *MINI_ARGS, "--verified", P1, "--verbose")  # info rows too
    assert result.exit_code == 0, result.output
    scores, report = result.output.split("Verified values — mini 1.0")
    assert "65" in scores and "verify.replaced" in scores  # every replaced value accounted for
    assert "Self-assessed: 78.75 (level 3 Defined, rank 1) → verified: 65" in report
    assert "100 records were duplicates" in report
    vi = run_cli("score", *MINI_ARGS, "--verified", P1, "--lang", "vi", "--format", "markdown")
    assert "# Giá trị thẩm định — mini 1.0" in vi.output and "Tự đánh giá: 78,75" in vi.output


def test_score_verified_csv_adds_the_self_assessed_columns() -> None:
    result = run_cli("score", *MINI_ARGS, "--verified", P1, "--format", "csv")
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(result.output))}
    assert rows["P1"]["score"] == "65.0" and rows["P1"]["self_score"] == "78.75"
    assert rows["P1"]["verified"] == "yes" and rows["P1"]["verification_delta"] == "-13.75"
    assert rows["P2"]["verified"] == "" and rows["P2"]["verification_delta"] == "0.0"


def test_explain_verified_adds_the_units_verification() -> None:
    result = run_cli("explain", *MINI_ARGS, "--unit", "P1", "--verified", P1)
    assert result.exit_code == 0, result.output
    assert "Score 65 / " in result.output  # the explanation is of the verified result
    assert "Self-assessed: 78.75" in result.output and "Indicators that differ" in result.output
    doc = json.loads(
        run_cli("explain", *MINI_ARGS, "--unit", "P1", "--verified", P1, "--format", "json").output
    )
    assert doc["score"] == 65.0 and doc["verification"]["units"][0]["delta"] == -13.75
    # a unit that was not verified and did not move gets an empty verification section
    other = run_cli("explain", *MINI_ARGS, "--unit", "P2", "--verified", P1, "--format", "json")
    assert json.loads(other.output)["verification"]["units"] == []


def test_a_bad_verification_file_fails_the_command_with_its_location(tmp_path: Path) -> None:
    bad = write(
        tmp_path,
        'unit: "P1"\nverified_by: x\ndate: "2025-08-28"\n'
        "values:\n  dossiers_onlin: {value: 1, reason: r}\n",
    )
    result = run_cli("score", *MINI_ARGS, "--verified", str(bad))
    assert result.exit_code == 1
    assert "v.yaml:5:" in result.output and "dossiers_online" in result.output
