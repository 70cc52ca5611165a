"""Hand-checked scoring scenarios on the mini framework (tests/fixtures/mini).

Every expected number below is worked out by hand from the rule files and docs/scoring.md,
with the arithmetic in a comment; none was copied from the engine's output.

The mini framework, per tier (scale 100):

    province: SVC 60 = SVC-ON 40 (2 parts: SVC-01 w3 = 30, SVC-03 w1 = 10) + SVC-Q 20 (SVC-02)
              INF 40 = INF-01 20 + INF-02 20
    commune:  SVC 50 = SVC-ON 25 (SVC-01) + SVC-Q 25 (SVC-02; SVC-04 is context, weight 0)
              INF 50 = INF-02

    SVC-01 online rate %   linear 0 -> 80, cut-offs 20/40/60/80, critical
    SVC-02 overdue rate %  steps (lower is better) <=10: .25, <=5: .5, <=2: .75, <=0.5: 1;
                           cut-offs 10/5/2/0.5
    SVC-03 uses AI         binary, cut-offs all 1, may be declared not applicable
    INF-01 fibre %         coalesce(communes_with_fibre, count(has_fibre)) / count() * 100,
                           linear 0 -> 100, cut-offs 50/75/90/100
    INF-02 network level   ordinal max 2, cut-offs 1/1/2/2, critical
    bands: 1 from 0, 2 from .4, 3 from .6, 4 from .8
    gates: critical indicators at level >= 3 from level 3 (else cap 2); level <= weakest + 1
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from maturity import (
    Framework,
    Registry,
    load_framework,
    load_registry,
    load_submissions,
    score_batch,
)
from maturity.framework.methods import method_score
from maturity.render.results import results_document
from maturity.scoring.kernel import band_level, competition_rank, indicator_level

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
HEADER = (
    "unit,period,dossiers_received,dossiers_online,overdue,uses_ai,has_fibre,"
    "communes_with_fibre,network_level,not_applicable"
)
BATCH_ROWS = [  # tests/fixtures/mini/submissions/batch.csv, spelled out
    "P1,2025-Q3,1000,500,30,1,,,2,",
    "P2,2025-Q3,800,100,80,,,1,1,SVC-03",
    "C11,2025-Q3,600,300,12,,1,,2,",
    "C12,2025-Q3,400,380,0,,1,,1,",
    "C21,2025-Q3,0,0,0,,0,,0,",
]

Doc = dict[str, Any]


def row(
    unit: str,
    *,
    received: object = "",
    online: object = "",
    overdue: object = "",
    ai: object = "",
    fibre: object = "",
    cwf: object = "",
    net: object = "",
    na: str = "",
) -> str:
    cells = [unit, "2025-Q3", received, online, overdue, ai, fibre, cwf, net, na]
    return ",".join(str(c) for c in cells)


def score(
    fw: Framework, registry: Registry, tmp_path: Path, *rows: str, policy: str | None = None
) -> Doc:
    path = tmp_path / "batch.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    batch = load_submissions([path], fw, registry)
    return results_document(score_batch(fw, batch, registry, missing_policy=policy))


def unit(doc: Doc, unit_id: str) -> Doc:
    found: list[Doc] = [u for u in doc["units"] if u["id"] == unit_id]
    (one,) = found
    return one


def ind(u: Doc, ind_id: str) -> Doc:
    found: list[Doc] = [i for i in u["indicators"] if i["id"] == ind_id]
    (one,) = found
    return one


def pillar(u: Doc, pid: str) -> Doc:
    found: list[Doc] = [p for p in u["pillars"] if p["id"] == pid]
    (one,) = found
    return one


def diags(doc: Doc, code: str, unit_id: str | None = None) -> list[Doc]:
    return [d for d in doc["diagnostics"] if d["code"] == code and unit_id in (None, d["unit"])]


def approx(x: float) -> Any:
    return pytest.approx(x, abs=1e-6)


def assert_indicator(
    u: Doc,
    ind_id: str,
    status: str,
    value: Any,
    s: Any,
    points: float,
    max_points: float,
    level: Any,
) -> None:
    got = ind(u, ind_id)
    assert got["status"] == status, ind_id
    assert got["value"] == (None if value is None else approx(value)), ind_id
    assert got["score"] == (None if s is None else approx(s)), ind_id
    assert got["points"] == approx(points), ind_id
    assert got["max_points"] == approx(max_points), ind_id
    assert got["level"] == level, ind_id


# --------------------------------------------------------------------------- the mini batch


@pytest.fixture(scope="module")
def batch_doc(
    mini: Framework, mini_registry: Registry, tmp_path_factory: pytest.TempPathFactory
) -> Doc:
    return score(mini, mini_registry, tmp_path_factory.mktemp("batch"), *BATCH_ROWS)


def test_batch_row_copy_matches_the_fixture() -> None:
    text = (MINI / "submissions" / "batch.csv").read_text(encoding="utf-8")
    assert text.splitlines() == [HEADER, *BATCH_ROWS]


def test_province_p1(batch_doc: Doc) -> None:
    u = unit(batch_doc, "P1")
    # SVC-01: 500 / 1000 = 50 %, s = 50/80 = .625, 30 x .625 = 18.75; level 3 (>= 20, 40)
    assert_indicator(u, "SVC-01", "scored", 50, 0.625, 18.75, 30, 3)
    # SVC-03: yes -> 1 x 10
    assert_indicator(u, "SVC-03", "scored", 1, 1, 10, 10, 5)
    # SVC-02: 30 / 1000 = 3 % <= 5 (not <= 2) -> .5 x 20 = 10; level 3 (<= 10, 5)
    assert_indicator(u, "SVC-02", "scored", 3, 0.5, 10, 20, 3)
    # INF-01: no communes_with_fibre, so count(has_fibre) = 2 (C11, C12) of count() = 2 -> 100 %
    assert_indicator(u, "INF-01", "scored", 100, 1, 20, 20, 5)
    # INF-02: 2 / 2 = 1 -> 20
    assert_indicator(u, "INF-02", "scored", 2, 1, 20, 20, 5)
    assert pillar(u, "SVC-ON")["score"] == approx(28.75)  # 18.75 + 10
    assert pillar(u, "SVC-Q")["score"] == approx(10)
    assert pillar(u, "SVC")["score"] == approx(38.75)  # 28.75 + 10, of 60 -> .646 level 3
    assert pillar(u, "SVC")["level"] == 3
    assert pillar(u, "INF")["score"] == approx(40)
    assert pillar(u, "INF")["level"] == 4
    # 38.75 + 40 = 78.75 -> index .7875 -> band 3; gates: criticals at 3 and 5, weakest 3 + 1
    assert (u["score"], u["index"], u["level"], u["capped_by"]) == (
        approx(78.75),
        approx(0.7875),
        3,
        [],
    )
    assert (u["coverage"], u["rank"], u["rank_in_parent"]) == (1.0, 1, None)


def test_province_p2_declares_an_allowed_indicator_not_applicable(batch_doc: Doc) -> None:
    u = unit(batch_doc, "P2")
    # SVC-03 not applicable: SVC-01 takes all of SVC-ON's 40
    assert_indicator(u, "SVC-03", "not_applicable", None, None, 0, 0, None)
    # SVC-01: 100 / 800 = 12.5 %, s = 12.5/80 = .15625, 40 x .15625 = 6.25; level 1 (< 20)
    assert_indicator(u, "SVC-01", "scored", 12.5, 0.15625, 6.25, 40, 1)
    # SVC-02: 80 / 800 = 10 % <= 10 -> .25 x 20 = 5; level 2
    assert_indicator(u, "SVC-02", "scored", 10, 0.25, 5, 20, 2)
    # INF-01: communes_with_fibre = 1 of count() = 1 (C21) -> 100 %
    assert_indicator(u, "INF-01", "scored", 100, 1, 20, 20, 5)
    # INF-02: 1 / 2 = .5 -> 10; level 3 (1 >= 1, 1 >= 1)
    assert_indicator(u, "INF-02", "scored", 1, 0.5, 10, 20, 3)
    # 6.25 + 5 + 20 + 10 = 41.25 -> band 2. The critical gate fails (SVC-01 at level 1) but its
    # cap, 2, is not below the score level, so it is not named; weakest: SVC 11.25/60 -> 1, +1 = 2
    assert (u["score"], u["level"], u["score_level"], u["capped_by"]) == (approx(41.25), 2, 2, [])
    assert u["coverage"] == 1.0  # a not-applicable indicator is not a data gap
    assert u["rank"] == 2


def test_communes(batch_doc: Doc) -> None:
    c11 = unit(batch_doc, "C11")
    # SVC-01: 300/600 = 50 % -> .625 x 25 = 15.625; SVC-02: 12/600 = 2 % -> .75 x 25 = 18.75,
    # level 4 (<= 10, 5, 2); INF-02 = 50. Total 84.375 -> band 4; weakest SVC 34.375/50 -> 3, +1
    assert_indicator(c11, "SVC-01", "scored", 50, 0.625, 15.625, 25, 3)
    assert_indicator(c11, "SVC-02", "scored", 2, 0.75, 18.75, 25, 4)
    assert_indicator(c11, "INF-02", "scored", 2, 1, 50, 50, 5)
    # SVC-04 is a context indicator: computed (600/1000 = .6, level 4) and worth nothing
    assert_indicator(c11, "SVC-04", "scored", 600, 0.6, 0, 0, 4)
    assert (c11["score"], c11["level"], c11["rank"], c11["rank_in_parent"]) == (
        approx(84.375),
        4,
        1,
        1,
    )

    c12 = unit(batch_doc, "C12")
    # 380/400 = 95 % clamps to 1 -> 25; 0 % overdue -> 1 -> 25; level 1 answer -> .5 x 50 = 25
    assert_indicator(c12, "SVC-01", "scored", 95, 1, 25, 25, 5)
    assert_indicator(c12, "SVC-02", "scored", 0, 1, 25, 25, 5)
    assert_indicator(c12, "INF-02", "scored", 1, 0.5, 25, 50, 3)
    assert (c12["score"], c12["level"], c12["rank"], c12["rank_in_parent"]) == (75.0, 3, 2, 2)

    c21 = unit(batch_doc, "C21")
    # 0 / 0: both ratios are errors, worth 0 of their 25 under the zero policy
    assert_indicator(c21, "SVC-01", "error", None, None, 0, 25, None)
    assert_indicator(c21, "SVC-02", "error", None, None, 0, 25, None)
    assert_indicator(c21, "INF-02", "scored", 0, 0, 0, 50, 1)
    # coverage: only INF-02's 50 of 100 has a value
    assert (c21["score"], c21["level"], c21["coverage"]) == (0.0, 1, 0.5)
    # the only commune of P2: a ranking of one gives no rank (publication.min_ranked = 2)
    assert (c21["rank"], c21["rank_in_parent"]) == (3, None)


def test_division_by_zero_is_an_error_diagnostic(batch_doc: Doc) -> None:
    found = diags(batch_doc, "score.formula_error", "C21")
    assert [(d["severity"], d["indicator"], d["line"]) for d in found] == [
        ("error", "SVC-01", 6),  # C21's row
        ("error", "SVC-02", 6),
    ]
    assert found[0]["file"].endswith("batch.csv")
    assert found[0]["message"] == (
        "SVC-01: division by zero in 'ratio(dossiers_online, dossiers_received)': "
        "the denominator 'dossiers_received' is 0"
    )


def test_failed_province_check_lists_the_values_and_the_aggregate(batch_doc: Doc) -> None:
    # P2: |800 - sum over C21 (0)| = 800 > 0.05 x 800 = 40
    (d,) = diags(batch_doc, "check.failed")
    assert (d["severity"], d["unit"], d["line"]) == ("warning", "P2", 3)
    assert d["file"].endswith("batch.csv")
    assert d["message"] == (
        "check 'province-matches-communes' failed: The province's dossier count differs from the "
        "sum of its communes by more than 5%. (dossiers_received = 800, "
        "abs(dossiers_received - sum(dossiers_received)) = 800, 0.05 * dossiers_received = 40, "
        "sum(dossiers_received) = 0)"
    )


def test_points_add_up_in_the_batch(batch_doc: Doc) -> None:
    for u in batch_doc["units"]:
        by_id = {p["id"]: p for p in u["pillars"]}
        for p in u["pillars"]:
            kids = [q["score"] for q in u["pillars"] if q["parent"] == p["id"]]
            own = [i["points"] for i in u["indicators"] if i["pillar"] == p["id"]]
            assert p["score"] == approx(sum(kids) + sum(own)), (u["id"], p["id"])
        assert u["score"] == approx(sum(p["score"] for p in by_id.values() if p["parent"] is None))


# --------------------------------------------------------------------------- methods


@pytest.mark.parametrize(
    ("online", "rate", "s", "level"),
    [
        (0, 0, 0.0, 1),
        (200, 20, 0.25, 2),  # 20/80; the cut-off 20 is reached
        (399, 39.9, 0.49875, 2),
        (500, 50, 0.625, 3),
        (800, 80, 1.0, 5),
        (1000, 100, 1.0, 5),  # above the target clamps to 1
    ],
)
def test_linear(
    mini: Framework,
    mini_registry: Registry,
    tmp_path: Path,
    online: int,
    rate: float,
    s: float,
    level: int,
) -> None:
    doc = score(
        mini, mini_registry, tmp_path, row("C11", received=1000, online=online, overdue=0, net=2)
    )
    assert_indicator(unit(doc, "C11"), "SVC-01", "scored", rate, s, 25 * s, 25, level)


@pytest.mark.parametrize(
    ("overdue", "s", "level"),
    [
        (0, 1.0, 5),
        (5, 1.0, 5),  # 0.5 % reaches the last step and cut-off exactly
        (6, 0.75, 4),  # 0.6 %
        (20, 0.75, 4),  # 2 %
        (21, 0.5, 3),  # 2.1 %
        (50, 0.5, 3),  # 5 %
        (51, 0.25, 2),  # 5.1 %
        (100, 0.25, 2),  # 10 %
        (101, 0.0, 1),  # 10.1 %: below the first step
    ],
)
def test_steps_lower_is_better(
    mini: Framework, mini_registry: Registry, tmp_path: Path, overdue: int, s: float, level: int
) -> None:
    doc = score(
        mini, mini_registry, tmp_path, row("C11", received=1000, online=800, overdue=overdue, net=2)
    )
    assert_indicator(unit(doc, "C11"), "SVC-02", "scored", overdue / 10, s, 25 * s, 25, level)


def test_values_are_compared_after_rounding_float_noise(mini: Framework) -> None:
    svc02 = mini.indicator("SVC-02")
    x = np.array([2.0 + 1e-12, 2.0 + 1e-6])
    s, bad = method_score(svc02, x)
    assert s.tolist() == [0.75, 0.5]  # 2.000000000001 counts as 2; 2.000001 does not
    assert not bad.any()
    assert indicator_level(svc02, x).tolist() == [4, 3]
    assert band_level(np.array([0.8 - 1e-12, 0.8 - 1e-6]), [0.0, 0.4, 0.6, 0.8]).tolist() == [4, 3]


def test_ranks_compare_scores_rounded_to_six_decimals() -> None:
    # 0.1 + 0.2 = 0.30000000000000004 and 0.3 tie; 0.300001 is a different score
    values = np.array([0.3, 0.1 + 0.2, 0.300001, 0.2])
    assert competition_rank(values, np.ones(4, dtype=bool)).tolist() == [2, 2, 1, 4]


@pytest.mark.parametrize(("answer", "s", "level"), [(0, 0.0, 1), (1, 0.5, 3), (2, 1.0, 5)])
def test_ordinal_max(
    mini: Framework, mini_registry: Registry, tmp_path: Path, answer: int, s: float, level: int
) -> None:
    # s = answer / 2; cut-offs {2: 1, 3: 1, 4: 2, 5: 2}
    doc = score(
        mini, mini_registry, tmp_path, row("C11", received=1000, online=800, overdue=0, net=answer)
    )
    assert_indicator(unit(doc, "C11"), "INF-02", "scored", answer, s, 50 * s, 50, level)


def test_ordinal_answer_outside_the_choices_is_invalid(
    mini: Framework, mini_registry: Registry, tmp_path: Path
) -> None:
    doc = score(
        mini, mini_registry, tmp_path, row("C11", received=1000, online=800, overdue=0, net=3)
    )
    u = unit(doc, "C11")
    assert_indicator(u, "INF-02", "invalid", None, None, 0, 50, None)
    (d,) = diags(doc, "value.rejected")
    assert (d["severity"], d["unit"], d["line"], d["column"]) == (
        "error",
        "C11",
        2,
        "I (network_level)",
    )
    assert (
        d["message"]
        == "value of 'network_level' rejected: '3' is not one of the allowed answers 0, 1, 2."
    )
    # 25 + 25 + 0 = 50 -> band 2 (a rejected value is never used)
    assert (u["score"], u["level"], u["coverage"]) == (50.0, 2, 0.5)


@pytest.mark.parametrize(
    ("answer", "s", "level"), [("1", 1.0, 5), ("0", 0.0, 1), ("yes", 1.0, 5), ("không", 0.0, 1)]
)
def test_binary(
    mini: Framework, mini_registry: Registry, tmp_path: Path, answer: str, s: float, level: int
) -> None:
    doc = score(
        mini,
        mini_registry,
        tmp_path,
        row("P1", received=1000, online=500, overdue=30, ai=answer, net=2),
    )
    assert_indicator(unit(doc, "P1"), "SVC-03", "scored", s, s, 10 * s, 10, level)


# --------------------------------------------------------------------------- statuses


def test_missing_invalid_and_a_forbidden_not_applicable_declaration(
    mini: Framework, mini_registry: Registry, tmp_path: Path
) -> None:
    doc = score(
        mini, mini_registry, tmp_path, row("C11", received=600, online=300, overdue=-5, na="SVC-01")
    )
    u = unit(doc, "C11")
    # SVC-01 may not be declared not applicable: the declaration is ignored and it counts
    (d,) = diags(doc, "na.not_allowed")
    assert (d["severity"], d["indicator"], d["line"]) == ("error", "SVC-01", 2)
    assert_indicator(u, "SVC-01", "scored", 50, 0.625, 15.625, 25, 3)
    # overdue -5 is below its minimum 0: rejected, so SVC-02 is invalid and worth 0 of 25
    (d,) = diags(doc, "value.rejected")
    assert (d["column"], d["message"]) == (
        "E (overdue)",
        "value of 'overdue' rejected: '-5' is below the minimum 0.",
    )
    assert_indicator(u, "SVC-02", "invalid", None, None, 0, 25, None)
    # network_level blank: INF-02 missing, 0 of 50
    assert_indicator(u, "INF-02", "missing", None, None, 0, 50, None)
    # 15.625 of 100; coverage 25/100
    assert (u["score"], u["level"], u["coverage"]) == (15.625, 1, 0.25)


def test_missing_policy_zero(mini: Framework, mini_registry: Registry, tmp_path: Path) -> None:
    doc = score(mini, mini_registry, tmp_path, row("C11", received=600, online=300, net=2))
    u = unit(doc, "C11")
    assert_indicator(u, "SVC-02", "missing", None, None, 0, 25, None)
    # 15.625 + 0 + 50 = 65.625 -> band 3; but SVC = 15.625/50 = .3125 -> pillar level 1, so the
    # weakest-pillar gate caps at 1 + 1 = 2
    assert (u["score"], u["score_level"], u["level"], u["capped_by"]) == (
        65.625,
        3,
        2,
        ["weakest-pillar"],
    )
    assert u["coverage"] == 0.75  # SVC-ON 25 + INF 50 of 100 had values
    assert pillar(u, "SVC-Q") == {
        "id": "SVC-Q",
        "parent": "SVC",
        "score": 0.0,
        "max_score": 25.0,
        "level": 1,
    }


def test_missing_policy_exclude_renormalises(
    mini: Framework, mini_registry: Registry, tmp_path: Path
) -> None:
    doc = score(
        mini, mini_registry, tmp_path, row("C11", received=600, online=300, net=2), policy="exclude"
    )
    assert doc["missing_policy"] == "exclude"
    u = unit(doc, "C11")
    # SVC-Q has nothing counting (SVC-02 missing, SVC-04 weightless): SVC-ON takes SVC's 50
    assert_indicator(u, "SVC-02", "missing", None, None, 0, 0, None)
    assert_indicator(u, "SVC-01", "scored", 50, 0.625, 31.25, 50, 3)  # .625 x 50
    assert pillar(u, "SVC-Q") == {
        "id": "SVC-Q",
        "parent": "SVC",
        "score": 0.0,
        "max_score": 0.0,
        "level": None,
    }
    # 31.25 + 50 = 81.25 -> band 4; weakest SVC 31.25/50 = .625 -> 3, +1 = 4: no cap
    assert (u["score"], u["max_score"], u["level"], u["capped_by"]) == (81.25, 100.0, 4, [])
    # coverage is still measured on the zero-policy weights: 75 of 100 scored
    assert u["coverage"] == 0.75


def test_exclude_passes_a_province_pillar_weight_to_its_sibling(
    mini: Framework, mini_registry: Registry, tmp_path: Path
) -> None:
    rows = [row("P1", received=1000, overdue=30, net=2), *BATCH_ROWS[2:4]]
    doc = score(mini, mini_registry, tmp_path, *rows, policy="exclude")
    u = unit(doc, "P1")
    # SVC-ON: SVC-01 (no online count) and SVC-03 missing -> SVC-Q takes all of SVC's 60
    assert pillar(u, "SVC-ON")["max_score"] == 0
    assert_indicator(u, "SVC-02", "scored", 3, 0.5, 30, 60, 3)  # .5 x 60
    # INF: 100 % fibre (C11, C12) -> 20, level 2 answer -> 20
    # total 30 + 40 = 70 -> band 3; the missing critical SVC-01 fails the gate -> capped at 2;
    # weakest: SVC 30/60 = .5 -> 2, +1 = 3, not below 3, so not named
    assert (u["score"], u["score_level"], u["level"], u["capped_by"]) == (
        70.0,
        3,
        2,
        ["critical-l3"],
    )
    assert u["coverage"] == 0.6  # SVC-Q 20 + INF 40 of 100

    doc = score(mini, mini_registry, tmp_path, *rows, policy="zero")
    u = unit(doc, "P1")
    # zero: SVC-ON keeps its 40 at 0 points; SVC-Q .5 x 20 = 10; INF 40 -> 50 -> band 2
    assert (u["score"], u["score_level"], u["level"], u["capped_by"], u["coverage"]) == (
        50.0,
        2,
        2,
        [],
        0.6,
    )


def test_a_pillar_whose_indicators_are_all_not_applicable_passes_its_weight(
    mini_copy: Path, mini_registry: Registry, tmp_path: Path
) -> None:
    rules = mini_copy / "rules" / "svc.yaml"
    text = rules.read_text(encoding="utf-8")
    anchor = "    cutoffs: {2: 10, 3: 5, 4: 2, 5: 0.5}\n    weight: 1\n"
    assert text.count(anchor) == 1
    rules.write_text(text.replace(anchor, anchor + "    not_applicable: true\n"), encoding="utf-8")
    fw = load_framework(mini_copy / "framework.yaml")
    doc = score(
        fw,
        mini_registry,
        tmp_path,
        row("C11", received=600, online=300, overdue=12, net=2, na="SVC-02"),
    )
    u = unit(doc, "C11")
    # zero policy, SVC-02 not applicable: SVC-Q keeps only the weightless SVC-04, so SVC-ON
    # takes SVC's 50: SVC-01 .625 x 50 = 31.25; INF 50 -> 81.25, band 4, coverage 100 %
    assert_indicator(u, "SVC-02", "not_applicable", 2, None, 0, 0, None)
    assert_indicator(u, "SVC-01", "scored", 50, 0.625, 31.25, 50, 3)
    assert_indicator(u, "SVC-04", "scored", 600, 0.6, 0, 0, 4)
    assert (u["score"], u["level"], u["coverage"]) == (81.25, 4, 1.0)
    assert pillar(u, "SVC-Q")["max_score"] == 0


def test_nothing_counting_means_not_scored_and_unranked(
    mini: Framework, mini_registry: Registry, tmp_path: Path
) -> None:
    rows = [row("C11"), row("C12", received=400, online=380, overdue=0, net=1)]
    doc = score(mini, mini_registry, tmp_path, *rows, policy="exclude")
    u = unit(doc, "C11")
    assert (u["score"], u["max_score"], u["level"], u["rank"], u["rank_in_parent"]) == (
        None,
        0.0,
        None,
        None,
        None,
    )
    (d,) = diags(doc, "score.nothing")
    assert (d["severity"], d["unit"]) == ("warning", "C11")
    assert unit(doc, "C12")["rank"] is None  # the only unit scored: no ranking of one
    assert doc["summary"]["scored"] == 1
    assert [x["id"] for x in doc["units"]] == ["C12", "C11"]  # unscored units last


# --------------------------------------------------------------------------- gates


def test_critical_indicator_short_caps_the_level(
    mini: Framework, mini_registry: Registry, tmp_path: Path
) -> None:
    doc = score(
        mini, mini_registry, tmp_path, row("C11", received=1000, online=300, overdue=0, net=2)
    )
    u = unit(doc, "C11")
    # SVC-01: 30 % -> .375 x 25 = 9.375, level 2 (< 40). 9.375 + 25 + 50 = 84.375 -> band 4.
    # SVC-01 is critical and below level 3: capped at from_level - 1 = 2.
    # Weakest: SVC 34.375/50 = .6875 -> 3, +1 = 4: no cap.
    assert (u["score"], u["score_level"], u["level"], u["level_name"]) == (
        84.375,
        4,
        2,
        "Developing",
    )
    assert u["capped_by"] == ["critical-l3"]


def test_weakest_pillar_caps_the_level(
    mini: Framework, mini_registry: Registry, tmp_path: Path
) -> None:
    doc = score(
        mini, mini_registry, tmp_path, row("C11", received=1000, online=400, overdue=80, net=2)
    )
    u = unit(doc, "C11")
    # SVC-01: 40 % -> .5 x 25 = 12.5, level 3 (critical is fine); SVC-02: 8 % -> .25 x 25 = 6.25.
    # SVC = 18.75/50 = .375 -> pillar level 1; INF 50/50 -> 4. Total 68.75 -> band 3 > 1 + 1.
    assert pillar(u, "SVC")["level"] == 1
    assert (u["score"], u["score_level"], u["level"], u["capped_by"]) == (
        68.75,
        3,
        2,
        ["weakest-pillar"],
    )


def test_both_gates_are_named(mini: Framework, mini_registry: Registry, tmp_path: Path) -> None:
    doc = score(
        mini, mini_registry, tmp_path, row("C11", received=1000, online=300, overdue=80, net=2)
    )
    u = unit(doc, "C11")
    # 9.375 + 6.25 + 50 = 65.625 -> band 3; SVC-01 level 2 -> cap 2; SVC 15.625/50 -> 1, +1 = 2
    assert (u["score"], u["score_level"], u["level"]) == (65.625, 3, 2)
    assert u["capped_by"] == ["critical-l3", "weakest-pillar"]


@pytest.mark.parametrize("policy", ["zero", "exclude"])
def test_a_missing_critical_indicator_fails_the_gate_under_either_policy(
    mini: Framework, mini_registry: Registry, tmp_path: Path, policy: str
) -> None:
    rows = [row("P1", received=1000, online=800, overdue=0, ai=1), *BATCH_ROWS[2:4]]
    u = unit(score(mini, mini_registry, tmp_path, *rows, policy=policy), "P1")
    assert ind(u, "INF-02")["status"] == "missing"
    if policy == "zero":
        # SVC 60 + INF-01 20 + INF-02 0 = 80 -> band 4; INF 20/40 = .5 -> 2, +1 = 3
        assert (u["score"], u["score_level"], u["level"]) == (80.0, 4, 2)
        assert u["capped_by"] == ["critical-l3", "weakest-pillar"]
    else:
        # INF-01 takes INF's 40: 60 + 40 = 100 -> band 4, still capped by the missing critical
        assert (u["score"], u["score_level"], u["level"]) == (100.0, 4, 2)
        assert u["capped_by"] == ["critical-l3"]
    assert u["coverage"] == 0.8


# --------------------------------------------------------------------------- two tiers


def test_count_counts_registry_communes_that_did_not_submit(
    mini: Framework, mini_registry: Registry, tmp_path: Path
) -> None:
    rows = [row("P1", received=1000, online=500, overdue=30, ai=1, net=2), BATCH_ROWS[2]]
    doc = score(mini, mini_registry, tmp_path, *rows)
    u = unit(doc, "P1")
    # count(has_fibre) = 1 (C11) of count() = 2 (C11 and C12, which submitted nothing) -> 50 %
    assert_indicator(u, "INF-01", "scored", 50, 0.5, 10, 20, 2)
    (d,) = diags(doc, "score.partial_aggregate", "P1")
    assert (d["severity"], d["indicator"]) == ("info", "INF-01")
    assert (
        d["message"]
        == "INF-01: 'count(has_fibre)' uses only the child units that have a value: 1 of 2 lack it"
    )
    # the province check sees 600 of 1000 dossiers in its communes: |1000 - 600| = 400 > 50
    (d,) = diags(doc, "check.failed", "P1")
    assert d["message"].endswith(
        "(dossiers_received = 1,000, abs(dossiers_received - sum(dossiers_received)) = 400, "
        "0.05 * dossiers_received = 50, sum(dossiers_received) = 600)"
    )


def test_count_with_a_condition_counts_only_true(
    mini: Framework, mini_registry: Registry, tmp_path: Path
) -> None:
    rows = [
        row("P1", received=1000, online=500, overdue=30, ai=1, net=2),
        row("C11", received=600, online=300, overdue=12, fibre=1, net=2),
        row("C12", received=400, online=380, overdue=0, fibre=0, net=1),
    ]
    u = unit(score(mini, mini_registry, tmp_path, *rows), "P1")
    assert_indicator(u, "INF-01", "scored", 50, 0.5, 10, 20, 2)  # 1 of 2 communes has fibre


def test_the_provinces_own_figure_comes_first(
    mini: Framework, mini_registry: Registry, tmp_path: Path
) -> None:
    rows = [row("P1", received=1000, online=500, overdue=30, ai=1, cwf=1, net=2), *BATCH_ROWS[2:4]]
    u = unit(score(mini, mini_registry, tmp_path, *rows), "P1")
    # coalesce(communes_with_fibre = 1, count(has_fibre) = 2) / count() = 1/2 -> 50 %
    assert ind(u, "INF-01")["value"] == 50


def test_a_province_without_communes_in_the_batch(
    mini: Framework, mini_registry: Registry, tmp_path: Path
) -> None:
    doc = score(mini, mini_registry, tmp_path, BATCH_ROWS[0])
    u = unit(doc, "P1")
    # count(has_fibre) is 0 (not missing) when no commune has a value; count() is still 2
    assert_indicator(u, "INF-01", "scored", 0, 0, 0, 20, 1)
    # sum(dossiers_received) is missing, so the province check is not evaluated
    assert diags(doc, "check.failed") == []
    # 18.75 + 10 + 10 + 0 + 20 = 58.75 -> band 2
    assert (u["score"], u["level"]) == (58.75, 2)


def test_failed_check_is_an_error_when_the_check_says_so(
    mini: Framework, mini_registry: Registry, tmp_path: Path
) -> None:
    doc = score(
        mini, mini_registry, tmp_path, row("C11", received=600, online=700, overdue=12, net=2)
    )
    (d,) = diags(doc, "check.failed", "C11")
    assert (d["severity"], d["line"]) == ("error", 2)
    assert d["message"] == (
        "check 'online-le-received' failed: Online dossiers exceed dossiers received. "
        "(dossiers_online = 700, dossiers_received = 600)"
    )
    # the values are still used: 700/600 = 116.7 % clamps to 1
    assert ind(unit(doc, "C11"), "SVC-01")["score"] == 1.0


# --------------------------------------------------------------------------- ranks


@pytest.fixture
def wide_registry(tmp_path: Path) -> Registry:
    """The mini registry with two more communes, so ranks can tie and skip."""
    path = tmp_path / "units.csv"
    text = (MINI / "units.csv").read_text(encoding="utf-8")
    path.write_text(
        text + "C13,Xã Một Ba,commune,P1,Xã\nC22,Xã Hai Hai,commune,P2,Xã\n", encoding="utf-8"
    )
    return load_registry(path)


def test_competition_ranking_with_ties(
    mini: Framework, wide_registry: Registry, tmp_path: Path
) -> None:
    rows = [
        row("C22", received=1000, online=0, overdue=200, fibre=0, net=0),  # 0 + 0 + 0 = 0
        row("C13", received=400, online=380, overdue=0, fibre=1, net=1),  # 25 + 25 + 25 = 75
        row("C21", received=600, online=300, overdue=12, fibre=1, net=2),  # 15.625 + 18.75 + 50
        row("C12", received=600, online=300, overdue=12, fibre=1, net=2),  # = 84.375, a tie
        row("C11", received=1000, online=800, overdue=0, fibre=1, net=2),  # 25 + 25 + 50 = 100
    ]
    doc = score(mini, wide_registry, tmp_path, *rows)
    got = [(u["id"], u["score"], u["rank"], u["rank_in_parent"]) for u in doc["units"]]
    assert got == [
        ("C11", 100.0, 1, 1),
        ("C12", 84.375, 2, 2),
        ("C21", 84.375, 2, 1),
        ("C13", 75.0, 4, 3),
        ("C22", 0.0, 5, 2),
    ]


def test_units_of_another_tier_are_skipped(mini: Framework, tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    text = (MINI / "units.csv").read_text(encoding="utf-8")
    path.write_text(text + "V111,Thôn Một,village,C11,Thôn\n", encoding="utf-8")
    registry = load_registry(path)
    doc = score(
        mini,
        registry,
        tmp_path,
        row("V111", received=10, online=5, overdue=0, net=1),
        BATCH_ROWS[2],
    )
    assert [u["id"] for u in doc["units"]] == ["C11"]
    (d,) = diags(doc, "unit.tier")
    assert (d["severity"], d["unit"], d["line"]) == ("error", "V111", 2)
    assert (
        d["message"]
        == "unit is a village, a tier framework 'mini' does not score. The submission is skipped."
    )
