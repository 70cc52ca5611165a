"""Verification files: an evaluator's verified values for units, each with a reason and
evidence, read and checked against the framework before they replace the submitted values."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from maturity.errors import InputError, Location, Problem, display_path
from maturity.framework.compiled import Framework
from maturity.framework.needs import indicator_dependencies
from maturity.framework.yaml_loader import Document, PathKey, load_yaml_file
from maturity.i18n import did_you_mean, msg
from maturity.inputs.units import Registry
from maturity.inputs.values import convention_of, read_value

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


class _Loader:
    def __init__(self, framework: Framework, registry: Registry) -> None:
        self.fw = framework
        self.registry = registry
        self.problems: list[Problem] = []
        self.result = Verifications()
        deps = indicator_dependencies(framework)
        self.indicator_inputs = {
            ind.id: sorted(deps[ind.id] & set(framework.inputs)) for ind in framework.indicators
        }

    def add(self, doc: Document, path: PathKey, code: str, *, key: bool = False, **kw: Any) -> None:
        self.problems.append(Problem.at(doc.locate(path, key=key), code, **kw))

    # complex on purpose: a validator over every key of a verification file
    def read(self, path: Path) -> None:  # noqa: C901
        name = display_path(path)
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
                    hint=did_you_mean(str(key), list(_KEYS)),
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
            hint = msg("shape.did_you_mean", name=close) if close else ""
            self.add(doc, ("unit",), "verify.unknown_unit", id=unit_id, hint=hint)
            return None
        if unit.tier not in self.fw.tier_ids():
            self.add(
                doc,
                ("unit",),
                "verify.unit_tier",
                id=unit_id,
                tier=self.fw.tier_text(unit.tier),
                framework=self.fw.id,
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
                self.add(
                    doc,
                    path,
                    "verify.other_tier",
                    key=True,
                    input=name,
                    tier=self.fw.tier_text(tier),
                )
            else:
                self.add(
                    doc,
                    path,
                    "verify.unknown_input",
                    key=True,
                    input=name,
                    tier=self.fw.tier_text(tier),
                    hint=did_you_mean(name, sorted(tier_inputs)),
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
                    hint=did_you_mean(str(key), list(_VALUE_KEYS)),
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
                why = reading.rejected
                self.add(doc, (*path, "value"), "verify.bad_value", input=name, why=why)
                ok = False
            value = reading.value
        elif raw is not None:
            self.add(
                doc,
                (*path, "value"),
                "verify.bad_value",
                input=name,
                why=msg("value.not_scalar", value="…"),
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
            loader.problems.append(Problem.at(Location(display_path(path)), "file.not_found"))
            continue
        loader.read(path)
    if loader.problems:
        raise InputError(loader.problems)
    return loader.result
