"""A small round for the report tests, scored and analysed once per session: Vĩnh Long and
five of its communes (tests/fixtures/report), with the Q2 round as baseline."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from maturity.framework.compiled import Framework
from maturity.inputs.load import load_submissions
from maturity.inputs.submissions import Batch
from maturity.inputs.units import Registry
from maturity.render.results import results_document
from maturity.render.site import ReportData, baseline_from_document, build_report_data
from maturity.scoring.engine import score_batch
from maturity.scoring.results import Results

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "report"
CURRENT = FIXTURES / "vinh-long-2025-Q3.csv"
BASELINE = FIXTURES / "vinh-long-2025-Q2.csv"


@pytest.fixture(scope="session")
def small_batch(national: Framework, national_registry: Registry) -> Batch:
    return load_submissions([CURRENT], national, national_registry)


@pytest.fixture(scope="session")
def small_results(national: Framework, national_registry: Registry, small_batch: Batch) -> Results:
    return score_batch(national, small_batch, national_registry)


@pytest.fixture(scope="session")
def small_data(
    national: Framework, national_registry: Registry, small_batch: Batch, small_results: Results
) -> ReportData:
    earlier = score_batch(
        national, load_submissions([BASELINE], national, national_registry), national_registry
    )
    baseline = baseline_from_document(results_document(earlier), "baseline.json")
    return build_report_data(
        small_results, batch=small_batch, registry=national_registry, baseline=baseline
    )


@pytest.fixture(scope="session")
def small_data_no_baseline(
    national_registry: Registry, small_batch: Batch, small_results: Results
) -> ReportData:
    return build_report_data(small_results, batch=small_batch, registry=national_registry)


@pytest.fixture(autouse=True)
def _no_chromium_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("MATURITY_CHROMIUM", raising=False)
    yield
