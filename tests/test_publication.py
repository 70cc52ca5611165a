"""Publication rules (issue 11 item 4) and the views of a result (item 3): who is flagged and
who is ranked, by hand on the mini batch under variants of the rules; flags in every format;
the national example filtered to one province; a wrong province said in both languages."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from maturity.cli import main
from maturity.scoring.kernel import competition_rank, ranks_among

ROOT = Path(__file__).resolve().parent.parent

# the mini batch, with C12 reporting more online dossiers than it received (450 of 400: the
# error-severity check online-le-received fails) and C21 at coverage 0.5 (0 / 0 dossiers)
HEAD = (
    "unit,period,dossiers_received,dossiers_online,overdue,uses_ai,has_fibre,"
    "communes_with_fibre,network_level,not_applicable\n"
)
BATCH = (
    HEAD
    + """P1,2025-Q3,1000,500,30,1,,,2,
P2,2025-Q3,800,100,80,,,1,1,SVC-03
C11,2025-Q3,600,300,12,,1,,2,
C12,2025-Q3,400,450,0,,1,,1,
C21,2025-Q3,0,0,0,,0,,0,
"""
)

STRICT = (
    "publication: {min_coverage: 0.6, rank_units_with_errors: false,"
    " rank_units_below_coverage: false}"
)


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def variant(mini_copy: Path, rules: str) -> tuple[Path, Path]:
    """The mini framework with publication ``rules`` (none: the defaults) and the batch."""
    fw = mini_copy / "framework.yaml"
    text = fw.read_text(encoding="utf-8")
    if rules:
        text = text.replace("include:", f"{rules}\ninclude:", 1)
    fw.write_text(text, encoding="utf-8")
    batch = mini_copy / "batch.csv"
    batch.write_text(BATCH, encoding="utf-8")
    return fw, batch


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), prog_name="maturity")
    return result.exit_code, result.stdout, result.stderr


def score_json(fw: Path, batch: Path) -> dict[str, dict[str, Any]]:
    code, out, err = run("score", "-f", str(fw), str(batch), "--format", "json")
    assert code == 0, err
    return {u["id"]: u for u in json.loads(out)["units"]}


Ranks = dict[str, int | None]
RANKS: dict[str, tuple[str, Ranks, Ranks]] = {
    # scores: P1 78.75, P2 41.25; C11 84.375, C12 75, C21 0 (as tests/test_scoring.py)
    "defaults": (
        "",
        {"P1": 1, "P2": 2, "C11": 1, "C12": 2, "C21": 3},
        {"C11": 1, "C12": 2, "C21": None},  # C21 is P2's only commune: no ranking of one
    ),
    "strict": (
        STRICT,
        # C12 (error check) and C21 (coverage) are out; C11 is left alone: no rank at all
        {"P1": 1, "P2": 2, "C11": None, "C12": None, "C21": None},
        {"C11": None, "C12": None, "C21": None},
    ),
    "coverage only": (
        "publication: {min_coverage: 0.6, rank_units_below_coverage: false}",
        {"P1": 1, "P2": 2, "C11": 1, "C12": 2, "C21": None},
        {"C11": 1, "C12": 2, "C21": None},
    ),
    "three to rank": (
        "publication: {min_ranked: 3}",
        {"P1": None, "P2": None, "C11": 1, "C12": 2, "C21": 3},  # two provinces are too few
        {"C11": None, "C12": None, "C21": None},
    ),
}


@pytest.mark.parametrize("name", list(RANKS))
def test_hand_checked_ranks_under_publication_variants(mini_copy: Path, name: str) -> None:
    rules, ranks, in_parent = RANKS[name]
    units = score_json(*variant(mini_copy, rules))
    assert {k: u["rank"] for k, u in units.items()} == ranks
    assert {k: units[k]["rank_in_parent"] for k in in_parent} == in_parent
    assert (units["C11"]["score"], units["C12"]["score"], units["C21"]["score"]) == (
        84.375,
        75.0,
        0.0,
    )


def test_flags_whatever_the_ranking_rules(mini_copy: Path) -> None:
    units = score_json(*variant(mini_copy, "publication: {min_coverage: 0.6}"))
    assert {k: u["flags"] for k, u in units.items()} == {
        "P1": [],
        "P2": [],
        "C11": [],
        "C12": ["check_error"],
        "C21": ["low_coverage"],
    }


def test_flags_in_all_four_formats(mini_copy: Path) -> None:
    fw, batch = variant(mini_copy, STRICT)
    base = ["score", "-f", str(fw), str(batch)]
    code, out, _ = run(*base, "--format", "json")
    doc = json.loads(out)
    assert doc["schema_version"] == "1.1"
    assert doc["publication"] == {
        "min_coverage": 0.6,
        "rank_units_with_errors": False,
        "rank_units_below_coverage": False,
        "min_ranked": 2,
    }
    summary = doc["summary"]
    assert (summary["flagged"], summary["ranked"]) == (2, 2)
    assert summary["by_flag"] == {"check_error": 1, "low_coverage": 1}
    low = [d for d in doc["diagnostics"] if d["code"] == "publication.low_coverage"]
    assert [(d["unit"], d["province"], d["severity"]) for d in low] == [("C21", "P2", "warning")]
    assert "coverage 50% is below the 60%" in low[0]["message"]
    # a failed check names the indicators computed from what it reads
    (check,) = [d for d in doc["diagnostics"] if d["check"] == "online-le-received"]
    assert (check["unit"], check["province"]) == ("C12", "P1")
    assert check["indicators"] == ["SVC-01", "SVC-02", "SVC-04"]  # all read dossiers_received

    code, out, _ = run(*base, "--format", "csv")
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(out))}
    header = next(csv.reader(io.StringIO(out)))
    assert header.index("flags") == header.index("rank_in_parent") + 1
    assert (rows["C12"]["flags"], rows["C21"]["flags"], rows["C11"]["flags"]) == (
        "check_error",
        "low_coverage",
        "",
    )

    for fmt in ("table", "markdown"):
        code, out, _ = run(*base, "--format", fmt)
        assert code == 0
        assert (
            "Flagged by the publication rules: 2 (fails an error check: 1, low data coverage: 1)."
            in out
        )
        c12 = next(line for line in out.splitlines() if "C12" in line and "Phường Một Hai" in line)
        assert "fails an error check" in c12
    code, out, _ = run(*base, "--lang", "vi")
    assert (
        "Bị gắn cờ theo quy tắc công bố: 2"
        " (không đạt phép kiểm tra mức lỗi: 1, độ phủ dữ liệu thấp: 1)." in out
    )


def test_explain_says_why_a_flagged_unit_is_not_ranked(mini_copy: Path) -> None:
    fw, batch = variant(mini_copy, STRICT)
    code, out, _ = run("explain", "-f", str(fw), str(batch), "--unit", "C12")
    assert code == 0
    assert "not ranked: flagged (fails an error check)" in out.splitlines()[1]
    code, out, _ = run("explain", "-f", str(fw), str(batch), "--unit", "C11", "--lang", "vi")
    assert "không xếp hạng: cần ít nhất 2 đơn vị để xếp hạng, cấp này có 1" in out


# --------------------------------------------------------------------------- the national view


@pytest.fixture(scope="module")
def national_86() -> str:
    code, out, err = run("score", "--province", "86")
    assert code == 0, err
    return out


def test_province_86_shows_vinh_long_its_communes_and_their_problems_only(national_86: str) -> None:
    lines = national_86.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Tier      Rank"))
    end = next(i for i, line in enumerate(lines) if line.startswith("Data problems by province"))
    rows = [line for line in lines[start + 2 : end] if line.strip()]
    assert len(rows) == 125  # Vĩnh Long and its 124 communes
    assert rows[0].startswith("province  —       86     Vĩnh Long")
    assert all(line.startswith("commune") and "86 Vĩnh Long" in line for line in rows[1:])
    problems = lines[end:]
    headings = [
        line for line in problems if line.endswith(("error", "errors", "warning", "warnings"))
    ]
    assert headings == ["86 Vĩnh Long: 2 warnings"]
    assert "publication.low_coverage" in national_86 and "procedures-add-up" in national_86


def test_the_national_ranking_starts_on_the_first_screen() -> None:
    _, out, _ = run("score")
    lines = out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Tier      Rank"))
    assert header < 24  # a terminal's first screen holds the summary and the ranking's head
    assert lines[0].startswith("Framework for evaluating")
    assert "Errors: 12, Warnings: 14 · 56 hidden" in out


@pytest.mark.parametrize(
    ("given", "lang", "message"),
    [
        (
            "Vinh Lng",
            "en",
            "Invalid value for '--province': no province 'Vinh Lng' in this batch (34 provinces)."
            " Did you mean: 86 Vĩnh Long?",
        ),
        (
            "vinh lng",
            "vi",
            "Giá trị không hợp lệ cho '--province': không có tỉnh 'vinh lng' trong đợt chấm này"
            " (34 tỉnh). Có phải là: 86 Vĩnh Long?",
        ),
        (
            "999",
            "en",
            "Invalid value for '--province': no province '999' in this batch (34 provinces).",
        ),
    ],
)
def test_a_wrong_province_is_a_usage_error(given: str, lang: str, message: str) -> None:
    code, out, err = run("score", "--province", given, "--lang", lang, "--quiet")
    assert (code, out) == (2, "")
    assert err.strip() == message


@pytest.mark.parametrize("given", ["1", "01", "thành phố hà nội", "THANH PHO HA NOI"])
def test_a_province_by_id_without_zeros_or_by_name(given: str) -> None:
    code, out, err = run("score", "--province", given, "--quiet")
    assert code == 0, err
    assert "province  2025-Q3   1" in out and "commune   2025-Q3   126" in out


# --------------------------------------------------------------------------- the rank rule


SCORES = st.lists(st.integers(0, 5).map(float), min_size=0, max_size=12)


@settings(max_examples=200, deadline=None)
@given(values=SCORES, data=st.data())
def test_ranks_among_is_a_competition_rank_of_the_rankable_or_nothing(
    values: list[float], data: st.DataObject
) -> None:
    n = len(values)
    rankable = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
    groups = np.array(
        data.draw(st.lists(st.integers(0, 2), min_size=n, max_size=n)), dtype=np.int64
    )
    least = data.draw(st.integers(1, 4))
    x = np.array(values, dtype=np.float64)
    got = ranks_among(x, rankable, groups, least)
    for i in range(n):
        peers = [j for j in range(n) if groups[j] == groups[i] and rankable[j]]
        if not rankable[i] or len(peers) < least:
            assert got[i] == 0
        else:
            assert got[i] == 1 + sum(x[j] > x[i] for j in peers)
    # with least 1 it is the plain competition rank
    assert (
        ranks_among(x, rankable, groups, 1).tolist()
        == competition_rank(x, rankable, groups).tolist()
    )


# --------------------------------------------------------------------------- maturity problems


def test_problems_is_a_checklist_per_province() -> None:
    code, out, err = run("problems", "--province", "86")
    assert code == 0, err
    items = [line for line in out.splitlines() if line.startswith("[ ]")]
    assert items == [
        "[ ] warning · 86 Vĩnh Long · procedures-add-up (examples/national/submissions.csv:32):"
        " check 'procedures-add-up' failed: The procedure total differs from provincial +"
        " commune + shared procedures. (procs_commune = 303, procs_provincial = 1,737,"
        " procs_shared = 92, procs_total = 2,141,"
        " procs_provincial + procs_commune + procs_shared = 2,132)",
        "[ ] warning · 86 Vĩnh Long (examples/national/submissions.csv:32): data coverage 15%"
        " is below the 60% the publication rules ask; the unit is flagged.",
    ]
    assert "86 Vĩnh Long: 2 warnings" in out


def test_problems_errors_only_nationally_errors_first_by_province() -> None:
    _, out, _ = run("problems", "--severity", "error", "--format", "json")
    doc = json.loads(out)
    assert doc["summary"]["by_severity"] == {"error": 12}
    ids = [p["id"] for p in doc["provinces"]]
    assert ids == sorted(ids) and len(ids) == 11
    first = doc["provinces"][0]["problems"][0]
    assert (first["unit"], first["input"]) == ("00004", "dossiers_online")
    assert "SVC-03" in first["indicators"]  # the online submission rate reads it


def test_problems_of_a_wrong_province_in_vietnamese() -> None:
    code, out, err = run("problems", "--province", "Ha Nam", "--lang", "vi")
    assert (code, out) == (2, "")
    assert err.startswith("Giá trị không hợp lệ cho '--province': không có tỉnh 'Ha Nam'")


# --------------------------------------------------------------------------- score --baseline


def test_score_baseline_shows_the_change_beside_each_unit() -> None:
    # tests/fixtures/rounds/mini-q2.csv: P2 had 300 online dossiers of 800 (now 100), C12 200
    # of 400 (now 380); the rest as now
    args = ["score", "-f", "tests/fixtures/mini/framework.yaml"]
    args += ["tests/fixtures/mini/submissions/batch.csv"]
    args += ["--baseline", "tests/fixtures/rounds/mini-q2.json"]
    code, out, err = run(*args, "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    since = {u["id"]: u["since"] for u in doc["units"]}
    assert doc["baseline"]["periods"] == ["2025-Q2"]
    # C12: SVC-01 (linear, floor 0, target 80, 25 points) at an online rate of 50 % then
    # (0.625 x 25 = 15.625) and 95 % now (clamped to 1: 25): + 9.375, the rest unchanged
    assert since["C12"] == {
        "period": "2025-Q2",
        "score": 65.625,
        "level": 3,
        "rank": 2,
        "score_change": 9.375,
    }
    assert since["P2"]["score_change"] == -12.5 and since["P1"]["score_change"] == 0.0
    code, out, _ = run(*args, "--format", "csv")
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(out))}
    assert (rows["C12"]["since_score"], rows["C12"]["score_change"]) == ("65.625", "9.375")
    code, out, _ = run(*args, "--lang", "vi")
    c12 = next(line for line in out.splitlines() if "Phường Một Hai" in line and "+9,38" in line)
    assert c12.split()[:3] == ["commune", "2", "2"]  # rank now, rank then


def test_a_province_the_batch_only_names_is_suggested_by_its_id_once() -> None:
    """Phú Quới alone: its province 86 is not in the batch, so the hint has no name for it
    (was '86 86')."""
    phu_quoi = str(ROOT / "examples" / "phu-quoi.yaml")
    code, out, err = run("score", phu_quoi, "--province", "8", "--lang", "vi", "--quiet")
    assert (code, out) == (2, "")
    assert err.strip() == (
        "Giá trị không hợp lệ cho '--province': không có tỉnh '8' trong đợt chấm này (1 tỉnh)."
        " Có phải là: 86?"
    )
