"""The command line, in-process with click's CliRunner: help, exit codes, schemas, and a few
end-to-end runs of the bundled national framework."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner, Result

from maturity.cli import main

ROOT = Path(__file__).resolve().parent.parent
MINI = "tests/fixtures/mini/framework.yaml"
BATCH = "tests/fixtures/mini/submissions/batch.csv"
SUBS = "tests/fixtures/submissions"


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), prog_name="maturity")


def assert_clean_failure(result: Result, code: int) -> None:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


# --------------------------------------------------------------------------- help and usage


def all_commands() -> list[str]:
    import click

    return main.list_commands(click.Context(main))


def test_there_are_commands() -> None:
    assert {"validate", "schema", "indicators", "score", "explain", "whatif", "template"} <= set(
        all_commands()
    )


@pytest.mark.parametrize("command", all_commands())
def test_every_command_has_help(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Usage: maturity {command} ")
    assert main.commands[command].help  # a docstring, shown in `maturity --help`


def test_top_level_help_and_version() -> None:
    assert run("--help").exit_code == 0
    result = run("--version")
    assert (result.exit_code, result.stdout.startswith("maturity, version ")) == (0, True)


def test_unknown_option_is_a_usage_error() -> None:
    result = run("score", "-f", MINI, BATCH, "--bogus")
    assert_clean_failure(result, 2)
    assert "No such option: --bogus" in result.stderr or "No such option '--bogus'" in result.stderr


def test_unknown_command_is_a_usage_error() -> None:
    assert_clean_failure(run("scroe"), 2)


def test_unknown_tier_is_a_usage_error() -> None:
    result = run("score", "-f", MINI, BATCH, "--tier", "village")
    assert_clean_failure(result, 2)
    assert result.stderr == (
        "Invalid value for '--tier': 'village' is not a tier of mini (province, commune).\n"
    )


def test_a_framework_that_does_not_exist() -> None:
    result = run("score", "-f", "nope/framework.yaml", BATCH)
    assert_clean_failure(result, 2)  # a path that is not there: wrong usage, named
    assert result.stdout == ""
    assert result.stderr == (
        "Invalid value for '--framework': 'nope/framework.yaml' does not exist.\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("explain", "nope.csv", "--unit", "48"),
            "Invalid value for the submissions: 'nope.csv' does not exist.",
        ),
        (
            ("whatif", "nope.csv", "--unit", "48", "--path"),
            "Invalid value for the submissions: 'nope.csv' does not exist.",
        ),
        (
            ("score", "--units", "nope.csv"),
            "Invalid value for '--units': 'nope.csv' does not exist.",
        ),
        (
            ("score", "--verified", "nope.yaml"),
            "Invalid value for '--verified': 'nope.yaml' does not exist.",
        ),
    ],
)
def test_every_missing_file_argument_is_named(args: tuple[str, ...], message: str) -> None:
    result = run(*args)
    assert_clean_failure(result, 2)
    assert result.stderr.strip() == message


def test_a_folder_where_a_framework_file_is_expected(tmp_path: Path) -> None:
    result = run("score", "-f", "frameworks")
    assert_clean_failure(result, 2)
    assert result.stderr.startswith(
        "Invalid value for '--framework': 'frameworks' is a folder; give a file. "
        "Framework manifests in it: frameworks/dti-2022.yaml, frameworks/vn-2tier.yaml."
    )
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("x", encoding="utf-8")
    result = run("score", str(empty))
    assert_clean_failure(result, 2)
    assert "holds no submission file" in result.stderr


def test_output_onto_an_input_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "batch.csv"
    copy.write_bytes(Path(BATCH).read_bytes())
    for args in (
        ("score", "-f", MINI, str(copy), "-o", str(copy)),
        ("score", "-f", MINI, str(tmp_path), "-o", str(copy)),  # inside a folder argument
        ("score", "-f", MINI, str(copy), "-o", MINI),  # the framework manifest
        ("score", "-f", MINI, str(copy), "-o", "tests/fixtures/mini/units.csv"),  # registry
    ):
        result = run(*args)
        assert_clean_failure(result, 2)
        assert "is an input of this command" in result.stderr
    assert copy.read_bytes() == Path(BATCH).read_bytes()


@pytest.mark.parametrize("value", ["31/12/2025", "abc", "2025-13-01", "2025-1-1"])
def test_as_of_must_be_an_iso_date(value: str) -> None:
    result = run("score", "--as-of", value)
    assert_clean_failure(result, 2)
    assert f"Invalid value for '--as-of': '{value}' is not a date." in result.stderr


def test_an_unwritable_output_is_named() -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    result = run("score", "-f", MINI, BATCH, "-o", "/dev/full")
    assert_clean_failure(result, 1)
    assert result.stderr == "cannot write '/dev/full': No space left on device\n"


def test_a_broken_framework_is_reported_with_its_location(tmp_path: Path) -> None:
    bad = tmp_path / "framework.yaml"
    bad.write_text("id: x\nid: y\n", encoding="utf-8")
    result = run("score", "-f", str(bad), BATCH)
    assert_clean_failure(result, 1)
    assert f"{bad}:2:1: duplicate key 'id' (first at line 1)" in result.stderr


# --------------------------------------------------------------------------- score


def test_score_the_mini_batch() -> None:
    result = run("score", "-f", MINI, BATCH)
    assert (result.exit_code, result.stderr) == (0, "")
    # the title, then the one-line summary, then the summary table and the ranking
    assert result.stdout.startswith(
        "Small test framework (1.0)\n\n5 units scored with mini 1.0; missing-data policy: zero.\n"
    )


def test_strict_fails_on_error_diagnostics() -> None:
    # the mini batch has two errors (C21 divides by zero): a result, then exit 1 under --strict
    result = run("score", "-f", MINI, BATCH, "--strict", "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert [d["code"] for d in doc["diagnostics"] if d["severity"] == "error"] == [
        "score.formula_error",
        "score.formula_error",
    ]


def test_strict_passes_without_error_diagnostics() -> None:
    # a warning (the province is absent) is not an error
    assert run("score", "-f", MINI, f"{SUBS}/orphan-commune.csv", "--strict").exit_code == 0
    assert run("score", "-f", MINI, f"{SUBS}/ambiguous.csv").exit_code == 0
    assert run("score", "-f", MINI, f"{SUBS}/ambiguous.csv", "--strict").exit_code == 1


@pytest.mark.parametrize(
    "submission",
    ["nothing-scorable.csv", "nan.json", "python-tag.yaml", "alias-bomb.yaml"],
)
def test_nothing_scored_exits_1(submission: str) -> None:
    result = run("score", "-f", MINI, f"{SUBS}/{submission}")
    assert_clean_failure(result, 1)
    assert result.stderr == "nothing could be scored; see the diagnostics.\n"
    assert result.stdout.splitlines()[2].startswith("0 units scored with mini 1.0")


def test_a_100_mb_submission_is_refused(tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"  # a YAML file is parsed whole: its size is bounded
    with huge.open("wb") as fh:
        fh.truncate(100 * 1024 * 1024)
    result = run("score", "-f", MINI, str(huge), "--format", "json")
    assert_clean_failure(result, 1)
    (d,) = json.loads(result.stdout)["diagnostics"]
    assert d["code"] == "file.too_big"


def test_a_100_mb_line_of_a_csv_table_is_refused(tmp_path: Path) -> None:
    huge = tmp_path / "huge.csv"  # a table of any size is read; one line (row) is bounded
    with huge.open("wb") as fh:
        fh.truncate(100 * 1024 * 1024)
    result = run("score", "-f", MINI, str(huge), "--format", "json")
    assert_clean_failure(result, 1)
    (d,) = json.loads(result.stdout)["diagnostics"]
    assert (d["code"], d["line"]) == ("csv.unreadable", 1)
    assert "line longer than 67108864 characters" in d["message"]


def test_missing_policy_override_and_tier_filter() -> None:
    result = run(
        "score", "-f", MINI, BATCH, "--missing", "exclude", "--tier", "commune", "--format", "json"
    )
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["missing_policy"] == "exclude"
    assert [u["id"] for u in doc["units"]] == ["C11", "C12", "C21"]
    # C21 under exclude: only INF-02 (answer 0) counts, and takes all 100 points at s = 0
    c21 = doc["units"][2]
    assert (c21["score"], c21["coverage"]) == (0.0, 0.5)
    assert [p["max_score"] for p in c21["pillars"]] == [0.0, 0.0, 0.0, 100.0]


def test_output_file_and_sort_by_id(tmp_path: Path) -> None:
    out = tmp_path / "result.csv"
    result = run("score", "-f", MINI, BATCH, "--format", "csv", "--sort", "id", "-o", str(out))
    assert (result.exit_code, result.stdout) == (0, "")
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [line.split(",")[1] for line in lines[1:]] == ["P1", "P2", "C11", "C12", "C21"]


def test_vietnamese_messages() -> None:
    result = run("score", "-f", MINI, BATCH, "--tier", "village", "--lang", "vi")
    assert result.exit_code == 2
    # names the option, in Vietnamese (click's own words too)
    assert result.stderr.startswith("Giá trị không hợp lệ cho '--tier': 'village'")
    assert "không phải là cấp của khung mini" in result.stderr
    result = run("score", "-f", MINI, f"{SUBS}/unknown-unit.csv", "--lang", "vi")
    assert "không có đơn vị 'C111' trong danh mục đơn vị hành chính. Bỏ qua bản khai." in (
        result.stdout
    )
    assert result.stdout.splitlines()[2].startswith("1 đơn vị được chấm theo mini 1.0")


# --------------------------------------------------------------------------- schemas


@pytest.fixture(scope="module")
def schemas() -> dict[str, dict[str, Any]]:
    out = {}
    for kind in ("framework", "rules", "submission", "result"):
        args = ["schema", kind] + (["-f", str(ROOT / MINI)] if kind == "submission" else [])
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
        out[kind] = json.loads(result.stdout)
    return out


@pytest.mark.parametrize("kind", ["framework", "rules", "submission", "result"])
def test_schema_is_a_valid_json_schema(schemas: dict[str, dict[str, Any]], kind: str) -> None:
    schema = schemas[kind]
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_unknown_schema_kind_is_a_usage_error() -> None:
    assert_clean_failure(run("schema", "bogus"), 2)


def as_editor_sees(path: Path) -> Any:
    """The YAML as an editor's JSON-Schema validation sees it: JSON, so keys are strings
    (``cutoffs: {2: 20}`` has the key ``"2"``) and dates are text."""
    return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))


def bundled(pattern: str) -> list[Path]:
    return sorted(ROOT.glob(pattern))


@pytest.mark.parametrize("path", bundled("rules/**/*.yaml"), ids=lambda p: p.name)
def test_bundled_rule_files_validate(schemas: dict[str, dict[str, Any]], path: Path) -> None:
    validator = jsonschema.Draft202012Validator(schemas["rules"])
    assert [e.message for e in validator.iter_errors(as_editor_sees(path))] == []


@pytest.mark.parametrize("path", bundled("frameworks/*.yaml"), ids=lambda p: p.name)
def test_bundled_manifests_validate(schemas: dict[str, dict[str, Any]], path: Path) -> None:
    validator = jsonschema.Draft202012Validator(schemas["framework"])
    assert [e.message for e in validator.iter_errors(as_editor_sees(path))] == []


def test_there_are_bundled_files_to_check() -> None:
    assert len(bundled("rules/**/*.yaml")) >= 2
    assert len(bundled("frameworks/*.yaml")) >= 1


def test_the_schema_catches_what_an_editor_should_flag(schemas: dict[str, dict[str, Any]]) -> None:
    validator = jsonschema.Draft202012Validator(schemas["rules"])
    doc = as_editor_sees(ROOT / "tests/fixtures/mini/rules/inf.yaml")
    doc["indicators"][0]["wieght"] = 1
    doc["indicators"][1]["method"] = "quadratic"
    assert len(list(validator.iter_errors(doc))) >= 2


def test_submission_schema_accepts_a_submission(schemas: dict[str, dict[str, Any]]) -> None:
    validator = jsonschema.Draft202012Validator(schemas["submission"])
    good = as_editor_sees(ROOT / SUBS / "c11.yaml")
    assert list(validator.iter_errors(good)) == []
    bad = dict(good, values={"network_level": 3, "dossier_online": 1})
    assert len(list(validator.iter_errors(bad))) == 2  # not an answer; not an input


def test_indicators_json_lists_both_languages() -> None:
    result = run("indicators", "-f", MINI, "--format", "json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    ids = [i["id"] for i in doc["indicators"]]
    assert set(ids) == {"INF-01", "INF-02", "SVC-01", "SVC-02", "SVC-03", "SVC-04"}
    for item in doc["indicators"]:
        assert set(item["names"]) == {"vi", "en"} and all(item["names"].values())
    svc01 = next(i for i in doc["indicators"] if i["id"] == "SVC-01")
    assert svc01["names"] == {"vi": "Tỷ lệ hồ sơ nộp trực tuyến", "en": "Online submission rate"}


def test_indicators_default_is_the_national_framework() -> None:
    result = run("indicators", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["framework"]["id"] == "vn-2tier"


def test_validate_exit_codes(tmp_path: Path) -> None:
    assert run("validate", MINI).exit_code == 0
    bad = tmp_path / "framework.yaml"
    bad.write_text("id: [\n", encoding="utf-8")
    assert_clean_failure(run("validate", str(bad)), 1)


# --------------------------------------------------------------------------- the national batch


@pytest.fixture(scope="module")
def national_run() -> Iterator[tuple[str, str, dict[str, Any]]]:
    """The default `maturity score --format json`, run twice, and the first run parsed."""
    first = CliRunner().invoke(main, ["score", "--format", "json"])
    second = CliRunner().invoke(main, ["score", "--format", "json"])
    assert first.exit_code == 0, first.output
    yield first.stdout, second.stdout, json.loads(first.stdout)


@pytest.mark.slow
def test_national_default_score(
    national_run: tuple[str, str, dict[str, Any]], schemas: dict[str, dict[str, Any]]
) -> None:
    first, second, doc = national_run
    assert first == second  # byte-identical
    assert doc["framework"]["id"] == "vn-2tier"
    assert len(doc["units"]) == 3355 == doc["summary"]["units"]
    tiers = [u["tier"] for u in doc["units"]]
    assert (tiers.count("province"), tiers.count("commune")) == (34, 3321)
    # the schema, checked with jsonschema on every 25th unit and every diagnostic (the whole
    # document takes jsonschema ~15 s); the invariants below are checked on every unit
    sample = dict(doc, units=doc["units"][::25])
    validator = jsonschema.Draft202012Validator(schemas["result"])
    assert [e.message for e in validator.iter_errors(sample)] == []
    for u in doc["units"]:
        assert_points_add_up(u)


def assert_points_add_up(u: dict[str, Any]) -> None:
    tol = 1e-5  # each number is rounded to 6 decimals in the JSON
    pillars = u["pillars"]
    for p in pillars:
        kids = [q["score"] for q in pillars if q["parent"] == p["id"]]
        own = [i["points"] for i in u["indicators"] if i["pillar"] == p["id"]]
        assert abs(p["score"] - sum(kids) - sum(own)) <= tol * (1 + len(kids) + len(own)), (
            u["id"],
            p["id"],
        )
        assert p["score"] <= p["max_score"] + tol
    top = [p["score"] for p in pillars if p["parent"] is None]
    if u["score"] is not None:
        assert abs(u["score"] - sum(top)) <= tol * (1 + len(top)), u["id"]
        assert 0 <= u["score"] <= u["max_score"] + tol
    for i in u["indicators"]:
        assert 0 <= i["points"] <= i["max_points"] + tol
        if i["status"] != "scored":
            assert i["points"] == 0


@pytest.mark.slow
def test_vinh_long(national_run: tuple[str, str, dict[str, Any]]) -> None:
    doc = national_run[2]
    (u,) = [u for u in doc["units"] if u["id"] == "86"]
    assert u["name"] == "Vĩnh Long"
    (svc03,) = [i for i in u["indicators"] if i["id"] == "SVC-03"]
    assert round(svc03["value"], 2) == 49.54
    (check,) = [d for d in doc["diagnostics"] if d["unit"] == "86" and d["code"] == "check.failed"]
    # 1737 provincial + 303 commune + 92 shared = 2132 procedures, against a total of 2141
    assert check["check"] == "procedures-add-up"  # filterable by id, in any language
    assert "procs_total = 2,141" in check["message"]
    assert "procs_provincial + procs_commune + procs_shared = 2,132" in check["message"]


@pytest.mark.parametrize("command", all_commands())
def test_every_help_text_is_in_the_catalogue_in_both_languages(command: str) -> None:
    """No help text is written in one language only: each is a catalogue code."""
    import click

    from maturity.i18n.catalogue import MESSAGES

    cmd = main.get_command(click.Context(main), command)
    assert cmd is not None and cmd.help in MESSAGES
    for param in cmd.params:
        if isinstance(param, click.Option) and param.help:
            assert param.help in MESSAGES, (command, param.name)


def test_help_and_usage_errors_in_vietnamese() -> None:
    helped = run("--lang", "vi", "explain", "--help")
    assert helped.exit_code == 0
    assert helped.stdout.startswith("Cách dùng: maturity explain")
    assert "Tùy chọn:" in helped.stdout and "Hiện hướng dẫn này rồi thoát." in helped.stdout
    assert "Đơn vị cần giải thích (mã trong danh mục)." in helped.stdout
    wrong = run("score", "--lang", "vi", "--nope")
    assert wrong.exit_code == 2
    assert "Lỗi: Không có tùy chọn '--nope'." in wrong.stderr
    assert "Hãy chạy 'maturity score --help' để xem hướng dẫn." in wrong.stderr
    missing = run("explain", "--lang", "vi")
    assert missing.exit_code == 2 and "Thiếu tùy chọn '--unit'." in missing.stderr


def test_python_dash_m_runs_the_same_command_line() -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "maturity", "--version"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and done.stdout.startswith("maturity, version")
