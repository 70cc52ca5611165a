"""Read the first sheet of any other workbook as a table (python-calamine for the cells;
the sheet's XML for the formulas and error values calamine returns as empty)."""

from __future__ import annotations

import re
import warnings
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import column_index_from_string

from maturity.inputs.xlsx import _layout as lay
from maturity.inputs.xlsx._cells import Finding, PlainTable, WorkbookError, formula_text, plain_row
from maturity.inputs.xlsx._core import UNIT_COLUMNS

_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _sheet_part(package: zipfile.ZipFile, sheet: str) -> str | None:
    """The package part holding the sheet named ``sheet`` (``xl/worksheets/sheet1.xml``)."""
    workbook = package.read("xl/workbook.xml").decode("utf-8", "replace")
    rels = package.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    for match in re.finditer(r"<(?:\w+:)?sheet\b[^>]*>", workbook):
        tag = match.group(0)
        name = re.search(r'\bname="([^"]*)"', tag)
        rid = re.search(r'\br:id="([^"]*)"', tag) or re.search(r'\bid="([^"]*)"', tag)
        if name is None or rid is None or _unescape(name.group(1)) != sheet:
            continue
        for rel in re.finditer(r"<Relationship\b[^>]*>", rels):
            if f'Id="{rid.group(1)}"' in rel.group(0):
                target = re.search(r'Target="([^"]*)"', rel.group(0))
                if target is not None:
                    part = target.group(1).lstrip("/")
                    return part if part.startswith("xl/") else f"xl/{part}"
    return None


def _unescape(text: str) -> str:
    return (
        text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


_CELL_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_CELL_FORMULA = re.compile(rb"<f\b([^>]*?)(?:/>|>(.*?)</f>)", re.S)
_CELL_VALUE = re.compile(rb"<v>([^<]*)</v>")
_SHARED = re.compile(rb'\bsi="(\d+)"')


def _special_cells(
    path: Path, sheet: str
) -> tuple[dict[tuple[int, int], tuple[str, bool]], dict[tuple[int, int], str]]:
    """Formula cells ``(row, column) -> (text, cached)`` and error values (``#VALUE!``, which
    the fast reader returns as empty) of a sheet, found in its XML: a national table has none
    and the look costs milliseconds; each one found is read from its own ``<c>`` element."""
    with zipfile.ZipFile(path) as package:
        part = _sheet_part(package, sheet)
        if part is None or part not in package.namelist():
            return {}, {}
        xml = package.read(part)
    marks = [m.start() for m in _FORMULA_TAG.finditer(xml)]
    pos = xml.find(b' t="e"')
    while pos != -1:
        marks.append(pos)
        pos = xml.find(b' t="e"', pos + 1)
    if not marks:
        return {}, {}
    if b"<c " not in xml:  # cells written with a namespace prefix: let openpyxl read them
        return _special_cells_openpyxl(path, sheet)
    formulas: dict[tuple[int, int], tuple[str, bool]] = {}
    errors: dict[tuple[int, int], str] = {}
    shared: dict[bytes, str] = {}
    for start in sorted({xml.rfind(b"<c ", 0, mark + 1) for mark in marks}):
        end = xml.find(b"</c>", start)
        following = xml.find(b"<c ", start + 3)
        if end == -1 or -1 < following < end:  # <c .../>: the element ends before the next
            end = following if following != -1 else len(xml)
        element = xml[start:end]
        ref = _CELL_REF.search(element[: element.find(b">") + 1])
        if ref is None:
            continue
        key = (int(ref.group(2)), column_index_from_string(ref.group(1).decode()))
        value = _CELL_VALUE.search(element)
        saved = _xml_text(value.group(1)) if value and value.group(1) else None
        formula = _CELL_FORMULA.search(element)
        if formula is not None:
            text = _xml_text(formula.group(2) or b"")
            index = _SHARED.search(formula.group(1))
            if index is not None and text:
                shared[index.group(1)] = text
            elif index is not None:
                text = shared.get(index.group(1), "…")
            formulas[key] = (text, saved is not None)
            if saved is not None and b't="e"' in element[: element.find(b">")]:
                errors[key] = saved  # the saved result is itself an error value
        elif saved is not None:
            errors[key] = saved
    return formulas, errors


def _xml_text(raw: bytes) -> str:
    return _unescape(raw.decode("utf-8", "replace"))


def _special_cells_openpyxl(
    path: Path, sheet: str
) -> tuple[dict[tuple[int, int], tuple[str, bool]], dict[tuple[int, int], str]]:
    """The same as :func:`_special_cells`, read by openpyxl (slow: about 1.5 s for a national
    table), for sheets whose XML this module does not parse itself."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    formulas: dict[tuple[int, int], tuple[str, bool]] = {}
    errors: dict[tuple[int, int], str] = {}
    try:
        for row in book[sheet].iter_rows():
            for cell in row:
                value = getattr(cell, "value", None)
                r, c = getattr(cell, "row", None), getattr(cell, "column", None)
                if not (isinstance(r, int) and isinstance(c, int)):
                    continue
                text = formula_text(value)
                if text is not None:
                    formulas[(r, c)] = (text, False)  # cached: known to the caller
                elif getattr(cell, "data_type", "") == "e" and isinstance(value, str):
                    errors[(r, c)] = value
    finally:
        book.close()
    return formulas, errors


def read_table(path: Path, book: Any, sheet: str) -> PlainTable:
    data = book.get_sheet_by_name(sheet)
    grid = data.to_python(skip_empty_area=False)
    findings: list[Finding] = []
    rows = [(r, plain_row(cells)) for r, cells in enumerate(grid, start=1) if any(cells)]
    if not rows:
        raise WorkbookError(
            Finding("error", "xlsx.empty", lay.address(sheet, 1, 1), {"sheet": sheet})
        )
    header_row, header_cells = rows[0]
    header = tuple("" if v is None else str(v).strip().lstrip("\ufeff") for v in header_cells)
    if not any(h.lower() in UNIT_COLUMNS for h in header):
        raise WorkbookError(
            Finding(
                "error",
                "xlsx.no_layout",
                lay.address(sheet, header_row, 1),
                {"meta": lay.META_SHEET, "sheet": sheet, "allowed": ", ".join(UNIT_COLUMNS)},
            )
        )
    formulas, errors = _special_cells(path, sheet)
    if errors:  # an error value (#VALUE!, #DIV/0!) is kept as its text, for the engine to refuse
        grid_rows = {r: list(cells) for r, cells in rows}
        for (r, c), text in errors.items():
            cells = grid_rows.get(r)
            if cells is not None and c <= len(cells):
                cells[c - 1] = text
        rows = [(r, tuple(cells)) for r, cells in grid_rows.items()]
    if formulas:
        values = {(r, c): v for r, cells in rows for c, v in enumerate(cells, start=1)}
        formulas = {
            k: (text, cached or values.get(k) is not None) for k, (text, cached) in formulas.items()
        }
    merged = data.merged_cell_ranges or []
    for (r0, c0), (r1, c1) in merged:
        if r1 + 1 >= header_row:
            ref = f"{lay.letter(c0 + 1)}{r0 + 1}:{lay.letter(c1 + 1)}{r1 + 1}"
            top_left = lay.address(sheet, r0 + 1, c0 + 1)
            findings.append(
                Finding("warning", "xlsx.merged", top_left, {"range": ref, "cell": top_left})
            )
    return PlainTable(sheet, header_row, header, tuple(rows[1:]), formulas, tuple(findings))
