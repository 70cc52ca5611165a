"""Read a template this tool wrote: metadata, the unit and period cells, each input's value
and note cells found by the code in their row, the not-applicable and evidence cells; and
what happened to its structure (locks, moved, deleted or repeated rows, moved columns,
merged cells, stray values, formulas)."""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import column_index_from_string
from openpyxl.worksheet.worksheet import Worksheet

from maturity.inputs.xlsx import _layout as lay
from maturity.inputs.xlsx._cells import (
    CellValue,
    Finding,
    TemplateBook,
    all_texts,
    formula_text,
    plain_value,
)
from maturity.inputs.xlsx._text import Text

MAX_STRAY = 20  # stray values reported per sheet; more would bury the other messages


def _load(path: Path, *, data_only: bool) -> openpyxl.Workbook:
    with warnings.catch_warnings():
        # openpyxl warns about parts it drops (extensions, LibreOffice styles): not the user's
        warnings.simplefilter("ignore")
        return openpyxl.load_workbook(path, data_only=data_only)


class _TemplateReader:
    def __init__(self, path: Path, app: str) -> None:
        self.formulas = _load(path, data_only=False)
        self.values = _load(path, data_only=True)
        self.app = app
        self.findings: list[Finding] = []
        meta = self.formulas[lay.META_SHEET]
        self.meta: dict[str, str] = {}
        self.meta_address: dict[str, str] = {}
        for r in range(2, meta.max_row + 1):
            key, value = meta.cell(r, 1).value, meta.cell(r, 2).value
            if isinstance(key, str) and key:
                self.meta[key] = "" if value is None else str(value)
                self.meta_address[key] = lay.address(lay.META_SHEET, r, 2)

    def find(self, severity: str, message: str, address: str = "", **args: Any) -> None:
        self.findings.append(Finding(severity, message, address, args, args.get("input")))

    def cell(self, sheet: str, row: int, column: int) -> CellValue:
        raw = self.formulas[sheet].cell(row, column).value
        formula = formula_text(raw)
        saved = self.values[sheet].cell(row, column).value if formula is not None else raw
        return CellValue(
            plain_value(saved), lay.address(sheet, row, column), formula, saved not in (None, "")
        )

    def read(self) -> TemplateBook:
        self.check_locks()
        inputs_sheet = self.meta.get("sheet.inputs", "")
        unit = period = CellValue(None, "")
        values: dict[str, CellValue] = {}
        notes: dict[str, CellValue] = {}
        if inputs_sheet not in self.formulas.sheetnames:
            self.find(
                "error",
                "xlsx.sheet_missing",
                self.meta_address.get("sheet.inputs", ""),
                sheet=inputs_sheet,
                what=Text("xlsx.sheet_missing.inputs"),
            )
        else:
            ws = self.formulas[inputs_sheet]
            unit = self.cell_at(inputs_sheet, self.meta.get("cell.unit", lay.UNIT_CELL))
            period = self.cell_at(inputs_sheet, self.meta.get("cell.period", lay.PERIOD_CELL))
            rows = self.rows(ws, "row.", "col.", lay.INPUT_COLUMNS, "header_row", "inputs")
            if rows is not None:
                found, value_col, note_col = rows
                for code, row in found.items():
                    values[code] = self.cell(inputs_sheet, row, value_col)
                    note = self.cell(inputs_sheet, row, note_col)
                    if note.value is not None:
                        notes[code] = note
                self.merged(ws, (value_col, note_col, 1), [unit.address, period.address])
        na: dict[str, CellValue] = {}
        evidence: dict[str, CellValue] = {}
        ind_sheet = self.meta.get("sheet.indicators", "")
        if ind_sheet and ind_sheet not in self.formulas.sheetnames:
            self.find(
                "warning",
                "xlsx.sheet_missing",
                self.meta_address.get("sheet.indicators", ""),
                sheet=ind_sheet,
                what=Text("xlsx.sheet_missing.indicators"),
            )
        elif ind_sheet:
            ws = self.formulas[ind_sheet]
            rows = self.rows(
                ws, "irow.", "icol.", lay.INDICATOR_COLUMNS, "indicator_header_row", "indicators"
            )
            if rows is not None:
                found, reason_col, evidence_col = rows
                for code, row in found.items():
                    reason = self.cell(ind_sheet, row, reason_col)
                    if reason.value is not None or reason.formula is not None:
                        na[code] = reason
                    text = self.cell(ind_sheet, row, evidence_col)
                    if text.value is not None or text.formula is not None:
                        evidence[code] = text
                self.merged(ws, (reason_col, evidence_col, 1), [])
        return TemplateBook(
            dict(self.meta),
            dict(self.meta_address),
            unit,
            period,
            values,
            notes,
            na,
            evidence,
            tuple(self.findings),
        )

    def cell_at(self, sheet: str, ref: str) -> CellValue:
        column, row = _split_ref(ref)
        return self.cell(sheet, row, column)

    def check_locks(self) -> None:
        security = self.formulas.security
        locked = security is not None and bool(security.lockStructure)
        meta = self.formulas[lay.META_SHEET]
        shown = meta.sheet_state == "visible"
        if not locked or shown:
            hidden = Text("xlsx.resaved.hidden", {"sheet": lay.META_SHEET}) if shown else ""
            self.find("info", "xlsx.resaved", app=self.app or "?", hidden=hidden)
        for ws in self.formulas.worksheets:
            if not ws.protection.sheet:
                self.find("info", "xlsx.unlocked", lay.address(ws.title, 1, 1), sheet=ws.title)

    def rows(
        self,
        ws: Worksheet,
        row_prefix: str,
        col_prefix: str,
        columns: tuple[str, ...],
        header_key: str,
        kind: str,
    ) -> tuple[dict[str, int], int, int] | None:
        """The row of each code in ``ws`` and the two columns that are read, checked against
        the layout in the metadata. ``None`` when the header cannot be found."""
        read_keys = ("value", "note") if kind == "inputs" else ("na_reason", "evidence")
        header_row = int(self.meta.get(header_key, "0") or 0)
        found_header = self.header(ws, header_row, columns, read_keys)
        if found_header is None:
            key = read_keys[0]
            self.find(
                "error",
                "xlsx.header_missing",
                lay.address(ws.title, header_row or 1, 1),
                header=Text(f"xlsx.col.{key}"),
                what=Text(f"xlsx.sheet_missing.{kind}"),
            )
            return None
        header_row, where = found_header
        for key in read_keys:  # only the columns that are read matter
            col = where[key]
            expected = self.meta.get(f"{col_prefix}{key}")
            if expected and column_index_from_string(expected) != col:
                self.find(
                    "warning",
                    "xlsx.column_moved",
                    lay.address(ws.title, header_row, col),
                    header=Text(f"xlsx.col.{key}"),
                    expected=expected,
                    got=lay.letter(col),
                )
        expected_rows = {
            k[len(row_prefix) :]: int(v)
            for k, v in self.meta.items()
            if k.startswith(row_prefix) and v.isdigit()
        }
        code_col, read_cols = where["code"], [where[k] for k in read_keys]
        found: dict[str, int] = {}
        stray = 0
        for r in range(header_row + 1, ws.max_row + 1):
            code = ws.cell(r, code_col).value
            first_outside = min(read_cols)  # a heading row: its text is the template's own
            if isinstance(code, str) and code.strip():
                name = code.strip()
                if name in found:
                    self.find(
                        "warning",
                        "xlsx.row_repeated",
                        lay.address(ws.title, r, code_col),
                        name=name,
                        first=found[name],
                    )
                    continue
                found[name] = r
                first_outside = max(read_cols) + 1
            for c in range(first_outside, ws.max_column + 1):
                value = ws.cell(r, c).value
                if value not in (None, "") and stray < MAX_STRAY:
                    stray += 1
                    self.stray(ws.title, r, c, value, kind, read_cols)
        moved: list[str] = []
        for name, expected_row in expected_rows.items():
            if name not in found:
                self.find(
                    "warning",
                    "xlsx.row_deleted",
                    lay.address(ws.title, expected_row, code_col),
                    input=name,
                    row=expected_row,
                )
            elif found[name] != expected_row:
                moved.append(name)
        if moved:  # a row inserted moves all below it: said once
            first = moved[0]
            self.find(
                "info",
                "xlsx.rows_moved",
                lay.address(ws.title, found[first], code_col),
                count=len(moved),
                name=first,
                expected=expected_rows[first],
                row=found[first],
            )
        return found, read_cols[0], read_cols[1]

    def stray(
        self, sheet: str, row: int, column: int, value: Any, kind: str, read_cols: list[int]
    ) -> None:
        if kind == "inputs":
            where = Text("xlsx.stray.inputs", {"column": lay.letter(read_cols[0])})
        else:
            letters = {"reason": lay.letter(read_cols[0]), "evidence": lay.letter(read_cols[1])}
            where = Text("xlsx.stray.indicators", letters)
        shown = str(plain_value(value))[:60]
        self.find(
            "warning",
            "xlsx.stray_value",
            lay.address(sheet, row, column),
            value=shown,
            where=where,
        )

    def header(
        self, ws: Worksheet, expected_row: int, columns: tuple[str, ...], read_keys: tuple[str, ...]
    ) -> tuple[int, dict[str, int]] | None:
        """The header row (the expected one, else the first of the sheet's first 60 rows that
        has the code and the read columns' headers) and the column of each header."""
        wanted = {key: all_texts(f"xlsx.col.{key}") for key in columns}
        candidates = [expected_row] if expected_row else []
        candidates += [r for r in range(1, 61) if r != expected_row]
        for r in candidates:
            where: dict[str, int] = {}
            for c in range(1, max(ws.max_column, len(columns)) + 1):
                text = ws.cell(r, c).value
                if not isinstance(text, str):
                    continue
                for key, texts in wanted.items():
                    if key not in where and text.strip().lower() in texts:
                        where[key] = c
            if "code" in where and all(k in where for k in read_keys):
                return r, where
        return None

    def merged(self, ws: Worksheet, columns: tuple[int, ...], cells: list[str]) -> None:
        header_row = int(self.meta.get("header_row", "1") or 1)
        watched = {_split_ref(a.split("!")[-1]) for a in cells if a}
        for merged in ws.merged_cells.ranges:
            low_col, low_row = merged.min_col, merged.min_row
            high_col, high_row = merged.max_col, merged.max_row
            in_table = high_row > header_row and any(low_col <= c <= high_col for c in columns)
            on_cell = any(low_col <= c <= high_col and low_row <= r <= high_row for c, r in watched)
            if in_table or on_cell:
                self.find(
                    "warning",
                    "xlsx.merged",
                    lay.address(ws.title, low_row, low_col),
                    range=merged.coord,
                    cell=lay.address(ws.title, low_row, low_col),
                )


def _split_ref(ref: str) -> tuple[int, int]:
    """``"B3"`` -> ``(2, 3)`` (column, row)."""
    match = re.fullmatch(r"\$?([A-Za-z]{1,3})\$?(\d+)", ref.strip())
    if match is None:
        return 2, 3
    return column_index_from_string(match.group(1).upper()), int(match.group(2))


def read_template(path: Path, app: str) -> TemplateBook:
    return _TemplateReader(path, app).read()
