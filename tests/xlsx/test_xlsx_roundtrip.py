"""A template filled in as a person would reads back exactly like the same values in YAML,
in both languages, after a LibreOffice re-save too; tables of many units read like CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from xlsx_testing import (
    PHU_QUOI,
    ROOT,
    VALUE,
    codes,
    convert_with_libreoffice,
    fill,
    inputs_sheet,
    phu_quoi_values,
    resaved_by_libreoffice,
    rows,
    save,
    score,
    soffice,
    template,
    unit,
)

from maturity import Framework, Registry

NATIONAL_CSV = ROOT / "examples" / "national" / "submissions.csv"


def same_scores(a: dict[str, Any], b: dict[str, Any]) -> None:
    """Every number of every unit equal: score, level, pillars, each indicator."""
    assert [u["id"] for u in a["units"]] == [u["id"] for u in b["units"]]
    for ua, ub in zip(a["units"], b["units"], strict=True):
        keys = ("score", "level", "score_level", "capped_by", "coverage", "rank", "period")
        assert {k: ua[k] for k in keys} == {k: ub[k] for k in keys}, ua["id"]
        assert ua["pillars"] == ub["pillars"], ua["id"]
        assert ua["indicators"] == ub["indicators"], ua["id"]


@pytest.fixture(scope="module")
def phu_quoi_yaml(national: Framework, national_registry: Registry) -> dict[str, Any]:
    return score([PHU_QUOI], national, national_registry)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_filled_template_scores_like_its_yaml_twin(
    national: Framework,
    national_registry: Registry,
    phu_quoi_yaml: dict[str, Any],
    tmp_path: Path,
    lang: str,
) -> None:
    wb = template(
        national, "commune", unit=national_registry.get("29611"), period="2025-Q3", lang=lang
    )
    fill(wb, national, phu_quoi_values(), lang=lang)
    doc = score([save(wb, tmp_path / "phu-quoi.xlsx")], national, national_registry)
    same_scores(doc, phu_quoi_yaml)
    assert unit(doc, "29611")["level"] == 4
    assert codes(doc) == codes(phu_quoi_yaml) == ["unit.parent_absent"]
    assert doc["inputs"][0]["sha256"].startswith("sha256:")


def test_a_template_filled_without_unit_takes_the_typed_unit_and_period(
    national: Framework, national_registry: Registry, phu_quoi_yaml: dict[str, Any], tmp_path: Path
) -> None:
    wb = template(national, "commune")
    fill(wb, national, phu_quoi_values(), unit="29611", period="2025-Q3")
    doc = score([save(wb, tmp_path / "blank.xlsx")], national, national_registry)
    same_scores(doc, phu_quoi_yaml)


def test_typed_numbers_and_texts_read_by_the_engine_rules(
    national: Framework,
    national_registry: Registry,
    phu_quoi_yaml: dict[str, Any],
    tmp_path: Path,
) -> None:
    """A typed cell is a number whatever Excel displays; a text cell goes to the engine as
    the text typed, and what the engine says of it names the cell."""
    values = phu_quoi_values()
    assert values["households_total"] == 11230
    unit = national_registry.get("29611")
    wb = template(national, "commune", unit=unit, period="2025-Q3", lang="vi")
    fill(wb, national, values, lang="vi")
    typed = score([save(wb, tmp_path / "typed.xlsx")], national, national_registry)
    same_scores(typed, phu_quoi_yaml)  # typed 11230: no question asked
    row = rows(wb)["households_total"]
    inputs_sheet(wb).cell(row, VALUE).value = "11.230"  # text, with a Vietnamese thousands dot
    text = score([save(wb, tmp_path / "text.xlsx")], national, national_registry)
    about = [d for d in text["diagnostics"] if "11.230" in d["message"]]
    assert about and all(d["column"] == f"Nhập liệu!F{row}" for d in about), about


def test_libreoffice_resave_simulated_still_reads(
    national: Framework, national_registry: Registry, phu_quoi_yaml: dict[str, Any], tmp_path: Path
) -> None:
    wb = template(national, "commune", unit=national_registry.get("29611"), period="2025-Q3")
    fill(wb, national, phu_quoi_values())
    path = resaved_by_libreoffice(save(wb, tmp_path / "lo.xlsx"))
    doc = score([path], national, national_registry)
    same_scores(doc, phu_quoi_yaml)
    resaved = [d for d in doc["diagnostics"] if d["code"] == "xlsx.resaved"]
    assert len(resaved) == 1 and resaved[0]["severity"] == "info"
    assert "LibreOffice/7.4.7.2" in resaved[0]["message"]
    assert "_maturity" in resaved[0]["message"]  # the hidden sheet shown


@pytest.mark.skipif(soffice() is None, reason="LibreOffice is not installed")
def test_libreoffice_resave_for_real(
    national: Framework, national_registry: Registry, phu_quoi_yaml: dict[str, Any], tmp_path: Path
) -> None:
    wb = template(national, "commune", unit=national_registry.get("29611"), period="2025-Q3")
    fill(wb, national, phu_quoi_values(), lang="en")
    source = save(wb, tmp_path / "filled.xlsx")
    out = tmp_path / "out"
    out.mkdir()
    doc = score([convert_with_libreoffice(source, out)], national, national_registry)
    same_scores(doc, phu_quoi_yaml)
    assert "xlsx.resaved" in codes(doc, "info")  # LibreOffice drops the workbook lock


# --------------------------------------------------------------------------- plain tables


def _csv_as_workbook(text: str, path: Path) -> Path:
    """A CSV table as Excel would hold it after typing: plain numbers typed, the rest text."""
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Data")
    for i, row in enumerate(csv.reader(io.StringIO(text))):
        cells: list[Any] = []
        for j, cell in enumerate(row):
            if i == 0 or j < 2 or not cell:  # header, unit and period stay text
                cells.append(cell or None)
                continue
            try:
                number = float(cell)
            except ValueError:
                cells.append(cell)
            else:
                cells.append(int(number) if number.is_integer() and "." not in cell else number)
        ws.append(cells)
    wb.save(path)
    return path


def test_a_wide_table_reads_like_its_csv(
    national: Framework, national_registry: Registry, tmp_path: Path
) -> None:
    lines = NATIONAL_CSV.read_text(encoding="utf-8").splitlines()
    text = "\n".join(lines[:240]) + "\n"  # 34 provinces and 205 communes: every shape of row
    as_csv = tmp_path / "part.csv"
    as_csv.write_text(text, encoding="utf-8")
    from_csv = score([as_csv], national, national_registry)
    from_xlsx = score([_csv_as_workbook(text, tmp_path / "part.xlsx")], national, national_registry)
    same_scores(from_xlsx, from_csv)
    assert sorted(codes(from_xlsx)) == sorted(codes(from_csv))
    columns = {d["column"] for d in from_xlsx["diagnostics"] if d["code"] == "value.rejected"}
    assert columns and all(c.startswith("Data!") for c in columns)


def test_a_long_table_reads_like_a_wide_one(
    mini: Framework, mini_registry: Registry, tmp_path: Path
) -> None:
    wide = openpyxl.Workbook()
    ws = wide.active
    assert ws is not None
    ws.append(["unit", "period", "dossiers_received", "dossiers_online", "overdue", "has_fibre"])
    ws.append(["C11", "2025", 120, 60, 3, True])
    ws.append(["C12", "2025", 80, 20, 9, False])
    long = openpyxl.Workbook()
    ls = long.active
    assert ls is not None
    ls.append(["unit", "period", "input", "value"])
    for row in ws.iter_rows(min_row=2, values_only=True):
        for name, value in zip(
            ["dossiers_received", "dossiers_online", "overdue", "has_fibre"], row[2:], strict=True
        ):
            ls.append([row[0], row[1], name, value])
    a = score([save(wide, tmp_path / "wide.xlsx")], mini, mini_registry)
    b = score([save(long, tmp_path / "long.xlsx")], mini, mini_registry)
    same_scores(a, b)
    assert unit(a, "C11")["score"] is not None


def test_a_folder_of_workbooks_is_one_batch(
    mini: Framework, mini_registry: Registry, tmp_path: Path
) -> None:
    values = {"dossiers_received": 100, "dossiers_online": 50, "overdue": 1, "has_fibre": True}
    for unit_id in ("C11", "C12"):
        wb = template(mini, "commune")
        fill(wb, mini, {**values, "network_level": 2}, unit=unit_id, period="2025")
        save(wb, tmp_path / f"{unit_id}.xlsx")
    (tmp_path / "~$C11.xlsx").write_bytes(b"owner")  # Excel's lock file of an open workbook
    doc = score([tmp_path], mini, mini_registry)
    assert [u["id"] for u in doc["units"] if u["tier"] == "commune"] == ["C11", "C12"]
    assert unit(doc, "C11")["indicators"] == unit(doc, "C12")["indicators"]
    assert codes(doc, "error") == []
    assert "xlsx.owner_file" in codes(doc, "info")


def test_not_applicable_evidence_and_notes_are_read(
    national: Framework, national_registry: Registry, tmp_path: Path
) -> None:
    from maturity import load_submissions

    wb = template(national, "commune", unit=national_registry.get("29611"), period="2025-Q3")
    fill(wb, national, phu_quoi_values())
    ws = wb["Not applicable, evidence"]
    where = {ws.cell(r, 1).value: r for r in range(4, ws.max_row + 1)}
    ws.cell(where["ECO-07"], 4).value = "No industrial cluster in the commune"
    ws.cell(where["DAT-02"], 6).value = "Report 12/BC-UBND, 2025-08-01"
    inputs = wb["Inputs"]
    inputs.cell(
        next(r for r in range(9, inputs.max_row + 1) if inputs.cell(r, 1).value == "population"), 7
    ).value = "Census 2024"
    path = save(wb, tmp_path / "na.xlsx")
    batch = load_submissions([path], national, national_registry)
    sub = batch.submissions[0]
    assert sub.not_applicable == {"ECO-07": "No industrial cluster in the commune"}
    assert sub.evidence == {"DAT-02": "Report 12/BC-UBND, 2025-08-01"}
    assert [d.code for d in batch.diagnostics] == []
    doc = score([path], national, national_registry)
    eco = next(i for i in unit(doc, "29611")["indicators"] if i["id"] == "ECO-07")
    assert eco["status"] == "not_applicable"


def test_a_not_applicable_reason_where_it_is_not_allowed_names_its_cell(
    national: Framework, national_registry: Registry, tmp_path: Path
) -> None:
    wb = template(national, "commune", unit=national_registry.get("29611"), period="2025-Q3")
    fill(wb, national, phu_quoi_values())
    ws = wb["Not applicable, evidence"]
    row = next(r for r in range(4, ws.max_row + 1) if ws.cell(r, 1).value == "DAT-02")
    ws.cell(row, 4).value = "typed after the sheet was unlocked"
    doc = score([save(wb, tmp_path / "na.xlsx")], national, national_registry)
    d = next(d for d in doc["diagnostics"] if d["code"] == "na.not_allowed")
    assert d["column"] == f"Not applicable, evidence!D{row}"
