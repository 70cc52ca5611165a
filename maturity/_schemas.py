"""JSON Schemas of submissions (per framework) and of the result document."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from maturity._i18n import pick
from maturity._shape import SCHEMA_DIALECT, model_schema
from maturity.framework import Framework


def _text_form(kind: str) -> dict[str, Any]:
    """The text a person may type for an input of ``kind``: a number as written (grouped, with
    a decimal comma, a percent sign), or a yes/no word (both languages)."""
    if kind == "boolean":
        from maturity._values import FALSE_WORDS, TRUE_WORDS

        words = sorted(TRUE_WORDS | FALSE_WORDS)
        return {"type": "string", "enum": sorted({*words, *(w.capitalize() for w in words)})}
    return {"type": "string", "pattern": r"^\s*[+-]?[0-9][0-9., \u00a0]*%?\s*$", "maxLength": 64}


def submission_schema(fw: Framework) -> dict[str, Any]:
    """The schema of one unit's submission file for ``fw``: every input with its type,
    range and label, so an editor can complete and check a submission as it is typed."""
    props: dict[str, Any] = {}
    for inp in sorted(fw.inputs.values(), key=lambda i: i.id):
        spec: dict[str, Any] = {"title": pick(inp.label, "vi") + " / " + pick(inp.label, "en")}
        if inp.type == "boolean":
            spec["type"] = ["boolean", "integer"]
            spec["enum"] = [True, False, 0, 1]
        elif inp.type in ("integer", "ordinal"):
            spec["type"] = "integer"
        else:
            spec["type"] = "number"
        if inp.type != "boolean":
            if inp.min is not None:
                spec["minimum"] = inp.min
            if inp.max is not None:
                spec["maximum"] = inp.max
            if inp.type == "ordinal" and inp.choices:
                spec["enum"] = [int(k) for k in sorted(inp.choices, key=int)]
        spec["description"] = (
            f"tiers: {', '.join(inp.tiers)}"
            + (f"; unit: {pick(inp.unit, 'en')}" if inp.unit else "")
            + "; empty (null) = not submitted"
        )
        # a blank value is allowed: it means "no data", as in the templates
        types = spec["type"] if isinstance(spec["type"], list) else [spec["type"]]
        spec["type"] = [*types, "null"]
        if "enum" in spec:
            spec["enum"] = [*spec["enum"], None]
        # or text as typed (94,5; có; 75%), which the reader judges by the stated locale
        props[inp.id] = {"anyOf": [spec, _text_form(inp.type)]}
    na_ids = sorted(ind.id for ind in fw.indicators if ind.not_applicable)
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": f"https://maturity.dev/schema/submission/{fw.id}.json",
        "title": f"maturity submission for {fw.id} {fw.version}",
        "type": "object",
        "required": ["unit"],
        "additionalProperties": False,
        "properties": {
            "unit": {"type": "string", "description": "unit id from the registry"},
            "period": {"type": "string"},
            "framework": {"type": "string", "const": fw.id},
            "name": {"type": "string"},
            "tier": {"type": "string"},
            "notes": {"type": "string"},
            "locale": {
                "type": "string",
                "description": "how numbers are written: vi (1.234,5) or en (1,234.5)",
                "enum": ["vi", "vi-VN", "en", "en-US", "en-GB"],
            },
            "decimal_mark": {"type": "string", "enum": [",", "."]},
            "values": {"type": "object", "properties": props, "additionalProperties": False},
            "not_applicable": {
                "type": "object",
                "propertyNames": {"enum": na_ids} if na_ids else {"not": {}},
                "additionalProperties": {"type": "string"},
            },
            "evidence": {"type": "object", "additionalProperties": {"type": "string"}},
        },
    }


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _FrameworkRef(_Strict):
    id: str
    version: str
    digest: str = Field(pattern=r"^sha256:[0-9a-f]{64}$")
    title: str


class _Engine(_Strict):
    name: str
    version: str


class _InputFile(_Strict):
    file: str
    sha256: str = Field(pattern=r"^sha256:[0-9a-f]{64}$")


class _Pillar(_Strict):
    id: str
    parent: str | None
    score: float = Field(ge=0)
    max_score: float = Field(ge=0)
    level: int | None = Field(ge=1)


class _Indicator(_Strict):
    id: str
    pillar: str
    value: float | None
    status: str = Field(pattern="^(scored|missing|invalid|error|not_applicable)$")
    score: float | None = Field(ge=0, le=1)
    points: float = Field(ge=0)
    max_points: float = Field(ge=0)
    level: int | None = Field(ge=1, le=5)


class _Values(_Strict):
    """What became of the values the unit submitted: submitted = used + rejected + ignored."""

    submitted: int = Field(ge=0)
    used: int = Field(ge=0)
    rejected: int = Field(ge=0)
    ignored: int = Field(ge=0)


class _Unit(_Strict):
    id: str
    name: str
    tier: str
    parent: str | None
    period: str
    score: float | None = Field(ge=0)
    max_score: float = Field(ge=0)
    index: float | None = Field(ge=0, le=1)
    level: int | None = Field(ge=1)
    level_name: str | None
    score_level: int | None = Field(ge=1)
    capped_by: list[str]
    coverage: float = Field(ge=0, le=1)
    rank: int | None = Field(ge=1)
    rank_in_parent: int | None = Field(ge=1)
    values: _Values
    pillars: list[_Pillar]
    indicators: list[_Indicator]


class _Diagnostic(_Strict):
    severity: str = Field(pattern="^(error|warning|info)$")
    code: str
    message: str
    unit: str | None
    indicator: str | None
    file: str | None
    line: int | None
    column: str | None
    check: str | None = Field(
        default=None, description="the consistency check of a check.failed / check.error"
    )
    input: str | None = Field(default=None, description="the input a value diagnostic is about")


class _Summary(_Strict):
    units: int
    scored: int
    by_level: dict[str, int]
    by_status: dict[str, int]


class _Standing(_Strict):
    score: float | None = Field(ge=0)
    level: int | None = Field(ge=1)
    rank: int | None = Field(ge=1)


class _Outcome(_Strict):
    id: str
    name: str
    tier: str
    self_assessed: _Standing
    verified: _Standing
    delta: float | None


class _VerifiedValue(_Strict):
    input: str
    self_assessed: float | None
    self_status: str = Field(pattern="^(ok|missing|invalid)$")
    verified: float | None
    changed: bool
    reason: str
    evidence: str | None


class _IndicatorDifference(_Strict):
    id: str
    self_value: float | None
    verified_value: float | None
    self_status: str
    verified_status: str
    self_points: float | None
    verified_points: float | None
    delta_points: float | None
    self_level: int | None
    verified_level: int | None
    reasons: list[str]


class _UnitVerification(_Outcome):
    verified_by: str
    date: str
    file: str
    notes: str | None
    values: list[_VerifiedValue]
    indicators: list[_IndicatorDifference]


class _Verification(_Strict):
    """``score --verified``: self-assessed against verified results (``units`` holds the
    results after verification)."""

    framework: dict[str, str]
    units: list[_UnitVerification]
    affected: list[_Outcome]


class ResultDocument(_Strict):
    """The result JSON of ``maturity score --format json``."""

    schema_version: str = Field(pattern=r"^1\.\d+$")
    framework: _FrameworkRef
    engine: _Engine
    missing_policy: str = Field(pattern="^(zero|exclude)$")
    inputs: list[_InputFile]
    summary: _Summary
    units: list[_Unit]
    diagnostics: list[_Diagnostic]
    verification: _Verification | None = None


def result_schema() -> dict[str, Any]:
    return model_schema(
        ResultDocument, "maturity result", "https://maturity.dev/schema/result.json"
    )
