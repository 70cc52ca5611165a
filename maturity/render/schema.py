"""JSON Schemas of submissions (per framework) and of the result document."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from maturity.framework.compiled import Framework
from maturity.framework.shape import model_schema
from maturity.render.document import Document


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


class _Since(_Strict):
    """A unit as the baseline round had it (``score --baseline``)."""

    period: str
    score: float | None
    level: int | None
    rank: int | None
    score_change: float | None


class _BaselineRef(_Strict):
    file: str
    framework: dict[str, str]
    periods: list[str]


class _SubIndex(_Strict):
    """A declared sub-index of the unit (framework ``indices:``)."""

    id: str
    index: float | None = Field(ge=0, le=1)
    score: float | None = Field(ge=0)
    rank: int | None = Field(ge=1)
    rank_in_parent: int | None = Field(ge=1)


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
    flags: list[str] = Field(
        default_factory=list,
        description="publication flags: check_error (fails an error-severity check), "
        "low_coverage (data coverage below publication.min_coverage)",
    )
    since: _Since | None = Field(
        default=None, description="score --baseline: the unit then (null: not in the baseline)"
    )
    values: _Values
    pillars: list[_Pillar]
    indicators: list[_Indicator]
    indices: list[_SubIndex] = Field(
        default_factory=list, description="the framework's sub-indices (only where declared)"
    )


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
    province: str | None = Field(
        default=None, description="the province of the unit (a province is its own)"
    )
    indicators: list[str] = Field(
        default_factory=list,
        description="the indicators it affects: its own, those using its input, or those "
        "reading the values of its check",
    )


class _Summary(_Strict):
    units: int
    scored: int
    ranked: int = Field(default=0, description="units with a rank")
    flagged: int = Field(default=0, description="units with at least one publication flag")
    by_level: dict[str, int]
    by_status: dict[str, int]
    by_flag: dict[str, int] = Field(default_factory=dict)
    by_severity: dict[str, int] = Field(
        default_factory=dict, description="diagnostics of the document by severity"
    )


class _Publication(_Strict):
    """The framework's publication rules the ranks and flags follow."""

    min_coverage: float = Field(ge=0, le=1)
    rank_units_with_errors: bool
    rank_units_below_coverage: bool
    min_ranked: int = Field(ge=1)


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
    publication: _Publication | None = None
    summary: _Summary
    baseline: _BaselineRef | None = None
    units: list[_Unit]
    diagnostics: list[_Diagnostic]
    verification: _Verification | None = None


def result_schema() -> dict[str, Any]:
    return model_schema(
        ResultDocument, "maturity result", "https://maturity.dev/schema/result.json"
    )


def schema_doc(kind: str, fw: Framework | None = None) -> Document:
    """The JSON Schema of one file kind (``framework``, ``rules``, ``submission`` for
    ``fw``, ``result``) as a document (JSON only)."""
    from maturity.framework.load import framework_schema, rules_schema
    from maturity.framework.schemas import submission_schema

    if kind == "framework":
        return Document(data=framework_schema())
    if kind == "rules":
        return Document(data=rules_schema())
    if kind == "submission":
        assert fw is not None
        return Document(data=submission_schema(fw))
    return Document(data=result_schema())
