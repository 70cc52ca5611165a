"""The neutral structure a workbook is read into: cells as typed, with their address, and
the structural findings. Shared by the template and the table readers (nothing here knows
the framework)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from openpyxl.worksheet.formula import ArrayFormula

from maturity.inputs.xlsx import _layout as lay
from maturity.inputs.xlsx._core import MESSAGES

Value = int | float | bool | str | None


@dataclass(frozen=True)
class Finding:
    """Something noticed about the workbook's structure: a message code and its arguments,
    rendered in a language only when shown; ``address`` is the cell (``Sheet!F14``) or ``""``
    for the whole file."""

    severity: str  # "error" | "warning" | "info"
    code: str
    address: str = ""
    args: Mapping[str, Any] = field(default_factory=dict)
    input: str | None = None
    indicator: str | None = None


@dataclass(frozen=True)
class CellValue:
    """One cell as typed: for a formula, ``value`` is its saved result (``None`` when the
    workbook saved none: ``cached`` is then false)."""

    value: Value
    address: str
    formula: str | None = None
    cached: bool = True


@dataclass(frozen=True)
class TemplateBook:
    """A workbook this tool wrote, as filled in."""

    metadata: Mapping[str, str]
    meta_address: Mapping[str, str]  # metadata key -> its cell, to locate a mismatch
    unit: CellValue
    period: CellValue
    values: Mapping[str, CellValue]  # input id (the row's code) -> value cell
    notes: Mapping[str, CellValue]
    not_applicable: Mapping[str, CellValue]  # indicator id -> reason cell (non-empty only)
    evidence: Mapping[str, CellValue]  # indicator id -> evidence cell (non-empty only)
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class PlainTable:
    """The first sheet of any other workbook: header cells and rows of typed cells."""

    sheet: str
    header_row: int  # 1-based row number of the header
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[Value, ...]], ...]  # (row number, cells), empty rows left out
    formulas: Mapping[tuple[int, int], tuple[str, bool]]  # (row, column) -> (text, cached)
    findings: tuple[Finding, ...]

    def address(self, row: int, column: int) -> str:
        """The address of a cell by its 1-based row and 0-based column in :attr:`header`."""
        return lay.address(self.sheet, row, column + 1)


class WorkbookError(Exception):
    """The file is not a workbook that can be read at all (carries the finding)."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.code)
        self.finding = finding


Workbook = TemplateBook | PlainTable


def all_texts(code: str) -> set[str]:
    """A message in every language (headers are matched whatever language wrote them)."""
    return {text.strip().lower() for text in MESSAGES[code]}


def plain_value(value: Any) -> Value:
    """A cell's value as the neutral types: whole floats as ``int``, dates as ISO text."""
    if value is None or isinstance(value, (bool, int, str)):
        return value if value != "" else None
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    return str(value)


_WHOLE = 2.0**53  # floats beyond are not whole numbers anyone typed


def plain_row(cells: list[Any]) -> tuple[Value, ...]:
    """:func:`plain_value` over a row of the fast reader, whose numbers are all ``float``: the
    common cells (empty, whole, text) without a call each (a national table has 580,000)."""
    return tuple(
        (int(v) if v.is_integer() and -_WHOLE < v < _WHOLE else v)
        if type(v) is float
        else ((v or None) if type(v) is str else plain_value(v))
        for v in cells
    )


def formula_text(value: Any) -> str | None:
    if isinstance(value, ArrayFormula):
        return (value.text or "").lstrip("=")
    if isinstance(value, str) and value.startswith("="):
        return value[1:]
    return None
