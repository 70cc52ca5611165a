"""Workbooks as submissions: what :mod:`maturity.inputs.xlsx.reader` found, given meaning by the
framework and handed to the engine's submission reader, value by value with its cell.

Typed cells go to the engine as Python numbers and booleans (never ambiguous), text cells as
the text typed (judged by the engine's number rules); the yes/no and answer texts of the
template's own drop-downs are turned back into ``True``/``False`` and answer numbers here.
Every problem becomes a diagnostic naming the cell (``Nhập liệu!F14``); a workbook that
cannot be read, or that belongs to another framework or version, is refused with one.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from maturity.inputs.xlsx import _layout as lay
from maturity.inputs.xlsx._core import (
    LONG_FIELD_COLUMNS,
    MESSAGES,
    UNIT_COLUMNS,
    Batch,
    Diagnostic,
    Framework,
    Input,
    Registry,
    SubmissionReader,
    at_cell,
    cell_of,
    diagnostic,
    read_data,
)
from maturity.inputs.xlsx._layout import choice_text
from maturity.inputs.xlsx._text import Text, Words, number_text
from maturity.inputs.xlsx.reader import (
    CellValue,
    Finding,
    PlainTable,
    TemplateBook,
    Value,
    WorkbookError,
    choice_key,
    read_workbook,
)

_SKIPPED_COLUMNS = ("name", "tier", "parent")


def _diagnostic(finding: Finding, file: str, unit: str | None = None) -> Diagnostic:
    return diagnostic(
        finding.severity,
        finding.code,
        finding.args,
        unit=unit,
        indicator=finding.indicator,
        input_id=finding.input,
        file=file,
        cell=finding.address or None,
    )


class _Loader:
    """Turns one workbook into submissions through a shared engine reader."""

    def __init__(self, reader: SubmissionReader, file: str) -> None:
        self.reader = reader
        self.fw: Framework = reader.fw
        self.file = file

    def note(self, finding: Finding, unit: str | None = None) -> None:
        self.reader.batch.diagnostics.append(_diagnostic(finding, self.file, unit))

    def submit(
        self,
        data: dict[str, Any],
        cells: dict[str, str],
        unit_cell: str,
        indicator_cells: Mapping[str, str] | None = None,
    ) -> None:
        """One unit's data through the engine; its diagnostics without a cell are pointed at
        the cell they are about: a not-applicable declaration's reason cell, else the unit's
        cell (unknown unit, duplicate, wrong tier)."""
        diagnostics = self.reader.batch.diagnostics
        start = len(diagnostics)
        read_data(self.reader, data, self.file, cells)
        by_indicator = indicator_cells or {}
        for i in range(start, len(diagnostics)):
            d = diagnostics[i]
            if cell_of(d) is None:
                where = by_indicator.get(d.indicator or "", unit_cell)
                if where:
                    diagnostics[i] = at_cell(d, where)

    # -- values ------------------------------------------------------------------
    def value(self, cell: CellValue, name: str, unit: str | None) -> Value:
        """A value cell as the engine should judge it; ``None`` when nothing can be read."""
        if cell.formula is not None:
            if not cell.cached:
                self.note(
                    Finding(
                        "error",
                        "xlsx.formula_uncached",
                        cell.address,
                        {"input": name, "formula": cell.formula},
                        input=name,
                    ),
                    unit,
                )
                return None
            self.note(
                Finding(
                    "warning",
                    "xlsx.formula_cached",
                    cell.address,
                    {"input": name, "formula": cell.formula, "value": _shown(cell.value)},
                    input=name,
                ),
                unit,
            )
        return _typed(cell.value, self.fw.inputs.get(name))

    # -- template ----------------------------------------------------------------
    def refuse(self, book: TemplateBook) -> bool:
        """Whether the template belongs to another framework, version or tier (one error)."""
        meta, where = book.metadata, book.meta_address
        if meta.get("magic") != lay.MAGIC:
            what = "magic"
            self.note(Finding("error", "xlsx.metadata", where.get("magic", ""), {"what": what}))
            return True
        version = meta.get("template_version", "")
        if not version.isdigit():
            address = where.get("template_version", "")
            self.note(Finding("error", "xlsx.metadata", address, {"what": "template_version"}))
            return True
        if int(version) > lay.TEMPLATE_VERSION:
            args = {"got": version, "supported": lay.TEMPLATE_VERSION}
            self.note(Finding("error", "xlsx.template_version", where["template_version"], args))
            return True
        fw_id, fw_version = meta.get("framework_id", ""), meta.get("framework_version", "")
        if (fw_id, fw_version) != (self.fw.id, self.fw.version):
            key = "framework_id" if fw_id != self.fw.id else "framework_version"
            args = {
                "got": fw_id,
                "got_version": fw_version,
                "framework": self.fw.id,
                "version": self.fw.version,
            }
            self.note(Finding("error", "xlsx.other_framework", where.get(key, ""), args))
            return True
        tier = meta.get("tier", "")
        if tier not in self.fw.tier_ids():
            args = {"tier": tier, "framework": self.fw.id}
            self.note(Finding("error", "xlsx.tier_unknown", where.get("tier", ""), args))
            return True
        if meta.get("framework_digest") != self.fw.digest:
            args = {"framework": self.fw.id, "version": self.fw.version}
            self.note(Finding("warning", "xlsx.digest", where.get("framework_digest", ""), args))
        return False

    def template(self, book: TemplateBook) -> None:
        if self.refuse(book):
            return
        unit = _text(book.unit.value)
        made_for = book.metadata.get("unit", "")
        for finding in book.findings:
            if finding.code == "xlsx.row_deleted":
                inp = self.fw.inputs.get(finding.args["input"])
                label = Words(inp.label.vi, inp.label.en) if inp is not None else "?"
                args = {**finding.args, "label": label}
                self.note(dataclasses.replace(finding, args=args), unit or None)
            else:
                self.note(finding, unit or None)
        if not book.unit.address:  # no input sheet: said above, nothing to read
            return
        if made_for and unit and unit != made_for:
            args = {"expected": made_for, "got": unit}
            self.note(Finding("warning", "xlsx.unit_changed", book.unit.address, args), unit)
        values: dict[str, Any] = {}
        cells: dict[str, str] = {}
        for name, cell in book.values.items():
            if cell.value is None and cell.formula is None:
                continue
            value = self.value(cell, name, unit or None)
            if value is not None:
                values[name] = value
                cells[name] = cell.address
        data: dict[str, Any] = {
            "unit": unit,
            "period": _text(book.period.value),
            "framework": self.fw.id,
            "values": values,
            "not_applicable": {k: _text(c.value) for k, c in book.not_applicable.items()},
            "evidence": {k: _text(c.value) for k, c in book.evidence.items()},
            "notes": {k: _text(c.value) for k, c in book.notes.items()},
        }
        na_cells = {k: c.address for k, c in book.not_applicable.items()}
        self.submit(data, cells, book.unit.address, na_cells)

    # -- plain tables --------------------------------------------------------------
    def table(self, table: PlainTable) -> None:
        for finding in table.findings:
            self.note(finding)
        low = [h.lower() for h in table.header]
        dupes = sorted({h for h in table.header if h and table.header.count(h) > 1})
        if dupes:
            args = {"columns": ", ".join(dupes)}
            address = table.address(table.header_row, 0)
            self.note(Finding("error", "xlsx.duplicate_column", address, args))
            return
        unit_col = next(i for i, h in enumerate(low) if h in UNIT_COLUMNS)
        period_col = low.index("period") if "period" in low else None
        field_col = next((i for i, h in enumerate(low) if h in LONG_FIELD_COLUMNS), None)
        rows = [
            (r, cells)
            for r, cells in table.rows
            if not (isinstance(_at(cells, unit_col), str) and str(_at(cells, unit_col))[:1] == "#")
        ]
        if field_col is not None and "value" in low:
            self.long_table(table, rows, unit_col, period_col, field_col, low.index("value"))
            return
        na_col = low.index("not_applicable") if "not_applicable" in low else None
        skip = {
            unit_col,
            period_col,
            na_col,
            *(i for i, h in enumerate(low) if h in _SKIPPED_COLUMNS),
        }
        kept = [
            (i, table.header[i])
            for i in range(len(table.header))
            if i not in skip and table.header[i]
        ]
        letters = [f"{table.sheet}!{lay.letter(i + 1)}" for i in range(len(table.header))]
        formulas = table.formulas
        inputs = self.fw.inputs
        for r, cells in rows:
            unit = _text(_at(cells, unit_col))
            values: dict[str, Any] = {}
            where: dict[str, str] = {}
            width = len(cells)
            for i, name in kept:
                raw = cells[i] if i < width else None
                formula = formulas.get((r, i + 1)) if formulas else None
                if formula is not None:
                    cell = CellValue(raw, f"{letters[i]}{r}", formula[0], formula[1])
                    raw = self.value(cell, name, unit or None)
                elif type(raw) is str:
                    raw = _typed(raw, inputs.get(name))
                if raw is not None:
                    values[name] = raw
                    where[name] = f"{letters[i]}{r}"
            na = {}
            if na_col is not None and _at(cells, na_col) is not None:
                na = {item: "" for item in re.split(r"[|\s]+", _text(_at(cells, na_col))) if item}
            data = {
                "unit": unit,
                "period": _text(_at(cells, period_col)) if period_col is not None else "",
                "values": values,
                "not_applicable": na,
            }
            self.submit(data, where, table.address(r, unit_col))

    def long_table(
        self,
        table: PlainTable,
        rows: list[tuple[int, tuple[Value, ...]]],
        unit_col: int,
        period_col: int | None,
        field_col: int,
        value_col: int,
    ) -> None:
        """One value per row: grouped by unit and period, in the order first seen."""
        groups: dict[tuple[str, str], dict[str, Any]] = {}
        for r, cells in rows:
            unit = _text(_at(cells, unit_col))
            period = _text(_at(cells, period_col)) if period_col is not None else ""
            name = _text(_at(cells, field_col))
            group = groups.setdefault(
                (unit, period),
                {"cells": {}, "values": {}, "unit_cell": table.address(r, unit_col), "drop": set()},
            )
            formula = table.formulas.get((r, value_col + 1))
            cell = CellValue(
                _at(cells, value_col),
                table.address(r, value_col),
                formula[0] if formula else None,
                formula[1] if formula else True,
            )
            if not name or (cell.value is None and cell.formula is None):
                if not name and cell.value is not None:
                    self.note(
                        Finding(
                            "warning",
                            "xlsx.stray_value",
                            cell.address,
                            {"value": cell.value, "where": ""},
                        ),
                        unit or None,
                    )
                continue
            value = self.value(cell, name, unit or None)
            if value is None:
                continue
            if name in group["values"]:
                first = group["cells"][name]
                same = group["values"][name] == value
                what = Text(
                    "xlsx.duplicate_value.same" if same else "xlsx.duplicate_value.conflict",
                    {"first_value": group["values"][name], "value": value},
                )
                args = {"input": name, "unit": unit, "first": first, "what": what}
                self.note(
                    Finding(
                        "warning" if same else "error",
                        "xlsx.duplicate_value",
                        cell.address,
                        args,
                        input=name,
                    ),
                    unit or None,
                )
                if not same:
                    group["drop"].add(name)
                continue
            group["values"][name] = value
            group["cells"][name] = cell.address
        for (unit, period), group in groups.items():
            values = {k: v for k, v in group["values"].items() if k not in group["drop"]}
            where = {k: v for k, v in group["cells"].items() if k in values}
            self.submit(
                {"unit": unit, "period": period, "values": values}, where, group["unit_cell"]
            )


def _shown(value: Value) -> Value:
    """A value the workbook computed (not typed), in the current language's convention."""
    if isinstance(value, float):
        return number_text(value, digits=6)
    return value


def _at(cells: tuple[Value, ...], i: int | None) -> Value:
    return cells[i] if i is not None and i < len(cells) else None


def _text(value: Value) -> str:
    """A unit code, period or note as text: ``70`` typed as a number reads ``"70"`` (the
    engine's leading-zero rule then applies), ``None`` reads ``""``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    return str(value).strip()


_YES = {text.lower() for text in MESSAGES["xlsx.yes"]}
_NO = {text.lower() for text in MESSAGES["xlsx.no"]}


def _typed(value: Value, inp: Input | None) -> Value:
    """The template's own drop-down texts back to what they stand for; anything else as is.

    >>> from maturity.inputs.xlsx._core import Input
    >>> yes_no = Input(id="x", label={"vi": "x", "en": "x"}, type="boolean", tiers=["t"])
    >>> _typed("Có", yes_no), _typed("No", yes_no), _typed("maybe", yes_no)
    (True, False, 'maybe')
    """
    if inp is None or not isinstance(value, str):
        return value
    text = value.strip()
    if inp.type == "boolean":
        if text.lower() in _YES:
            return True
        if text.lower() in _NO:
            return False
    elif inp.type == "ordinal" and inp.choices:
        for key, label in inp.choices.items():
            if text in (choice_text(key, label.vi), choice_text(key, label.en)):
                return int(key)
        key_of = choice_key(text)
        if key_of is not None:
            return key_of
    return value


def read_into(reader: SubmissionReader, path: Path, display: str) -> None:
    """Read the workbook at ``path`` into ``reader``'s batch (the hook of the submission
    loader): its submissions, its diagnostics and its digest."""
    loader = _Loader(reader, display)
    if path.name.startswith("~$"):  # Excel's owner file beside a workbook that is open
        loader.note(Finding("info", "xlsx.owner_file", "", {"workbook": path.name[2:]}))
        return
    try:
        book = read_workbook(path, display)
    except WorkbookError as exc:
        loader.note(exc.finding)
        return
    except OSError as exc:
        loader.note(Finding("error", "xlsx.unreadable", "", {"why": exc.strerror or str(exc)}))
        return
    reader.batch.files[display] = "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    if isinstance(book, TemplateBook):
        loader.template(book)
    else:
        loader.table(book)


def load_workbook(path: Path, framework: Framework, registry: Registry, display: str = "") -> Batch:
    """One workbook's submissions and diagnostics, read on their own."""
    reader = SubmissionReader(framework, registry)
    read_into(reader, path, display or path.name)
    return reader.batch
