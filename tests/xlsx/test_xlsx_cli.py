"""A workbook is accepted wherever a submission is: ``score``, ``explain``, ``whatif`` and the
rule tests of ``maturity test``; bad workbooks never end in a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result
from xlsx_testing import fill, phu_quoi_values, save, template

from maturity import Framework, Registry
from maturity.cli import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def phu_quoi(national: Framework, national_registry: Registry, tmp_path: Path) -> Path:
    wb = template(national, "commune", unit=national_registry.get("29611"), period="2025-Q3")
    fill(wb, national, phu_quoi_values())
    return save(wb, tmp_path / "phu-quoi.xlsx")


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def test_score_explain_and_whatif_read_a_workbook(phu_quoi: Path, tmp_path: Path) -> None:
    scored = run("score", phu_quoi, "--format", "json")
    assert scored.exit_code == 0, scored.output
    assert json.loads(scored.stdout)["units"][0]["level"] == 4
    explained = run("explain", phu_quoi, "--unit", "29611", "--format", "json")
    assert explained.exit_code == 0, explained.output
    assert json.loads(explained.stdout)["score"] == json.loads(scored.stdout)["units"][0]["score"]
    changed = run("whatif", phu_quoi, "--unit", "29611", "--set", "tslcd_bandwidth_mbps=20")
    assert changed.exit_code == 0, changed.output
    out = tmp_path / "explain.xlsx"
    written = run("explain", phu_quoi, "--unit", "29611", "--format", "xlsx", "-o", out)
    assert written.exit_code == 0, written.output
    assert openpyxl.load_workbook(out).sheetnames[0] == "Overview"


def test_a_rule_test_can_name_a_workbook(phu_quoi: Path, tmp_path: Path) -> None:
    framework = (ROOT / "frameworks" / "vn-2tier.yaml").as_posix()
    case = tmp_path / "phu-quoi-test.yaml"
    case.write_text(
        f"framework: {framework}\n"
        "tests:\n"
        "  - name: Phú Quới from its workbook reaches level 4\n"
        "    submission: phu-quoi.xlsx\n"
        "    unit: '29611'\n"
        "    expect: {level: 4, coverage: 1}\n",
        encoding="utf-8",
    )
    result = run("test", case)
    assert result.exit_code == 0, result.output
    assert "PASS" in result.output


def test_strict_fails_on_a_workbook_error_and_never_a_traceback(
    national: Framework, tmp_path: Path
) -> None:
    wb = template(national, "commune")
    fill(wb, national, {**phu_quoi_values(), "households_total": -1}, unit="29611")
    path = save(wb, tmp_path / "bad.xlsx")
    (tmp_path / "junk.xlsx").write_bytes(b"\x00" * 100)
    result = run("score", path, tmp_path / "junk.xlsx", "--strict", "--lang", "vi")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "Inputs!F" in result.output  # the cell of the rejected value
    assert "không đọc được bảng tính Excel" in result.output
