"""Sub-indices (issue 17 item 4): declared in the DTI 2022 framework, validated, computed."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from maturity import load_framework, load_registry, load_submissions, score_batch
from maturity.errors import InputError
from maturity.render.results import render_csv

ROOT = Path(__file__).resolve().parents[1]
DTI = ROOT / "frameworks" / "dti-2022.yaml"


def _rows() -> dict[str, dict[str, str]]:
    fw = load_framework(DTI)
    registry = load_registry(ROOT / "frameworks" / "units" / "vn-provinces-2022.csv")
    batch = load_submissions([ROOT / "examples" / "dti-2022" / "submissions.csv"], fw, registry)
    results = score_batch(fw, batch, registry)
    return {r["id"]: r for r in csv.DictReader(io.StringIO(render_csv(results)))}


def test_dti_sub_index_by_hand() -> None:
    row = _rows()["48"]  # Đà Nẵng, published 2022 values
    # digital government = (100·(1 + 0.9 + 0.8253 + 0.8487 + 0.7578) + 200·0.8575) / 700
    #                    = (433.18 + 171.5) / 700 = 0.8638285714...
    assert float(row["index:digital_government"]) == pytest.approx(604.68 / 700)
    # digital society = (433.18 + 150·0.5197) / 650 = 511.135 / 650
    assert float(row["index:digital_society"]) == pytest.approx(511.135 / 650)
    assert row["rank:digital_government"] == "1"


def test_unknown_part_and_zero_weights_are_located(tmp_path: Path) -> None:
    text = DTI.read_text(encoding="utf-8").replace("GOV: 200}", "GOVX: 200}")
    text = text.replace("ECO: 150}", "ECO: 0}").replace(
        "AWR: 100, INS: 100, INF: 100, HRS: 100, SEC: 100, ECO: 0}", "AWR: 0, ECO: 0}"
    )
    text = text.replace("id: digital_society", "id: digital_economy")
    broken = DTI.parent / "broken-subidx.yaml"
    broken.write_text(text, encoding="utf-8")
    try:
        with pytest.raises(InputError) as err:
            load_framework(broken)
    finally:
        broken.unlink()
    shown = " ".join(p.text("en") for p in err.value.problems)
    assert "unknown pillar or indicator 'GOVX'" in shown
    assert "add up to 0" in shown
    assert "digital_economy" in shown and "indices[1]" in shown
    assert all(p.text("vi") != p.text("en") for p in err.value.problems)
