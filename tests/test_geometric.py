"""Geometric aggregation (``aggregation: geometric`` with a declared treatment of zeros), on
the UNDP HDI example with made-up countries computed by hand, and its properties."""

from __future__ import annotations

import importlib.util
import json
import math
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maturity import InputError, load_framework, load_registry, load_submissions, score_batch
from maturity.cli import main
from maturity.framework.methods import AGGREGATIONS
from maturity.scoring.results import Results, TierResult

ROOT = Path(__file__).resolve().parent.parent
HDI = ROOT / "examples" / "hdi" / "framework.yaml"
DATA = ROOT / "tests" / "fixtures" / "hdi"
FAST = settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


def score(path: Path = DATA / "submissions.csv") -> Results:
    fw = load_framework(HDI)
    registry = load_registry(DATA / "units.csv")
    return score_batch(fw, load_submissions([path], fw, registry), registry)


def row(tr: TierResult, unit: str) -> int:
    return next(i for i, u in enumerate(tr.units) if u.id == unit)


def hdi(le: float, eys: float, mys: float, gni: float) -> tuple[float, float, float, float]:
    """The HDR technical notes, written out by hand."""
    health = min(max((le - 20) / 65, 0), 1)
    education = (min(eys / 18, 1) + min(mys / 15, 1)) / 2
    income = min(max((math.log(gni) - math.log(100)) / (math.log(75000) - math.log(100)), 0), 1)
    return health, education, income, (health * education * income) ** (1 / 3)


def test_hdi_of_made_up_countries_by_hand() -> None:
    tr = score().tiers["country"]
    # Arcadia: health 52.5 / 65 = 0.807692, education (0.75 + 0.6) / 2 = 0.675,
    # income ln 120 / ln 750 = 0.723178, HDI = (0.807692 · 0.675 · 0.723178) ^ (1/3) = 0.733272
    h, e, i, expected = hdi(72.5, 13.5, 9, 12000)
    assert (round(h, 6), e, round(i, 6), round(expected, 6)) == (
        0.807692,
        0.675,
        0.723178,
        0.733272,
    )
    assert tr.total[row(tr, "aaa")] == pytest.approx(expected, abs=1e-15)
    assert tr.total[row(tr, "bbb")] == 1.0  # every goalpost exceeded: capped at 1
    assert tr.total[row(tr, "ccc")] == pytest.approx(hdi(50, 6, 3, 700)[3], abs=1e-15)
    # a life expectancy of 20 is a health index of 0: 'zeros: zero' makes the HDI 0
    assert tr.total[row(tr, "eee")] == 0.0
    assert [tr.level[row(tr, u)] for u in ("aaa", "bbb", "ccc", "eee")] == [3, 4, 1, 1]


def test_points_and_points_lost_add_up_by_log_shares() -> None:
    tr = score().tiers["country"]
    r = row(tr, "aaa")
    h, e, i, total = hdi(72.5, 13.5, 9, 12000)
    lost = 1 - total
    logs = [-math.log(x) / 3 for x in (h, e, i)]  # each dimension's log-share of ln(1/HDI)
    pos = {pid: p for p, pid in enumerate(tr.pillar_ids)}
    for pid, log_share in zip(("HEALTH", "EDUCATION", "INCOME"), logs, strict=True):
        expected = 1 / 3 - lost * log_share / sum(logs)
        assert tr.pillar_points[r, pos[pid]] == pytest.approx(expected, abs=1e-15)
    assert tr.pillar_points[r].sum() == pytest.approx(total, abs=1e-15)
    # inside the arithmetic education pillar, its loss splits as the indicators' own losses:
    # expected years lose 1/6 · 0.25, mean years 1/6 · 0.4
    col = {ind.id: j for j, ind in enumerate(tr.indicators)}
    edu_lost = 1 / 3 - tr.pillar_points[r, pos["EDUCATION"]]
    eys_lost = tr.max_points[r, col["EDUCATION-1"]] - tr.points[r, col["EDUCATION-1"]]
    assert eys_lost == pytest.approx(edu_lost * 0.25 / 0.65, abs=1e-15)
    assert tr.points[r].sum() == pytest.approx(total, abs=1e-15)
    # pillar levels come from each dimension's own index
    assert tr.pillar_level[r].tolist() == [4, 2, 3]


def test_a_zero_dimension_takes_all_the_loss() -> None:
    tr = score().tiers["country"]
    r = row(tr, "eee")
    pos = {pid: p for p, pid in enumerate(tr.pillar_ids)}
    assert tr.pillar_points[r, pos["HEALTH"]] == pytest.approx(1 / 3 - 1)
    assert tr.pillar_points[r, pos["EDUCATION"]] == pytest.approx(1 / 3)
    assert tr.points[r].sum() == pytest.approx(0.0, abs=1e-15)


def test_ln_of_zero_income_is_an_error_for_that_country_only() -> None:
    results = score()
    tr = results.tiers["country"]
    col = {ind.id: j for j, ind in enumerate(tr.indicators)}
    assert tr.status[row(tr, "ddd"), col["INCOME-1"]] == 3  # error
    assert tr.total[row(tr, "ddd")] == 0.0  # an income index of 0 under 'zeros: zero'
    (problem,) = [p for p in results.diagnostics if p.code == "score.formula_error"]
    assert problem.unit == "ddd"
    assert problem.message == (
        "INCOME-1: 'ln' needs a value greater than 0 in 'ln(gnipc)': 'gnipc' is 0"
    )


def copy_hdi(tmp: Path, old: str, new: str) -> Path:
    text = HDI.read_text(encoding="utf-8").replace(old, new)
    (tmp / "rules").mkdir()
    (tmp / "rules" / "hdi.yaml").write_bytes((HDI.parent / "rules" / "hdi.yaml").read_bytes())
    (tmp / "framework.yaml").write_text(text, encoding="utf-8")
    return tmp / "framework.yaml"


def test_floor_treatment_of_zeros(tmp_path: Path) -> None:
    fw = load_framework(copy_hdi(tmp_path, "zeros: zero ", "zeros: floor(0.01)"))
    registry = load_registry(DATA / "units.csv")
    tr = score_batch(fw, load_submissions([DATA / "submissions.csv"], fw, registry), registry)
    t = tr.tiers["country"]
    _, e, i, _ = hdi(20, 12, 6, 5000)
    assert t.total[row(t, "eee")] == pytest.approx((0.01 * e * i) ** (1 / 3), abs=1e-15)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("zeros: zero ", "", "a geometric mean needs its treatment of zeros"),
        ("zeros: zero ", "zeros: floor(1.5)", "the floor must be a number greater than 0"),
        ("aggregation: geometric", "aggregation: arithmetic", "applies only to 'aggregation:"),
    ],
)
def test_zeros_must_be_declared_and_sensible(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    with pytest.raises(InputError) as info:
        load_framework(copy_hdi(tmp_path, old, new))
    assert message in str(info.value)


def test_whatif_and_explain_use_the_same_kernel() -> None:
    args = ["-f", str(HDI), "--units", str(DATA / "units.csv"), str(DATA / "submissions.csv")]
    whatif = ["whatif", *args, "--unit", "aaa", "--set", "mys=12", "--format", "json"]
    out = CliRunner().invoke(main, whatif)
    assert out.exit_code == 0, out.output
    _, _, _, expected = hdi(72.5, 13.5, 12, 12000)
    assert json.loads(out.output)["after"]["score"] == pytest.approx(expected, abs=1e-6)
    out = CliRunner().invoke(main, ["explain", *args, "--unit", "aaa"])
    assert out.exit_code == 0, out.output
    assert "gives level 4" in out.output  # the path is verified by re-scoring


def test_sensitivity_says_it_needs_arithmetic() -> None:
    args = ["-f", str(HDI), "--units", str(DATA / "units.csv"), str(DATA / "submissions.csv")]
    out = CliRunner().invoke(main, ["sensitivity", *args])
    assert out.exit_code != 0
    assert "supports arithmetic aggregation only" in out.output


# --------------------------------------------------------------------------- properties

parts = st.lists(st.floats(min_value=0, max_value=1), min_size=1, max_size=6)
weights = st.lists(st.floats(min_value=0.01, max_value=10), min_size=6, max_size=6)


def fractions(v: list[float], w: list[float]) -> tuple[np.ndarray, np.ndarray]:
    vals = np.array([v])
    ws = np.array([w[: len(v)]])
    return vals, ws / ws.sum()


@FAST
@given(parts, weights, st.sampled_from([0.0, 0.01]))
def test_geometric_is_bounded_and_below_the_arithmetic_mean(
    v: list[float], w: list[float], floor: float
) -> None:
    vals, f = fractions(v, w)
    g = AGGREGATIONS["geometric"].combine(vals, f, floor)[0]
    a = AGGREGATIONS["arithmetic"].combine(np.maximum(vals, floor), f, floor)[0]
    assert 0 <= g <= 1 + 1e-15
    assert g <= a + 1e-12  # the mean of the floored values: AM >= GM
    blame = AGGREGATIONS["geometric"].blame(vals, f, f, floor)
    assert (blame >= 0).all()


@FAST
@given(parts, weights, st.integers(0, 5), st.floats(min_value=0, max_value=1))
def test_geometric_is_monotone_and_order_free(
    v: list[float], w: list[float], k: int, up: float
) -> None:
    vals, f = fractions(v, w)
    k %= len(v)
    better = vals.copy()
    better[0, k] = max(vals[0, k], up)
    combine = AGGREGATIONS["geometric"].combine
    assert combine(better, f, 0.0)[0] >= combine(vals, f, 0.0)[0] - 1e-15
    perm = np.random.default_rng(k).permutation(len(v))
    assert combine(vals[:, perm], f[:, perm], 0.0)[0] == pytest.approx(combine(vals, f, 0.0)[0])


def test_unit_order_does_not_matter(tmp_path: Path) -> None:
    lines = (DATA / "submissions.csv").read_text(encoding="utf-8").splitlines()
    shuffled = tmp_path / "shuffled.csv"
    shuffled.write_text("\n".join([*lines[:2], *reversed(lines[2:])]) + "\n", encoding="utf-8")
    a, b = score().tiers["country"], score(shuffled).tiers["country"]
    assert [u.id for u in a.units] == [u.id for u in b.units]
    assert np.array_equal(a.points, b.points) and np.array_equal(a.total, b.total)


def test_the_agreement_script_skips_without_reference_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = importlib.util.spec_from_file_location(
        "indices_agreement", ROOT / "benchmarks" / "indices_agreement.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "indices_agreement", module)  # for its dataclass
    spec.loader.exec_module(module)
    assert module.main([str(tmp_path / "absent")]) == 0
    assert capsys.readouterr().out == "skipped: no reference data\n"
    # a reference folder of the same layout, with made-up rows computed by hand
    (tmp_path / "undp-hdi").mkdir()
    table = tmp_path / "undp-hdi" / "hdi-2000.csv"
    table.write_text(
        "id,country,hdi_rank,hdi,le,eys,mys,gnipc\n"
        "aaa,Arcadia,1,0.733,72.5,13.5,9,12000\n"
        "ccc,Carpania,2,0.331,50,6,3,700.125\n",
        encoding="utf-8",
    )
    agreement = module.hdi_agreement(table)
    assert (agreement.units, agreement.equal_rounded, agreement.ranks_equal_rounded) == (2, 2, 2)
    assert agreement.max_error == pytest.approx(abs(hdi(72.5, 13.5, 9, 12000)[3] - 0.733))
