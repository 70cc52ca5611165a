"""Where things sit in a template workbook: shared by the writer and the reader.

The writer records the layout in the hidden metadata sheet (key / value rows), and the reader
takes it from there, so a later template version may move things without breaking the
reading of workbooks already handed out.
"""

from __future__ import annotations

from openpyxl.utils import get_column_letter

TEMPLATE_VERSION = 1
MAGIC = "maturity-template"
META_SHEET = "_maturity"

# input sheet: the header block, then a header row, then one row per input
UNIT_CELL = "B3"
NAME_CELL = "B4"
PERIOD_CELL = "B5"
HEADER_ROW = 8
# column keys in order; each header text is the message xlsx.col.<key>
INPUT_COLUMNS = ("code", "input", "unit", "allowed", "help", "value", "note")
# the not-applicable and evidence sheet
INDICATOR_HEADER_ROW = 3
INDICATOR_COLUMNS = ("code", "indicator", "na_allowed", "na_reason", "evidence_what", "evidence")
# the metadata sheet: key / value in A:B, the drop-down lists of ordinal inputs from column D
LISTS_FIRST_COLUMN = 4


def column_of(columns: tuple[str, ...], key: str) -> int:
    """1-based column of ``key`` in a sheet's column list.

    >>> column_of(INPUT_COLUMNS, "value")
    6
    """
    return columns.index(key) + 1


def letter(column: int) -> str:
    """>>> letter(6)
    'F'"""
    return get_column_letter(column)


def address(sheet: str, row: int, column: int) -> str:
    """A cell as a person looks for it: ``Sheet!F14`` (the sheet name as shown on its tab,
    unquoted, as in ``file.xlsx!Nhập liệu!F14``).

    >>> address("Nhập liệu", 14, 6)
    'Nhập liệu!F14'
    """
    return f"{sheet}!{get_column_letter(column)}{row}"


def choice_text(key: str, label: str) -> str:
    """How an ordinal answer reads in its drop-down (the reader accepts it back).

    >>> choice_text("2", "Chaired by the Party secretary")
    '2 — Chaired by the Party secretary'
    """
    return f"{key} — {label}"
