"""Verified values: an evaluator's corrections to a unit's self-assessed values, each with a
reason, and the comparison of the self-assessed and verified results.

A verification file (YAML) is about one unit::

    unit: "86"
    verified_by: "Đoàn công tác Bộ KH&CN số 5"
    date: "2025-08-28"
    values:
      dossiers_online: {value: 76000, reason: "1,352 records were duplicates"}
      uses_ai: {value: null, reason: "no evidence was shown"}   # not accepted: missing

:func:`load_verifications` reads and checks the files (every problem located, unknown units
and inputs with a "did you mean"); :func:`apply_verifications` returns a new batch with the
verified values in place of the submitted ones; :func:`compare` lists, per verified unit, the
self-assessed and verified score and level and every indicator that differs, with the reasons;
:func:`render_verification` renders that as text, JSON or Markdown.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
import math
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from maturity import _formula as fx
from maturity._i18n import pick, t
from maturity._tables import grid
from maturity._values import convention_of, read_value
from maturity._yaml import Document, PathKey, load_yaml_file
from maturity.engine import STATUS_NAMES, Results, TierResult
from maturity.errors import InputError, Location, Problem
from maturity.framework import Framework
from maturity.submissions import Batch, Diagnostic, Submission
from maturity.units import Registry

VERIFY_FORMATS = ("table", "text", "json", "markdown")
_KEYS = ("unit", "verified_by", "date", "period", "notes", "locale", "values")
_REQUIRED = ("unit", "verified_by", "date", "values")
_VALUE_KEYS = ("value", "reason", "evidence")


@dataclass(frozen=True)
class VerifiedValue:
    """One verified input value; ``value`` None means the submitted value is not accepted
    (the input then counts as missing)."""

    input: str
    value: float | None
    reason: str
    evidence: str = ""
    file: str = ""
    line: int = 0


@dataclass(frozen=True)
class Verification:
    """An evaluator's verification of one unit."""

    unit: str
    verified_by: str
    date: str
    values: dict[str, VerifiedValue]
    period: str = ""
    notes: str = ""
    file: str = ""
    line: int = 0


@dataclass
class Verifications:
    """Every verification read, by unit id, and the files they came from (with SHA-256)."""

    items: dict[str, Verification] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.items)


# --------------------------------------------------------------------------- loading


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _hint(name: str, known: list[str], cutoff: float = 0.6) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=cutoff)
    return t("shape.did_you_mean", name=close[0]) if close else ""


class _Loader:
    def __init__(self, framework: Framework, registry: Registry) -> None:
        self.fw = framework
        self.registry = registry
        self.problems: list[Problem] = []
        self.result = Verifications()
        deps = _dependencies(framework)
        self.indicator_inputs = {
            ind.id: sorted(deps[ind.id] & set(framework.inputs)) for ind in framework.indicators
        }

    def add(self, doc: Document, path: PathKey, code: str, *, key: bool = False, **kw: Any) -> None:
        self.problems.append(Problem(doc.locate(path, key=key), t(code, **kw), code))

    def read(self, path: Path) -> None:
        name = _display(path)
        try:
            doc = load_yaml_file(path, name)
        except InputError as exc:
            self.problems.extend(exc.problems)
            return
        self.result.files[name] = "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
        data = doc.data
        if not isinstance(data, dict):
            self.add(doc, (), "verify.not_mapping")
            return
        ok = True
        for key in data:
            if key not in _KEYS:
                self.add(
                    doc,
                    (key,),
                    "verify.unknown_key",
                    key=True,
                    name=key,
                    hint=_hint(str(key), list(_KEYS)),
                    allowed=", ".join(_KEYS),
                )
                ok = False
        for key in _REQUIRED:
            if data.get(key) in (None, "", {}):
                self.add(doc, (key,) if key in data else (), "verify.required", name=key)
                ok = False
        for key in ("verified_by", "date", "period", "notes"):
            if key in data and data[key] is not None and not isinstance(data[key], str):
                self.add(doc, (key,), "verify.text", name=key)
                ok = False
        when = data.get("date")
        if isinstance(when, str) and when:
            try:
                date.fromisoformat(when)
            except ValueError:
                self.add(doc, ("date",), "verify.date", value=when)
                ok = False
        values = data.get("values")
        if values is not None and not isinstance(values, dict):
            self.add(doc, ("values",), "verify.values_mapping")
            ok = False
        unit_id = self.unit(doc, doc.written(("unit",)) if "unit" in data else None)
        if unit_id is None or not ok or not isinstance(values, dict):
            return
        unit = self.registry.get(unit_id)
        assert unit is not None
        checked: dict[str, VerifiedValue] = {}
        for input_id, entry in values.items():
            vv = self.value(doc, unit.tier, str(input_id), entry)
            if vv is not None:
                checked[vv.input] = vv
        if unit_id in self.result.items:
            first = self.result.items[unit_id]
            self.add(
                doc, ("unit",), "verify.duplicate", unit=unit_id, first=f"{first.file}:{first.line}"
            )
            return
        line = doc.locate(("unit",)).line
        self.result.items[unit_id] = Verification(
            unit=unit_id,
            verified_by=str(data["verified_by"]),
            date=str(data["date"]),
            values=checked,
            period=str(data.get("period") or ""),
            notes=str(data.get("notes") or ""),
            file=doc.file,
            line=line,
        )

    def unit(self, doc: Document, raw: Any) -> str | None:
        if raw is None or isinstance(raw, bool | dict | list) or not str(raw).strip():
            return None  # reported as required, or below
        unit_id = str(raw).strip()
        unit = self.registry.get(unit_id)
        if unit is None:
            padded = self.registry.padded(unit_id)
            close = padded[0].id if len(padded) == 1 else self.registry.suggest(unit_id)
            hint = t("shape.did_you_mean", name=close) if close else ""
            self.add(doc, ("unit",), "verify.unknown_unit", id=unit_id, hint=hint)
            return None
        if unit.tier not in self.fw.tier_ids():
            self.add(
                doc, ("unit",), "verify.unit_tier", id=unit_id, tier=unit.tier, framework=self.fw.id
            )
            return None
        return unit_id

    def value(self, doc: Document, tier: str, name: str, entry: Any) -> VerifiedValue | None:
        path: PathKey = ("values", name)
        tier_inputs = {inp.id: inp for inp in self.fw.inputs_for(tier)}
        inp = tier_inputs.get(name)
        if inp is None:
            if name in self.indicator_inputs:
                self.add(
                    doc,
                    path,
                    "verify.indicator",
                    key=True,
                    id=name,
                    inputs=", ".join(self.indicator_inputs[name]),
                )
            elif name in self.fw.inputs:
                self.add(doc, path, "verify.other_tier", key=True, input=name, tier=tier)
            else:
                self.add(
                    doc,
                    path,
                    "verify.unknown_input",
                    key=True,
                    input=name,
                    tier=tier,
                    hint=_hint(name, sorted(tier_inputs)),
                )
            return None
        if not isinstance(entry, dict):
            self.add(doc, path, "verify.entry_shape", input=name)
            return None
        ok = True
        for key in entry:
            if key not in _VALUE_KEYS:
                self.add(
                    doc,
                    (*path, key),
                    "verify.unknown_key",
                    key=True,
                    name=key,
                    hint=_hint(str(key), list(_VALUE_KEYS)),
                    allowed=", ".join(_VALUE_KEYS),
                )
                ok = False
        if "value" not in entry:
            self.add(doc, path, "verify.required", name="value")
            ok = False
        reason = entry.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            self.add(
                doc, (*path, "reason") if "reason" in entry else path, "verify.reason", input=name
            )
            ok = False
        evidence = entry.get("evidence")
        if evidence is not None and not isinstance(evidence, str):
            self.add(doc, (*path, "evidence"), "verify.text", name="evidence")
            ok = False
        value: float | None = None
        raw = doc.written((*path, "value"))
        if raw is not None and not isinstance(raw, dict | list):
            reading = read_value(raw, inp, convention_of(doc.written(("locale",))))
            if reading.rejected is not None:
                why = t(reading.rejected.code, **reading.rejected.args)
                self.add(doc, (*path, "value"), "verify.bad_value", input=name, why=why)
                ok = False
            value = reading.value
        elif raw is not None:
            self.add(
                doc,
                (*path, "value"),
                "verify.bad_value",
                input=name,
                why=t("value.not_scalar", value="…"),
            )
            ok = False
        if not ok:
            return None
        assert isinstance(reason, str)
        return VerifiedValue(
            name, value, reason.strip(), str(evidence or ""), doc.file, doc.locate(path).line
        )


def load_verifications(
    paths: list[Path], framework: Framework, registry: Registry
) -> Verifications:
    """Read verification files (folders: every ``*.yaml``/``*.yml`` in them, recursively).

    Raises :class:`InputError` listing every located problem: bad YAML, unknown keys, a unit
    or input that does not exist (with a "did you mean"), a value its input does not allow,
    a missing reason, a unit verified twice.
    """
    loader = _Loader(framework, registry)
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(p for p in path.rglob("*") if p.suffix.lower() in (".yaml", ".yml"))
            )
        else:
            files.append(path)
    for path in files:
        if not path.is_file():
            loader.problems.append(
                Problem(Location(_display(path)), t("file.not_found"), "file.not_found")
            )
            continue
        loader.read(path)
    if loader.problems:
        raise InputError(loader.problems)
    return loader.result


# --------------------------------------------------------------------------- applying


def apply_verifications(batch: Batch, verifications: Verifications) -> Batch:
    """A new batch in which every verified value replaces the submitted one (the batch given
    is not changed). Each replacement is an info diagnostic naming the verification file, so
    every submitted value stays accounted for; a unit verified without a submission gets one
    made of its verified values, with a warning."""
    subs = list(batch.submissions)  # unverified submissions are shared: nothing changes them
    position = {s.unit: i for i, s in enumerate(subs)}
    diagnostics = list(batch.diagnostics)
    for unit_id, ver in sorted(verifications.items.items()):
        values: dict[str, float] = {}
        if unit_id in position:
            old = subs[position[unit_id]]
            values = dict(old.values)
            sub = dataclasses.replace(
                old,
                values=values,
                invalid=dict(old.invalid),
                not_applicable=dict(old.not_applicable),
                evidence=dict(old.evidence),
            )
            subs[position[unit_id]] = sub
        else:
            sub = Submission(unit_id, ver.period, values, file=ver.file, line=ver.line)
            position[unit_id] = len(subs)
            subs.append(sub)
            diagnostics.append(
                Diagnostic(
                    "warning",
                    "verify.no_submission",
                    t("verify.no_submission"),
                    unit_id,
                    None,
                    ver.file,
                    ver.line or None,
                )
            )
        for name, vv in sorted(ver.values.items()):
            before = sub.values.get(name)
            rejected = before is None and name in sub.invalid
            shown = t("verify.rejected") if rejected else _n(before)
            sub.invalid.pop(name, None)
            if vv.value is None:
                values.pop(name, None)
            else:
                values[name] = vv.value
            code = (
                "verify.confirmed"
                if before is not None and before == vv.value
                else "verify.replaced"
            )
            diagnostics.append(
                Diagnostic(
                    "info",
                    code,
                    t(
                        code,
                        input=name,
                        old=shown,
                        new=_n(vv.value),
                        by=ver.verified_by,
                        reason=vv.reason,
                    ),
                    unit_id,
                    None,
                    vv.file,
                    vv.line or None,
                )
            )
    diagnostics.sort(key=Diagnostic.sort_key)
    return Batch(subs, diagnostics, {**batch.files, **verifications.files})


# --------------------------------------------------------------------------- comparing


@dataclass(frozen=True)
class ValueCheck:
    input: str
    label: str
    self_value: float | None
    self_status: str  # ok | missing | invalid
    verified_value: float | None
    reason: str
    evidence: str
    boolean: bool = False  # a yes/no input: shown as yes/no

    @property
    def changed(self) -> bool:
        return self.self_status != "ok" or self.self_value != self.verified_value


@dataclass(frozen=True)
class IndicatorDifference:
    id: str
    name: str
    self_value: float | None
    verified_value: float | None
    self_status: str
    verified_status: str
    self_points: float
    verified_points: float
    self_level: int | None
    verified_level: int | None
    reasons: tuple[str, ...]

    @property
    def delta(self) -> float:
        return self.verified_points - self.self_points


@dataclass(frozen=True)
class UnitOutcome:
    """A unit's result before and after verification."""

    id: str
    name: str
    tier: str
    self_score: float | None
    verified_score: float | None
    self_level: int | None
    verified_level: int | None
    self_rank: int | None
    verified_rank: int | None

    @property
    def delta(self) -> float | None:
        if self.self_score is None or self.verified_score is None:
            return None
        return self.verified_score - self.self_score


@dataclass(frozen=True)
class UnitVerification:
    outcome: UnitOutcome
    verified_by: str
    date: str
    file: str
    notes: str
    values: list[ValueCheck]
    indicators: list[IndicatorDifference]


@dataclass
class VerificationReport:
    framework: dict[str, str]
    level_names: dict[int, str]
    units: list[UnitVerification]
    affected: list[UnitOutcome]  # units not verified whose score or level changed
    tier_labels: dict[str, str] = field(default_factory=dict)  # tier id -> short name


def _outcome(
    unit_id: str, before: tuple[TierResult, int] | None, after: tuple[TierResult, int] | None
) -> UnitOutcome:
    ref = after or before
    assert ref is not None
    unit = ref[0].units[ref[1]]

    def pick_result(
        found: tuple[TierResult, int] | None,
    ) -> tuple[float | None, int | None, int | None]:
        if found is None:
            return None, None, None
        r, i = found
        if r.level[i] <= 0:
            return None, None, None
        return float(r.total[i]), int(r.level[i]), int(r.rank[i]) or None

    s_score, s_level, s_rank = pick_result(before)
    v_score, v_level, v_rank = pick_result(after)
    return UnitOutcome(
        unit_id, unit.name, unit.tier, s_score, v_score, s_level, v_level, s_rank, v_rank
    )


def _dependencies(fw: Framework) -> dict[str, set[str]]:
    """For each indicator, the inputs its value is computed from (through derived values)."""
    derived_names: dict[str, set[str]] = {}
    for did in fw.derived:
        expr = fw.formulas.get(did)
        if expr is not None:
            own, inside = fx.names_used(expr)
            derived_names[did] = own | inside
    out: dict[str, set[str]] = {}
    for ind in fw.indicators:
        expr = fw.formulas.get(ind.id)
        names = set(ind.inputs)
        if expr is not None:
            own, inside = fx.names_used(expr)
            names |= own | inside
        stack = list(names)
        while stack:
            for dep in derived_names.get(stack.pop(), set()) - names:
                names.add(dep)
                stack.append(dep)
        out[ind.id] = names
    return out


def _float(x: float) -> float | None:
    return None if math.isnan(x) else float(x)


def compare(
    self_results: Results, verified_results: Results, verifications: Verifications
) -> VerificationReport:
    """Self-assessed against verified results: per verified unit its score, level and rank
    both ways, each verified value against the submitted one, and every indicator whose
    value, status or points differ (with the reasons of the values behind it); then every
    other unit whose score or level changed (a province aggregating a verified commune)."""
    fw = verified_results.framework
    deps = _dependencies(fw)
    units: list[UnitVerification] = []
    tier_order = fw.tier_ids()

    def order(unit_id: str) -> tuple[int, str]:
        found = verified_results.find(unit_id) or self_results.find(unit_id)
        tier = found[0].tier if found else ""
        return (tier_order.index(tier) if tier in tier_order else len(tier_order), unit_id)

    for unit_id in sorted(verifications.items, key=order):
        ver = verifications.items[unit_id]
        before = self_results.find(unit_id)
        after = verified_results.find(unit_id)
        if after is None and before is None:
            continue
        outcome = _outcome(unit_id, before, after)
        values = []
        for name, vv in sorted(ver.values.items()):
            s_value: float | None = None
            s_status = "missing"
            if before is not None:
                col = before[0].columns.get(name)
                if col is not None:
                    code = int(col.status[before[1]])
                    s_status = {fx.OK: "ok", fx.INVALID: "invalid"}.get(code, "missing")
                    s_value = float(col.values[before[1]]) if code == fx.OK else None
            inp = fw.inputs.get(name)
            values.append(
                ValueCheck(
                    name,
                    pick(inp.label) if inp else name,
                    s_value,
                    s_status,
                    vv.value,
                    vv.reason,
                    vv.evidence,
                    inp is not None and inp.type == "boolean",
                )
            )
        indicators: list[IndicatorDifference] = []
        if after is not None:
            r_after, i_after = after
            r_before = before[0] if before is not None else None
            for j, ind in enumerate(r_after.indicators):
                jb = _column(r_before, ind.id) if r_before is not None else None
                v_val = _float(r_after.value[i_after, j])
                v_status = STATUS_NAMES[r_after.status[i_after, j]]
                v_pts = float(r_after.points[i_after, j])
                v_lvl = int(r_after.ind_level[i_after, j]) or None
                if r_before is not None and before is not None and jb is not None:
                    ib = before[1]
                    s_val = _float(r_before.value[ib, jb])
                    s_stat = STATUS_NAMES[r_before.status[ib, jb]]
                    s_pts = float(r_before.points[ib, jb])
                    s_lvl = int(r_before.ind_level[ib, jb]) or None
                else:
                    s_val, s_stat, s_pts, s_lvl = None, "missing", 0.0, None
                if (
                    s_val == v_val
                    and s_stat == v_status
                    and math.isclose(s_pts, v_pts, abs_tol=1e-9)
                ):
                    continue
                reasons = tuple(
                    f"{n}: {ver.values[n].reason}"
                    for n in sorted(deps.get(ind.id, set()) & set(ver.values))
                )
                indicators.append(
                    IndicatorDifference(
                        ind.id,
                        pick(ind.name),
                        s_val,
                        v_val,
                        s_stat,
                        v_status,
                        s_pts,
                        v_pts,
                        s_lvl,
                        v_lvl,
                        reasons,
                    )
                )
        units.append(
            UnitVerification(
                outcome, ver.verified_by, ver.date, ver.file, ver.notes, values, indicators
            )
        )
    affected: list[UnitOutcome] = []
    for tier, r_after in verified_results.tiers.items():
        r_before = self_results.tiers.get(tier)
        if r_before is None:
            continue
        rows = {u.id: i for i, u in enumerate(r_before.units)}
        for i, unit in enumerate(r_after.units):
            if unit.id in verifications.items or unit.id not in rows:
                continue
            o = _outcome(unit.id, (r_before, rows[unit.id]), (r_after, i))
            score_moved = (o.self_score is None) != (o.verified_score is None) or (
                o.delta is not None and abs(o.delta) > 1e-9
            )
            if score_moved or o.self_level != o.verified_level:
                affected.append(o)
    return VerificationReport(
        framework={"id": fw.id, "version": fw.version, "digest": fw.digest},
        level_names={lv.level: pick(lv.name) for lv in fw.manifest.levels},
        units=units,
        affected=affected,
        tier_labels={tier: fw.tier_label(tier) for tier in fw.tier_ids()},
    )


def _column(result: TierResult, indicator_id: str) -> int | None:
    for j, ind in enumerate(result.indicators):
        if ind.id == indicator_id:
            return j
    return None


# --------------------------------------------------------------------------- rendering


def _n(x: float | None, digits: int = 2) -> str:
    """A number for people.

    >>> _n(76000.0), _n(49.53573), _n(None), _n(-0.0)
    ('76,000', '49.54', '—', '0')
    """
    if x is None or math.isnan(x):
        return "—"
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.{digits}f}".rstrip("0").rstrip(".")


def _signed(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x:+.2f}" if abs(x) > 1e-9 else "0.00"


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 6) + 0.0


def _outcome_doc(o: UnitOutcome) -> dict[str, Any]:
    return {
        "id": o.id,
        "name": o.name,
        "tier": o.tier,
        "self_assessed": {"score": _r(o.self_score), "level": o.self_level, "rank": o.self_rank},
        "verified": {
            "score": _r(o.verified_score),
            "level": o.verified_level,
            "rank": o.verified_rank,
        },
        "delta": _r(o.delta),
    }


def verification_document(report: VerificationReport) -> dict[str, Any]:
    """The report as plain data: the JSON output."""
    return {
        "framework": report.framework,
        "units": [
            {
                **_outcome_doc(u.outcome),
                "verified_by": u.verified_by,
                "date": u.date,
                "file": u.file,
                "notes": u.notes or None,
                "values": [
                    {
                        "input": v.input,
                        "self_assessed": v.self_value,
                        "self_status": v.self_status,
                        "verified": v.verified_value,
                        "changed": v.changed,
                        "reason": v.reason,
                        "evidence": v.evidence or None,
                    }
                    for v in u.values
                ],
                "indicators": [
                    {
                        "id": d.id,
                        "self_value": _r(d.self_value),
                        "verified_value": _r(d.verified_value),
                        "self_status": d.self_status,
                        "verified_status": d.verified_status,
                        "self_points": _r(d.self_points),
                        "verified_points": _r(d.verified_points),
                        "delta_points": _r(d.delta),
                        "self_level": d.self_level,
                        "verified_level": d.verified_level,
                        "reasons": list(d.reasons),
                    }
                    for d in u.indicators
                ],
            }
            for u in report.units
        ],
        "affected": [_outcome_doc(o) for o in report.affected],
    }


def _level(report: VerificationReport, level: int | None) -> str:
    return f"{level} {report.level_names.get(level, '')}".strip() if level else "—"


def render_verification(
    report: VerificationReport, fmt: str = "table", tablefmt: str = "simple"
) -> str:
    """The report as text (``table`` or ``text``), JSON or Markdown."""
    if fmt == "json":
        return json.dumps(verification_document(report), ensure_ascii=False, indent=2) + "\n"
    md = fmt == "markdown"
    style = "github" if md else tablefmt
    h1, h2, h3 = ("# ", "## ", "### ") if md else ("", "", "")
    out = [
        h1
        + t("verify.title", framework=report.framework["id"], version=report.framework["version"]),
        "",
    ]
    if not report.units:
        out += [t("verify.none"), ""]
    for u in report.units:
        o = u.outcome
        tier = report.tier_labels.get(o.tier, o.tier)
        out += [h2 + t("verify.unit", name=o.name, id=o.id, tier=tier), ""]
        out.append(t("verify.by", by=u.verified_by, date=u.date, file=u.file))
        out.append(
            t(
                "verify.outcome",
                self_score=_n(o.self_score),
                self_level=_level(report, o.self_level),
                self_rank=o.self_rank or "—",
                score=_n(o.verified_score),
                level=_level(report, o.verified_level),
                rank=o.verified_rank or "—",
                delta=_signed(o.delta),
            )
        )
        if u.notes:
            out.append(u.notes)
        out.append("")
        vh = [t(f"verify.col.{c}") for c in ("input", "label", "self", "verified", "reason")]
        vrows = [
            [
                v.input,
                v.label,
                _shown(v.self_value, v.boolean)
                if v.self_status == "ok"
                else t(f"verify.status.{v.self_status}"),
                _shown(v.verified_value, v.boolean)
                if v.verified_value is not None
                else t("verify.not_accepted"),
                v.reason + (f" ({v.evidence})" if v.evidence else ""),
            ]
            for v in u.values
        ]
        out += [
            h3 + t("verify.values"),
            "",
            grid(vrows, headers=vh, tablefmt=style, disable_numparse=True),
            "",
        ]
        out.append(h3 + t("verify.indicators"))
        out.append("")
        if u.indicators:
            ih = [
                t(f"verify.col.{c}")
                for c in ("indicator", "name", "value", "level", "points", "delta", "reason")
            ]
            irows = [
                [
                    d.id,
                    d.name,
                    f"{_value(d.self_value, d.self_status)} → "
                    f"{_value(d.verified_value, d.verified_status)}",
                    f"{d.self_level or '—'} → {d.verified_level or '—'}",
                    f"{_n(d.self_points)} → {_n(d.verified_points)}",
                    _signed(d.delta),
                    "; ".join(d.reasons),
                ]
                for d in u.indicators
            ]
            out.append(grid(irows, headers=ih, tablefmt=style, disable_numparse=True))
        else:
            out.append(t("verify.no_difference"))
        out.append("")
    if report.affected:
        ah = [t(f"verify.col.{c}") for c in ("id", "name", "tier", "score", "level", "delta")]
        arows = [
            [
                o.id,
                o.name,
                report.tier_labels.get(o.tier, o.tier),
                f"{_n(o.self_score)} → {_n(o.verified_score)}",
                f"{o.self_level or '—'} → {o.verified_level or '—'}",
                _signed(o.delta),
            ]
            for o in report.affected
        ]
        out += [
            h2 + t("verify.affected"),
            "",
            grid(arows, headers=ah, tablefmt=style, disable_numparse=True),
            "",
        ]
    return "\n".join(out).rstrip("\n") + "\n"


def for_unit(report: VerificationReport, unit_id: str) -> VerificationReport:
    """The part of a report about one unit: its verification, or its outcome when it was not
    verified itself but its result changed (a province aggregating a verified commune)."""
    return VerificationReport(
        report.framework,
        report.level_names,
        [u for u in report.units if u.outcome.id == unit_id],
        [o for o in report.affected if o.id == unit_id],
        report.tier_labels,
    )


def _json_with(text: str, key: str, value: Any) -> str:
    """Add one top-level key at the end of a result JSON written by ``render_json`` (which puts
    one unit per line), keeping its layout."""
    if not text.endswith("\n}\n"):  # pragma: no cover - render_json always ends so
        raise ValueError("not a result document")
    body = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n  ")
    return f"{text[:-3]},\n  {json.dumps(key)}: {body}\n}}\n"


def _csv_with_self(text: str, self_results: Results, report: VerificationReport) -> str:
    """Add whether a unit was verified, its self-assessed score and level and the change of
    its score by verification to each row of a ``render_csv`` table (keyed by ``id``)."""
    import csv
    import io

    from maturity.render import num

    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    id_col, score_col = header.index("id"), header.index("score")
    verified = {u.outcome.id for u in report.units}
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([*header, "verified", "self_score", "self_level", "verification_delta"])
    for row in rows[1:]:
        found = self_results.find(row[id_col])
        self_score: float | None = None
        self_level = ""
        if found is not None:
            result, i = found
            self_score = num(result.total[i])
            self_level = str(int(result.level[i]) or "")
        delta = None
        if self_score is not None and row[score_col]:
            delta = num(float(row[score_col]) - self_score)
        writer.writerow(
            [
                *row,
                "yes" if row[id_col] in verified else "",
                "" if self_score is None else str(self_score),
                self_level,
                "" if delta is None else str(delta),
            ]
        )
    return buf.getvalue()


def render_scores(
    self_results: Results,
    verified_results: Results,
    report: VerificationReport,
    fmt: str,
    *,
    sort: str = "rank",
    tier: str | None = None,
    tablefmt: str = "simple",
) -> str:
    """``maturity score --verified``: the verified results in the usual format, with the
    self-assessed results beside them. JSON gains a ``verification`` key (the report); CSV
    gains the columns ``verified``, ``self_score``, ``self_level`` and ``verification_delta``;
    a table or Markdown document is followed by the verification report."""
    from maturity.render import render

    text = render(verified_results, fmt, sort=sort, tier=tier, tablefmt=tablefmt)
    if fmt == "json":
        return _json_with(text, "verification", verification_document(report))
    if fmt == "csv":
        return _csv_with_self(text, self_results, report)
    return text + "\n" + render_verification(report, fmt, tablefmt)


def _shown(x: float | None, boolean: bool) -> str:
    if boolean and x is not None:
        return t("diff.yes") if x else t("diff.no")
    return _n(x)


def _value(x: float | None, status: str) -> str:
    return _n(x) if status == "scored" else t(f"verify.status.{status}")


__all__ = [
    "VERIFY_FORMATS",
    "IndicatorDifference",
    "UnitOutcome",
    "UnitVerification",
    "ValueCheck",
    "Verification",
    "VerificationReport",
    "Verifications",
    "VerifiedValue",
    "apply_verifications",
    "compare",
    "load_verifications",
    "render_verification",
    "verification_document",
]
