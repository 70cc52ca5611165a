"""Submissions read from a CSV table are scored a whole column at a time from the table
(``Submission.source``); every other submission value by value. The two paths must give
byte-identical results, and a submission's values cannot change behind the table's back."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from maturity import Framework, Registry, load_submissions, score_batch
from maturity.framework.bundled import default_submissions
from maturity.inputs.submissions import Batch
from maturity.render.results import render_json

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def without_tables(batch: Batch) -> Batch:
    """The same submissions, each a replaced copy: no table row, read value by value."""
    subs = [dataclasses.replace(s, values=dict(s.values)) for s in batch.submissions]
    assert all(s.source is None for s in subs)
    return Batch(subs, list(batch.diagnostics), dict(batch.files))


def test_the_national_batch_scores_the_same_by_column_and_by_value(
    national: Framework, national_registry: Registry
) -> None:
    batch = load_submissions([default_submissions()], national, national_registry)
    assert all(s.source is not None for s in batch.submissions)  # the fast path is taken
    by_column = render_json(score_batch(national, batch, national_registry))
    by_value = render_json(score_batch(national, without_tables(batch), national_registry))
    assert by_column == by_value


@pytest.mark.parametrize("name", sorted(p.name for p in (FIXTURES / "csv").glob("*.csv")))
def test_spreadsheet_tables_score_the_same_by_column_and_by_value(
    mini_registry: Registry, name: str
) -> None:
    """Comma decimals, percent signs and grouped thousands go through the careful per-cell
    path and are patched into the table: both paths must still agree."""
    from maturity import load_framework

    fw = load_framework(FIXTURES / "csv" / "framework.yaml")
    batch = load_submissions([FIXTURES / "csv" / name], fw, mini_registry)
    assert len(batch.submissions) == 5
    result = score_batch(fw, batch, mini_registry)
    assert result.scored_count() == 5
    by_value = render_json(score_batch(fw, without_tables(batch), mini_registry))
    assert render_json(result) == by_value


@pytest.mark.parametrize("name", ["ambiguous.csv", "text-in-number.csv", "thousands-dot.csv"])
def test_rejected_cells_score_the_same_by_column_and_by_value(
    mini: Framework, mini_registry: Registry, name: str
) -> None:
    batch = load_submissions([FIXTURES / "submissions" / name], mini, mini_registry)
    assert any(s.invalid for s in batch.submissions)
    by_column = render_json(score_batch(mini, batch, mini_registry))
    assert by_column == render_json(score_batch(mini, without_tables(batch), mini_registry))


def test_mixed_batches_and_other_frameworks_fall_back_to_values(
    mini: Framework, mini_registry: Registry, mini_copy: Path
) -> None:
    from maturity import load_framework

    csv_batch = load_submissions(
        [FIXTURES / "mini" / "submissions" / "batch.csv"], mini, mini_registry
    )
    # a framework object other than the one the table was read for: the table is not used
    other = load_framework(mini_copy / "framework.yaml")
    a = render_json(score_batch(other, csv_batch, mini_registry))
    b = render_json(score_batch(other, without_tables(csv_batch), mini_registry))
    assert a == b


def test_submitted_values_are_read_only(mini: Framework, mini_registry: Registry) -> None:
    batch = load_submissions([FIXTURES / "mini" / "submissions" / "batch.csv"], mini, mini_registry)
    sub = batch.submissions[0]
    with pytest.raises(TypeError):
        # the write mypy rightly rejects (a read-only mapping) is what this test makes
        sub.values["dossiers_online"] = 1.0  # type: ignore[index]
    changed = dataclasses.replace(sub, values={**sub.values, "dossiers_online": 1.0})
    assert changed.source is None and sub.source is not None
    # a replaced submission is scored from its own values, not from the table
    batch.submissions[0] = changed
    by_column = render_json(score_batch(mini, batch, mini_registry))
    assert by_column == render_json(score_batch(mini, without_tables(batch), mini_registry))


def test_per_unit_files_score_the_same_as_plain_dicts(
    national: Framework, national_registry: Registry
) -> None:
    root = FIXTURES.parent.parent / "examples"
    batch = load_submissions(
        [root / "vinh-long.yaml", root / "phu-quoi.yaml"], national, national_registry
    )
    assert all(s.source is None for s in batch.submissions)  # not from a table
    by_mapping = render_json(score_batch(national, batch, national_registry))
    assert by_mapping == render_json(
        score_batch(national, without_tables(batch), national_registry)
    )


def test_an_empty_batch_scores_nothing(mini: Framework, mini_registry: Registry) -> None:
    results = score_batch(mini, Batch(), mini_registry)
    assert results.scored_count() == 0
