"""``maturity sensitivity``: the vectorised uncertainty analysis.

The analysis re-scores with matrices instead of the engine, so the tests hold it to the
engine: with no noise every run is the nominal result exactly; a perturbed run equals the
engine scoring a framework with the perturbed weights and bands written in; a seed gives the
same report twice.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from maturity import Framework, Registry, Results, load_submissions, score_batch
from maturity.analysis.sensitivity import SensitivityOptions, _edges, analyse
from maturity.cli import main
from maturity.errors import UsageError
from maturity.framework.compiled import PillarNode
from maturity.framework.model import Level
from maturity.render.sensitivity import render_sensitivity, sensitivity_document
from maturity.scoring.kernel import BatchedTier, competition_ranks

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
BATCH = MINI / "submissions" / "batch.csv"
ROOT = Path(__file__).resolve().parent.parent
NATIONAL_EXAMPLE = ROOT / "examples" / "national" / "submissions.csv"


@pytest.fixture(scope="module")
def mini_results(mini: Framework, mini_registry: Registry) -> Results:
    return score_batch(mini, load_submissions([BATCH], mini, mini_registry), mini_registry)


@pytest.fixture(scope="module")
def national_results(national: Framework, national_registry: Registry) -> Results:
    batch = load_submissions([NATIONAL_EXAMPLE], national, national_registry)
    return score_batch(national, batch, national_registry)


def assert_nominal(results: Results, options: SensitivityOptions) -> None:
    report = analyse(results, options)
    by_id = {u.id: u for u in report.units}
    for result in results.tiers.values():
        for i, unit in enumerate(result.units):
            u = by_id[unit.id]
            rank = int(result.rank[i]) or None
            assert (u.nominal_rank, u.median_rank, u.rank_p5, u.rank_p95) == (
                rank,
                rank,
                rank,
                rank,
            ), unit.id
            level = int(result.level[i])
            expected = tuple(
                1.0 if lv == level else 0.0 for lv in range(1, len(u.level_probability) + 1)
            )
            assert u.level_probability == expected, unit.id
            if rank:
                assert u.score_p5 == pytest.approx(float(result.total[i]), abs=1e-9)
                assert u.mean_abs_rank_shift == 0
    for effect in report.sources:
        assert effect.mean_abs_rank_shift == 0 and effect.level_change_share == 0
        assert effect.mean_abs_score_shift == pytest.approx(0, abs=1e-9)


def test_zero_noise_is_the_nominal_result(mini_results: Results) -> None:
    assert_nominal(mini_results, SensitivityOptions(runs=7, weight_noise=0, band_noise=0))


def test_zero_noise_is_the_nominal_result_nationally(national_results: Results) -> None:
    assert_nominal(national_results, SensitivityOptions(runs=3, weight_noise=0, band_noise=0))


def test_zero_noise_under_exclude(mini: Framework, mini_registry: Registry) -> None:
    batch = load_submissions([BATCH], mini, mini_registry)
    results = score_batch(mini, batch, mini_registry, missing_policy="exclude")
    assert_nominal(results, SensitivityOptions(runs=4, weight_noise=0, band_noise=0))


def test_same_seed_same_report_other_seed_other_report(mini_results: Results) -> None:
    options = SensitivityOptions(runs=200, seed=11, missing_policy_flip=True)
    first = sensitivity_document(analyse(mini_results, options))
    assert sensitivity_document(analyse(mini_results, options)) == first
    # batches of any size draw the same numbers
    assert (
        sensitivity_document(analyse(mini_results, dataclasses.replace(options, batch_size=7)))
        == first
    )
    other = sensitivity_document(analyse(mini_results, dataclasses.replace(options, seed=12)))
    assert other["units"] != first["units"]


def _perturbed(
    fw: Framework, tier: str, wp: dict[str, float], wi: dict[str, float], mins: list[float]
) -> Framework:
    """The framework with the given weights for ``tier`` and band edges written in."""
    pillars = {
        pid: PillarNode(
            node.model.model_copy(update={"weights": {**node.model.weights, tier: wp[pid]}}),
            node.parent,
            node.depth,
            node.children,
        )
        for pid, node in fw.pillars.items()
    }
    indicators = tuple(
        ind.model_copy(update={"weight": wi.get(ind.id, ind.weight)}) for ind in fw.indicators
    )
    levels = [
        Level(level=lv.level, min=m, name=lv.name)
        for lv, m in zip(fw.manifest.levels, mins, strict=True)
    ]
    manifest = fw.manifest.model_copy(update={"levels": levels})
    return dataclasses.replace(fw, pillars=pillars, indicators=indicators, manifest=manifest)


@pytest.mark.parametrize("policy", ["zero", "exclude"])
def test_a_perturbed_run_equals_the_engine(
    mini: Framework, mini_registry: Registry, policy: str
) -> None:
    """Draw weights and bands, evaluate them with the matrix model, then score a framework
    with those weights and bands written in with the engine: the same totals and levels."""
    batch = load_submissions([BATCH], mini, mini_registry)
    nominal = score_batch(mini, batch, mini_registry, missing_policy=policy)
    rng = np.random.default_rng(5)
    for tier in ("province", "commune"):
        model = BatchedTier(mini, nominal.tiers[tier])
        for _ in range(4):
            wp = model.pillar_weights * rng.uniform(0.5, 1.5, model.m)
            wi = model.weights * rng.uniform(0.5, 1.5, model.k)
            edges = _edges(model.mins, rng.uniform(-0.1, 0.1, (1, model.mins.size)))
            total, level = model.evaluate(policy, wi[None, :], wp[None, :], edges)
            result = nominal.tiers[tier]
            fw2 = _perturbed(
                mini, tier,
                dict(zip(result.pillar_ids, wp.tolist(), strict=True)),
                {ind.id: float(w) for ind, w in zip(result.indicators, wi, strict=True)},
                edges[0].tolist(),
            )  # fmt: skip
            engine = score_batch(fw2, batch, mini_registry, missing_policy=policy).tiers[tier]
            np.testing.assert_allclose(
                np.nan_to_num(total[0], nan=-1), np.nan_to_num(engine.total, nan=-1), atol=1e-9
            )
            assert level[0].tolist() == engine.level.tolist()
            assert competition_ranks(total)[0].tolist() == engine.rank.tolist()


def test_level_probabilities_and_sources(mini_results: Results) -> None:
    report = analyse(
        mini_results, SensitivityOptions(runs=300, band_noise=0.05, missing_policy_flip=True)
    )
    for u in report.units:
        assert sum(u.level_probability) + u.not_scored == pytest.approx(1.0)
        assert u.rank_p5 is not None and u.rank_p95 is not None and u.median_rank is not None
        assert u.rank_p5 <= u.median_rank <= u.rank_p95
    effects = {(e.tier, e.source): e for e in report.sources}
    assert {s for _, s in effects} == {
        "all",
        "pillar_weights",
        "indicator_weights",
        "bands",
        "missing_policy",
    }
    # band edges never move a score or a rank, only levels
    bands = effects[("province", "bands")]
    assert (
        bands.mean_abs_rank_shift == 0
        and bands.mean_abs_score_shift == 0
        and bands.level_change_share > 0
    )
    # P1 (78.75) sits 1.25 points under the level-4 band: weights and bands move it there
    p1 = next(u for u in report.units if u.id == "P1")
    assert 0 < p1.level_probability[3] < 1
    text = render_sensitivity(report)
    assert "the assumption that moves results most is" in text
    assert "P1" in text and "L3" in text


def test_options_are_checked() -> None:
    with pytest.raises(UsageError, match="--weight-noise"):
        SensitivityOptions(weight_noise=1.0).validate()
    with pytest.raises(UsageError, match="--runs"):
        SensitivityOptions(runs=0).validate()
    with pytest.raises(UsageError, match="--band-noise"):
        SensitivityOptions(band_noise=-0.1).validate()
    assert SensitivityOptions(weight_noise=0, band_noise=0).sources() == ()


def test_edges_keep_the_first_at_zero_and_increase() -> None:
    mins = np.array([0.0, 0.4, 0.41, 0.8])
    edges = _edges(mins, np.array([[0.3, 0.02, -0.02, 0.5]]))
    assert edges[0] == pytest.approx([0.0, 0.39, 0.42, 1.0])  # 0.41 - 0.02 and 0.4 + 0.02 swapped


def test_cli_sensitivity() -> None:
    runner = CliRunner()
    args = ["sensitivity", "-f", str(MINI / "framework.yaml"), str(BATCH), "--runs", "50"]
    res = runner.invoke(main, [*args, "--format", "csv"])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.output)))
    assert [r["id"] for r in rows] == ["P1", "P2", "C11", "C12", "C21"]
    assert set(rows[0]) >= {"median_rank", "rank_p5", "rank_p95", "p_level_1", "p_level_4"}
    doc = json.loads(runner.invoke(main, [*args, "--format", "json", "--tier", "commune"]).output)
    assert {u["tier"] for u in doc["units"]} == {"commune"}
    assert doc["method"]["runs"] == 50
    md = runner.invoke(main, [*args, "--format", "markdown", "--lang", "vi"])
    assert md.output.startswith("# Độ nhạy của thứ hạng và mức")
    bad = runner.invoke(main, [*args, "--weight-noise", "1.5"])
    assert bad.exit_code == 2 and "--weight-noise" in bad.output
    tier = runner.invoke(main, [*args, "--tier", "district"])
    assert tier.exit_code == 2
