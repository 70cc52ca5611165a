"""Read submissions: one YAML/JSON file per unit, or CSV tables (wide or long) of many units.

Spreadsheet output is tolerated (byte-order mark, ``;`` or tab separators, Vietnamese comma
decimals, percent signs, blank cells, stray spaces); anything ambiguous is rejected with a
diagnostic naming the file, row and column. Every submitted value ends up *used*, or in a
diagnostic as ignored or rejected. One bad unit never fails the batch.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
from numpy.typing import NDArray

from maturity._i18n import t
from maturity._yaml import Document, load_yaml_text, read_text
from maturity.errors import InputError
from maturity.framework import Framework
from maturity.model import Input
from maturity.units import Registry

MAX_SUBMISSION_BYTES = 64 * 1024 * 1024
MAX_ABS_VALUE = 1e15  # no count or rate in this domain comes near; bigger is a typing error

_UNIT_COLUMNS = ("unit", "unit_id", "id", "ma_don_vi", "mã đơn vị")
_LONG_FIELD_COLUMNS = ("input", "indicator", "field", "chi_tieu")
_NA_TEXT = {"n/a", "na", "không áp dụng", "khong ap dung", "not applicable"}
_TRUE = {"1", "true", "yes", "y", "có", "co", "x", "đúng", "dung"}
_FALSE = {"0", "false", "no", "n", "không", "khong", "sai"}


@dataclass(frozen=True)
class Diagnostic:
    """A data problem found while reading or scoring; never fatal for the batch."""

    severity: str  # "error" | "warning" | "info"
    code: str
    message: str
    unit: str | None = None
    indicator: str | None = None
    file: str | None = None
    line: int | None = None
    column: str | None = None
    check: str | None = None  # the consistency check, for check.failed / check.error

    def sort_key(self) -> tuple[str, str, int, str, str, str]:
        return (
            self.file or "",
            self.unit or "",
            self.line or 0,
            self.indicator or "",
            self.code,
            self.message,
        )


@dataclass
class Submission:
    """What one unit reported for one period.

    ``values`` read from files is a read-only mapping: to change a submission, make a new one
    (``dataclasses.replace(sub, values={...})``). A submission read from a CSV table also knows
    its row (``source``), so the engine can take whole columns from the table; a replaced
    submission has no ``source`` and is read value by value.
    """

    unit: str
    period: str
    values: Mapping[str, float]  # accepted values, by input id
    invalid: dict[str, str] = field(default_factory=dict)  # input id -> why it was rejected
    not_applicable: dict[str, str] = field(default_factory=dict)  # indicator id -> reason
    evidence: dict[str, str] = field(default_factory=dict)
    file: str = ""
    line: int = 0
    source: TableRow | None = field(default=None, init=False, repr=False, compare=False)


F64 = NDArray[np.float64]


class Table:
    """The accepted numbers of one CSV table, column by column (NaN where a row has no
    accepted value), for the rows that became submissions, as read for ``framework``."""

    def __init__(self, size: int, framework: Framework) -> None:
        self.size = size
        self.framework = framework
        self.columns: dict[str, F64] = {}

    def put(self, name: str, column: F64) -> None:
        self.columns[name] = column

    def patch(self, name: str, row: int, value: float) -> None:
        """A value accepted by the careful per-cell path (e.g. ``94,5``)."""
        column = self.columns.get(name)
        if column is None:
            column = self.columns[name] = np.full(self.size, np.nan)
        column[row] = value


@dataclass(frozen=True)
class TableRow:
    """Where a submission's values sit in a :class:`Table`; valid while ``values`` is still
    the very mapping the reader made (it is read-only, so it cannot change in place)."""

    table: Table
    row: int
    values: Mapping[str, float]


@dataclass
class Batch:
    """Submissions read from one or more files, plus everything noticed on the way."""

    submissions: list[Submission] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # display name -> sha256


# --------------------------------------------------------------------------- values


_PLAIN_FAST = re.compile(r"^-?\d{1,15}(\.\d{1,15})?$")
_NUM_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_COMMA_DECIMAL = re.compile(r"^[+-]?\d+,\d+$")
# '617.000' for a whole number: 617 written with three decimals, or 617,000 written with a
# Vietnamese thousands dot? Only a count can tell the two apart by being a count: ask.
_THOUSANDS_DOT = re.compile(r"^[+-]?[1-9]\d{0,2}\.\d{3}$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}([.,])\d{3}(\1\d{3})*([.,]\d+)?$")


def parse_number(text: str) -> float:
    """Parse a number as written by people and spreadsheets.

    Raises ``ValueError`` with a reason when the text is not a number or is ambiguous.

    >>> parse_number("94,5")
    94.5
    >>> parse_number("1.234.567")
    1234567.0
    >>> parse_number("75%")
    75.0
    >>> parse_number("1,234")
    Traceback (most recent call last):
    ...
    ValueError: ambiguous
    """
    s = text.strip().replace("\u00a0", "").replace(" ", "")
    if s.endswith("%"):
        s = s[:-1]
    if not s:
        raise ValueError("empty")
    if _NUM_PLAIN.match(s):
        value = float(s)
    elif _COMMA_DECIMAL.match(s):
        whole, frac = s.split(",")
        digits = whole.lstrip("+-")
        # 1,234: a thousands group or a decimal comma? Not 0,125 nor 1234,5: a leading group
        # of thousands has 1-3 digits and no leading zero
        if len(frac) == 3 and len(digits) <= 3 and not digits.startswith("0"):
            raise ValueError("ambiguous")
        value = float(f"{whole}.{frac}")
    elif m := _GROUPED.match(s):
        group = m.group(1)
        decimal = m.group(3)
        if decimal and decimal[0] == group:
            raise ValueError("ambiguous")
        body = s[: len(s) - len(decimal)] if decimal else s
        value = float(body.replace(group, "") + (("." + decimal[1:]) if decimal else ""))
    else:
        raise ValueError("not a number")
    if not math.isfinite(value):
        raise ValueError("not a number")
    return value


def coerce_value(raw: Any, inp: Input) -> float:
    """Convert one submitted value for ``inp``; ``ValueError`` says why it is rejected."""
    if isinstance(raw, bool):
        value = 1.0 if raw else 0.0
    elif isinstance(raw, (int, float)):
        value = float(raw)
        if not math.isfinite(value):
            raise ValueError(t("value.not_number", value=raw))
    elif isinstance(raw, str) and inp.type == "integer" and _THOUSANDS_DOT.match(raw.strip()):
        raise ValueError(t("value.ambiguous_dot", value=raw.strip()))
    elif isinstance(raw, str) and _PLAIN_FAST.match(raw):
        value = float(raw)  # the common case: a plain decimal number, no locale to guess
    elif isinstance(raw, str):
        text = raw.strip()
        low = text.lower()
        if inp.type == "boolean" and low in _TRUE | _FALSE:
            value = 1.0 if low in _TRUE else 0.0
        else:
            try:
                value = parse_number(text)
            except ValueError as exc:
                key = "value.ambiguous" if str(exc) == "ambiguous" else "value.not_number"
                raise ValueError(t(key, value=raw)) from None
    else:
        raise ValueError(t("value.not_number", value=str(raw)[:40]))
    if abs(value) > MAX_ABS_VALUE:
        raise ValueError(t("value.huge", value=raw))
    if inp.type == "boolean" and value not in (0.0, 1.0):
        raise ValueError(t("value.boolean", value=raw))
    if inp.type in ("integer", "ordinal") and value != int(value):
        raise ValueError(t("value.integer", value=raw))
    if inp.type == "ordinal" and inp.choices is not None and str(int(value)) not in inp.choices:
        raise ValueError(t("value.choice", value=raw, allowed=", ".join(sorted(inp.choices))))
    if inp.min is not None and value < inp.min:
        raise ValueError(t("value.below", value=raw, limit=_fmt(inp.min)))
    if inp.max is not None and value > inp.max:
        raise ValueError(t("value.above", value=raw, limit=_fmt(inp.max)))
    return value


def _fmt(x: float) -> str:
    return str(int(x)) if x == int(x) else str(x)


# --------------------------------------------------------------------------- reading


class _Reader:
    def __init__(self, framework: Framework, registry: Registry) -> None:
        self.fw = framework
        self.registry = registry
        self.batch = Batch()
        self.seen: dict[str, str] = {}  # unit id -> where it was first submitted
        self.tiers = set(framework.tier_ids())
        self.indicator_ids = {ind.id: ind for ind in framework.indicators}

    def diag(
        self,
        severity: str,
        code: str,
        unit: str | None = None,
        indicator: str | None = None,
        file: str | None = None,
        line: int | None = None,
        column: str | None = None,
        **kw: Any,
    ) -> None:
        self.batch.diagnostics.append(
            Diagnostic(severity, code, t(code, **kw), unit, indicator, file, line or None, column)
        )

    def add(
        self,
        unit_raw: Any,
        period: Any,
        values: dict[str, Any],
        na: dict[str, Any],
        evidence: dict[str, Any],
        file: str,
        line: int,
        columns: dict[str, str] | None = None,
        from_table: bool = False,
        value_lines: dict[str, int] | None = None,
        table_row: tuple[Table, int] | None = None,
    ) -> None:
        unit_id = str(unit_raw).strip() if unit_raw is not None else ""
        if not unit_id:
            self.diag("error", "unit.no_id", file=file, line=line)
            return
        unit = self.registry.get(unit_id)
        if unit is None:
            close = difflib.get_close_matches(unit_id, list(self.registry.units), n=1, cutoff=0.8)
            hint = t("shape.did_you_mean", name=close[0]) if close else ""
            self.diag(
                "error", "unit.unknown", unit=unit_id, file=file, line=line, id=unit_id, hint=hint
            )
            return
        if unit.tier not in self.tiers:
            self.diag(
                "error",
                "unit.tier",
                unit=unit_id,
                file=file,
                line=line,
                tier=unit.tier,
                framework=self.fw.id,
            )
            return
        if unit_id in self.seen:
            self.diag(
                "error",
                "unit.duplicate",
                unit=unit_id,
                file=file,
                line=line,
                first=self.seen[unit_id],
            )
            return
        self.seen[unit_id] = f"{file}:{line}" if line else file
        accepted: dict[str, float] = {}
        sub = Submission(
            unit_id,
            str(period).strip() if period is not None else "",
            accepted,
            file=file,
            line=line,
        )
        tier_inputs = self.tier_inputs(unit.tier)
        used_inputs = self.used_inputs(unit.tier)
        cols = columns or {}

        def about(severity: str, code: str, name: str, **kw: Any) -> None:
            """A diagnostic about one submitted value, located at its cell."""
            self.diag(
                severity,
                code,
                unit=unit_id,
                file=file,
                line=value_lines.get(name, line) if value_lines else line,
                column=cols.get(name),
                input=name,
                **kw,
            )

        for key, raw in values.items():
            if raw is None or (isinstance(raw, str) and (not raw or raw.isspace())):
                continue  # blank: missing, reported per indicator as a data gap
            name = key.strip() if isinstance(key, str) else str(key)
            inp = tier_inputs.get(name)
            if inp is not None and type(raw) is float and from_table:
                accepted[name] = raw  # converted and range-checked column-wise (_fast_column)
                if name not in used_inputs:
                    about("info", "value.unused", name)
                continue
            if (
                inp is not None
                and isinstance(raw, str)
                and _PLAIN_FAST.match(raw)
                and not (inp.type == "integer" and _THOUSANDS_DOT.match(raw))
            ):
                value = float(raw)  # fast path for the common case; same checks as coerce_value
                if (
                    (inp.min is None or value >= inp.min)
                    and (inp.max is None or value <= inp.max)
                    and (inp.type == "number" or value.is_integer())
                    and (inp.type != "boolean" or value in (0.0, 1.0))
                    and inp.type != "ordinal"
                ):
                    accepted[name] = value
                    if table_row is not None:
                        table_row[0].patch(name, table_row[1], value)
                    if name not in used_inputs:
                        about("info", "value.unused", name)
                    continue
            if isinstance(raw, str) and raw.strip().lower() in _NA_TEXT:
                about("warning", "value.na_text", name)
                continue
            if inp is None:
                if name in self.fw.inputs:
                    about("warning", "value.other_tier", name, tier=unit.tier)
                else:
                    close = difflib.get_close_matches(name, list(tier_inputs), n=1, cutoff=0.7)
                    hint = t("shape.did_you_mean", name=close[0]) if close else ""
                    about("warning", "value.unknown_input", name, hint=hint)
                continue
            try:
                accepted[name] = coerce_value(raw, inp)
                if table_row is not None:
                    table_row[0].patch(name, table_row[1], accepted[name])
            except ValueError as exc:
                sub.invalid[name] = str(exc)
                about("error", "value.rejected", name, why=str(exc))
                continue
            if name not in used_inputs:
                about("info", "value.unused", name)
        for key, reason in na.items():
            ind_id = str(key).strip()
            ind = self.indicator_ids.get(ind_id)
            if ind is None or unit.tier not in ind.tiers:
                close = difflib.get_close_matches(ind_id, list(self.indicator_ids), n=1, cutoff=0.7)
                hint = t("shape.did_you_mean", name=close[0]) if close else ""
                self.diag(
                    "warning",
                    "na.unknown",
                    unit=unit_id,
                    indicator=ind_id,
                    file=file,
                    line=line,
                    id=ind_id,
                    hint=hint,
                )
            elif not ind.not_applicable:
                self.diag(
                    "error",
                    "na.not_allowed",
                    unit=unit_id,
                    indicator=ind_id,
                    file=file,
                    line=line,
                    id=ind_id,
                )
            else:
                sub.not_applicable[ind_id] = str(reason or "")
        for key, text in evidence.items():
            sub.evidence[str(key)] = str(text)
        sub.values = MappingProxyType(accepted)
        if table_row is not None:
            sub.source = TableRow(table_row[0], table_row[1], sub.values)
        self.batch.submissions.append(sub)

    _used: dict[str, set[str]] | None = None
    _tier_inputs: dict[str, dict[str, Input]] | None = None

    def tier_inputs(self, tier: str) -> dict[str, Input]:
        if self._tier_inputs is None:
            self._tier_inputs = {}
        if tier not in self._tier_inputs:
            self._tier_inputs[tier] = {inp.id: inp for inp in self.fw.inputs_for(tier)}
        return self._tier_inputs[tier]

    def used_inputs(self, tier: str) -> set[str]:
        if self._used is None:
            from maturity import _formula as fx

            used: dict[str, set[str]] = {tid: set() for tid in self.tiers}
            parent_of = {tt.id: tt.parent for tt in self.fw.manifest.tiers}
            exprs = [(ind.tiers, self.fw.formulas.get(ind.id)) for ind in self.fw.indicators]
            exprs += [
                (c.tiers, self.fw.formulas.get(f"check:{c.id}")) for c in self.fw.manifest.checks
            ]
            exprs += [(d.tiers, self.fw.formulas.get(d.id)) for d in self.fw.derived.values()]
            derived_names: dict[str, set[str]] = {}
            for did in self.fw.derived:
                expr = self.fw.formulas.get(did)
                if expr is not None:
                    own, _ = fx.names_used(expr)
                    derived_names[did] = own
            for tiers, expr in exprs:
                if expr is None:
                    continue
                own, inside = fx.names_used(expr)
                names = set(own)
                stack = list(own)
                while stack:  # derived values use inputs too
                    name = stack.pop()
                    for dep in derived_names.get(name, set()) - names:
                        names.add(dep)
                        stack.append(dep)
                for expr_tier in tiers:
                    used.setdefault(expr_tier, set()).update(names)
                    for child, parent in parent_of.items():
                        if parent == expr_tier:
                            used.setdefault(child, set()).update(inside)
            self._used = used
        return self._used.get(tier, set())

    # -- formats ---------------------------------------------------------------
    def read_document(
        self,
        data: Any,
        file: str,
        doc: Document | None = None,
        cells: dict[str, str] | None = None,
    ) -> None:
        """One unit's submission (YAML or JSON data). With the YAML ``doc``, diagnostics name
        the line of the unit's id and of each value."""
        if not isinstance(data, dict):
            self.diag(
                "error",
                "sub.shape",
                file=file,
                what=t("shape.type", expected="a mapping", got=type(data).__name__).rstrip("."),
            )
            return
        allowed = {
            "unit",
            "period",
            "framework",
            "values",
            "not_applicable",
            "evidence",
            "name",
            "tier",
            "notes",
        }
        for key in data:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), sorted(allowed), n=1, cutoff=0.6)
                hint = t("shape.did_you_mean", name=close[0]) if close else ""
                self.diag("error", "sub.unknown_key", file=file, key=key, hint=hint)
                return
        if "unit" not in data:
            self.diag("error", "unit.no_id", file=file, line=1)
            return
        fw = data.get("framework")
        if fw is not None and str(fw) != self.fw.id:
            self.diag(
                "warning",
                "sub.framework",
                file=file,
                unit=str(data.get("unit")),
                named=fw,
                framework=self.fw.id,
            )
        values = data.get("values") or {}
        na = data.get("not_applicable") or {}
        evidence = data.get("evidence") or {}
        for key, part in (("values", values), ("not_applicable", na), ("evidence", evidence)):
            if not isinstance(part, dict):
                self.diag("error", "sub.shape", file=file, what=f"'{key}' must be a mapping")
                return
        line = 0
        value_lines: dict[str, int] = {}
        if doc is not None:
            line = doc.locate(("unit",)).line
            value_lines = {str(k): doc.locate(("values", k)).line for k in values}
        self.add(
            data.get("unit"),
            data.get("period"),
            values,
            na,
            evidence,
            file,
            line,
            cells,
            value_lines=value_lines,
        )

    def read_csv(self, text: str, file: str) -> None:
        lines = text.splitlines()
        first = next((ln for ln in lines if ln.strip()), "")
        delimiter = max((";", ",", "\t"), key=first.count)
        # newline="": a lone '\r' (old spreadsheets) ends a line instead of failing the reader
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        rows: list[tuple[int, list[str]]] = []
        start = 1  # the line a row starts on: a quoted cell may span lines
        try:
            for row in reader:
                rows.append((start, row))
                start = reader.line_num + 1
        except csv.Error as exc:  # e.g. a cell beyond the csv module's field size limit
            self.diag("error", "sub.shape", file=file, line=start, what=str(exc))
            return
        rows = [(n, [c.strip() for c in row]) for n, row in rows if any(c.strip() for c in row)]
        if not rows:
            self.diag("error", "csv.empty", file=file)
            return
        header_line, header = rows[0]
        header = [h.strip().lstrip("\ufeff") for h in header]
        low = [h.lower() for h in header]
        unit_col = next((i for i, h in enumerate(low) if h in _UNIT_COLUMNS), None)
        if unit_col is None:
            self.diag(
                "error",
                "csv.no_unit_column",
                file=file,
                line=header_line,
                allowed=", ".join(_UNIT_COLUMNS),
            )
            return
        dupes = sorted({h for h in header if header.count(h) > 1 and h})
        if dupes:
            self.diag(
                "error",
                "csv.duplicate_column",
                file=file,
                line=header_line,
                columns=", ".join(dupes),
            )
            return
        # rows whose unit cell starts with '#' are notes (the template's guide rows)
        notes = {n for n, row in rows[1:] if len(row) > unit_col and row[unit_col][:1] == "#"}
        rows = [r for r in rows if r[0] not in notes]
        period_col = low.index("period") if "period" in low else None
        field_col = next((i for i, h in enumerate(low) if h in _LONG_FIELD_COLUMNS), None)
        if field_col is not None and "value" in low:
            self.read_long(
                rows[1:], header, unit_col, period_col, field_col, low.index("value"), file
            )
            return
        na_col = low.index("not_applicable") if "not_applicable" in low else None
        skip = {
            unit_col,
            period_col,
            na_col,
            *(i for i, h in enumerate(low) if h in ("name", "tier", "parent")),
        }
        kept = [i for i in range(len(header)) if i not in skip]
        columns = {header[i]: f"{_column_letter(i)} ({header[i]})" for i in kept}
        body: list[tuple[int, list[str]]] = []
        for line, row in rows[1:]:
            if len(row) > len(header):
                self.diag(
                    "error",
                    "csv.row_width",
                    file=file,
                    line=line,
                    got=len(row),
                    expected=len(header),
                )
                continue
            body.append((line, row + [""] * (len(header) - len(row))))
        cells_by_column = (
            list(zip(*(row for _, row in body), strict=True)) if body else [()] * len(header)
        )
        table = Table(len(body), self.fw)
        parsed: dict[int, list[Any]] = {}
        for i in kept:
            parsed[i], column = _fast_column(
                list(cells_by_column[i]), self.fw.inputs.get(header[i])
            )
            if column is not None:
                table.put(header[i], column)
        names = [(header[i], parsed[i]) for i in kept]
        for r, (line, row) in enumerate(body):
            values = {name: col[r] for name, col in names if col[r] != ""}  # blank = missing
            na: dict[str, str] = {}
            if na_col is not None and row[na_col]:
                for item in re.split(r"[|\s]+", row[na_col]):
                    if item:
                        na[item] = ""
            self.add(
                row[unit_col],
                row[period_col] if period_col is not None else "",
                values,
                na,
                {},
                file,
                line,
                columns,
                from_table=True,
                table_row=(table, r),
            )

    def read_long(
        self,
        rows: list[tuple[int, list[str]]],
        header: list[str],
        unit_col: int,
        period_col: int | None,
        field_col: int,
        value_col: int,
        file: str,
    ) -> None:
        grouped: dict[str, tuple[int, str, dict[str, str], dict[str, str]]] = {}
        for line, raw in rows:
            row = raw + [""] * (len(header) - len(raw))
            unit = row[unit_col]
            name = row[field_col]
            if not unit:
                self.diag("error", "unit.no_id", file=file, line=line)
                continue
            entry = grouped.setdefault(
                unit, (line, row[period_col] if period_col is not None else "", {}, {})
            )
            if name in entry[2]:
                self.diag(
                    "error", "csv.duplicate_value", file=file, line=line, unit=unit, input=name
                )
                continue
            entry[2][name] = row[value_col]
            entry[3][name] = f"line {line}"
        for unit, (line, period, values, cols) in grouped.items():
            self.add(unit, period, values, {}, {}, file, line, cols)


_PLAIN_CHARS = str.maketrans("", "", "0123456789.-")


def _fast_column(cells: list[str], inp: Input | None) -> tuple[list[Any], F64 | None]:
    """Convert a whole column of plain decimal cells at once.

    Cells that are plain numbers within the input's type and range become floats; every other
    cell (blank, locale-formatted, out of range, text) stays a string for the careful per-cell
    path, which accepts or rejects it with a message (and, when it accepts, patches the
    returned column: NaN where no value was accepted here). Same results, a fraction of the time:
    when the whole column holds nothing but digits, '.' and '-', Python's ``float`` parses
    each cell (faster than numpy's string conversion) and a cell it refuses ("1.2.3") is left
    to the careful path; otherwise only the cells matching the plain-number pattern are taken.
    """
    if inp is None or inp.type == "ordinal":
        return list(cells), None
    nan = math.nan
    clean = not "".join(cells).translate(_PLAIN_CHARS)
    match = _PLAIN_FAST.match

    def plain(cell: str) -> float:
        if not cell or not (clean or match(cell)):
            return nan
        try:
            return float(cell)
        except ValueError:
            return nan

    values = np.array([plain(c) for c in cells], dtype=np.float64)
    ok = np.abs(values) <= MAX_ABS_VALUE  # False for NaN; beyond: the per-cell path rejects it
    if not ok.any():
        return list(cells), None
    if inp.min is not None:
        ok &= values >= inp.min
    if inp.max is not None:
        ok &= values <= inp.max
    if inp.type in ("integer", "boolean"):
        ok &= values == np.floor(values)
    if inp.type == "integer":  # '617.000': a thousands dot? the careful path asks
        for r, cell in enumerate(cells):
            if "." in cell and _THOUSANDS_DOT.match(cell):
                ok[r] = False
    if inp.type == "boolean":
        ok &= (values == 0) | (values == 1)
    floats = values.tolist()
    cells_out = [f if k else c for f, k, c in zip(floats, ok.tolist(), cells, strict=True)]
    return cells_out, np.where(ok, values, np.nan)


def _column_letter(index: int) -> str:
    """Spreadsheet column name of a 0-based index.

    >>> _column_letter(0), _column_letter(27)
    ('A', 'AB')
    """
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def load_submissions(paths: list[Path], framework: Framework, registry: Registry) -> Batch:
    """Read every submission file; problems become diagnostics, never exceptions.

    Folders are read recursively (``*.yaml``, ``*.yml``, ``*.json``, ``*.csv``).
    """
    reader = _Reader(framework, registry)
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.suffix.lower() in (".yaml", ".yml", ".json", ".csv")
                )
            )
        else:
            files.append(path)
    for path in files:
        name = _display(path)
        if not path.is_file():
            reader.diag("error", "file.not_found_diag", file=name)
            continue
        try:
            text = read_text(path, name, MAX_SUBMISSION_BYTES)
        except InputError as exc:
            for p in exc.problems:
                reader.batch.diagnostics.append(
                    Diagnostic("error", p.code, p.message, file=name, line=p.location.line or None)
                )
            continue
        reader.batch.files[name] = "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
        suffix = path.suffix.lower()
        if suffix == ".csv":
            reader.read_csv(text, name)
        elif suffix == ".json":
            try:
                data = json.loads(text, parse_constant=_reject_constant)
            except (json.JSONDecodeError, ValueError) as exc:
                line = getattr(exc, "lineno", 0)
                reader.diag("error", "sub.json", file=name, line=line or None, what=str(exc))
                continue
            reader.read_document(data, name)
        elif suffix in (".yaml", ".yml"):
            try:
                doc = load_yaml_text(text, name)
            except InputError as exc:
                for p in exc.problems:
                    reader.batch.diagnostics.append(
                        Diagnostic(
                            "error", p.code, p.message, file=name, line=p.location.line or None
                        )
                    )
                continue
            reader.read_document(_as_written(doc), name, doc)
        else:
            reader.diag(
                "error",
                "file.kind_diag",
                file=name,
                ext=suffix or "(none)",
                allowed=".yaml, .yml, .json, .csv",
            )
    periods = sorted({s.period for s in reader.batch.submissions if s.period})
    if len(periods) > 1:
        reader.diag("warning", "sub.periods", periods=", ".join(periods))
    return reader.batch


def read_mapping(
    data: Mapping[str, Any],
    framework: Framework,
    registry: Registry,
    *,
    file: str = "<input>",
    cells: Mapping[str, str] | None = None,
) -> Batch:
    """Read one unit's submission given as data (the shape of a YAML/JSON submission file:
    ``unit``, ``period``, ``values``, ``not_applicable``, ``evidence``), as the web platform
    and other callers receive it; problems become diagnostics, never exceptions.

    Values may be text as typed (read by the same rules as a file) or typed numbers and
    booleans (a spreadsheet's numeric cell). ``cells`` names where each value sits (input id
    -> e.g. ``"Nhập liệu!D14"``); diagnostics about a value then carry it as their column."""
    reader = _Reader(framework, registry)
    reader.read_document(dict(data), file, cells=dict(cells or {}))
    return reader.batch


_YAML_OCTAL = re.compile(r"[-+]?0[0-7_]+")


def _as_written(doc: Document) -> Any:
    """The document's data with every YAML 1.1 octal integer back as the text written.

    PyYAML reads ``unit: 00070`` (Phường Hoàn Kiếm) as octal 56, which is Khánh Hòa's code,
    and a count ``0100`` as 64. As text, the unit keeps its zeros and a value is read in
    decimal by :func:`coerce_value`.
    """
    lines = doc.text.splitlines()

    def fix(value: Any, path: tuple[str | int, ...]) -> Any:
        if isinstance(value, dict):
            return {k: fix(v, (*path, k)) for k, v in value.items()}
        if isinstance(value, list):
            return [fix(v, (*path, i)) for i, v in enumerate(value)]
        if isinstance(value, int) and not isinstance(value, bool) and path in doc.marks:
            line, col = doc.marks[path]
            text = lines[line - 1][col - 1 :] if line <= len(lines) else ""
            token = re.match(r"[^\s,#\]}]+", text)
            written = token.group(0) if token else ""
            if _YAML_OCTAL.fullmatch(written) and int(written.replace("_", ""), 8) == value:
                return written
        return value

    return fix(doc.data, ())


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number")
