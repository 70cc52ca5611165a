"""The self-assessment workbook (``maturity template --format xlsx``).

Sheets, in the chosen language:

- *Instructions*: what to fill in, the period, a deadline and a contact to fill in before
  the workbook is sent out, how the unit is scored (bands, gates, missing-data policy).
- *Inputs*: the unit code, name and period, then one row per input of the tier, grouped by
  pillar in the YAML template's order: code, label, unit, allowed values, how to count, the
  value cell and a source / evidence note cell. Value cells carry Excel data validation
  (whole number, decimal, a drop-down of yes/no or of an ordinal's answers) with an input
  message.
- *Not applicable, evidence*: the indicators that may be declared not applicable (a reason
  cell) or that ask for evidence (an evidence cell).
- ``_maturity`` (hidden): framework id, version and digest, tier, template version, language,
  the layout and the drop-down lists.

Everything but the cells to fill in is locked (sheet protection without a password) and the
workbook structure is locked, only against accidents: the reader checks everything again.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Protection
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from maturity.i18n import did_you_mean
from maturity.inputs.xlsx import _layout as lay
from maturity.inputs.xlsx._layout import choice_text
from maturity.inputs.xlsx._text import number_text
from maturity.render.xlsx._book import (
    BOLD,
    GROUP_FILL,
    HEADER_FILL,
    INPUT_FILL,
    INTEGER,
    TEXT,
    TITLE,
    TOP,
    WRAP,
    save,
)
from maturity.render.xlsx._core import (
    ENGINE_VERSION,
    Framework,
    Input,
    Registry,
    TemplateInput,
    Unit,
    UsageError,
    checked_by_text,
    input_choices,
    language,
    pick,
    pillar_heading,
    t,
    template_inputs,
    text_lines,
    tier_name,
    used_by_text,
)

UNLOCKED = Protection(locked=False)
_LIMIT = 1e15  # the reader's bound for any number (MAX_ABS_VALUE); a validation needs one
_WIDTHS = {"code": 28, "input": 46, "unit": 14, "allowed": 28, "help": 60, "value": 16, "note": 32}
_IND_WIDTHS = {
    "code": 14,
    "indicator": 50,
    "na_allowed": 14,
    "na_reason": 40,
    "evidence_what": 40,
    "evidence": 40,
}


def yes_no() -> tuple[str, str]:
    return t("xlsx.yes"), t("xlsx.no")


def _bound(x: float) -> str:
    return number_text(x, digits=6)


def allowed_text(inp: Input) -> str:
    """The allowed values of an input in the current language (numbers by its convention)."""
    if inp.type == "boolean":
        return t("xlsx.allowed.boolean")
    choices = input_choices(inp)
    if choices:
        return "\n".join([t("xlsx.allowed.choice"), *(choice_text(k, v) for k, v in choices)])
    low, high = inp.min, inp.max
    if low is not None and high is not None:
        return t("tpl.range.between", min=_bound(low), max=_bound(high))
    if low is not None:
        return t("tpl.range.min", min=_bound(low))
    if high is not None:
        return t("tpl.range.max", max=_bound(high))
    return t("tpl.range.any")


def _help_text(fw: Framework, item: TemplateInput, tier: str) -> str:
    inp = item.input
    lines = text_lines(pick(inp.help)) if inp.help is not None else []
    if inp.source == "automatic":
        lines.append(f"({t('xlsx.automatic')})")
    if item.used_by:
        lines.append(t("tpl.used_by", items=used_by_text(fw, item, tier)))
    if item.checked_by:
        lines.append(t("tpl.checked_by", items=checked_by_text(fw, item)))
    return "\n".join(lines)


def _validation(inp: Input, lists: dict[str, str]) -> DataValidation:
    allowed = allowed_text(inp).replace("\n", " ")
    if inp.type == "boolean":
        dv = DataValidation(type="list", formula1='"{}"'.format(",".join(yes_no())))
    elif inp.id in lists:
        dv = DataValidation(type="list", formula1=lists[inp.id])
    else:
        whole = inp.type in ("integer", "ordinal")
        low = inp.min if inp.min is not None else -_LIMIT
        high = inp.max if inp.max is not None else _LIMIT
        dv = DataValidation(
            type="whole" if whole else "decimal",
            operator="between",
            formula1=str(int(low)) if whole else repr(float(low)),
            formula2=str(int(high)) if whole else repr(float(high)),
        )
    dv.allow_blank = True
    dv.showErrorMessage = True
    dv.showInputMessage = True
    dv.errorTitle = t("xlsx.dv.error_title")[:32]  # Excel's limits: 32 and 255 characters
    dv.error = t("xlsx.dv.error", allowed=allowed)[:255]
    dv.promptTitle = inp.id[:32]
    dv.prompt = f"{pick(inp.label)}. {allowed}"[:255]
    return dv


def _height(texts: dict[str, str], widths: Mapping[str, float]) -> float:
    """A row height (points) that shows every wrapped text of the row: Excel and LibreOffice
    do not grow a row that a program wrote."""
    lines = 1
    for key, text in texts.items():
        per_line = max(1.0, widths[key] * 1.15)  # characters per line at the default font
        lines = max(lines, sum(1 + int(len(line) / per_line) for line in text.splitlines()))
    return 15.0 * lines


def _protect(ws: Worksheet) -> None:
    """Lock the sheet without a password; people may still resize rows and columns."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    # printed on paper by many communes: one page wide, landscape
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0


def _fillable(ws: Worksheet, ref: str, value: str | float | None = None, fmt: str = TEXT) -> None:
    cell = ws[ref]
    if value is not None and value != "":
        cell.value = value
    cell.protection = UNLOCKED
    cell.fill = INPUT_FILL
    cell.number_format = fmt


class _Writer:
    def __init__(self, fw: Framework, tier: str, unit: Unit | None, period: str) -> None:
        self.fw = fw
        self.tier = tier
        self.unit = unit
        self.period = period
        self.items = template_inputs(fw, tier)
        inds = fw.indicators_for(tier)
        self.indicators = [i for i in inds if i.not_applicable or i.evidence.required]
        self.wb = Workbook()
        self.meta: list[tuple[str, str]] = []
        self.inputs_name = t("xlsx.sheet.inputs")
        self.indicators_name = t("xlsx.sheet.indicators") if self.indicators else ""

    def build(self) -> bytes:
        wb = self.wb
        instructions = wb.active
        assert instructions is not None
        instructions.title = t("xlsx.sheet.instructions")
        meta_ws = wb.create_sheet(lay.META_SHEET)
        lists = self.write_lists(meta_ws)
        self.write_instructions(instructions)
        self.write_inputs(wb.create_sheet(self.inputs_name), lists)
        if self.indicators:
            self.write_indicators(wb.create_sheet(self.indicators_name))
        wb.move_sheet(meta_ws, offset=len(wb.sheetnames) - 1)
        self.write_meta(meta_ws)
        meta_ws.sheet_state = "hidden"
        for ws in wb.worksheets:
            _protect(ws)
        wb.security = WorkbookProtection(lockStructure=True)
        wb.active = 0
        return save(wb)

    # -- sheets ------------------------------------------------------------------
    def write_lists(self, ws: Worksheet) -> dict[str, str]:
        """One column per ordinal input with its answers, for the drop-downs."""
        refs: dict[str, str] = {}
        col = lay.LISTS_FIRST_COLUMN
        for item in self.items:
            choices = input_choices(item.input)
            if not choices:
                continue
            letter = lay.letter(col)
            ws.cell(1, col, item.input.id)
            for r, (k, text) in enumerate(choices, start=2):
                ws.cell(r, col, choice_text(k, text))
            refs[item.input.id] = f"'{lay.META_SHEET}'!${letter}$2:${letter}${len(choices) + 1}"
            self.meta.append((f"list.{item.input.id}", letter))
            col += 1
        return refs

    def write_instructions(self, ws: Worksheet) -> None:
        fw = self.fw
        ws.column_dimensions["A"].width = 26
        ws.column_dimensions["B"].width = 110
        ws["A1"] = t(
            "tpl.title",
            title=pick(fw.manifest.title),
            framework=fw.id,
            version=fw.version,
            tier=tier_name(fw, self.tier),
        )
        ws["A1"].font = TITLE
        row = 3
        if self.unit is not None:
            ws.cell(row, 1, t("xlsx.field.unit")).font = BOLD
            ws.cell(row, 2, f"{self.unit.id} — {self.unit.name}")
            row += 1
        ws.cell(row, 1, t("xlsx.field.period")).font = BOLD
        ws.cell(
            row,
            2,
            self.period or t("xlsx.ins.period_cell", cell=lay.PERIOD_CELL, sheet=self.inputs_name),
        )
        for key in ("deadline", "contact"):
            row += 1
            ws.cell(row, 1, t(f"xlsx.field.{key}")).font = BOLD
            _fillable(ws, f"B{row}")
            self.meta.append((f"cell.{key}", f"B{row}"))
        row += 2
        what = t(
            "xlsx.ins.what_text",
            inputs=self.inputs_name,
            unit_cell=lay.UNIT_CELL,
            period_cell=lay.PERIOD_CELL,
            note=t("xlsx.col.note"),
        )
        if self.indicators:
            what += "\n" + t("xlsx.ins.indicators_text", sheet=self.indicators_name)
        policy = t(f"xlsx.policy.{fw.manifest.missing_policy}")
        scoring = [t("xlsx.ins.scoring_text", scale=number_text(fw.manifest.scale), policy=policy)]
        for band in fw.manifest.levels:
            points = number_text(band.min * fw.manifest.scale)
            scoring.append(
                t("xlsx.ins.band", level=band.level, name=pick(band.name), points=points)
            )
        for gate in fw.manifest.gates:
            gate_text = t("xlsx.ins.gate", name=pick(gate.name))
            if gate.description is not None:
                gate_text += f": {pick(gate.description)}"
            scoring.append(gate_text)
        file = f"{self.unit.id}.xlsx" if self.unit is not None else "<file>.xlsx"
        for heading, body in (
            ("xlsx.ins.what", what),
            ("xlsx.ins.scoring", "\n".join(scoring)),
            ("xlsx.ins.return", t("xlsx.ins.return_text", file=file)),
        ):
            ws.cell(row, 1, t(heading)).font = BOLD
            ws.cell(row, 1).alignment = TOP
            cell = ws.cell(row, 2, body)
            cell.alignment = WRAP
            lines = sum(1 + len(line) // 120 for line in body.splitlines())
            ws.row_dimensions[row].height = 15 * lines
            row += 2

    def write_inputs(self, ws: Worksheet, lists: dict[str, str]) -> None:
        fw, tier = self.fw, self.tier
        ws["A1"] = t(
            "tpl.title",
            title=pick(fw.manifest.title),
            framework=fw.id,
            version=fw.version,
            tier=tier_name(fw, tier),
        )
        ws["A1"].font = TITLE
        ws["A2"] = t(
            "xlsx.framework_line",
            title=pick(fw.manifest.title),
            framework=fw.id,
            version=fw.version,
            tier=tier_name(fw, tier),
        )
        for ref, key in (
            (lay.UNIT_CELL, "unit"),
            (lay.NAME_CELL, "name"),
            (lay.PERIOD_CELL, "period"),
        ):
            label = ws.cell(ws[ref].row, 1, t(f"xlsx.field.{key}"))
            label.font = BOLD
        unit = self.unit
        _fillable(ws, lay.UNIT_CELL, unit.id if unit else None)
        _fillable(ws, lay.NAME_CELL, unit.name if unit else None)
        _fillable(ws, lay.PERIOD_CELL, self.period or None)
        ws.cell(ws[lay.PERIOD_CELL].row + 1, 1, t("xlsx.field.hint")).alignment = TOP
        columns = lay.INPUT_COLUMNS
        for c, key in enumerate(columns, start=1):
            cell = ws.cell(lay.HEADER_ROW, c, t(f"xlsx.col.{key}"))
            cell.font = BOLD
            cell.fill = HEADER_FILL
            cell.alignment = WRAP
            ws.column_dimensions[lay.letter(c)].width = _WIDTHS[key]
            self.meta.append((f"col.{key}", lay.letter(c)))
        value_col = lay.column_of(columns, "value")
        note_col = lay.column_of(columns, "note")
        row = lay.HEADER_ROW
        group: object = object()
        for item in self.items:
            inp = item.input
            if item.pillar != group:
                group = item.pillar
                row += 1
                heading = ws.cell(row, 2, pillar_heading(fw, item.pillar))
                heading.font = BOLD
                for c in range(1, len(columns) + 1):
                    ws.cell(row, c).fill = GROUP_FILL
            row += 1
            texts = {
                "code": inp.id,
                "input": pick(inp.label),
                "unit": pick(inp.unit) if inp.unit is not None else "",
                "allowed": allowed_text(inp),
                "help": _help_text(fw, item, tier),
            }
            for c, key in enumerate(columns, start=1):
                if key in texts:
                    ws.cell(row, c, texts[key]).alignment = WRAP
            ws.row_dimensions[row].height = _height(texts, _WIDTHS)
            value_ref = f"{lay.letter(value_col)}{row}"
            _fillable(ws, value_ref, fmt=INTEGER if inp.type == "integer" else "General")
            _fillable(ws, f"{lay.letter(note_col)}{row}")
            validation = _validation(inp, lists)
            ws.add_data_validation(validation)
            validation.add(value_ref)
            self.meta.append((f"row.{inp.id}", str(row)))
        ws.freeze_panes = f"C{lay.HEADER_ROW + 1}"

    def write_indicators(self, ws: Worksheet) -> None:
        ws["A1"] = t("xlsx.sheet.indicators")
        ws["A1"].font = TITLE
        columns = lay.INDICATOR_COLUMNS
        for c, key in enumerate(columns, start=1):
            cell = ws.cell(lay.INDICATOR_HEADER_ROW, c, t(f"xlsx.col.{key}"))
            cell.font = BOLD
            cell.fill = HEADER_FILL
            cell.alignment = WRAP
            ws.column_dimensions[lay.letter(c)].width = _IND_WIDTHS[key]
            self.meta.append((f"icol.{key}", lay.letter(c)))
        yes, _ = yes_no()
        reason_col = lay.letter(lay.column_of(columns, "na_reason"))
        evidence_col = lay.letter(lay.column_of(columns, "evidence"))
        for row, ind in enumerate(self.indicators, start=lay.INDICATOR_HEADER_ROW + 1):
            ws.cell(row, 1, ind.id)
            ws.cell(row, 2, pick(ind.name)).alignment = WRAP
            what = pick(ind.evidence.what) if ind.evidence.what is not None else ""
            texts = {"indicator": pick(ind.name), "evidence_what": what}
            ws.row_dimensions[row].height = _height(texts, _IND_WIDTHS)
            ws.cell(row, 3, yes if ind.not_applicable else "—")
            if ind.not_applicable:
                _fillable(ws, f"{reason_col}{row}")
            if ind.evidence.required:
                ws.cell(row, 5, what or "—").alignment = WRAP
                _fillable(ws, f"{evidence_col}{row}")
            else:
                ws.cell(row, 5, "—")
            self.meta.append((f"irow.{ind.id}", str(row)))
        ws.freeze_panes = f"C{lay.INDICATOR_HEADER_ROW + 1}"

    def write_meta(self, ws: Worksheet) -> None:
        fw = self.fw
        head = [
            ("magic", lay.MAGIC),
            ("template_version", str(lay.TEMPLATE_VERSION)),
            ("framework_id", fw.id),
            ("framework_version", fw.version),
            ("framework_digest", fw.digest),
            ("tier", self.tier),
            ("language", language()),
            ("unit", self.unit.id if self.unit is not None else ""),
            ("period", self.period),
            ("engine_version", ENGINE_VERSION),
            ("sheet.inputs", self.inputs_name),
            ("sheet.indicators", self.indicators_name),
            ("cell.unit", lay.UNIT_CELL),
            ("cell.name", lay.NAME_CELL),
            ("cell.period", lay.PERIOD_CELL),
            ("header_row", str(lay.HEADER_ROW)),
            ("indicator_header_row", str(lay.INDICATOR_HEADER_ROW)),
        ]
        ws["A1"], ws["B1"] = "key", "value"
        for r, (key, value) in enumerate([*head, *self.meta], start=2):
            ws.cell(r, 1, key)
            ws.cell(r, 2, value).number_format = TEXT
        ws.column_dimensions["A"].width = 30
        ws.column_dimensions["B"].width = 60


def template_workbook(
    fw: Framework, tier: str, *, unit: Unit | None = None, period: str = ""
) -> bytes:
    """The self-assessment workbook of ``tier`` in the current language, for ``unit`` when
    given (its code and name prefilled), with ``period`` prefilled when given."""
    if tier not in fw.tier_ids():
        raise UsageError(
            t("tpl.unknown_tier", tier=tier, framework=fw.id, tiers=", ".join(fw.tier_ids()))
        )
    return _Writer(fw, tier, unit, period).build()


def _slug(name: str) -> str:
    """An ASCII file-name part of a unit name.

    >>> _slug("Xã Phú Quới"), _slug("Phường Đông Hòa")
    ('xa-phu-quoi', 'phuong-dong-hoa')
    """
    plain = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    ascii_only = plain.encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-")


def _invalid(option: str, message: str) -> str:
    """A usage error worded as click words its own (``Invalid value for '--unit': ...``)."""
    return t("click.invalid", param_hint=f"'{option}'", message=message)


def _unit(registry: Registry, unit_id: str, option: str) -> Unit:
    unit = registry.get(unit_id)
    if unit is None:
        hint = did_you_mean(unit_id, registry.units, 0.8)
        raise UsageError(_invalid(option, t("xlsx.unit_unknown", id=unit_id, hint=hint)))
    return unit


def template_files(
    fw: Framework,
    registry: Registry,
    tier: str,
    output: Path,
    *,
    unit_id: str | None = None,
    all_units_of: str | None = None,
    period: str = "",
) -> list[tuple[Path, bytes]]:
    """The workbooks ``maturity template --format xlsx`` writes, as ``(path, bytes)``.

    With ``all_units_of``, ``output`` is a folder and each unit of ``tier`` under that unit
    gets its own workbook ``<code>-<name>.xlsx`` (one file per unit, so each can be sent out,
    filled in and returned on its own, and a folder of them reads back as one batch)."""
    if unit_id is not None and all_units_of is not None:
        raise UsageError(t("xlsx.unit_and_all"))
    if all_units_of is not None:
        parent = _unit(registry, all_units_of, "--all-units-of")
        units = sorted(
            (u for u in registry.children(parent.id) if u.tier == tier), key=lambda u: u.id
        )
        if not units:
            raise UsageError(
                _invalid(
                    "--all-units-of",
                    t("xlsx.no_children", id=parent.id, name=parent.name, tier=tier),
                )
            )
        if output.exists() and not output.is_dir():
            raise UsageError(t("xlsx.output_is_file", path=output))
        return [
            (
                output / f"{u.id}-{_slug(u.name)}.xlsx",
                template_workbook(fw, tier, unit=u, period=period),
            )
            for u in units
        ]
    unit = None
    if unit_id is not None:
        unit = _unit(registry, unit_id, "--unit")
        if unit.tier != tier:
            raise UsageError(
                _invalid(
                    "--unit",
                    t("xlsx.unit_tier", id=unit.id, name=unit.name, unit_tier=unit.tier, tier=tier),
                )
            )
    return [(output, template_workbook(fw, tier, unit=unit, period=period))]
