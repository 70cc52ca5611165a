"""`maturity compare` and `explain --baseline`: two rounds of the mini batch, hand-checked, the
same comparison from a saved result and from submissions, a different framework said so, one
batch of two periods, the national example in two rounds; goldens in every format and both
languages.

The second round (tests/fixtures/rounds/mini-q4.csv) is the mini batch of 2025-Q3 with:
P1 dossiers online 500 → 700 and overdue 30 → 20; C12 online 380 → 200 and overdue 0 → 10;
C21 from nothing (0 dossiers) to 200 received, 150 online, fibre and network level 2.

Hand-checked (the mini framework: scale 100; a province's SVC-01 is worth 30 points, its
SVC-02 20; a commune's SVC-01 and SVC-02 25 each):

- P1: SVC-01 linear to 80 %: 50 % → 0.625, 70 % → 0.875, +0.25 × 30 = +7.5; SVC-02 steps:
  3 % overdue → 0.5, 2 % → 0.75, +0.25 × 20 = +5. 78.75 → 91.25 (+12.5), level 3 → 4.
- C12: SVC-01 95 % → 1, 50 % → 0.625: −9.375; SVC-02 0 % → 1, 2.5 % → 0.5: −12.5.
  75 → 53.125 (−21.875), level 3 → 2.

Regenerate the goldens after a deliberate change with
``pytest tests/test_compare.py --update-golden`` and review the diff before committing.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from maturity.cli import main

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden" / "compare"
MINI = ROOT / "tests" / "fixtures" / "mini"
Q4 = ROOT / "tests" / "fixtures" / "rounds" / "mini-q4.csv"
FORMATS = {"table": "txt", "json": "json", "csv": "csv", "markdown": "md"}


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), prog_name="maturity")


@pytest.fixture
def rounds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder (the working folder) with the framework, the Q3 result saved as JSON and the
    Q4 submissions: file names in the output are the same on every machine."""
    shutil.copytree(MINI, tmp_path / "mini")
    shutil.copy(Q4, tmp_path / "q4.csv")
    monkeypatch.chdir(tmp_path)
    saved = run(
        "score", "-f", "mini/framework.yaml", "mini/submissions/batch.csv", "--format", "json"
    )
    assert saved.exit_code == 0, saved.output
    (tmp_path / "q3.json").write_text(saved.stdout, encoding="utf-8")
    return tmp_path


def compare_json(*args: str) -> dict[str, Any]:
    result = run("compare", *args, "--format", "json")
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    doc: dict[str, Any] = json.loads(result.stdout)
    return doc


def units_by_id(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {u["id"]: u for u in doc["units"]}


# ------------------------------------------------------------------------------ mini


def test_hand_checked_movements(rounds: Path) -> None:
    doc = compare_json("q3.json", "q4.csv", "-f", "mini/framework.yaml")
    units = units_by_id(doc)
    p1, c12 = units["P1"], units["C12"]
    assert (p1["before"]["score"], p1["after"]["score"], p1["change"]["score"]) == (
        78.75,
        91.25,
        12.5,
    )
    assert (p1["before"]["level"], p1["after"]["level"], p1["change"]["movement"]) == (3, 4, "up")
    assert [(m["id"], m["change"]) for m in p1["movers"]] == [("SVC-01", 7.5), ("SVC-02", 5.0)]
    assert c12["change"] == {"score": -21.875, "level": -1, "rank": -1, "movement": "down"}
    assert [(m["id"], m["change"]) for m in c12["movers"]] == [
        ("SVC-02", -12.5),
        ("SVC-01", -9.375),
    ]
    assert units["C11"]["change"]["movement"] == "same" and units["C11"]["movers"] == []
    # the biggest movers of score first: C21 (+98.44), C12 (−21.88), P1 (+12.5), then ties by id
    assert [u["id"] for u in doc["units"]] == ["C21", "C12", "P1", "C11", "P2"]
    # national: provinces P1 up, P2 same; communes C21 up, C11 same, C12 down
    assert doc["summary"]["province"] | {"mean_score_change": None} == {
        "compared": 2,
        "up": 1,
        "same": 1,
        "down": 0,
        "new": 0,
        "dropped": 0,
        "mean_score_change": None,
    }
    assert doc["summary"]["commune"]["up"] == doc["summary"]["commune"]["down"] == 1
    assert doc["summary"]["province"]["mean_score_change"] == 6.25  # (12.5 + 0) / 2
    p1_tally = next(p for p in doc["provinces"] if p["id"] == "P1")
    assert (p1_tally["compared"], p1_tally["up"], p1_tally["same"], p1_tally["down"]) == (
        3,
        1,
        1,
        1,
    )
    assert (p1_tally["level_before"], p1_tally["level_after"]) == (3, 4)
    assert doc["same_framework"] is True
    # pillars then and now: C12's SVC-Q lost the 12.5 points of SVC-02, its rank 1 → 3
    svc_q = next(p for p in units["C12"]["pillars"] if p["id"] == "SVC-Q")
    assert (svc_q["before"]["score"], svc_q["after"]["score"], svc_q["change"]) == (25, 12.5, -12.5)
    assert (svc_q["before"]["rank"], svc_q["after"]["rank"]) == (1, 3)


def test_saved_result_and_submissions_give_the_same_comparison(rounds: Path) -> None:
    saved = compare_json("q3.json", "q4.csv", "-f", "mini/framework.yaml")
    scored = compare_json("mini/submissions/batch.csv", "q4.csv", "-f", "mini/framework.yaml")
    assert saved["baseline"]["file"] == "q3.json"
    assert scored["baseline"]["file"] == "mini/submissions/batch.csv"
    for doc in (saved, scored):
        doc.pop("baseline")
    assert saved == scored


def test_one_batch_of_two_periods_compares_its_last_two(rounds: Path) -> None:
    lines = (MINI / "submissions" / "batch.csv").read_text(encoding="utf-8").splitlines()
    q4 = Q4.read_text(encoding="utf-8").splitlines()[1:]
    Path("both.csv").write_text("\n".join([*lines, *q4]) + "\n", encoding="utf-8")
    both = compare_json("both.csv", "-f", "mini/framework.yaml")
    two = compare_json("mini/submissions/batch.csv", "q4.csv", "-f", "mini/framework.yaml")
    assert (both["baseline"]["period"], both["current"]["period"]) == ("2025-Q3", "2025-Q4")
    assert both["units"] == two["units"] and both["summary"] == two["summary"]
    # a round of several periods given with another needs one named
    result = run("compare", "both.csv", "q4.csv", "-f", "mini/framework.yaml")
    assert result.exit_code == 2 and "--base-period" in result.output
    named = compare_json(
        "both.csv", "q4.csv", "-f", "mini/framework.yaml", "--base-period", "2025-Q3"
    )
    assert named["units"] == two["units"]


def test_a_different_framework_is_said(rounds: Path) -> None:
    text = Path("mini/framework.yaml").read_text(encoding="utf-8")
    Path("mini/changed.yaml").write_text(
        text.replace(
            "weights: {province: 40, commune: 50}", "weights: {province: 50, commune: 50}"
        ),
        encoding="utf-8",
    )
    doc = compare_json("q3.json", "q4.csv", "-f", "mini/changed.yaml")
    assert doc["same_framework"] is False
    assert doc["baseline"]["framework"]["digest"] != doc["current"]["framework"]["digest"]
    for lang, words in (("en", "different frameworks"), ("vi", "hai khung đánh giá khác nhau")):
        out = run("compare", "q3.json", "q4.csv", "-f", "mini/changed.yaml", "--lang", lang)
        assert out.exit_code == 0 and words in out.stdout


def test_province_and_top(rounds: Path) -> None:
    doc = compare_json("q3.json", "q4.csv", "-f", "mini/framework.yaml", "--province", "P2")
    assert [u["id"] for u in doc["units"]] == ["C21", "P2"]
    assert [p["id"] for p in doc["provinces"]] == ["P2"]
    assert doc["summary"]["commune"]["up"] == 1 and doc["summary"]["province"]["same"] == 1
    top = compare_json("q3.json", "q4.csv", "-f", "mini/framework.yaml", "--top", "2")
    assert [u["id"] for u in top["units"]] == ["C21", "C12"]
    table = run("compare", "q3.json", "q4.csv", "-f", "mini/framework.yaml", "--top", "1")
    assert "The 1 largest changes of 5 units" in table.stdout
    bad = run("compare", "q3.json", "q4.csv", "-f", "mini/framework.yaml", "--province", "P9")
    assert bad.exit_code == 2 and "P9" in bad.output


def test_csv_is_one_row_per_unit(rounds: Path) -> None:
    result = run("compare", "q3.json", "q4.csv", "-f", "mini/framework.yaml", "--format", "csv")
    rows = list(csv.DictReader(result.stdout.splitlines()))
    assert [r["id"] for r in rows] == ["C21", "C12", "P1", "C11", "P2"]
    c12 = rows[1]
    assert (c12["score_before"], c12["score_after"], c12["score_change"]) == (
        "75.0",
        "53.125",
        "-21.875",
    )
    assert (c12["SVC-Q_score_before"], c12["SVC-Q_score_after"]) == ("25.0", "12.5")
    assert c12["movers"] == "SVC-02:-12.5;SVC-01:-9.375"


def test_a_missing_round_is_a_usage_error(rounds: Path) -> None:
    result = run("compare", "q3.json", "nowhere.csv", "-f", "mini/framework.yaml")
    assert result.exit_code == 2 and "nowhere.csv" in result.output


# ------------------------------------------------------------------------------ explain


def test_explain_shows_the_change_since_the_baseline(rounds: Path) -> None:
    args = ["q4.csv", "-f", "mini/framework.yaml", "--unit", "C12", "--baseline", "q3.json"]
    doc = json.loads(run("explain", *args, "--format", "json").stdout)
    since = doc["since"]
    assert (since["score_before"], since["score_change"], since["level_before"]) == (75, -21.875, 3)
    assert since["indicator_points_before"]["SVC-02"] == 25 and since["same_framework"] is True
    pillars = {p["id"]: p["change"] for p in since["pillars"]}
    assert pillars == {"SVC": -21.875, "SVC-ON": -9.375, "SVC-Q": -12.5, "INF": 0.0}
    text = run("explain", *args).stdout
    assert "Since 2025-Q3 (q3.json): score -21.88, level 3 → 2, rank 2 → 3." in text
    assert "Change since 2025-Q3" in text and "-12.50 (4 → 2)" in text  # the SVC-Q pillar
    vi = run("explain", *args, "--lang", "vi").stdout
    assert "So với kỳ 2025-Q3 (q3.json): điểm -21,88, mức 3 → 2, hạng 2 → 3." in vi
    # a unit the baseline does not hold
    Path("p1-only.json").write_text(
        json.dumps(
            {
                **(saved := json.loads(Path("q3.json").read_text("utf-8"))),
                "units": [u for u in saved["units"] if u["id"] == "P1"],
            }
        ),
        encoding="utf-8",
    )
    other = run("explain", "q4.csv", "-f", "mini/framework.yaml", "--unit", "C12",
                "--baseline", "p1-only.json")  # fmt: skip
    assert "This unit is not in the baseline (p1-only.json)." in other.stdout


# ------------------------------------------------------------------------------ national


def test_national_example_in_two_rounds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The national example saved as 2025-Q3 and a copy as 2025-Q4 where Phường Ba Đình
    (00004) corrected its rejected online count (−12 → 500): it alone moves, up two levels."""
    monkeypatch.chdir(tmp_path)
    national = ROOT / "examples" / "national" / "submissions.csv"
    saved = run("score", str(national), "--format", "json")
    Path("q3.json").write_text(saved.stdout, encoding="utf-8")
    with national.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    period, online = rows[0].index("period"), rows[0].index("dossiers_online")
    for row in rows[1:]:
        row[period] = "2025-Q4"
        if row[0] == "00004":
            assert row[online] == "-12"
            row[online] = "500"
    with open("q4.csv", "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    doc = compare_json("q3.json", "q4.csv")
    assert doc["summary"]["commune"] | {"mean_score_change": 0} == {
        "compared": 3321,
        "up": 1,
        "same": 3320,
        "down": 0,
        "new": 0,
        "dropped": 0,
        "mean_score_change": 0,
    }
    assert doc["summary"]["province"]["same"] == 34 and len(doc["provinces"]) == 34
    first = doc["units"][0]
    assert (first["id"], first["before"]["level"], first["after"]["level"]) == ("00004", 3, 5)
    assert [m["id"] for m in first["movers"]] == ["SVC-03", "DAT-14"]
    hanoi = next(p for p in doc["provinces"] if p["id"] == "01")
    assert (hanoi["up"], hanoi["compared"]) == (1, 127)


# ------------------------------------------------------------------------------ goldens

CASES = [(fmt, lang) for fmt in FORMATS for lang in ("en", "vi")]


@pytest.mark.parametrize(("fmt", "lang"), CASES)
def test_golden_comparison(
    request: pytest.FixtureRequest, rounds: Path, fmt: str, lang: str
) -> None:
    result = run(
        "compare", "q3.json", "q4.csv", "-f", "mini/framework.yaml", "--format", fmt, "--lang", lang
    )
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    path = GOLDEN / f"mini.{lang}.{FORMATS[fmt]}"
    if request.config.getoption("--update-golden"):
        GOLDEN.mkdir(parents=True, exist_ok=True)
        path.write_bytes(result.stdout_bytes)
        return
    assert path.exists(), f"{path} is missing: run pytest {__file__} --update-golden"
    assert result.stdout_bytes == path.read_bytes(), f"{path.name} differs; --update-golden?"


EXPLAIN_CASES = {
    "explain-since.en.txt": ("en", "table"),
    "explain-since.vi.txt": ("vi", "table"),
    "explain-since.vi.md": ("vi", "markdown"),
}


@pytest.mark.parametrize("name", sorted(EXPLAIN_CASES))
def test_golden_explain_since(request: pytest.FixtureRequest, rounds: Path, name: str) -> None:
    lang, fmt = EXPLAIN_CASES[name]
    args = ["q4.csv", "-f", "mini/framework.yaml", "--unit", "C12", "--baseline", "q3.json"]
    result = run("explain", *args, "--format", fmt, "--lang", lang)
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    path = GOLDEN / name
    if request.config.getoption("--update-golden"):
        GOLDEN.mkdir(parents=True, exist_ok=True)
        path.write_bytes(result.stdout_bytes)
        return
    assert path.exists(), f"{path} is missing: run pytest {__file__} --update-golden"
    assert result.stdout_bytes == path.read_bytes(), f"{path.name} differs; --update-golden?"


def test_every_compare_golden_is_a_case() -> None:
    names = {f"mini.{lg}.{FORMATS[f]}" for f, lg in CASES} | set(EXPLAIN_CASES)
    assert {p.name for p in GOLDEN.iterdir()} == names


def test_explain_takes_the_baseline_period_before_the_unit(rounds: Path) -> None:
    """A baseline of two periods: a unit of 2025-Q4 is compared with 2025-Q3 (the latest
    before it), not with its own period."""
    lines = (MINI / "submissions" / "batch.csv").read_text(encoding="utf-8").splitlines()
    q4 = Q4.read_text(encoding="utf-8").splitlines()[1:]
    Path("both.csv").write_text("\n".join([*lines, *q4]) + "\n", encoding="utf-8")
    saved = run("score", "both.csv", "-f", "mini/framework.yaml", "--format", "json")
    Path("both.json").write_text(saved.stdout, encoding="utf-8")
    args = ["q4.csv", "-f", "mini/framework.yaml", "--unit", "C12", "--baseline", "both.json"]
    doc = json.loads(run("explain", *args, "--format", "json").stdout)
    assert doc["since"]["baseline"]["period"] == "2025-Q3"
    assert doc["since"]["score_change"] == -21.875
