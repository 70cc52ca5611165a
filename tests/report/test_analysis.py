"""The batched analysis gives what ``explain_unit`` gives, unit by unit, and its gaps and
paths do what they promise when the unit is scored again."""

from __future__ import annotations

import random

import numpy as np
import pytest

from maturity.analysis.explain import explain_unit
from maturity.framework.bundled import default_submissions
from maturity.framework.compiled import Framework
from maturity.inputs.load import load_submissions
from maturity.inputs.submissions import Batch
from maturity.inputs.units import Registry
from maturity.render.site import ReportData, analyse
from maturity.scoring.engine import score_batch
from maturity.scoring.results import Results


def _compare(results: Results, batch: Batch, registry: Registry, units: list[str]) -> None:
    analysis = analyse(results, batch, registry)
    for unit_id in units:
        found = results.find(unit_id)
        assert found is not None
        result, row = found
        ta = analysis[result.tier]
        exp = explain_unit(results, unit_id, batch=batch, registry=registry)
        path = ta.paths[row]
        if exp.path_target is None:
            assert path is None, unit_id
        else:
            assert path is not None, unit_id
            assert (path.target, list(path.steps), path.reaches) == (
                exp.path_target,
                exp.path,
                exp.path_reaches,
            ), unit_id
        for j, ind in enumerate(exp.indicators):
            assert ind.id == result.indicators[j].id
            if ind.status == "scored" and ind.lost > 1e-9 and not ind.context:
                assert ta.natural.get((row, j)) == ind.natural, (unit_id, ind.id)
            expected = np.nan if ind.next_cutoff is None else ind.next_cutoff
            assert ta.next_cutoff[row, j] == pytest.approx(expected, nan_ok=True), ind.id
        assert [g.id for g in exp.performance_gaps()] == [
            result.indicators[j].id for j in ta.performance_gaps(row)
        ]
        assert [g.id for g in exp.data_gaps()] == [
            result.indicators[j].id for j in ta.data_gaps(row)
        ]
        for p, pillar in enumerate(exp.pillars):
            assert int(ta.pillar_rank[row, p]) == (pillar.rank or 0), (unit_id, pillar.id)
            if pillar.rank_in_parent is not None:
                assert int(ta.pillar_rank_in_parent[row, p]) == pillar.rank_in_parent


def test_every_unit_of_the_small_round_is_explained_as_explain_does(
    small_results: Results, small_batch: Batch, national_registry: Registry
) -> None:
    units = [u.id for r in small_results.tiers.values() for u in r.units]
    assert len(units) == 6
    _compare(small_results, small_batch, national_registry, units)


@pytest.mark.slow
def test_a_sample_of_the_national_round_is_explained_as_explain_does(
    national: Framework, national_registry: Registry
) -> None:
    batch = load_submissions([default_submissions()], national, national_registry)
    results = score_batch(national, batch, national_registry)
    rng = random.Random(13)
    units = [u.id for u in results.tiers["province"].units]
    units = rng.sample(units, 4) + rng.sample([u.id for u in results.tiers["commune"].units], 16)
    _compare(results, batch, national_registry, units)


def test_a_gap_in_the_lever_input_reaches_the_next_cutoff_when_scored_again(
    small_data: ReportData, national: Framework, national_registry: Registry, small_batch: Batch
) -> None:
    checked = 0
    for tier, ta in small_data.analysis.items():
        r = ta.result
        for (row, j), gap in sorted(ta.natural.items())[:12]:
            changes = {gap.input: gap.needed}
            if gap.transfer_from is not None:
                col = r.columns[gap.transfer_from]
                changes[gap.transfer_from] = float(col.values[row]) - gap.delta
            unit = r.units[row].id
            again = score_batch(
                national, small_batch, national_registry, overrides={unit: changes}
            ).tiers[tier]
            value = again.value[again.row(unit), j]
            cut = ta.next_cutoff[row, j]
            ind = r.indicators[j]
            reached = value >= cut - 1e-9 if ind.direction == "higher" else value <= cut + 1e-9
            assert reached, (unit, ind.id, gap, value, cut)
            checked += 1
    assert checked >= 12


def test_every_promised_path_reaches_its_level_when_applied(
    small_data: ReportData, national: Framework, national_registry: Registry, small_batch: Batch
) -> None:
    for tier, ta in small_data.analysis.items():
        overrides = {
            ta.result.units[i].id: {st.indicator: st.to_value for st in path.steps}
            for i, path in enumerate(ta.paths)
            if path is not None and path.reaches is not None
        }
        assert overrides
        again = score_batch(national, small_batch, national_registry, overrides=overrides)
        for unit_id in overrides:
            row = again.tiers[tier].row(unit_id)
            path = ta.paths[ta.result.row(unit_id)]
            assert path is not None
            assert int(again.tiers[tier].level[row]) >= path.target, unit_id


def test_medians_are_the_medians_of_the_pillar_shares(small_data: ReportData) -> None:
    ta = small_data.analysis["commune"]
    share = ta.pillar_share
    assert np.allclose(small_data.tier_medians["commune"], np.nanmedian(share, axis=0))
    assert np.allclose(small_data.group_medians["commune"]["86"], np.nanmedian(share, axis=0))
    assert set(small_data.group_medians["province"]) == set()  # provinces have no parent
