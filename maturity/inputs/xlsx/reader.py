"""Read a workbook into a neutral structure: what each cell holds, as typed, and where.

Two layouts are told apart by the hidden metadata sheet:

- :class:`TemplateBook`: a workbook this tool wrote (``maturity template --format xlsx``):
  its metadata, the unit and period cells, and per input the value cell (found by the code
  in its row, so a moved row still reads), its note, and the not-applicable and evidence
  cells of the indicators.
- :class:`PlainTable`: any other workbook: the first sheet as a table (a header row, then one
  row per unit or, in long form, per value), as the CSV reader takes it.

Each cell keeps its Python type (``int``/``float``/``bool``/``str``/``None``; a date becomes
its ISO text), its address (``Nhập liệu!F14``), and for a formula its text and whether the
workbook saved a result. Structural findings (formulas, merged cells, moved or deleted rows,
stray values, a lock dropped by a re-save) are returned as :class:`Finding` (a message code
and its arguments). Nothing here knows the framework: :mod:`maturity.inputs.xlsx.load` decides
what the values mean, and the engine's value rules judge them. Protection and validation in
the file help the person filling it in; they are never trusted.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import python_calamine

from maturity.inputs.xlsx import _layout as lay
from maturity.inputs.xlsx._cells import (
    CellValue,
    Finding,
    PlainTable,
    TemplateBook,
    Value,
    Workbook,
    WorkbookError,
)
from maturity.inputs.xlsx._core import MAX_SUBMISSION_BYTES
from maturity.inputs.xlsx._read_table import read_table
from maturity.inputs.xlsx._read_template import read_template
from maturity.inputs.xlsx._text import Text

__all__ = [
    "CellValue",
    "Finding",
    "PlainTable",
    "TemplateBook",
    "Value",
    "Workbook",
    "WorkbookError",
    "choice_key",
    "read_workbook",
]

MAX_UNPACKED_BYTES = 512 * 1024 * 1024  # a national table unpacks to about 10 MB
_APP = re.compile(rb"<(?:\w+:)?Application>([^<]*)</(?:\w+:)?Application>")
_CHOICE = re.compile(r"^\s*(\d+)\s+—\s")


def _check_package(path: Path) -> str:
    """Refuse what is not a reasonable xlsx package; return the application that saved it."""
    size = path.stat().st_size
    if size > MAX_SUBMISSION_BYTES:
        raise WorkbookError(
            Finding("error", "file.too_big", args={"size": size, "limit": MAX_SUBMISSION_BYTES})
        )
    try:
        with zipfile.ZipFile(path) as package:
            unpacked = sum(info.file_size for info in package.infolist())
            if unpacked > MAX_UNPACKED_BYTES:
                raise WorkbookError(
                    Finding(
                        "error",
                        "xlsx.too_big",
                        args={"size": unpacked, "limit": MAX_UNPACKED_BYTES},
                    )
                )
            names = set(package.namelist())
            if "xl/workbook.xml" not in names:
                why = Text("xlsx.why.no_workbook")
                raise WorkbookError(Finding("error", "xlsx.unreadable", args={"why": why}))
            app = (
                _APP.search(package.read("docProps/app.xml"))
                if "docProps/app.xml" in names
                else None
            )
    except zipfile.BadZipFile as exc:
        why = Text("xlsx.why.not_zip")
        raise WorkbookError(Finding("error", "xlsx.unreadable", args={"why": why})) from exc
    return app.group(1).decode("utf-8", "replace").strip() if app else ""


def read_workbook(path: Path, display: str) -> Workbook:
    """Read ``path`` (shown to people as ``display``) into a :class:`TemplateBook` or a
    :class:`PlainTable`. Raises :class:`WorkbookError` when it cannot be read at all."""
    app = _check_package(path)
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        names = list(book.sheet_names)
        if lay.META_SHEET in names:
            return read_template(path, app)
        if not names:
            why = Text("xlsx.why.no_sheet")
            raise WorkbookError(Finding("error", "xlsx.unreadable", args={"why": why}))
        return read_table(path, book, names[0])
    except WorkbookError:
        raise
    except Exception as exc:  # a damaged package can make either parser raise anything
        why = Text("xlsx.why.damaged", {"error": f"{type(exc).__name__}: {str(exc)[:200]}"})
        raise WorkbookError(Finding("error", "xlsx.unreadable", args={"why": why})) from exc


def choice_key(text: str) -> int | None:
    """The answer an ordinal drop-down text stands for (``"2 — …"`` -> 2), else ``None``.

    >>> choice_key("2 — Chaired by the Party secretary"), choice_key("2"), choice_key("abc")
    (2, None, None)
    """
    match = _CHOICE.match(text)
    return int(match.group(1)) if match else None
