"""Invariants of scoring, checked on generated batches (hypothesis, bounded so they stay fast).

- every score is within [0, scale], every indicator's points within [0, max_points];
- indicator points add up to pillar scores and pillar scores to the unit's score, every unit;
- improving one input in its indicator's direction never lowers any unit's score (the
  compensatory score, before gates);
- the order of submissions, of CSV rows and of CSV columns changes nothing;
- a province whose communes are identical aggregates to the communes' value.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maturity import (
    Framework,
    Registry,
    Results,
    load_framework,
    load_registry,
    load_submissions,
    score_batch,
)
from maturity.render.results import render_json, results_document

Doc = dict[str, Any]
Row = dict[str, str]

INPUTS = [
    "dossiers_received",
    "dossiers_online",
    "overdue",
    "uses_ai",
    "has_fibre",
    "communes_with_fibre",
    "network_level",
]
UNITS = ["P1", "P2", "C11", "C12", "C21"]
TOL = 1e-6  # the JSON rounds every number to 6 decimals

PROPERTY = settings(
    max_examples=60,
    derandomize=True,  # the same examples every run: a failure is reproducible, never flaky
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _cell(low: int, high: int) -> st.SearchStrategy[str]:
    return st.one_of(st.just(""), st.integers(low, high).map(str))


_ROW = st.fixed_dictionaries(
    {
        "dossiers_received": _cell(0, 2000),
        "dossiers_online": _cell(0, 2000),
        "overdue": _cell(0, 300),
        "uses_ai": _cell(0, 1),
        "has_fibre": _cell(0, 1),
        "communes_with_fibre": _cell(0, 3),
        "network_level": _cell(0, 2),
        "not_applicable": st.sampled_from(["", "SVC-03"]),
    }
)
# a batch: a subset of the mini units (at least one), each with a generated row
BATCHES = st.lists(st.sampled_from(UNITS), min_size=1, max_size=5, unique=True).flatmap(
    lambda units: st.fixed_dictionaries({u: _ROW for u in units})
)
POLICIES = st.sampled_from(["zero", "exclude"])


@dataclass(frozen=True)
class Scoring:
    """A framework and its registry, with a short repr so that hypothesis' reports of a
    failing example stay readable."""

    fw: Framework
    registry: Registry

    def __repr__(self) -> str:
        return f"Scoring({self.fw.id})"


@pytest.fixture(scope="module")
def m(mini: Framework, mini_registry: Registry) -> Scoring:
    return Scoring(mini, mini_registry)


def write_csv(path: Path, batch: dict[str, Row], columns: list[str] | None = None) -> Path:
    cols = columns or ["unit", *INPUTS, "not_applicable"]
    lines = [",".join(cols)]
    for unit_id, values in batch.items():
        lines.append(",".join(unit_id if c == "unit" else values[c] for c in cols))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def score_batch_of(m: Scoring, paths: list[Path], policy: str) -> Results:
    batch = load_submissions(paths, m.fw, m.registry)
    return score_batch(m.fw, batch, m.registry, missing_policy=policy)


def score_paths(m: Scoring, paths: list[Path], policy: str) -> Doc:
    return results_document(score_batch_of(m, paths, policy))


def check_invariants(doc: Doc, fw: Framework, policy: str) -> None:
    scale = fw.manifest.scale
    for u in doc["units"]:
        pillars = u["pillars"]
        for p in pillars:
            kids = [q for q in pillars if q["parent"] == p["id"]]
            own = [i for i in u["indicators"] if i["pillar"] == p["id"]]
            assert p["score"] == pytest.approx(
                sum(q["score"] for q in kids) + sum(i["points"] for i in own), abs=TOL * 8
            )
            # a pillar's share is its parts' shares: nothing is handed to a pillar with
            # nothing counting, so its weight goes to its siblings
            assert p["max_score"] == pytest.approx(
                sum(q["max_score"] for q in kids) + sum(i["max_points"] for i in own), abs=TOL * 8
            )
            assert -TOL <= p["score"] <= p["max_score"] + TOL
        top = [p for p in pillars if p["parent"] is None]
        assert u["max_score"] == pytest.approx(sum(p["max_score"] for p in top), abs=TOL * 4)
        for i in u["indicators"]:
            assert 0 <= i["points"] <= i["max_points"] + TOL
            if i["status"] == "scored":
                assert 0 <= i["score"] <= 1
                assert i["points"] == pytest.approx(
                    i["score"] * i["max_points"], abs=TOL * (1 + i["max_points"])
                )
            else:
                assert (i["points"], i["score"]) == (0.0, None)
            if i["status"] == "not_applicable" or (policy == "exclude" and i["status"] != "scored"):
                assert i["max_points"] == 0.0  # left out of the weights
        if u["score"] is None:
            assert (u["level"], u["rank"], u["max_score"]) == (None, None, 0.0)
            continue
        assert u["score"] == pytest.approx(sum(p["score"] for p in top), abs=TOL * 4)
        assert 0 <= u["score"] <= scale + TOL
        assert u["max_score"] == pytest.approx(scale)
        assert 0 <= u["index"] <= 1
        assert 0 <= u["coverage"] <= 1
        assert 1 <= u["level"] <= u["score_level"]
        assert bool(u["capped_by"]) == (u["level"] < u["score_level"])
        check_gates(u, fw)


def check_gates(u: Doc, fw: Framework) -> None:
    """The level respects every gate (docs/scoring.md §5)."""
    critical = {ind.id for ind in fw.indicators if ind.critical}
    for gate in fw.manifest.gates:
        if gate.kind == "critical_indicators":
            assert gate.from_level is not None and gate.min_indicator_level is not None
            short = [
                i["id"]
                for i in u["indicators"]
                if i["id"] in critical
                and i["status"] != "not_applicable"
                and (i["level"] is None or i["level"] < gate.min_indicator_level)
            ]
            if short:
                assert u["level"] <= max(gate.from_level - 1, 1), (u["id"], short)
            assert (gate.id in u["capped_by"]) == (
                bool(short) and u["score_level"] >= gate.from_level
            )
        elif gate.kind == "weakest_pillar":
            assert gate.max_gap is not None
            levels = [
                p["level"] for p in u["pillars"] if p["parent"] is None and p["max_score"] > 0
            ]
            assert u["level"] <= min(levels) + gate.max_gap
            cap = min(levels) + gate.max_gap
            assert (gate.id in u["capped_by"]) == (cap < u["score_level"])


# --------------------------------------------------------------------------- bounds and sums


@PROPERTY
@given(batch=BATCHES, policy=POLICIES)
def test_scores_are_bounded_and_points_add_up(
    m: Scoring, tmp_path: Path, batch: dict[str, Row], policy: str
) -> None:
    doc = score_paths(m, [write_csv(tmp_path / "b.csv", batch)], policy)
    assert {u["id"] for u in doc["units"]} == set(batch)
    check_invariants(doc, m.fw, policy)
    check_ranks(doc)


def check_ranks(doc: Doc) -> None:
    """Competition ranking: 1 + the number of units (of the tier, or of the same province for
    ``rank_in_parent``) with a higher score; unscored units have no rank, and neither has a
    unit of a ranking of one (the default ``publication.min_ranked`` is 2)."""
    scored = [u for u in doc["units"] if u["score"] is not None]
    for u in scored:
        peers = [v for v in scored if v["tier"] == u["tier"]]
        expected = 1 + sum(v["score"] > u["score"] for v in peers) if len(peers) >= 2 else None
        assert u["rank"] == expected
        if u["parent"] is not None:
            siblings = [v for v in peers if v["parent"] == u["parent"]]
            among = 1 + sum(v["score"] > u["score"] for v in siblings)
            assert u["rank_in_parent"] == (among if len(siblings) >= 2 else None)


@PROPERTY
@given(batch=BATCHES)
def test_the_missing_policy_moves_weights_not_coverage(
    m: Scoring, tmp_path: Path, batch: dict[str, Row]
) -> None:
    path = write_csv(tmp_path / "b.csv", batch)
    zero = {u["id"]: u for u in score_paths(m, [path], "zero")["units"]}
    exclude = {u["id"]: u for u in score_paths(m, [path], "exclude")["units"]}
    for unit_id, z in zero.items():
        x = exclude[unit_id]
        assert x["coverage"] == z["coverage"]  # measured on the zero-policy weights
        if x["score"] is None:
            assert z["coverage"] == 0  # nothing scored at all
            continue
        # excluding a data gap renormalises the scored indicators' shares upwards
        assert x["score"] >= z["score"] - TOL
        for xi, zi in zip(x["indicators"], z["indicators"], strict=True):
            if zi["status"] == "scored":
                assert xi["max_points"] >= zi["max_points"] - TOL


# --------------------------------------------------------------------------- monotonicity

# input -> how to make it better, given its current cell (None: cannot improve)
Improve = Callable[[str, random.Random], str | None]


def _up(high: int) -> Improve:
    def improve(cell: str, rng: random.Random) -> str | None:
        current = int(cell) if cell else -1  # blank: anything is better under `zero`
        return str(rng.randint(current + 1, high)) if current < high else None

    return improve


def _down(cell: str, rng: random.Random) -> str | None:
    return str(rng.randint(0, int(cell) - 1)) if cell and int(cell) > 0 else None


IMPROVE: dict[str, Improve] = {
    "dossiers_online": _up(2000),  # SVC-01 (higher is better)
    "overdue": _down,  # SVC-02 (lower is better)
    "uses_ai": _up(1),  # SVC-03
    "has_fibre": _up(1),  # the province's INF-01, through count(has_fibre)
    "communes_with_fibre": _up(3),  # INF-01
    "network_level": _up(2),  # INF-02
}


@PROPERTY
@given(
    batch=BATCHES,
    name=st.sampled_from(sorted(IMPROVE)),
    seed=st.integers(0, 2**32 - 1),
    data=st.data(),
)
def test_improving_an_input_never_lowers_a_score(
    m: Scoring,
    tmp_path: Path,
    batch: dict[str, Row],
    name: str,
    seed: int,
    data: st.DataObject,
) -> None:
    unit_id = data.draw(st.sampled_from(sorted(batch)))
    before = batch[unit_id][name]
    if not before and name in ("overdue", "communes_with_fibre"):
        # a blank overdue count has no "better"; a province's own fibre count replaces the
        # count over its communes (coalesce), so submitting one is not always better
        return
    better = IMPROVE[name](before, random.Random(seed))
    if better is None:
        return
    improved = {u: dict(row) for u, row in batch.items()}
    improved[unit_id][name] = better
    # under `zero`, submitting a missing value is an improvement too; under `exclude` it is only
    # when the value was there before (otherwise it enters the weights, maybe at a low score)
    policies = ["zero", "exclude"] if before else ["zero"]
    for policy in policies:
        old = score_paths(m, [write_csv(tmp_path / "a.csv", batch)], policy)
        new = score_paths(m, [write_csv(tmp_path / "b.csv", improved)], policy)
        old_scores = {u["id"]: u["score"] for u in old["units"]}
        for u in new["units"]:
            if old_scores[u["id"]] is not None:
                assert u["score"] >= old_scores[u["id"]] - TOL, (
                    policy,
                    unit_id,
                    name,
                    before,
                    better,
                    u["id"],
                )


# --------------------------------------------------------------------------- order does not matter


def _diagnostics_without_place(doc: Doc) -> list[tuple[Any, ...]]:
    return sorted(
        (d["severity"], d["code"], d["unit"] or "", d["indicator"] or "", d["message"])
        for d in doc["diagnostics"]
    )


@PROPERTY
@given(batch=BATCHES, policy=POLICIES, seed=st.integers(0, 2**32 - 1))
def test_row_and_column_order_change_nothing(
    m: Scoring,
    tmp_path: Path,
    batch: dict[str, Row],
    policy: str,
    seed: int,
) -> None:
    rng = random.Random(seed)
    units = list(batch)
    rng.shuffle(units)
    columns = ["unit", *INPUTS, "not_applicable"]
    rng.shuffle(columns)
    shuffled = {u: batch[u] for u in units}
    a = score_paths(m, [write_csv(tmp_path / "a.csv", batch)], policy)
    b = score_paths(m, [write_csv(tmp_path / "b.csv", shuffled, columns)], policy)
    # the units are byte-identical; diagnostics differ only in the row and column they name
    assert json.dumps(a["units"], ensure_ascii=False) == json.dumps(b["units"], ensure_ascii=False)
    assert a["summary"] == b["summary"]
    assert _diagnostics_without_place(a) == _diagnostics_without_place(b)


def _yaml(unit_id: str, row: Row) -> str:
    values = "".join(f"  {name}: {row[name]}\n" for name in INPUTS if row[name])
    na = f"not_applicable:\n  {row['not_applicable']}: ''\n" if row["not_applicable"] else ""
    return f"unit: {unit_id}\nperiod: 2025-Q3\nvalues:\n{values or '  {}'}\n{na}"


@PROPERTY
@given(batch=BATCHES, policy=POLICIES, seed=st.integers(0, 2**32 - 1))
def test_the_order_of_submission_files_changes_nothing(
    m: Scoring,
    tmp_path: Path,
    batch: dict[str, Row],
    policy: str,
    seed: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    paths = []
    for unit_id, row in batch.items():
        path = Path(f"{unit_id}.yaml")
        path.write_text(_yaml(unit_id, row), encoding="utf-8")
        paths.append(path)
    shuffled = list(paths)
    random.Random(seed).shuffle(shuffled)

    def render(files: list[Path]) -> str:
        return render_json(score_batch_of(m, files, policy))

    assert render(paths) == render(shuffled)  # byte-identical, file digests and all


# --------------------------------------------------------------------------- identical communes

AGG_FRAMEWORK = """
id: agg
version: "1"
effective_from: "2025-01-01"
title: {vi: Tổng hợp, en: Aggregates}
scale: 100
missing_policy: zero
units: units.csv
tiers:
  - {id: province, name: {vi: Tỉnh, en: Province}}
  - {id: commune, name: {vi: Xã, en: Commune}, parent: province}
levels:
  - {level: 1, min: 0.0, name: {vi: Một, en: One}}
  - {level: 2, min: 0.5, name: {vi: Hai, en: Two}}
pillars:
  - {id: MAIN, name: {vi: Chính, en: Main}, weights: {province: 1, commune: 1}}
include: [rules.yaml]
"""

AGG_RULES_HEAD = """
inputs:
  - {id: x, label: {vi: x, en: x}, type: number, min: 0, max: 1000, tiers: [commune]}
  - {id: flag, label: {vi: cờ, en: flag}, type: boolean, tiers: [commune]}
derived:
  - {id: n_communes, label: {vi: số xã, en: communes}, formula: "count()", tiers: [province]}
indicators:
  - id: MAIN-01
    name: {vi: x, en: x}
    pillar: MAIN
    tiers: [commune]
    unit: {vi: đv, en: u}
    inputs: [x]
    method: linear
    floor: 0
    target: 1000
    cutoffs: {2: 1, 3: 2, 4: 3, 5: 4}
    weight: 1
    remediation: {vi: a, en: a, effort: low}
"""

AGGREGATES = {
    "MAIN-02": "mean(x)",
    "MAIN-03": "sum(x)",
    "MAIN-04": "min(x)",
    "MAIN-05": "max(x)",
    "MAIN-06": "share(x >= 500)",
    "MAIN-07": "count(x >= 500)",
    "MAIN-08": "n_communes",  # count(): an indicator needs an input, so through a derived value
    "MAIN-09": "sum(flag)",
}


def _agg_indicator(ind_id: str, formula: str) -> str:
    scored = ind_id == "MAIN-02"  # the province's score: the mean, on the communes' own scale
    uses = "[flag]" if "flag" in formula else ("[n_communes]" if "n_" in formula else "[x]")
    weight = "weight: 1" if scored else "weight: 0\n    context: true"
    return f"""
  - id: {ind_id}
    name: {{vi: {ind_id}, en: {ind_id}}}
    pillar: MAIN
    tiers: [province]
    unit: {{vi: đv, en: u}}
    inputs: {uses}
    formula: "{formula}"
    method: linear
    floor: 0
    target: 1000
    cutoffs: {{2: 1, 3: 2, 4: 3, 5: 4}}
    {weight}
    remediation: {{vi: a, en: a, effort: low}}
"""


SIZES = range(1, 6)  # province Pk has k communes


@pytest.fixture(scope="module")
def agg(tmp_path_factory: pytest.TempPathFactory) -> Scoring:
    folder = tmp_path_factory.mktemp("agg")
    (folder / "framework.yaml").write_text(AGG_FRAMEWORK, encoding="utf-8")
    rules = AGG_RULES_HEAD + "".join(_agg_indicator(i, f) for i, f in AGGREGATES.items())
    (folder / "rules.yaml").write_text(rules, encoding="utf-8")
    lines = ["id,name,tier,parent,type"]
    for k in SIZES:
        lines.append(f"P{k},Tỉnh {k},province,,")
        lines += [f"P{k}C{c},Xã {k}.{c},commune,P{k}," for c in range(1, k + 1)]
    (folder / "units.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Scoring(load_framework(folder / "framework.yaml"), load_registry(folder / "units.csv"))


@PROPERTY
@given(
    values=st.fixed_dictionaries(
        {k: st.tuples(st.floats(0, 1000, allow_nan=False), st.sampled_from([0, 1])) for k in SIZES}
    )
)
def test_identical_communes_aggregate_to_their_value(
    agg: Scoring, tmp_path: Path, values: dict[int, tuple[float, int]]
) -> None:
    lines = ["unit,x,flag"]
    for k, (x, flag) in values.items():
        lines.append(f"P{k},,")
        lines += [f"P{k}C{c},{x!r},{flag}" for c in range(1, k + 1)]
    path = tmp_path / "agg.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    doc = score_paths(agg, [path], "zero")
    by_id = {u["id"]: u for u in doc["units"]}
    for k, (x, flag) in values.items():
        province = {i["id"]: i["value"] for i in by_id[f"P{k}"]["indicators"]}
        hit = x >= 500
        assert province["MAIN-02"] == pytest.approx(x, abs=TOL)  # mean = the value
        assert province["MAIN-03"] == pytest.approx(k * x, rel=1e-9, abs=TOL * k)  # sum = n x value
        assert province["MAIN-04"] == pytest.approx(x, abs=TOL)  # min
        assert province["MAIN-05"] == pytest.approx(x, abs=TOL)  # max
        assert province["MAIN-06"] == (1.0 if hit else 0.0)  # share is 0 or 1
        assert province["MAIN-07"] == (k if hit else 0)
        assert province["MAIN-08"] == k  # count() = the registry's communes
        assert province["MAIN-09"] == k * flag
        # a province scored on the mean of identical communes scores like each of them
        communes = [by_id[f"P{k}C{c}"] for c in range(1, k + 1)]
        assert len({c["score"] for c in communes}) == 1  # identical communes, identical scores
        # a mean of k equal floats may differ from them in the last bit (full precision)
        assert communes[0]["score"] == pytest.approx(by_id[f"P{k}"]["score"], rel=1e-12)
        # identical communes tie; a province of one commune ranks none
        expected: set[int | None] = {1} if k >= 2 else {None}
        assert {c["rank_in_parent"] for c in communes} == expected
