"""Machine outputs carry numbers as computed (the shortest form that reads back to the same
float); presentation rounding belongs to the human formats."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

from click.testing import CliRunner

from maturity.cli import main

ROOT = Path(__file__).resolve().parent.parent
HDI = ROOT / "examples" / "hdi" / "framework.yaml"
UNITS = ROOT / "tests" / "fixtures" / "hdi" / "units.csv"


def score(tmp: Path, fmt: str) -> str:
    data = tmp / "data.csv"
    data.write_text("unit,le,eys,mys,gnipc\naaa,88.56872427983538,13.5,9,12000\n", "utf-8")
    args = ["score", "-f", str(HDI), "--units", str(UNITS), str(data), "--format", fmt]
    out = CliRunner().invoke(main, args)
    assert out.exit_code == 0, out.output
    return out.stdout


def test_json_keeps_a_submitted_value_and_the_score_whole(tmp_path: Path) -> None:
    unit = json.loads(score(tmp_path, "json"))["units"][0]
    values = {ind["id"]: ind["value"] for ind in unit["indicators"]}
    assert values["HEALTH-1"] == 88.56872427983538  # not 88.568724
    # health capped at 1, education 0.675, income ln 120 / ln 750: 0.78737751081020(37)
    hand = (0.675 * math.log(120) / math.log(750)) ** (1 / 3)
    assert abs(unit["score"] - hand) <= 1e-15
    assert f"{unit['score']:.14f}" == "0.78737751081020"  # not rounded to 0.787378


def test_machine_csv_keeps_full_precision_and_the_table_rounds(tmp_path: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(score(tmp_path, "csv"))))
    exact = json.loads(score(tmp_path, "json"))["units"][0]["score"]
    assert rows[0]["score"] == repr(exact) and len(rows[0]["score"]) > 10
    table = score(tmp_path, "table")
    assert "0.7874 " in table and repr(exact) not in table
