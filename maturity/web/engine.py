"""The platform's one door into the library: every import of ``maturity.*`` outside
``maturity.web`` is in this module, so that moving the library's modules changes one file.

The platform holds no scoring logic: values are read by the library's readers, scored by its
engine, rendered by its renderers and explained by its explanations. What crosses this door
is plain data (``Reading``, ``InputInfo``, JSON text and documents) or the opaque ``Scored``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from maturity import __version__
from maturity.analysis.explain import explain_unit
from maturity.errors import InputError, MaturityError
from maturity.framework.bundled import default_framework
from maturity.framework.compiled import Framework
from maturity.framework.load import load_framework
from maturity.i18n import LANGUAGES, language, pick, set_language, t
from maturity.i18n.catalogue import MESSAGES
from maturity.i18n.numbers import number
from maturity.inputs.load import read_mapping, read_table
from maturity.inputs.submissions import Batch
from maturity.inputs.units import Registry, load_registry
from maturity.inputs.values import read_value
from maturity.inputs.xlsx.load import load_workbook
from maturity.render.explain import explanation_document
from maturity.render.results import render_json, results_document
from maturity.scoring.engine import score_batch
from maturity.scoring.results import Results

__all__ = [
    "ENGINE_VERSION",
    "LANGUAGES",
    "MESSAGES",
    "Bundle",
    "EngineError",
    "FrameworkHandle",
    "InputInfo",
    "Problem",
    "Reading",
    "Scored",
    "bundle_of",
    "default_framework_path",
    "in_language",
    "language",
    "open_framework",
    "pick",
    "t",
]

ENGINE_VERSION = __version__
EngineError = MaturityError
UNIT_LIMIT_WRITTEN = 200  # characters of one value as written; more is not a number


def default_framework_path() -> Path:
    return default_framework()


@contextmanager
def in_language(lang: str) -> Iterator[None]:
    """Render the library's messages in ``lang`` inside the block."""
    before = language()
    set_language(lang if lang in LANGUAGES else "vi")
    try:
        yield
    finally:
        set_language(before)


# --------------------------------------------------------------------------- frameworks


@dataclass(frozen=True)
class Bundle:
    """A framework as files: what the platform stores, by digest, to replay a round."""

    digest: str
    framework_id: str
    version: str
    title_vi: str
    title_en: str
    manifest: str  # path of the manifest inside ``files``
    units: str  # path of the unit registry inside ``files``
    files: dict[str, str]  # relative path -> text


def bundle_of(path: Path) -> Bundle:
    """Load the framework at ``path`` (raising the library's located errors) and collect its
    files: manifest, rule files and unit registry, relative to their common folder."""
    fw = load_framework(path)
    if fw.manifest.units is None:
        raise InputError([])  # a platform round needs units; callers word this case
    units = (fw.path.parent / fw.manifest.units).resolve()
    paths = [p.resolve() for p in (*fw.files, units)]
    root = Path(os.path.commonpath([p.parent for p in paths]))
    files = {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in paths}
    return Bundle(
        digest=fw.digest,
        framework_id=fw.id,
        version=fw.version,
        title_vi=pick(fw.manifest.title, "vi"),
        title_en=pick(fw.manifest.title, "en"),
        manifest=fw.path.resolve().relative_to(root).as_posix(),
        units=units.relative_to(root).as_posix(),
        files=files,
    )


@dataclass(frozen=True)
class InputInfo:
    """One raw field a unit submits, as the API and the forms describe it."""

    id: str
    type: str
    source: str
    tiers: tuple[str, ...]
    label_vi: str
    label_en: str
    unit_vi: str
    unit_en: str
    min: float | None
    max: float | None
    choices: tuple[str, ...]


@dataclass(frozen=True)
class Problem:
    """A diagnostic of the library, rendered in the language it was asked in."""

    severity: str
    code: str
    message: str
    input: str | None = None
    indicator: str | None = None
    line: int | None = None
    cell: str | None = None  # a workbook's cell (``Nhập liệu!F22``)


@dataclass(frozen=True)
class Reading:
    """One unit's values as read by the library: accepted numbers, rejected values (input ->
    why) and every diagnostic."""

    accepted: dict[str, float]
    rejected: dict[str, str]
    not_applicable: dict[str, str]
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


@dataclass
class Scored:
    """Results of a batch with what they were scored from (for explanations)."""

    results: Results
    batch: Batch
    registry: Registry


@dataclass
class FrameworkHandle:
    """A stored framework, loaded from its materialised files."""

    framework: Framework
    registry: Registry
    digest: str
    _inputs: dict[str, InputInfo] = field(default_factory=dict)

    # -- describing ------------------------------------------------------------
    def tiers(self) -> list[str]:
        return self.framework.tier_ids()

    def inputs(self) -> dict[str, InputInfo]:
        if not self._inputs:
            for inp in sorted(self.framework.inputs.values(), key=lambda i: i.id):
                self._inputs[inp.id] = InputInfo(
                    id=inp.id,
                    type=inp.type,
                    source=inp.source,
                    tiers=tuple(inp.tiers),
                    label_vi=pick(inp.label, "vi"),
                    label_en=pick(inp.label, "en"),
                    unit_vi=pick(inp.unit, "vi") if inp.unit else "",
                    unit_en=pick(inp.unit, "en") if inp.unit else "",
                    min=inp.min,
                    max=inp.max,
                    choices=tuple(sorted(inp.choices)) if inp.choices else (),
                )
        return self._inputs

    def units(self) -> list[tuple[str, str, str, str | None, str]]:
        """(id, name, tier, parent, type) of every unit of the registry, parents first."""
        rows = [(u.id, u.name, u.tier, u.parent, u.type) for u in self.registry.units.values()]
        return sorted(rows, key=lambda r: (r[3] is not None, r[0]))

    # -- reading ---------------------------------------------------------------
    def read(
        self,
        unit: str,
        period: str,
        values: Mapping[str, Any],
        not_applicable: Mapping[str, str],
        *,
        file: str,
        locale: str | None = None,
    ) -> Reading:
        """Read one unit's values as written, through the library's reader (never raises).
        ``locale`` states the number convention of the values (a form typed in Vietnamese
        writes ``1.234,5``), as a submission file may."""
        data: dict[str, Any] = {
            "unit": unit,
            "period": period,
            "values": dict(values),
            "not_applicable": dict(not_applicable),
        }
        if locale is not None:
            data["locale"] = locale
        # each value's "cell" is its input id, so every diagnostic about a value names it
        cells = {str(k): str(k) for k in values}
        batch = read_mapping(data, self.framework, self.registry, file=file, cells=cells)
        sub = batch.submissions[0] if batch.submissions else None
        problems = [
            Problem(
                d.severity, d.code, d.message, d.input or _input_of(d.column), d.indicator, d.line
            )
            for d in batch.diagnostics
        ]
        return Reading(
            accepted=dict(sub.values) if sub else {},
            rejected={k: str(v) for k, v in sub.invalid.items()} if sub else {},
            not_applicable=dict(sub.not_applicable) if sub else {},
            problems=problems,
        )

    # -- exporting and scoring -------------------------------------------------
    def export(
        self, period: str, rows: Sequence[tuple[str, Mapping[str, float], Sequence[str]]], note: str
    ) -> bytes:
        """A canonical submission table (CSV, UTF-8, ``\\n``): one row per unit sorted by id,
        one column per input sorted by id, values as the library read them (shortest text
        that reads back as the same number), declared not-applicable indicators last."""
        names = sorted(self.framework.inputs)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        # numbers are written with a decimal point; the table says so, so that no value of
        # it is ambiguous to the reader (1.234 is not one thousand two hundred and thirty-four)
        writer.writerow(["# locale: en"])
        writer.writerow(["unit", "period", *names, "not_applicable"])
        writer.writerow([f"# {note}"])
        for unit, values, na in sorted(rows, key=lambda r: r[0]):
            cells = [_number_text(values[n]) if n in values else "" for n in names]
            writer.writerow([unit, period, *cells, "|".join(sorted(na))])
        return out.getvalue().encode("utf-8")

    def score_export(self, data: bytes, name: str) -> Scored:
        """Score a table exactly as ``maturity score NAME`` scores that file."""
        batch = read_table(data, self.framework, self.registry, file=name)
        return Scored(score_batch(self.framework, batch, self.registry), batch, self.registry)

    def score_readings(self, period: str, units: Sequence[tuple[str, Mapping[str, Any]]]) -> Scored:
        """Score units from their values as written (a live preview, not a publication)."""
        batch = Batch()
        for unit, values in units:
            part = read_mapping(
                {"unit": unit, "period": period, "values": dict(values)},
                self.framework,
                self.registry,
                file=f"{unit}.yaml",
            )
            batch.submissions.extend(part.submissions)
            batch.diagnostics.extend(part.diagnostics)
        return Scored(score_batch(self.framework, batch, self.registry), batch, self.registry)


def results_json(scored: Scored) -> str:
    """The result JSON of ``maturity score --format json``, in the current language."""
    return render_json(scored.results)


def unit_documents(scored: Scored) -> list[dict[str, Any]]:
    """The ``units`` records of the result JSON (ranked), in the current language."""
    units: list[dict[str, Any]] = results_document(scored.results)["units"]
    return units


def explanation(scored: Scored, unit: str, *, with_trace: bool = False) -> dict[str, Any] | None:
    """The JSON of ``maturity explain --format json`` for one unit, or None if not scored."""
    if scored.results.find(unit) is None:
        return None
    exp = explain_unit(
        scored.results, unit, with_trace=with_trace, batch=scored.batch, registry=scored.registry
    )
    return explanation_document(scored.results, exp)


def _input_of(column: str | None) -> str | None:
    """The input id of a diagnostic's column (``read_mapping`` names the value's cell by its
    id when no spreadsheet cell is given)."""
    return column or None


def _number_text(x: float) -> str:
    """
    >>> _number_text(77352.0), _number_text(49.5), _number_text(0.1 + 0.2)
    ('77352', '49.5', '0.30000000000000004')
    """
    if x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return repr(x)


# --------------------------------------------------------------------------- the cache

_lock = threading.Lock()
_handles: dict[str, FrameworkHandle] = {}


def open_framework(digest: str, bundle: Bundle, folder: Path) -> FrameworkHandle:
    """The stored framework ``digest``, written out under ``folder`` once and loaded once per
    process. Raises :class:`EngineError` when the files no longer give that digest."""
    with _lock:
        handle = _handles.get(digest)
        if handle is not None:
            return handle
        root = folder / digest.replace(":", "-")
        for rel, text in bundle.files.items():
            target = root / rel
            if not target.is_file() or target.read_text(encoding="utf-8") != text:
                target.parent.mkdir(parents=True, exist_ok=True)
                with open(target, "w", encoding="utf-8", newline="") as fh:
                    fh.write(text)
        fw = load_framework(root / bundle.manifest)
        if fw.digest != digest:
            raise InputError([])
        registry = load_registry(root / bundle.units, display=bundle.units)
        handle = FrameworkHandle(fw, registry, digest)
        _handles[digest] = handle
        return handle


def loaded_framework(digest: str) -> FrameworkHandle | None:
    """The framework ``digest`` if this process has loaded it already."""
    with _lock:
        return _handles.get(digest)


def forget_frameworks() -> None:
    """Drop the loaded frameworks (tests that start from an empty data folder)."""
    with _lock:
        _handles.clear()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --------------------------------------------------------------------------- the pages


@dataclass(frozen=True)
class FormInput:
    """One field of the self-assessment form, in both languages."""

    id: str
    type: str
    source: str
    label: tuple[str, str]  # (vi, en), as every pair below
    unit: tuple[str, str]
    help: tuple[str, str]
    min: float | None
    max: float | None
    choices: tuple[tuple[str, str, str], ...]  # (answer, vi, en)


@dataclass(frozen=True)
class FormIndicator:
    id: str
    name: tuple[str, str]
    inputs: tuple[str, ...]
    not_applicable: bool  # the framework lets a unit declare it not applicable
    evidence_required: bool
    evidence: tuple[str, str]  # what the evidence is, or ("", "")


@dataclass(frozen=True)
class FormPillar:
    """One step of the form: a top-level pillar, its indicators and the inputs typed there
    (an input shared by several indicators is typed once, in the first pillar using it)."""

    id: str
    name: tuple[str, str]
    indicators: tuple[FormIndicator, ...]
    inputs: tuple[str, ...]


@dataclass(frozen=True)
class FormSpec:
    tier: str
    pillars: tuple[FormPillar, ...]
    inputs: dict[str, FormInput]


def _pair(text: Any) -> tuple[str, str]:
    return (pick(text, "vi"), pick(text, "en")) if text is not None else ("", "")


def _top_pillar(fw: Framework, pillar: str) -> str:
    while fw.pillars[pillar].parent is not None:
        pillar = fw.pillars[pillar].parent or pillar
    return pillar


def form_spec(handle: FrameworkHandle, tier: str) -> FormSpec:
    """The form a unit of ``tier`` fills, generated from the framework: its top-level pillars
    in the framework's order, each with its indicators and the inputs people type."""
    fw = handle.framework
    inputs: dict[str, FormInput] = {}
    for inp in fw.inputs_for(tier):
        choices = tuple((k, *_pair(v)) for k, v in sorted((inp.choices or {}).items()))
        inputs[inp.id] = FormInput(
            inp.id,
            inp.type,
            inp.source,
            _pair(inp.label),
            _pair(inp.unit),
            _pair(inp.help),
            inp.min,
            inp.max,
            choices,
        )
    by_pillar: dict[str, list[FormIndicator]] = {}
    for ind in fw.indicators_for(tier):
        top = _top_pillar(fw, ind.pillar)
        by_pillar.setdefault(top, []).append(
            FormIndicator(
                ind.id,
                _pair(ind.name),
                tuple(i for i in ind.inputs if i in inputs),
                ind.not_applicable,
                ind.evidence.required,
                _pair(ind.evidence.what),
            )
        )
    seen: set[str] = set()
    pillars = []
    for pid, node in fw.pillars.items():
        if node.parent is not None or pid not in by_pillar:
            continue
        typed = []
        for step in by_pillar[pid]:
            for name in step.inputs:
                if name not in seen and inputs[name].source != "automatic":
                    seen.add(name)
                    typed.append(name)
        pillars.append(FormPillar(pid, _pair(node.model.name), tuple(by_pillar[pid]), tuple(typed)))
    rest = [i.id for i in inputs.values() if i.source != "automatic" and i.id not in seen]
    if rest:  # inputs no indicator scores (context figures): a first step of their own
        pillars.insert(0, FormPillar("general", ("", ""), (), tuple(rest)))
    return FormSpec(tier, tuple(pillars), inputs)


def read_typed(handle: FrameworkHandle, input_id: str, text: str, lang: str) -> float | None:
    """The number a person typed in ``lang``'s convention (``1.234,5`` in Vietnamese), as
    the library's value reader accepts it; None when it rejects it (the submission's reading
    then says why, with the command line's message)."""
    inp = handle.framework.inputs.get(input_id)
    if inp is None:
        return None
    got = read_value(text, inp, "," if lang == "vi" else ".")
    return got.value if got.rejected is None else None


def shown_number(x: float, lang: str) -> str:
    """A stored number as a person reads and types it in ``lang`` (``1.234,5``)."""
    return number(x, 6, lang)


def shown_score(x: float, lang: str) -> str:
    """A score as the result pages show it: one decimal (``768,1``)."""
    return number(x, 1, lang, fixed=True)


def check_problems(scored: Scored, unit: str) -> list[Problem]:
    """The consistency checks (and other scoring diagnostics) about ``unit``."""
    return [
        Problem(d.severity, d.code, d.message, d.input, d.indicator, d.line)
        for d in scored.results.diagnostics
        if d.unit == unit
    ]


def workbook_values(
    handle: FrameworkHandle, data: bytes, name: str
) -> tuple[dict[str, dict[str, Any]], list[Problem]]:
    """The values of a filled Excel workbook (the library's xlsx reader), by unit, and its
    problems located at their cells (``Sheet!C12``) in the current language."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "book.xlsx"
        path.write_bytes(data)
        batch = load_workbook(path, handle.framework, handle.registry, name)
    values: dict[str, dict[str, Any]] = {}
    for sub in batch.submissions:
        mine = values.setdefault(sub.unit, {})
        mine.update({k: _whole(v) for k, v in sub.values.items()})
        mine.update({k: sub.written.get(k, "") for k in sub.invalid})
    problems = [
        Problem(
            d.severity, d.code, d.message, d.input, d.indicator, d.line, d.location.cell or None
        )
        for d in batch.diagnostics
    ]
    return values, problems


def _whole(x: float) -> float | int:
    return int(x) if float(x).is_integer() and abs(x) < 1e15 else x


@dataclass
class Report:
    """A published round analysed for its pages (render/site's ``ReportData``)."""

    data: Any


def report_of(scored: Scored, baseline: str | None) -> Report:
    """The report of a scored round, with the change since ``baseline`` (the previous
    round's result JSON) when given."""
    from maturity.render.site import baseline_from_document, build_report_data

    base = baseline_from_document(json.loads(baseline), "previous") if baseline else None
    return Report(
        build_report_data(
            scored.results, batch=scored.batch, registry=scored.registry, baseline=base
        )
    )


def report_page(report: Report, kind: str, unit: str | None, lang: str, links: Any) -> str:
    """One page of the report: ``national``, ``method``, ``province`` or ``unit``."""
    from maturity.render.site import method_page, national_page, province_page, unit_page

    if kind == "national":
        return str(national_page(report.data, lang, links))
    if kind == "method":
        return str(method_page(report.data, lang, links))
    if kind == "province":
        return str(province_page(report.data, unit or "", lang, links))
    return str(unit_page(report.data, unit or "", lang, links))


def report_units(report: Report, kind: str) -> set[str]:
    """The units that have a page of ``kind`` (``unit`` or ``province``)."""
    from maturity.render.site._site import province_ids

    if kind == "province":
        return set(province_ids(report.data))
    return {u.id for r in report.data.results.tiers.values() for u in r.units}


def report_asset(name: str) -> bytes | None:
    """The report's stylesheet or script."""
    from maturity.render.site._site import asset_files

    for path, raw in asset_files():
        if path == f"assets/{name}":
            return raw
    return None


def template_xlsx(handle: FrameworkHandle, tier: str, unit: str, period: str) -> bytes:
    """The self-assessment workbook of ``maturity template --format xlsx`` for one unit, in
    the current language, its code, name and period prefilled."""
    from maturity.render.xlsx.template import template_workbook

    return template_workbook(
        handle.framework, tier, unit=handle.registry.units.get(unit), period=period
    )


def tier_label(handle: FrameworkHandle, tier: str) -> str:
    """The tier's name in the current language (``cấp xã``)."""
    return handle.framework.tier_label(tier)
