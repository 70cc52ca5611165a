"""Golden outputs: `maturity score` of the mini batch in every format and both languages,
compared byte for byte with tests/golden/.

After a deliberate change, regenerate with ``pytest tests/test_golden.py --update-golden`` and
review the diff line by line before committing it: the numbers are the hand-checked ones of
tests/test_scoring.py (P1 78.75, P2 41.25, C11 84.375, C12 75, C21 0).
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from maturity.cli import main
from maturity.render.schema import result_schema

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
ARGS = [
    "score",
    "-f",
    "tests/fixtures/mini/framework.yaml",
    "tests/fixtures/mini/submissions/batch.csv",
]
FORMATS = {"table": "txt", "json": "json", "csv": "csv", "markdown": "md"}
CASES = [(fmt, lang) for fmt in FORMATS for lang in ("en", "vi")]


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # file names in the output are relative to the working folder


def score(fmt: str, lang: str) -> bytes:
    result = CliRunner().invoke(
        main, [*ARGS, "--format", fmt, "--lang", lang], prog_name="maturity"
    )
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    return result.stdout_bytes


def golden_path(fmt: str, lang: str) -> Path:
    return GOLDEN / f"mini.{lang}.{FORMATS[fmt]}"


@pytest.mark.parametrize(("fmt", "lang"), CASES)
def test_golden(request: pytest.FixtureRequest, fmt: str, lang: str) -> None:
    out = score(fmt, lang)
    path = golden_path(fmt, lang)
    if request.config.getoption("--update-golden"):
        GOLDEN.mkdir(exist_ok=True)
        path.write_bytes(out)
        return
    assert path.exists(), f"{path} is missing: run pytest {__file__} --update-golden"
    assert out == path.read_bytes(), f"{path.name} differs; if intended, --update-golden and review"


@pytest.mark.parametrize(("fmt", "lang"), CASES)
def test_two_runs_are_byte_identical(fmt: str, lang: str) -> None:
    assert score(fmt, lang) == score(fmt, lang)


def test_every_golden_is_a_case() -> None:
    names = {golden_path(fmt, lang).name for fmt, lang in CASES}
    assert {p.name for p in GOLDEN.iterdir() if p.is_file()} == names  # explain/ has its own


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_json_golden_validates_against_the_result_schema(lang: str) -> None:
    result = CliRunner().invoke(main, ["schema", "result"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema == json.loads(json.dumps(result_schema()))
    doc = json.loads(golden_path("json", lang).read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    assert [e.message for e in validator.iter_errors(doc)] == []


def test_the_goldens_hold_the_hand_checked_numbers() -> None:
    """A guard against accepting a wrong golden: the totals of tests/test_scoring.py."""
    doc = json.loads(golden_path("json", "en").read_text(encoding="utf-8"))
    got = {u["id"]: (u["score"], u["level"], u["rank"]) for u in doc["units"]}
    assert got == {
        "P1": (78.75, 3, 1),
        "P2": (41.25, 2, 2),
        "C11": (84.375, 4, 1),
        "C12": (75.0, 3, 2),
        "C21": (0.0, 1, 3),
    }
    vi = json.loads(golden_path("json", "vi").read_text(encoding="utf-8"))
    assert [u["level_name"] for u in vi["units"]] == [
        "Xác lập",
        "Đang phát triển",
        "Quản lý",
        "Xác lập",
        "Khởi đầu",
    ]
    assert vi["units"] == [
        dict(u, level_name=v["level_name"]) for u, v in zip(doc["units"], vi["units"], strict=True)
    ]


# --------------------------------------------------------------------------- views
#
# The filters of issue 11 item 3 over the same batch, in both languages: the summary alone,
# one province and its communes (named without its leading letter's case mattering), the
# errors only, everything (--verbose), the top of each ranking and the change since a round.
VIEWS = {
    "quiet": ["--quiet"],
    "province": ["--province", "p1"],
    "errors": ["--severity", "error"],
    "verbose": ["--verbose"],
    "top": ["--top", "1"],
    # the change since a saved round (tests/fixtures/rounds/mini-q2.csv, scored and saved)
    "baseline": ["--baseline", "tests/fixtures/rounds/mini-q2.json"],
}
VIEW_CASES = [
    (view, fmt, lang)
    for view in VIEWS
    for fmt in FORMATS
    for lang in ("en", "vi")
    if fmt == "table" or (view == "province" and fmt == "markdown") or view == "baseline"
]


def view_path(view: str, fmt: str, lang: str) -> Path:
    return GOLDEN / "views" / f"{view}.{lang}.{FORMATS[fmt]}"


@pytest.mark.parametrize(("view", "fmt", "lang"), VIEW_CASES)
def test_golden_view(request: pytest.FixtureRequest, view: str, fmt: str, lang: str) -> None:
    result = CliRunner().invoke(
        main, [*ARGS, *VIEWS[view], "--format", fmt, "--lang", lang], prog_name="maturity"
    )
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    path = view_path(view, fmt, lang)
    if request.config.getoption("--update-golden"):
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(result.stdout_bytes)
        return
    assert path.exists(), f"{path} is missing: run pytest {__file__} --update-golden"
    assert result.stdout_bytes == path.read_bytes(), f"{path.name} differs; --update-golden"


def test_every_view_golden_is_a_case() -> None:
    names = {view_path(*case).name for case in VIEW_CASES}
    assert {p.name for p in (GOLDEN / "views").iterdir()} == names


# `maturity problems` of the same batch: the checklist in every format and both languages
PROBLEM_CASES = [(fmt, lang) for fmt in FORMATS for lang in ("en", "vi")]


def problems_path(fmt: str, lang: str) -> Path:
    return GOLDEN / "problems" / f"mini.{lang}.{FORMATS[fmt]}"


@pytest.mark.parametrize(("fmt", "lang"), PROBLEM_CASES)
def test_golden_problems(request: pytest.FixtureRequest, fmt: str, lang: str) -> None:
    args = ["problems", *ARGS[1:], "--verbose", "--format", fmt, "--lang", lang]
    result = CliRunner().invoke(main, args, prog_name="maturity")
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    path = problems_path(fmt, lang)
    if request.config.getoption("--update-golden"):
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(result.stdout_bytes)
        return
    assert path.exists(), f"{path} is missing: run pytest {__file__} --update-golden"
    assert result.stdout_bytes == path.read_bytes(), f"{path.name} differs; --update-golden"
