"""Read submissions: one YAML/JSON file per unit, or CSV tables (wide or long) of many units.

Spreadsheet output is tolerated (byte-order mark, ``;`` or tab separators, Vietnamese comma
decimals, percent signs on percentages, blank cells, stray spaces, header cells in another
case); anything ambiguous or wrong is rejected with a diagnostic naming the file, line, column
and input. Every submitted value is accounted for in the unit's :class:`Ledger`: used,
rejected or ignored, each with its diagnostic. One bad unit never fails the batch, and the
readers never raise anything but the project's own errors.

How one value is read (number conventions, yes/no words, percent signs, ranges) is
:func:`maturity._values.read_value`, the one acceptance rule of every source.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import numpy as np

from maturity.errors import Location, Problem
from maturity.framework.compiled import Framework
from maturity.framework.model import Input
from maturity.framework.vocabulary import NA_WORDS
from maturity.framework.yaml_loader import Document
from maturity.i18n import Message, Text, did_you_mean, msg
from maturity.inputs.periods import normalise
from maturity.inputs.submissions import (
    F64,
    MAX_CELL_CHARS,
    MAX_SUBMISSION_BYTES,
    MAX_SUGGESTIONS,
    Batch,
    Entry,
    Ledger,
    Submission,
    Table,
    TableRow,
)
from maturity.inputs.units import Registry, Unit
from maturity.inputs.values import (
    MAX_ABS_VALUE,
    PLAIN,
    convention_of,
    quote,
    read_value,
)

UNIT_COLUMNS = ("unit", "unit_id", "id", "ma_don_vi", "mã đơn vị")


LONG_FIELD_COLUMNS = ("input", "indicator", "field", "chi_tieu")


_INFO_COLUMNS = ("name", "tier", "parent", "notes", "ghi_chu", "ten", "tên")


_DOCUMENT_KEYS = (
    "unit",
    "period",
    "framework",
    "locale",
    "decimal_mark",
    "values",
    "not_applicable",
    "evidence",
    "name",
    "tier",
    "notes",
)


_CONVENTION_KEYS = ("locale", "decimal_mark", "dau_thap_phan", "dấu thập phân")


def _blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and (not raw or raw.isspace()))


class SubmissionReader:
    def __init__(
        self, framework: Framework, registry: Registry, decimal_mark: str | None = None
    ) -> None:
        self.fw = framework
        self.registry = registry
        self.decimal_mark = decimal_mark
        self.batch = Batch()
        self.seen: dict[tuple[str, str], str] = {}  # (unit id, period) -> where first
        self.odd_periods: set[tuple[str, str]] = set()  # (file, period) said once
        self.tiers = set(framework.tier_ids())
        self.indicator_ids = {ind.id: ind for ind in framework.indicators}
        self.suggestions_left = MAX_SUGGESTIONS
        self._tier_inputs: dict[str, dict[str, Input]] = {}
        self._used: dict[str, set[str]] | None = None
        self._plain: dict[str, frozenset[str]] = {}

    def diag(
        self,
        severity: str,
        code: str,
        unit: str | None = None,
        indicator: str | None = None,
        file: str | None = None,
        line: int | None = None,
        column: str | None = None,
        input: str | None = None,
        **kw: Any,
    ) -> None:
        self.batch.diagnostics.append(
            Problem.at(
                Location(file or "", line or 0, cell=column or ""),
                code,
                severity=severity,
                unit=unit,
                indicator=indicator,
                input=input,
                **kw,
            )
        )

    # -- units -------------------------------------------------------------------
    def resolve(self, text: str, file: str, line: int, cell: str | None) -> Unit | None:
        """The registry unit a submission names: exactly, or once a spreadsheet's stripped
        leading zeros are put back (with a warning naming both forms); else a diagnostic."""
        unit = self.registry.get(text)
        if unit is not None:
            return unit
        padded = self.registry.padded(text)
        if len(padded) == 1:
            unit = padded[0]
            self.diag(
                "warning",
                "unit.padded",
                unit=unit.id,
                file=file,
                line=line,
                column=cell,
                written=text,
                id=unit.id,
                name=unit.name,
            )
            return unit
        if padded:
            ids = ", ".join(f"{u.id} ({u.name})" for u in padded)
            self.diag(
                "error", "unit.padded_ambiguous", unit=text, file=file, line=line, id=text, ids=ids
            )
            return None
        hint: Text = ""
        if self.suggestions_left > 0:
            self.suggestions_left -= 1
            close = self.registry.suggest(text)
            hint = msg("shape.did_you_mean", name=close) if close else ""
        self.diag(
            "error",
            "unit.unknown",
            unit=text,
            file=file,
            line=line,
            column=cell,
            id=text,
            hint=hint,
        )
        return None

    def tier_inputs(self, tier: str) -> dict[str, Input]:
        if tier not in self._tier_inputs:
            self._tier_inputs[tier] = {inp.id: inp for inp in self.fw.inputs_for(tier)}
        return self._tier_inputs[tier]

    def plain_inputs(self, tier: str) -> frozenset[str]:
        """The inputs of ``tier`` that its formulas use: a plain number read for one of them
        is accepted as it is."""
        found = self._plain.get(tier)
        if found is None:
            found = self._plain[tier] = frozenset(
                set(self.tier_inputs(tier)) & self.used_inputs(tier)
            )
        return found

    def used_inputs(self, tier: str) -> set[str]:
        if self._used is None:
            self._used = _used_inputs(self.fw, self.tiers)
        return self._used.get(tier, set())

    # -- one unit ----------------------------------------------------------------
    # complex on purpose: a validator over a unit's values, not-applicable and evidence entries
    def add(  # noqa: C901
        self,
        unit_raw: Any,
        period: Any,
        entries: list[Entry],
        na: Mapping[str, Any],
        evidence: Mapping[str, Any],
        file: str,
        line: int,
        *,
        convention: str | None = None,
        table_row: tuple[Table, int] | None = None,
        unit_cell: str | None = None,
        declared: Mapping[str, Any] | None = None,
        na_lines: Mapping[str, int] | None = None,
        na_reasons: bool = False,
        fast: dict[str, float] | None = None,
    ) -> None:
        """Read one unit's values; every value ends up used, rejected or ignored. ``fast``:
        a table row's plain numbers for inputs its unit's tier uses, already converted and
        range-checked column-wise, accepted as they are if the unit is the one expected."""
        unit_text = str(unit_raw).strip() if unit_raw is not None else ""
        ledger = Ledger(unit_text, file, line)
        ledger.submitted = sum(1 for e in entries if type(e.raw) is float or not _blank(e.raw))
        ledger.submitted += len(fast or ())
        self.batch.ledgers.append(ledger)
        period_text = self.period(period, file, line)
        unit = self.unit_for(unit_text, period_text, file, line, unit_cell)
        if unit is None:
            ledger.rejected = ledger.submitted
            return
        ledger.unit = unit.id
        self.seen[(unit.id, period_text)] = f"{file}:{line}" if line else file
        accepted: dict[str, float] = {}
        if fast:
            assert table_row is not None and fast.keys() <= self.plain_inputs(unit.tier)
            accepted.update(fast)
            ledger.used += len(fast)
        sub = Submission(unit.id, period_text, accepted, file=file, line=line, ledger=ledger)
        if declared:
            self.check_declared(unit, declared, file, line)
        tier_inputs = self.tier_inputs(unit.tier)
        used_inputs = self.used_inputs(unit.tier)
        # a table's plain numbers were converted and range-checked column-wise (_fast_column):
        # one that this tier uses needs nothing more than storing
        plain = self.plain_inputs(unit.tier) if table_row is not None else frozenset()
        for entry in entries:
            raw = entry.raw
            if (
                type(raw) is float
                and entry.name in plain
                and entry.reject is None
                and entry.ignore is None
            ):
                accepted[entry.name] = raw
                ledger.used += 1
                continue
            if _blank(raw):
                continue  # blank: missing, reported per indicator as a data gap
            name = entry.name
            where: dict[str, Any] = {
                "unit": unit.id,
                "file": file,
                "line": entry.line or line,
                "column": entry.cell,
                "input": name,
            }
            if entry.reject is not None:
                ledger.rejected += 1
                sub.invalid[name] = why = entry.reject
                sub.written[name] = quote(raw)
                self.diag("error", "value.rejected", **where, why=why)
                continue
            if entry.ignore is not None:
                ledger.ignored += 1
                self.diag("warning", entry.ignore.code, **where, **entry.ignore.args)
                continue
            inp = tier_inputs.get(name)
            if inp is None:
                ledger.ignored += 1
                if entry.reported:
                    continue
                if name in self.fw.inputs:
                    self.diag(
                        "warning", "value.other_tier", **where, tier=self.fw.tier_text(unit.tier)
                    )
                else:
                    hint = did_you_mean(name, list(tier_inputs), 0.7)
                    self.diag("warning", "value.unknown_input", **where, hint=hint)
                continue
            if isinstance(raw, str) and raw.strip().lower() in NA_WORDS:
                ledger.ignored += 1
                self.diag("warning", "value.na_text", **where)
                continue
            if table_row is not None and type(raw) is float:
                value = raw  # converted and range-checked column-wise (_fast_column)
            else:
                reading = read_value(raw, inp, convention)
                if reading.rejected is not None:
                    ledger.rejected += 1
                    why = reading.rejected
                    sub.invalid[name] = why
                    sub.written[name] = quote(raw)
                    self.diag("error", "value.rejected", **where, why=why)
                    continue
                assert reading.value is not None
                value = reading.value
                if reading.note is not None:
                    self.diag("warning", reading.note.code, **where, **reading.note.args)
                if table_row is not None:
                    table_row[0].patch(name, table_row[1], value)
            accepted[name] = value
            if name in used_inputs:
                ledger.used += 1
            else:
                ledger.ignored += 1
                self.diag("info", "value.unused", **where)
        self.read_na(sub, unit, na, file, dict(na_lines or {}), line, na_reasons)
        for key, text in evidence.items():
            sub.evidence[str(key)] = str(text)
        sub.values = MappingProxyType(accepted)
        if table_row is not None:
            sub.source = TableRow(table_row[0], table_row[1], sub.values)
        self.batch.submissions.append(sub)

    def period(self, raw: Any, file: str, line: int) -> str:
        """The submission's period in its canonical form (``Quý III/2025`` is ``2025-Q3``); a
        form not known is kept as written, and said once per file."""
        text = "" if raw is None else str(raw)
        period, known = normalise(text)
        if not known and (file, period) not in self.odd_periods:
            self.odd_periods.add((file, period))
            self.diag("warning", "sub.period_form", file=file, line=line, period=period)
        return period

    def unit_for(
        self, text: str, period: str, file: str, line: int, cell: str | None
    ) -> Unit | None:
        """The unit of a submission, if it can be scored: known, of a tier the framework
        scores, not already submitted for this period in this batch."""
        if not text:
            self.diag("error", "unit.no_id", file=file, line=line)
            return None
        unit = self.resolve(text, file, line, cell)
        if unit is None:
            return None
        if unit.tier not in self.tiers:
            self.diag(
                "error",
                "unit.tier",
                unit=unit.id,
                file=file,
                line=line,
                tier=self.fw.tier_text(unit.tier),
                framework=self.fw.id,
            )
            return None
        if (unit.id, period) in self.seen:
            first = self.seen[(unit.id, period)]
            self.diag(
                "error",
                "unit.duplicate",
                unit=unit.id,
                file=file,
                line=line,
                first=first,
                period=period or "—",
            )
            return None
        return unit

    def check_declared(self, unit: Unit, declared: Mapping[str, Any], file: str, line: int) -> None:
        """A file's own ``tier`` and ``name`` must agree with the registry: a wrong code is the
        likeliest cause when they do not."""
        tier = declared.get("tier")
        if tier is not None and str(tier).strip() and str(tier).strip() != unit.tier:
            self.diag(
                "warning",
                "sub.tier_mismatch",
                unit=unit.id,
                file=file,
                line=line,
                declared=str(tier).strip(),
                tier=self.fw.tier_text(unit.tier),
            )
        name = declared.get("name")
        if isinstance(name, str) and name.strip() and not _same_name(name, unit.name):
            self.diag(
                "warning",
                "sub.name_mismatch",
                unit=unit.id,
                file=file,
                line=line,
                declared=name.strip(),
                name=unit.name,
            )

    def read_na(
        self,
        sub: Submission,
        unit: Unit,
        na: Mapping[str, Any],
        file: str,
        lines: dict[str, int],
        line: int,
        reasons: bool,
    ) -> None:
        for key, reason in na.items():
            ind_id = str(key).strip()
            ind = self.indicator_ids.get(ind_id)
            where: dict[str, Any] = {
                "unit": unit.id,
                "indicator": ind_id,
                "file": file,
                "line": lines.get(str(key), line),
            }
            if ind is None or unit.tier not in ind.tiers:
                hint = did_you_mean(ind_id, list(self.indicator_ids), 0.7)
                self.diag("warning", "na.unknown", **where, id=ind_id, hint=hint)
            elif not ind.not_applicable:
                self.diag("error", "na.not_allowed", **where, id=ind_id)
            else:
                text = "" if reason is None else str(reason).strip()
                if not text and reasons:
                    self.diag("warning", "na.no_reason", **where, id=ind_id)
                sub.not_applicable[ind_id] = text

    def convention(self, stated: list[tuple[str, Any]], file: str, line: int) -> str | None:
        """The decimal mark a file states (``locale: vi``...), else ``--decimal-mark``."""
        marks: set[str] = set()
        for key, value in stated:
            mark = convention_of(value)
            if mark is None:
                self.diag(
                    "warning",
                    "sub.locale_unknown",
                    file=file,
                    line=line,
                    key=key,
                    value=quote(value),
                )
            else:
                marks.add(mark)
        if len(marks) > 1:
            self.diag("error", "sub.locale_conflict", file=file, line=line)
            return None
        mark = next(iter(marks), None)
        if mark is not None and self.decimal_mark is not None and mark != self.decimal_mark:
            self.diag(
                "warning",
                "sub.locale_override",
                file=file,
                line=line,
                mark=mark,
                option=self.decimal_mark,
            )
        return mark if mark is not None else self.decimal_mark

    # -- formats ---------------------------------------------------------------
    def read_document(self, doc: Document) -> None:
        """One unit's submission from a YAML or JSON file: every value judged from its source
        text, every diagnostic on the line of the value (or of the unit id)."""
        data, file = doc.data, doc.file
        if not isinstance(data, dict):
            what = msg("sub.not_mapping", got=type(data).__name__)
            self.diag("error", "sub.shape", file=file, line=1, what=what)
            return
        for key in data:
            if key not in _DOCUMENT_KEYS:
                line = doc.locate((key,), key=True).line
                hint = did_you_mean(str(key), list(_DOCUMENT_KEYS))
                self.diag("error", "sub.unknown_key", file=file, line=line, key=key, hint=hint)
                return
        values = data.get("values") or {}
        na = data.get("not_applicable") or {}
        evidence = data.get("evidence") or {}
        if isinstance(na, list):
            na = {str(doc.written(("not_applicable", i))): "" for i in range(len(na))}
        for key, part in (("values", values), ("not_applicable", na), ("evidence", evidence)):
            if not isinstance(part, dict):
                line = doc.locate((key,)).line
                what = msg("sub.part_mapping", key=key)
                self.diag("error", "sub.shape", file=file, line=line, what=what)
                return
        if "unit" not in data:
            self.diag("error", "unit.no_id", file=file, line=1)
            return
        unit_raw = doc.written(("unit",))
        line = doc.locate(("unit",)).line
        fw = data.get("framework")
        if fw is not None and str(fw) != self.fw.id:
            self.diag(
                "warning",
                "sub.framework",
                file=file,
                line=doc.locate(("framework",)).line,
                unit=str(unit_raw),
                named=fw,
                framework=self.fw.id,
            )
        stated = [(k, doc.written((k,))) for k in _CONVENTION_KEYS if k in data]
        convention = self.convention(stated, file, line)
        entries = [
            Entry(
                str(key),
                doc.written(("values", key)) if not isinstance(raw, dict | list) else raw,
                doc.locate(("values", key)).line,
            )
            for key, raw in values.items()
        ]
        na_lines = {str(k): doc.locate(("not_applicable", k)).line for k in na}
        self.add(
            unit_raw if isinstance(unit_raw, str) else None if unit_raw is None else unit_raw,
            doc.written(("period",)),
            entries,
            {
                k: (doc.written(("not_applicable", k)) if isinstance(v, str) else v)
                for k, v in na.items()
            },
            evidence,
            file,
            line,
            convention=convention,
            declared={"tier": data.get("tier"), "name": data.get("name")},
            na_lines=na_lines,
            na_reasons=True,
        )

    def read_data(self, data: Mapping[str, Any], file: str, cells: Mapping[str, str]) -> None:
        """One unit's submission given as data (no source text): typed numbers are taken as
        typed, text is read as a file's would be."""
        for key in data:
            if key not in _DOCUMENT_KEYS:
                hint = did_you_mean(str(key), list(_DOCUMENT_KEYS))
                self.diag("error", "sub.unknown_key", file=file, key=key, hint=hint)
                return
        values = data.get("values") or {}
        na = data.get("not_applicable") or {}
        evidence = data.get("evidence") or {}
        for key, part in (("values", values), ("not_applicable", na), ("evidence", evidence)):
            if not isinstance(part, Mapping):
                what = msg("sub.part_mapping", key=key)
                self.diag("error", "sub.shape", file=file, what=what)
                return
        if "unit" not in data:
            self.diag("error", "unit.no_id", file=file)
            return
        stated = [(k, data[k]) for k in _CONVENTION_KEYS if k in data]
        convention = self.convention(stated, file, 0)
        entries = [Entry(str(k), v, None, cells.get(str(k))) for k, v in values.items()]
        self.add(
            data.get("unit"),
            data.get("period"),
            entries,
            na,
            evidence,
            file,
            0,
            convention=convention,
            declared={"tier": data.get("tier"), "name": data.get("name")},
            na_reasons=True,
        )

    def read_csv(self, text: str, file: str) -> None:
        rows = self.csv_rows(text, file)
        if rows is None:
            return
        stated: list[tuple[str, Any]] = []
        while rows and rows[0][1] and rows[0][1][0].lstrip("\ufeff").startswith("#"):
            stated.extend(_comment_convention(rows[0][1]))
            rows.pop(0)
        if not rows:
            self.diag("error", "csv.empty", file=file)
            return
        header_line, header = rows[0]
        header = [h.strip().lstrip("\ufeff").strip() for h in header]
        convention = self.convention(stated, file, header_line)
        low = [h.lower() for h in header]
        unit_col = next((i for i, h in enumerate(low) if h in UNIT_COLUMNS), None)
        if unit_col is None:
            self.diag(
                "error",
                "csv.no_unit_column",
                file=file,
                line=header_line,
                allowed=", ".join(UNIT_COLUMNS),
            )
            return
        period_col = low.index("period") if "period" in low else None
        field_col = next((i for i, h in enumerate(low) if h in LONG_FIELD_COLUMNS), None)
        long_format = field_col is not None and "value" in low
        names = header if long_format else self.header_names(header, low, file, header_line)
        dupes = sorted({h for h in names if names.count(h) > 1 and h})
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
        body = [r for r in rows[1:] if not (len(r[1]) > unit_col and r[1][unit_col][:1] == "#")]
        if not body:
            self.diag("warning", "csv.no_rows", file=file, line=header_line)
            return
        if long_format:
            assert field_col is not None
            self.read_long(
                body, header, unit_col, period_col, field_col, low.index("value"), file, convention
            )
            return
        self.read_wide(body, header, names, low, unit_col, period_col, file, convention)

    def csv_rows(self, text: str, file: str) -> list[tuple[int, list[str]]] | None:
        """The table's non-blank rows with the line each starts on (a quoted cell may span
        lines); None when the text is not a table the csv module can read."""
        first = next(
            (
                ln
                for ln in text.splitlines()
                if ln.strip() and not ln.lstrip("\ufeff ").startswith("#")
            ),
            "",
        )
        delimiter = max((";", ",", "\t"), key=first.count)
        csv.field_size_limit(MAX_SUBMISSION_BYTES)  # long cells are judged per cell, below
        # newline="": a lone '\r' (old spreadsheets) ends a line instead of failing the reader
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        rows: list[tuple[int, list[str]]] = []
        start = 1
        try:
            for row in reader:
                if any(c.strip() for c in row):
                    rows.append((start, [c.strip() for c in row]))
                start = reader.line_num + 1
        except csv.Error as exc:
            self.diag("error", "csv.unreadable", file=file, line=start, what=str(exc))
            if not rows:
                return None
        if not rows:
            self.diag("error", "csv.empty", file=file)
            return None
        return rows

    def header_names(self, header: list[str], low: list[str], file: str, line: int) -> list[str]:
        """The input each column holds: its header cell, or the input id it names once case
        and spaces are set aside (`` Awareness `` -> ``awareness``), said once per file."""
        names = list(header)
        renamed: list[str] = []
        for i, h in enumerate(header):
            if h in self.fw.inputs:
                continue
            norm = re.sub(r"\s+", "_", low[i].strip())
            if norm != h and norm in self.fw.inputs:
                names[i] = norm
                renamed.append(f"'{h}' → {norm}")
        if renamed:
            self.diag(
                "warning", "csv.header_case", file=file, line=line, columns=", ".join(renamed)
            )
        return names

    def read_wide(
        self,
        body: list[tuple[int, list[str]]],
        header: list[str],
        names: list[str],
        low: list[str],
        unit_col: int,
        period_col: int | None,
        file: str,
        convention: str | None,
    ) -> None:
        na_col = low.index("not_applicable") if "not_applicable" in low else None
        skip = {unit_col, period_col, na_col, *(i for i, h in enumerate(low) if h in _INFO_COLUMNS)}
        kept = [i for i in range(len(header)) if i not in skip]
        labels = {i: f"{_column_letter(i)} ({header[i]})" for i in kept}
        unknown = {i for i in kept if names[i] not in self.fw.inputs}
        for i in sorted(unknown):
            hint = did_you_mean(names[i], list(self.fw.inputs), 0.7)
            self.diag(
                "warning",
                "csv.unknown_column",
                file=file,
                line=body[0][0] - 1 if body else None,
                column=labels[i],
                input=names[i] or None,
                name=header[i],
                hint=hint,
            )
        good: list[tuple[int, list[str]]] = []
        for line, row in body:
            if len(row) != len(header):
                self.ragged(row, line, len(header), unit_col, kept, file)
                continue
            good.append((line, row))
        cells_by_column = list(zip(*(row for _, row in good), strict=True)) if good else []
        table = Table(len(good), self.fw)
        wide = _Wide([names[i] for i in kept], [labels[i] for i in kept], len(good))
        for j, i in enumerate(kept):
            cells = list(cells_by_column[i]) if good else []
            column, slow = _fast_column(cells, self.fw.inputs.get(names[i]), convention)
            if column is not None:
                table.put(names[i], column)
            wide.add_column(j, cells, column, slow, reported=i in unknown)
        plain_rows = wide.plain_rows()
        for r, (line, row) in enumerate(good):
            if len(row[unit_col]) > MAX_CELL_CHARS:
                ledger = Ledger(quote(row[unit_col]), file, line)
                ledger.submitted = ledger.rejected = sum(1 for i in kept if row[i])
                self.batch.ledgers.append(ledger)
                self.diag(
                    "error",
                    "csv.cell_too_long",
                    file=file,
                    line=line,
                    size=len(row[unit_col]),
                    limit=MAX_CELL_CHARS,
                )
                continue
            known = self.registry.get(row[unit_col])
            plain = self.plain_inputs(known.tier) if known is not None else frozenset()
            fast, entries = wide.row(r, line, plain_rows[r], plain)
            na: dict[str, str] = {}
            if na_col is not None and row[na_col]:
                na = _na_cell(row[na_col])
            self.add(
                row[unit_col],
                row[period_col] if period_col is not None else "",
                entries,
                na,
                {},
                file,
                line,
                convention=convention,
                table_row=(table, r),
                unit_cell=f"{_column_letter(unit_col)} ({header[unit_col]})",
                na_reasons=False,
                fast=fast,
            )

    def ragged(
        self, row: list[str], line: int, width: int, unit_col: int, kept: list[int], file: str
    ) -> None:
        """A row with more or fewer cells than the header: its values may sit under the wrong
        columns, so none is read; the row is reported and its values counted rejected."""
        unit_text = row[unit_col] if len(row) > unit_col else ""
        ledger = Ledger(quote(unit_text), file, line)
        value_cells = [c for i, c in enumerate(row) if i in set(kept) or i >= width]
        ledger.submitted = ledger.rejected = sum(1 for c in value_cells if c)
        self.batch.ledgers.append(ledger)
        self.diag(
            "error",
            "csv.row_width",
            unit=unit_text or None,
            file=file,
            line=line,
            got=len(row),
            expected=width,
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
        convention: str | None,
    ) -> None:
        """A long table (one row per unit, input and value). Rows of one unit and period make
        one submission; another period is another submission, never merged. An input given
        twice: the same value is kept once (warning), different values are both rejected."""
        grouped: dict[tuple[str, str], tuple[int, dict[str, list[Entry]]]] = {}
        value_letter = _column_letter(value_col)
        renamed: dict[str, str] = {}
        for line, row in rows:
            if len(row) != len(header):
                self.ragged(row, line, len(header), unit_col, [field_col, value_col], file)
                continue
            unit = row[unit_col]
            name = row[field_col]
            if not unit:
                ledger = Ledger("", file, line, 1 if row[value_col] else 0)
                ledger.rejected = ledger.submitted
                self.batch.ledgers.append(ledger)
                self.diag("error", "unit.no_id", file=file, line=line)
                continue
            if name not in self.fw.inputs:
                norm = re.sub(r"\s+", "_", name.strip().lower())
                if norm in self.fw.inputs:
                    renamed[name] = norm
                    name = norm
            period = row[period_col] if period_col is not None else ""
            _, entries = grouped.setdefault((unit, period), (line, {}))
            entry = Entry(name, row[value_col], line, f"{value_letter} ({header[value_col]})")
            if len(row[value_col]) > MAX_CELL_CHARS:
                entry.reject = Message(
                    "value.too_long", {"size": len(row[value_col]), "limit": MAX_CELL_CHARS}
                )
            entries.setdefault(name, []).append(entry)
        if renamed:
            pairs = ", ".join(f"'{a}' → {b}" for a, b in sorted(renamed.items()))
            self.diag("warning", "csv.header_case", file=file, line=rows[0][0], columns=pairs)
        for (unit, period), (line, by_name) in grouped.items():
            flat: list[Entry] = []
            for same in by_name.values():
                given = [e for e in same if not _blank(e.raw)]
                if len(given) > 1:
                    texts = {e.raw.strip() for e in given}
                    lines = ", ".join(str(e.line) for e in given)
                    if len(texts) == 1:
                        for e in given[1:]:
                            e.ignore = Message("csv.duplicate_same", {"lines": lines})
                    else:
                        shown = ", ".join(f"'{quote(e.raw)}' (line {e.line})" for e in given)
                        for e in given:
                            e.reject = Message("value.conflict", {"values": shown})
                flat.extend(same)
            self.add(
                unit, period, flat, {}, {}, file, line, convention=convention, na_reasons=False
            )


def _used_inputs(fw: Framework, tiers: set[str]) -> dict[str, set[str]]:
    """Per tier, the inputs some rule in force reads (directly, through derived values, or
    inside a parent tier's aggregate of this tier's units)."""
    from maturity.framework import formula as fx

    used: dict[str, set[str]] = {tid: set() for tid in tiers}
    parent_of = {tt.id: tt.parent for tt in fw.manifest.tiers}
    exprs = [(ind.tiers, fw.formulas.get(ind.id)) for ind in fw.indicators]
    exprs += [(c.tiers, fw.formulas.get(f"check:{c.id}")) for c in fw.manifest.checks]
    exprs += [(d.tiers, fw.formulas.get(d.id)) for d in fw.derived.values()]
    derived_names: dict[str, set[str]] = {}
    for did in fw.derived:
        expr = fw.formulas.get(did)
        if expr is not None:
            own, _ = fx.names_used(expr)
            derived_names[did] = own
    for tiers_of, expr in exprs:
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
        for expr_tier in tiers_of:
            used.setdefault(expr_tier, set()).update(names)
            for child, parent in parent_of.items():
                if parent == expr_tier:
                    used.setdefault(child, set()).update(inside)
    return used


def _same_name(declared: str, registered: str) -> bool:
    """Do two unit names agree, once type words (Xã, Phường, Tỉnh...) and case are set aside?

    >>> _same_name("Phú Quới", "Xã Phú Quới"), _same_name("xã phú quới", "Xã Phú Quới")
    (True, True)
    >>> _same_name("Long Hồ", "Xã Phú Quới")
    False
    """

    def norm(text: str) -> str:
        return " ".join(text.casefold().split())

    a, b = norm(declared), norm(registered)
    return a == b or a in b or b in a


def _comment_convention(row: list[str]) -> list[tuple[str, Any]]:
    """``# locale: vi`` or ``# decimal_mark: ,`` in a comment row above a table's header."""
    text = ",".join(row).lstrip("\ufeff").lstrip("#").strip()
    out: list[tuple[str, Any]] = []
    for part in re.split(r"[;|]", text):
        key, sep, value = part.partition(":") if ":" in part else part.partition("=")
        key = key.strip().lower().replace("-", "_")
        if sep and key in _CONVENTION_KEYS:
            out.append((key, value.strip().strip(",").strip() or ","))
    return out


def _na_cell(text: str) -> dict[str, str]:
    """A table's not_applicable cell: indicator ids separated by ``|`` (or spaces), each
    optionally with its reason after a colon: ``SVC-09: no counter | INF-03``."""
    out: dict[str, str] = {}
    parts = text.split("|") if "|" in text or ":" in text else text.split()
    for part in parts:
        ind, _, reason = part.partition(":")
        if ind.strip():
            out[ind.strip()] = reason.strip()
    return out


class _Wide:
    """A wide table's value cells, column by column, handed out row by row: a row's plain
    numbers (converted and range-checked by :func:`_fast_column`) for the inputs its tier
    uses come as one mapping built at C speed; every other non-blank cell (text, a number
    that needs the careful path, a column of another tier or of no input) as an
    :class:`Entry`, in column order, so that its messages come out as before."""

    def __init__(self, names: list[str], labels: list[str], size: int) -> None:
        self.names = names
        self.labels = labels
        self.size = size
        self.plain = np.full((size, len(names)), np.nan)
        self.slow: dict[int, list[tuple[int, Any]]] = {}  # row -> [(column, cell)]
        self.reported: set[int] = set()
        self._masks: dict[frozenset[str], tuple[list[bool], list[int]]] = {}

    def add_column(
        self, j: int, cells: list[str], column: F64 | None, slow: list[int], reported: bool
    ) -> None:
        if reported:
            self.reported.add(j)
        if column is not None:
            self.plain[:, j] = column
        for r in slow:
            self.slow.setdefault(r, []).append((j, cells[r]))

    def plain_rows(self) -> list[list[float]]:
        rows: list[list[float]] = self.plain.tolist()
        return rows

    def _mask(self, plain: frozenset[str]) -> tuple[list[bool], list[int]]:
        found = self._masks.get(plain)
        if found is None:
            take = [n in plain for n in self.names]
            found = self._masks[plain] = (take, [j for j, k in enumerate(take) if not k])
        return found

    def row(
        self, r: int, line: int, values: list[float], plain: frozenset[str]
    ) -> tuple[dict[str, float], list[Entry]]:
        take, other = self._mask(plain)
        # v == v: not NaN (no value read column-wise), at C speed
        fast = {n: v for n, v, k in zip(self.names, values, take, strict=True) if k and v == v}  # noqa: PLR0124
        cells = [(j, values[j]) for j in other if values[j] == values[j]]
        cells += self.slow.get(r, ())
        cells.sort(key=lambda jc: jc[0])
        entries = []
        for j, cell in cells:
            entry = Entry(self.names[j], cell, line, self.labels[j], reported=j in self.reported)
            if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
                entry.reject = Message(
                    "value.too_long", {"size": len(cell), "limit": MAX_CELL_CHARS}
                )
            entries.append(entry)
        return fast, entries


_PLAIN_CHARS = str.maketrans("", "", "0123456789.-")


_AMBIGUOUS_CELL = re.compile(r"-?[1-9]\d{0,2}\.\d{3}")


def _fast_column(
    cells: list[str], inp: Input | None, convention: str | None
) -> tuple[F64 | None, list[int]]:
    """Convert a whole column of plain decimal cells at once: the column (NaN where no value
    was accepted here) and the rows whose non-blank cell needs the careful path.

    Cells that are plain numbers within the input's type and range, whose reading does not
    depend on the number convention, become floats; every other non-blank cell (locale-
    formatted, ambiguous like ``1.000``, out of range, text) is left to the careful per-cell
    path (:func:`maturity.inputs.values.read_value`), which accepts or rejects it with a
    message and, when it accepts, patches the column.
    """
    if inp is None or inp.type == "ordinal" or convention == ",":
        # with a decimal comma a '.' groups thousands: the careful path reads every cell
        return None, [r for r, c in enumerate(cells) if c]
    nan = math.nan
    nonblank = np.fromiter(map(bool, cells), dtype=bool, count=len(cells))
    values = None
    joined = "".join(cells)
    if not joined.translate(_PLAIN_CHARS):  # digits, '.', '-' only: float() decides
        try:
            values = np.array(list(map(float, [c or "nan" for c in cells])), dtype=np.float64)
        except ValueError:  # '1-2', '.', '--': one cell by one below
            values = None
    if values is None:
        match = PLAIN.fullmatch

        def plain(cell: str) -> float:
            if not cell or not match(cell):
                return nan
            try:
                return float(cell)
            except ValueError:
                return nan

        values = np.array([plain(c) for c in cells], dtype=np.float64)
    ok = np.abs(values) <= MAX_ABS_VALUE  # False for NaN; beyond: the per-cell path rejects it
    if not ok.any():
        return None, np.flatnonzero(nonblank).tolist()
    if inp.min is not None:
        ok &= values >= inp.min
    if inp.max is not None:
        ok &= values <= inp.max
    if inp.type in ("integer", "boolean"):
        ok &= values == np.floor(values)
    if convention is None and "." in joined:  # '1.000': 1000 or 1? the careful path decides
        ambiguous = [r for r, c in enumerate(cells) if "." in c and _AMBIGUOUS_CELL.fullmatch(c)]
        ok[ambiguous] = False
    if inp.type == "boolean":
        ok &= (values == 0) | (values == 1)
    return np.where(ok, values, np.nan), np.flatnonzero(nonblank & ~ok).tolist()


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
