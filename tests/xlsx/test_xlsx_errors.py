"""One broken workbook per class of problem: each gives its message, naming the cell, in
both languages, and the rest of the batch is still read.

Each case starts from the mini framework's commune template, filled in with valid values,
and breaks it in one way, as a person or another program would."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from xlsx_testing import (
    NOTE,
    VALUE,
    codes,
    fill,
    inputs_sheet,
    patch,
    rows,
    save,
    score,
    template,
    unit,
)

from maturity import Framework, Registry
from maturity.i18n.catalogue import MESSAGES
from maturity.inputs.xlsx._layout import META_SHEET

GOOD = {
    "has_fibre": True,
    "network_level": 2,
    "dossiers_received": 120,
    "dossiers_online": 60,
    "overdue": 3,
}
INPUTS = "Inputs"  # the input sheet of an English template


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files are shown relative to the working folder, as a person runs the command."""
    monkeypatch.chdir(tmp_path)


def filled(mini: Framework, tmp_path: Path, name: str = "c11.xlsx", **values: Any) -> Path:
    wb = template(mini, "commune", unit=None)
    fill(wb, mini, {**GOOD, **values}, unit="C11", period="2025")
    return save(wb, tmp_path / name)


def edit(path: Path, change: Callable[[openpyxl.Workbook], None]) -> Path:
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)
    return path


def meta_cell(path: Path, key: str) -> str:
    wb = openpyxl.load_workbook(path)
    ws = wb[META_SHEET]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == key)
    return f"B{row}"


def set_meta(path: Path, key: str, value: str) -> Path:
    ref = meta_cell(path, key)
    return edit(path, lambda wb: wb[META_SHEET].__setitem__(ref, value))


def row_of(path: Path, name: str) -> int:
    return rows(openpyxl.load_workbook(path))[name]


def both_languages(code: str) -> None:
    en, vi = MESSAGES[code]
    assert en and vi and en != vi


# --------------------------------------------------------------------------- values


def test_a_value_out_of_range_names_its_cell(
    mini: Framework, mini_registry: Registry, tmp_path: Path
) -> None:
    path = filled(mini, tmp_path, dossiers_online=-5)
    doc = score([path], mini, mini_registry)
    d = next(d for d in doc["diagnostics"] if d["code"] == "value.rejected")
    assert d["column"] == f"{INPUTS}!F{row_of(path, 'dossiers_online')}"
    assert (d["unit"], d["file"]) == ("C11", "c11.xlsx")
    assert "'dossiers_online'" in d["message"] and "-5" in d["message"]


def test_a_formula_without_a_saved_result_is_missing_and_said(
    mini: Framework, mini_registry: Registry, tmp_path: Path
) -> None:
    path = filled(mini, tmp_path)
    r = row_of(path, "dossiers_online")
    edit(path, lambda wb: inputs_sheet(wb).cell(r, VALUE, f"=F{r - 1}/2"))
    doc = score([path], mini, mini_registry)
    d = next(d for d in doc["diagnostics"] if d["code"] == "xlsx.formula_uncached")
    assert (d["severity"], d["column"]) == ("error", f"{INPUTS}!F{r}")
    assert f"=F{r - 1}/2" in d["message"]
    svc = next(i for i in unit(doc, "C11")["indicators"] if i["id"] == "SVC-01")
    assert svc["status"] == "missing"  # never a silent 0, never the formula text


def test_a_formula_with_a_saved_result_uses_it_and_says_so(
    mini: Framework, mini_registry: Registry, tmp_path: Path
) -> None:
    path = filled(mini, tmp_path)
    r = row_of(path, "dossiers_online")
    edit(path, lambda wb: inputs_sheet(wb).cell(r, VALUE, f"=F{r - 1}/2"))

    def cache(xml: bytes) -> bytes:  # what Excel does on saving: the result beside the formula
        return re.sub(
            rb'(<c r="F%d"[^>]*>)<f>([^<]*)</f><v\s*/>' % r, rb"\1<f>\2</f><v>60</v>", xml
        )

    sheet = "xl/worksheets/sheet2.xml"
    patch(path, sheet, cache)
    doc = score([path], mini, mini_registry)
    d = next(d for d in doc["diagnostics"] if d["code"] == "xlsx.formula_cached")
    assert (d["severity"], d["column"]) == ("warning", f"{INPUTS}!F{r}")
    assert "60" in d["message"]
    same = score([filled(mini, tmp_path, "plain.xlsx")], mini, mini_registry)
    assert unit(doc, "C11")["indicators"] == unit(same, "C11")["indicators"]


def test_an_error_value_is_rejected_at_its_cell(
    mini: Framework, mini_registry: Registry, tmp_path: Path
) -> None:
    path = filled(mini, tmp_path, overdue="#DIV/0!")
    doc = score([path], mini, mini_registry)
    d = next(d for d in doc["diagnostics"] if d["code"] == "value.rejected")
    assert d["column"] == f"{INPUTS}!F{row_of(path, 'overdue')}"
    assert "#DIV/0!" in d["message"]


# --------------------------------------------------------------------------- structure


def test_merged_cells_are_reported_and_the_top_left_read(
    mini: Framework, mini_registry: Registry, tmp_path: Path
) -> None:
    path = filled(mini, tmp_path)
    r = row_of(path, "overdue")
    edit(path, lambda wb: inputs_sheet(wb).merge_cells(f"F{r}:G{r}"))
    doc = score([path], mini, mini_registry)
    d = next(d for d in doc["diagnostics"] if d["code"] == "xlsx.merged")
    assert d["column"] == f"{INPUTS}!F{r}" and f"F{r}:G{r}" in d["message"]
    assert codes(doc, "error") == []


def test_a_value_moved_out_of_its_column_is_reported_not_read(
    mini: Framework, mini_registry: Registry, tmp_path: Path
) -> None:
    path = filled(mini, tmp_path)
    r = row_of(path, "overdue")

    def move(wb: openpyxl.Workbook) -> None:
        ws = inputs_sheet(wb)
        ws.cell(r, NOTE + 2).value = ws.cell(r, VALUE).value
        ws.cell(r, VALUE).value = None

    edit(path, move)
    doc = score([path], mini, mini_registry)
    d = only_code(doc, "xlsx.stray_value")
    assert d["column"] == f"{INPUTS}!I{r}" and "column F" in d["message"]
    svc = next(i for i in unit(doc, "C11")["indicators"] if i["id"] == "SVC-02")
    assert svc["status"] == "missing"


def test_a_deleted_row_names_the_input_and_where_it_was(
    mini: Framework, mini_registry: Registry, tmp_path: Path
) -> None:
    path = filled(mini, tmp_path)
    r = row_of(path, "dossiers_online")
    edit(path, lambda wb: inputs_sheet(wb).delete_rows(r))
    doc = score([path], mini, mini_registry)
    d = only_code(doc, "xlsx.row_deleted")
    assert d["column"] == f"{INPUTS}!A{r}" and "'dossiers_online'" in d["message"]
    label = mini.inputs["dossiers_online"].label.en
    assert label in d["message"] and f"row {r}" in d["message"]
    assert only_code(doc, "xlsx.rows_moved")["severity"] == "info"  # the rows below moved up
    assert unit(doc, "C11")["score"] is not None  # the others are read


def test_an_inserted_row_moves_the_rows_below_and_they_still_read(
    mini: Framework, mini_registry: Registry, tmp_path: Path
) -> None:
    path = filled(mini, tmp_path)
    before = score([path], mini, mini_registry)
    first = min(rows(openpyxl.load_workbook(path)).values())
    edit(path, lambda wb: inputs_sheet(wb).insert_rows(first))
    doc = score([path], mini, mini_registry)
    d = only_code(doc, "xlsx.rows_moved")
    assert d["column"] == f"{INPUTS}!A{first + 1}" and "5 row(s)" in d["message"]
    assert unit(doc, "C11")["indicators"] == unit(before, "C11")["indicators"]


def test_a_repeated_row_is_read_once(
    mini: Framework, mini_registry: Registry, tmp_path: Path
) -> None:
    path = filled(mini, tmp_path)
    last = max(rows(openpyxl.load_workbook(path)).values())

    def copy(wb: openpyxl.Workbook) -> None:
        ws = inputs_sheet(wb)
        ws.cell(last + 2, 1, "overdue")
        ws.cell(last + 2, VALUE, 999)

    edit(path, copy)
    doc = score([path], mini, mini_registry)
    d = only_code(doc, "xlsx.row_repeated")
    assert d["column"] == f"{INPUTS}!A{last + 2}"
    assert (
        unit(doc, "C11")["indicators"]
        == unit(score([filled(mini, tmp_path, "ok.xlsx")], mini, mini_registry), "C11")[
            "indicators"
        ]
    )


def test_an_inserted_column_moves_the_value_column_and_it_still_reads(
    mini: Framework, mini_registry: Registry, tmp_path: Path
) -> None:
    path = filled(mini, tmp_path)
    before = score([path], mini, mini_registry)
    edit(path, lambda wb: inputs_sheet(wb).insert_cols(3))
    doc = score([path], mini, mini_registry)
    moved = [d for d in doc["diagnostics"] if d["code"] == "xlsx.column_moved"]
    assert sorted(d["column"] for d in moved) == [f"{INPUTS}!G8", f"{INPUTS}!H8"]
    assert any("from F to G" in d["message"] for d in moved)
    assert unit(doc, "C11")["indicators"] == unit(before, "C11")["indicators"]


def test_a_renamed_value_header_reads_nothing_and_says_why(
    mini: Framework, mini_registry: Registry, tmp_path: Path
) -> None:
    path = filled(mini, tmp_path)
    edit(path, lambda wb: inputs_sheet(wb).cell(8, VALUE, "Số liệu"))
    doc = score([path], mini, mini_registry)
    d = only_code(doc, "xlsx.header_missing")
    assert d["severity"] == "error" and d["column"] == f"{INPUTS}!A8"
    assert all(i["status"] == "missing" for i in unit(doc, "C11")["indicators"])


def test_a_deleted_input_sheet_reads_nothing(
    mini: Framework, mini_registry: Registry, tmp_path: Path
) -> None:
    path = filled(mini, tmp_path)
    edit(path, lambda wb: wb.remove(inputs_sheet(wb)))
    doc = score([path], mini, mini_registry)
    d = only_code(doc, "xlsx.sheet_missing")
    assert d["column"] == f"{META_SHEET}!{meta_cell(path, 'sheet.inputs')}"
    assert doc["units"] == []


# --------------------------------------------------------------------------- identity


@pytest.mark.parametrize(
    ("key", "value", "code"),
    [
        ("framework_id", "dti-2022", "xlsx.other_framework"),
        ("framework_version", "2024.9", "xlsx.other_framework"),
        ("template_version", "99", "xlsx.template_version"),
        ("magic", "something-else", "xlsx.metadata"),
        ("tier", "district", "xlsx.tier_unknown"),
    ],
)
def test_a_workbook_of_another_framework_or_version_is_refused(
    mini: Framework, mini_registry: Registry, tmp_path: Path, key: str, value: str, code: str
) -> None:
    path = set_meta(filled(mini, tmp_path), key, value)
    other = filled(mini, tmp_path, "c12.xlsx")
    edit(other, lambda wb: inputs_sheet(wb).__setitem__("B3", "C12"))
    doc = score([path, other], mini, mini_registry)
    d = only_code(doc, code)
    assert d["severity"] == "error" and d["file"] == "c11.xlsx"
    assert d["column"] == f"{META_SHEET}!{meta_cell(path, key)}"
    assert [u["id"] for u in doc["units"]] == ["C12"]  # the rest of the batch is read
    if code == "xlsx.other_framework":
        assert value in d["message"] and mini.version in d["message"]


def test_changed_rules_of_the_same_version_are_read_with_a_warning(
    mini: Framework, mini_registry: Registry, tmp_path: Path
) -> None:
    path = set_meta(filled(mini, tmp_path), "framework_digest", "sha256:0000")
    doc = score([path], mini, mini_registry)
    assert only_code(doc, "xlsx.digest")["severity"] == "warning"
    assert unit(doc, "C11")["score"] is not None


def test_a_template_reused_for_another_unit_says_so(
    mini: Framework, mini_registry: Registry, tmp_path: Path
) -> None:
    wb = template(mini, "commune", unit=mini_registry.get("C11"))
    fill(wb, mini, GOOD, unit="C12", period="2025")
    doc = score([save(wb, tmp_path / "c.xlsx")], mini, mini_registry)
    d = only_code(doc, "xlsx.unit_changed")
    assert d["column"] == f"{INPUTS}!B3" and "C11" in d["message"]
    assert [u["id"] for u in doc["units"]] == ["C12"]


def test_an_unknown_unit_names_the_unit_cell(
    mini: Framework, mini_registry: Registry, tmp_path: Path
) -> None:
    wb = template(mini, "commune")
    fill(wb, mini, GOOD, unit="C99", period="2025")
    doc = score([save(wb, tmp_path / "c.xlsx")], mini, mini_registry)
    assert only_code(doc, "unit.unknown")["column"] == f"{INPUTS}!B3"


def test_the_same_unit_in_two_workbooks_is_a_duplicate(
    mini: Framework, mini_registry: Registry, tmp_path: Path
) -> None:
    a, b = filled(mini, tmp_path, "a.xlsx"), filled(mini, tmp_path, "b.xlsx")
    doc = score([a, b], mini, mini_registry)
    d = only_code(doc, "unit.duplicate")
    assert (d["file"], d["column"]) == ("b.xlsx", f"{INPUTS}!B3")


# --------------------------------------------------------------------------- files


@pytest.mark.parametrize(
    ("content", "why"),
    [(b"unit,period\nC11,2025\n", "not a zip package"), (b"", "not a zip package")],
)
def test_a_file_that_is_no_workbook_is_refused(
    mini: Framework, mini_registry: Registry, tmp_path: Path, content: bytes, why: str
) -> None:
    path = tmp_path / "renamed.xlsx"
    path.write_bytes(content)
    d = only_code(score([path], mini, mini_registry), "xlsx.unreadable")
    assert why in d["message"] and d["file"] == "renamed.xlsx"


def test_a_zip_that_is_no_workbook_is_refused(
    mini: Framework, mini_registry: Registry, tmp_path: Path
) -> None:
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "hello")
    assert (
        "xl/workbook.xml"
        in only_code(score([path], mini, mini_registry), "xlsx.unreadable")["message"]
    )


def plain(tmp_path: Path, name: str, *table: list[Any]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Data"
    for row in table:
        ws.append(row)
    return save(wb, tmp_path / name)


def test_a_table_without_a_unit_column_is_refused(
    mini: Framework, mini_registry: Registry, tmp_path: Path
) -> None:
    path = plain(tmp_path, "t.xlsx", ["code", "overdue"], ["C11", 3])
    d = only_code(score([path], mini, mini_registry), "xlsx.no_layout")
    assert d["column"] == "Data!A1" and "unit" in d["message"]


def test_an_empty_sheet_is_refused(
    mini: Framework, mini_registry: Registry, tmp_path: Path
) -> None:
    d = only_code(score([plain(tmp_path, "e.xlsx")], mini, mini_registry), "xlsx.empty")
    assert d["column"] == "Data!A1"


def test_a_table_with_a_repeated_column_is_refused(
    mini: Framework, mini_registry: Registry, tmp_path: Path
) -> None:
    path = plain(tmp_path, "t.xlsx", ["unit", "overdue", "overdue"], ["C11", 3, 4])
    d = only_code(score([path], mini, mini_registry), "xlsx.duplicate_column")
    assert d["column"] == "Data!A1" and "overdue" in d["message"]


def test_table_cells_are_located(mini: Framework, mini_registry: Registry, tmp_path: Path) -> None:
    path = plain(
        tmp_path, "t.xlsx",
        ["unit", "period", "overdue", "dossiers_received"],
        ["C11", "2025", "#DIV/0!", 10],
        ["C12", "2025", 2, "=C2+1"],
        ["C99", "2025", 2, 1],
    )  # fmt: skip
    doc = score([path], mini, mini_registry)
    assert only_code(doc, "value.rejected")["column"] == "Data!C2"
    assert only_code(doc, "xlsx.formula_uncached")["column"] == "Data!D3"
    assert only_code(doc, "unit.unknown")["column"] == "Data!A4"


def test_a_long_table_with_repeated_values(
    mini: Framework, mini_registry: Registry, tmp_path: Path
) -> None:
    path = plain(
        tmp_path, "long.xlsx",
        ["unit", "input", "value"],
        ["C11", "overdue", 3], ["C11", "overdue", 3],
        ["C11", "dossiers_received", 10], ["C11", "dossiers_received", 12],
    )  # fmt: skip
    doc = score([path], mini, mini_registry)
    found = [d for d in doc["diagnostics"] if d["code"] == "xlsx.duplicate_value"]
    assert sorted((d["column"], d["severity"]) for d in found) == [
        ("Data!C3", "warning"),
        ("Data!C5", "error"),
    ]
    assert any("10, then 12" in d["message"] for d in found)
    svc = {i["id"]: i for i in unit(doc, "C11")["indicators"]}
    assert svc["SVC-01"]["status"] == "missing"  # neither conflicting count is used


# --------------------------------------------------------------------------- languages


def test_every_message_above_exists_in_both_languages_with_the_same_placeholders() -> None:
    for code, (en, vi) in MESSAGES.items():
        if not code.startswith("xlsx."):
            continue
        assert en.strip() and vi.strip(), code
        names = set(re.findall(r"{(\w+)", en))
        assert names == set(re.findall(r"{(\w+)", vi)), code
        assert not names & {"code", "lang"}, code  # the parameters of t() itself


def test_a_structural_message_renders_in_vietnamese(
    mini: Framework, mini_registry: Registry, tmp_path: Path
) -> None:
    from maturity.i18n import set_language

    path = filled(mini, tmp_path)
    r = row_of(path, "dossiers_online")
    edit(path, lambda wb: inputs_sheet(wb).delete_rows(r))
    set_language("vi")
    doc = score([path], mini, mini_registry)
    message = only_code(doc, "xlsx.row_deleted")["message"]
    assert message.startswith("dòng của 'dossiers_online' (")
    assert mini.inputs["dossiers_online"].label.vi in message
    both_languages("xlsx.row_deleted")


def only_code(doc: dict[str, Any], code: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = [d for d in doc["diagnostics"] if d["code"] == code]
    assert len(found) == 1, (code, doc["diagnostics"])
    return found[0]


def test_formula_and_error_cells_are_found_in_the_sheet_xml(tmp_path: Path) -> None:
    """What the fast reader returns as empty: formulas (with or without a saved result,
    shared ones too) and error values, each by its cell."""
    from maturity.inputs.xlsx._read_table import _special_cells

    path = plain(tmp_path, "f.xlsx", ["unit", "a", "b", "c"], ["C11", 1, 2, 3])
    sheet_data = (
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>unit</t></is></c></row>'
        b'<row r="2"><c r="B2" t="e"><v>#VALUE!</v></c><c r="C2"><f t="shared" ref="C2:D2" '
        b'si="0">A2&amp;"x"</f><v>7</v></c><c r="D2"><f t="shared" si="0"/></c>'
        b'<c r="E2" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="F2" s="1"/></row></sheetData>'
    )
    patch(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(rb"<sheetData>.*</sheetData>", sheet_data, xml, flags=re.S),
    )
    formulas, errors = _special_cells(path, "Data")
    assert formulas == {
        (2, 3): ('A2&"x"', True),
        (2, 4): ('A2&"x"', False),
        (2, 5): ("1/0", True),
    }
    assert errors == {(2, 2): "#VALUE!", (2, 5): "#DIV/0!"}


def test_a_code_typed_by_hand_is_an_unknown_input_at_its_cell(
    mini: Framework, mini_registry: Registry, tmp_path: Path
) -> None:
    path = filled(mini, tmp_path)
    last = max(rows(openpyxl.load_workbook(path)).values())

    def add(wb: openpyxl.Workbook) -> None:
        inputs_sheet(wb).cell(last + 1, 1, "overdu")
        inputs_sheet(wb).cell(last + 1, VALUE, 4)

    edit(path, add)
    d = only_code(score([path], mini, mini_registry), "value.unknown_input")
    assert d["column"] == f"{INPUTS}!F{last + 1}" and "overdue" in d["message"]
