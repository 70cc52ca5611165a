"""Helpers of the Excel tests: make a template, fill it in as a person would (openpyxl,
typing into the value cells), damage it in one way, score it."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import openpyxl
import yaml

from maturity import Framework, Registry, load_submissions, score_batch
from maturity.i18n import set_language
from maturity.inputs.units import Unit
from maturity.inputs.xlsx._layout import INPUT_COLUMNS, META_SHEET, choice_text, column_of
from maturity.render.results import results_document
from maturity.render.xlsx.template import template_workbook

ROOT = Path(__file__).resolve().parents[2]
PHU_QUOI = ROOT / "examples" / "phu-quoi.yaml"
VALUE = column_of(INPUT_COLUMNS, "value")
NOTE = column_of(INPUT_COLUMNS, "note")
YES_NO = {"vi": ("Có", "Không"), "en": ("Yes", "No")}


def template(
    fw: Framework, tier: str, *, unit: Unit | None = None, period: str = "", lang: str = "en"
) -> openpyxl.Workbook:
    """A fresh template of ``tier`` in ``lang``, opened for filling in."""
    set_language(lang)
    try:
        data = template_workbook(fw, tier, unit=unit, period=period)
    finally:
        set_language("en")
    return openpyxl.load_workbook(io.BytesIO(data))


def inputs_sheet(wb: openpyxl.Workbook) -> Any:
    return wb[wb.sheetnames[1]]


def rows(wb: openpyxl.Workbook) -> dict[str, int]:
    """The row of each input on the input sheet, by its code."""
    ws = inputs_sheet(wb)
    return {
        str(ws.cell(r, 1).value): r
        for r in range(1, ws.max_row + 1)
        if isinstance(ws.cell(r, 1).value, str)
        and re.fullmatch(r"[a-z][a-z0-9_]*", ws.cell(r, 1).value)
    }


def typed(fw: Framework, name: str, value: Any, lang: str) -> Any:
    """What a person picks or types for ``value``: a drop-down text for yes/no and answers."""
    inp = fw.inputs[name]
    if inp.type == "boolean" and isinstance(value, bool):
        return YES_NO[lang][0 if value else 1]
    if inp.type == "ordinal" and inp.choices and str(value) in inp.choices:
        label = inp.choices[str(value)]
        return choice_text(str(value), label.vi if lang == "vi" else label.en)
    return value


def fill(
    wb: openpyxl.Workbook,
    fw: Framework,
    values: Mapping[str, Any],
    *,
    lang: str = "en",
    unit: str | None = None,
    period: str | None = None,
) -> None:
    ws = inputs_sheet(wb)
    where = rows(wb)
    if unit is not None:
        ws["B3"] = unit
    if period is not None:
        ws["B5"] = period
    for name, value in values.items():
        ws.cell(where[name], VALUE).value = typed(fw, name, value, lang)


def save(wb: openpyxl.Workbook, path: Path) -> Path:
    wb.save(path)
    return path


def patch(path: Path, part: str, change: Callable[[bytes], bytes]) -> Path:
    """Rewrite one part of the package (as another program saving the file would)."""
    with zipfile.ZipFile(path) as src:
        parts = {name: src.read(name) for name in src.namelist()}
    parts[part] = change(parts[part])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in parts.items():
            dst.writestr(name, data)
    return path


def resaved_by_libreoffice(path: Path) -> Path:
    """What LibreOffice Calc 7 does to the template on saving: the workbook lock dropped,
    the hidden sheet shown (older versions), its own name as the application."""
    wb = openpyxl.load_workbook(path)
    wb.security = None
    wb[META_SHEET].sheet_state = "visible"
    wb.save(path)
    return patch(
        path,
        "docProps/app.xml",
        lambda xml: re.sub(
            rb"<Application>[^<]*</Application>",
            b"<Application>LibreOffice/7.4.7.2$Linux_X86_64</Application>",
            xml,
        ),
    )


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_with_libreoffice(path: Path, out: Path, target: str = "xlsx") -> Path:
    """Open and save ``path`` with the real LibreOffice (headless), into folder ``out``."""
    exe = soffice()
    assert exe is not None
    profile = out / "lo-profile"
    filters = {"xlsx": 'xlsx:"Calc MS Excel 2007 XML"', "csv": "csv"}
    subprocess.run(
        [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--calc",
         "--convert-to", filters[target].replace('"', ""), "--outdir", str(out), str(path)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return out / (path.stem + "." + target)


def phu_quoi_values() -> dict[str, Any]:
    data = yaml.safe_load(PHU_QUOI.read_text(encoding="utf-8"))
    return dict(data["values"])


def score(paths: list[Path], fw: Framework, registry: Registry) -> dict[str, Any]:
    batch = load_submissions(paths, fw, registry)
    return results_document(score_batch(fw, batch, registry))


def codes(doc: Mapping[str, Any], severity: str | None = None) -> list[str]:
    return [d["code"] for d in doc["diagnostics"] if severity is None or d["severity"] == severity]


def only(doc: Mapping[str, Any], code: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = [d for d in doc["diagnostics"] if d["code"] == code]
    assert len(found) == 1, (code, doc["diagnostics"])
    return found[0]


def unit(doc: Mapping[str, Any], unit_id: str) -> dict[str, Any]:
    return next(u for u in doc["units"] if u["id"] == unit_id)
