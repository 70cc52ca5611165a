"""``maturity template --format xlsx``: what a commune opens — its language, its unit, a row
per input with drop-downs and ranges, a locked structure, the metadata that ties it to its
framework."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from xlsx_testing import NOTE, VALUE, rows

from maturity import Framework, Registry
from maturity.cli import main
from maturity.framework.needs import template_inputs
from maturity.i18n import pick, set_language
from maturity.inputs.xlsx._layout import META_SHEET, TEMPLATE_VERSION
from maturity.render.xlsx.template import template_workbook

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def phu_quoi_vi(tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    """The workbook of the issue's first command, as a commune receives it."""
    path = tmp_path_factory.mktemp("tpl") / "phu-quoi.xlsx"
    code, out = run(
        "template", "--format", "xlsx", "--tier", "commune", "--unit", "29611", "--lang", "vi",
        "-o", str(path),
    )  # fmt: skip
    assert code == 0, out
    return openpyxl.load_workbook(path)


def meta(wb: openpyxl.Workbook) -> dict[str, str]:
    ws = wb[META_SHEET]
    return {
        str(ws.cell(r, 1).value): str(ws.cell(r, 2).value or "") for r in range(2, ws.max_row + 1)
    }


def test_sheets_labels_and_unit_in_vietnamese(
    phu_quoi_vi: openpyxl.Workbook, national: Framework
) -> None:
    wb = phu_quoi_vi
    assert wb.sheetnames == ["Hướng dẫn", "Nhập liệu", "Không áp dụng, minh chứng", META_SHEET]
    ws = wb["Nhập liệu"]
    assert (ws["A3"].value, ws["B3"].value, ws["B4"].value) == ("Mã đơn vị", "29611", "Xã Phú Quới")
    assert ws["B3"].number_format == "@"  # a code stays text: Excel keeps its leading zeros
    where = rows(wb)
    items = template_inputs(national, "commune")
    assert list(where) == [item.input.id for item in items]  # every input once, in order
    for item in items:
        r = where[item.input.id]
        assert ws.cell(r, 2).value == item.input.label.vi
        assert ws.cell(r, VALUE).value is None
    assert ws.cell(8, VALUE).value == "Giá trị"


def test_only_the_cells_to_fill_in_are_unlocked(phu_quoi_vi: openpyxl.Workbook) -> None:
    wb = phu_quoi_vi
    assert wb.security is not None and wb.security.lockStructure
    assert wb[META_SHEET].sheet_state == "hidden"
    for ws in wb.worksheets:
        assert ws.protection.sheet and not ws.protection.password, ws.title
    ws = wb["Nhập liệu"]
    for r in rows(wb).values():
        assert not ws.cell(r, VALUE).protection.locked
        assert not ws.cell(r, NOTE).protection.locked
        assert all(ws.cell(r, c).protection.locked for c in range(1, VALUE))
    assert not ws["B3"].protection.locked and not ws["B5"].protection.locked
    na = wb["Không áp dụng, minh chứng"]
    codes = {na.cell(r, 1).value: r for r in range(4, na.max_row + 1)}
    assert not na.cell(codes["ECO-07"], 4).protection.locked  # may be declared not applicable
    assert not na.cell(codes["DAT-02"], 6).protection.locked  # asks for evidence
    assert na.cell(codes["DAT-02"], 4).protection.locked  # but may not be not applicable


def test_value_cells_carry_validation_in_the_chosen_language(
    phu_quoi_vi: openpyxl.Workbook, national: Framework
) -> None:
    wb = phu_quoi_vi
    ws = wb["Nhập liệu"]
    rules = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    lists = wb[META_SHEET]
    for item in template_inputs(national, "commune"):
        inp = item.input
        dv = rules[f"F{rows(wb)[inp.id]}"]
        assert dv.showInputMessage and dv.showErrorMessage and inp.label.vi[:40] in dv.prompt
        if inp.type == "boolean":
            assert (dv.type, dv.formula1) == ("list", '"Có,Không"')
        elif inp.type == "ordinal":
            assert dv.type == "list"
            column = dv.formula1.split("!")[1].split(":")[0].strip("$")[0]
            answers = [lists[f"{column}{r}"].value for r in range(2, 2 + len(inp.choices or {}))]
            assert answers == [f"{k} — {v.vi}" for k, v in sorted((inp.choices or {}).items())]
        else:
            assert dv.type == ("whole" if inp.type == "integer" else "decimal")
            if inp.min is not None:
                assert float(dv.formula1) == inp.min
            if inp.max is not None:
                assert float(dv.formula2) == inp.max


def test_metadata_ties_the_workbook_to_its_framework(
    phu_quoi_vi: openpyxl.Workbook, national: Framework
) -> None:
    m = meta(phu_quoi_vi)
    assert (m["framework_id"], m["framework_version"], m["framework_digest"]) == (
        national.id, national.version, national.digest,
    )  # fmt: skip
    assert (m["tier"], m["language"], m["unit"]) == ("commune", "vi", "29611")
    assert m["template_version"] == str(TEMPLATE_VERSION)


def test_instructions_say_how_it_is_scored(
    phu_quoi_vi: openpyxl.Workbook, national: Framework
) -> None:
    text = "\n".join(
        str(c.value) for row in phu_quoi_vi["Hướng dẫn"].iter_rows() for c in row if c.value
    )
    assert "Hạn nộp" in text and "Người liên hệ" in text
    for band in national.manifest.levels:
        assert pick(band.name, "vi") in text
    assert "1.000 điểm" in text  # Vietnamese number convention in texts
    assert "29611 — Xã Phú Quới" in text


def test_english_template_and_the_same_bytes_twice(
    national: Framework, national_registry: Registry
) -> None:
    set_language("en")
    unit = national_registry.get("01")
    first = template_workbook(national, "province", unit=unit, period="2025-Q3")
    assert first == template_workbook(national, "province", unit=unit, period="2025-Q3")
    wb = openpyxl.load_workbook(io.BytesIO(first))
    assert wb.sheetnames[:2] == ["Instructions", "Inputs"]
    assert (wb["Inputs"]["B4"].value, wb["Inputs"]["B5"].value) == (
        unit.name if unit else "",
        "2025-Q3",
    )
    booleans = [dv for dv in wb["Inputs"].data_validations.dataValidation if dv.type == "list"]
    assert any(dv.formula1 == '"Yes,No"' for dv in booleans)


# --------------------------------------------------------------------------- command line


def test_one_workbook_per_commune_of_a_province(tmp_path: Path) -> None:
    mini = ROOT / "tests" / "fixtures" / "mini" / "framework.yaml"
    out = tmp_path / "p1"
    code, text = run(
        "template", "-f", str(mini), "--format", "xlsx", "--tier", "commune",
        "--all-units-of", "P1", "--period", "2025", "-o", str(out),
    )  # fmt: skip
    assert code == 0, text
    names = sorted(p.name for p in out.iterdir())
    assert names == ["C11-xa-mot-mot.xlsx", "C12-phuong-mot-hai.xlsx"]
    wb = openpyxl.load_workbook(out / names[1])
    assert (wb["Inputs"]["B3"].value, wb["Inputs"]["B5"].value) == ("C12", "2025")
    code, text = run(  # again into the same folder: rewritten, not refused
        "template", "-f", str(mini), "--format", "xlsx", "--tier", "commune",
        "--all-units-of", "P1", "-o", str(out),
    )  # fmt: skip
    assert code == 0, text


XLSX = ["--format", "xlsx", "--tier", "commune"]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (XLSX, "-o/--output"),
        ([*XLSX, "--unit", "01", "-o", "x.xlsx"], "'province'"),
        ([*XLSX, "--unit", "2961", "-o", "x.xlsx"], "Did you mean"),
        ([*XLSX, "--all-units-of", "29611", "-o", "d"], "no units"),
        (["--tier", "commune", "--unit", "29611"], "--format xlsx"),
        ([*XLSX, "--unit", "29611", "--all-units-of", "86", "-o", "d"], "exclude"),
    ],
)
def test_wrong_usage_exits_2_with_one_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], needle: str
) -> None:
    monkeypatch.chdir(tmp_path)
    code, text = run("template", *args)
    assert code == 2 and needle in text and "Traceback" not in text, text
    assert not (tmp_path / "x.xlsx").exists()
