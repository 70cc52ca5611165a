"""The rule language as frozen pydantic models.

These models are the single source of the file formats: the JSON Schemas that
``maturity schema`` prints (and that the loader checks shape against) are generated from them.
Meaning (ids resolve, cut-offs monotone, formulas parse, ...) is checked in
:mod:`maturity._validate`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from maturity.framework.methods import METHOD_NAMES

ID_PATTERN = r"^[A-Za-z][A-Za-z0-9_.-]*$"


INPUT_PATTERN = r"^[a-z][a-z0-9_]*$"


DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"


# Bounds that keep the arithmetic finite: a weight of 1e308 would overflow the sums of the
# shares. No real weight, scale or cut-off comes near them.
MAX_WEIGHT = 1e6


MAX_SCALE = 1e9


MAX_MEASURE = 1e15  # floors, targets, cut-offs, steps, input ranges (as submitted values)


Weight = Annotated[float, Field(ge=0, le=MAX_WEIGHT)]


Measure = Annotated[float, Field(ge=-MAX_MEASURE, le=MAX_MEASURE)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Text(_Model):
    """A text in Vietnamese and English."""

    vi: str = Field(min_length=1, description="Vietnamese text")
    en: str = Field(min_length=1, description="English text")


class _Dated(_Model):
    effective_from: str | None = Field(
        default=None, pattern=DATE_PATTERN, description="ISO date from which this applies"
    )
    effective_until: str | None = Field(
        default=None, pattern=DATE_PATTERN, description="ISO date after which it no longer applies"
    )


class Tier(_Model):
    id: str = Field(pattern=ID_PATTERN)
    name: Text
    label: Text | None = Field(
        default=None, description="short name shown in tables (default: the id)"
    )
    parent: str | None = Field(default=None, description="tier this one aggregates into")


class Level(_Model):
    level: int = Field(ge=1, le=20)
    min: float = Field(description="lowest index (score / scale) in this band, in [0, 1]")
    name: Text
    description: Text | None = None


class Pillar(_Model):
    id: str = Field(pattern=ID_PATTERN)
    name: Text
    description: Text | None = None
    weights: dict[str, Weight] = Field(
        description="relative weight within the parent, per tier id; 0 = context only"
    )
    children: list[Pillar] = Field(default_factory=list)
    aggregation: Literal["arithmetic", "geometric"] = Field(
        default="arithmetic",
        description="how its sub-pillars or indicators combine: arithmetic or geometric mean",
    )
    zeros: str | None = Field(
        default=None,
        pattern=r"^(zero|floor\([0-9.eE+-]+\))$",
        description="geometric only, required: 'zero' (a 0 makes the mean 0) or 'floor(x)' "
        "(values below x, 0 < x < 1, count as x)",
    )


class Gate(_Dated):
    id: str = Field(pattern=ID_PATTERN)
    kind: Literal["critical_indicators", "weakest_pillar"]
    name: Text
    description: Text | None = None
    from_level: int | None = Field(
        default=None, ge=1, description="critical_indicators: the lowest level the gate guards"
    )
    min_indicator_level: int | None = Field(
        default=None,
        ge=1,
        le=5,
        description="critical_indicators: level every critical indicator needs",
    )
    max_gap: int | None = Field(
        default=None,
        ge=0,
        description="weakest_pillar: how far above the weakest pillar the unit may be",
    )


class Check(_Dated):
    id: str = Field(pattern=ID_PATTERN)
    tiers: list[str] = Field(min_length=1)
    assert_: str = Field(alias="assert", min_length=1, description="formula that must be true")
    severity: Literal["warning", "error"] = "warning"
    message: Text


class Publication(_Model):
    """Which units a published ranking holds: a unit that fails an ``error``-severity check,
    or whose data coverage is below ``min_coverage``, is flagged in every output and ranked
    only if these rules say so; a ranking of fewer than ``min_ranked`` units gives no rank."""

    min_coverage: float = Field(
        default=0.0, ge=0, le=1, description="lowest data coverage (0 to 1) of an unflagged unit"
    )
    rank_units_with_errors: bool = Field(
        default=True, description="rank a unit that fails an error-severity check"
    )
    rank_units_below_coverage: bool = Field(
        default=True, description="rank a unit whose coverage is below min_coverage"
    )
    min_ranked: int = Field(
        default=2,
        ge=1,
        description="fewest rankable units a ranking needs; with fewer, no unit gets a rank",
    )


class Ranking(_Model):
    """How units are ranked: competition ranks (1, 2, 2, 4) of the score, compared rounded
    half up at ``digits`` decimals when given (the precision an index is published at, so
    that units equal as published share a rank), else at 6 decimals (float noise only)."""

    digits: int | None = Field(
        default=None,
        ge=0,
        le=6,
        description="decimals (rounded half up) at which scores are compared for ranks",
    )


class SubIndex(_Model):
    """A further named index over the same pillars or indicators, with its own weights."""

    id: str = Field(pattern=ID_PATTERN)
    name: Text
    weights: dict[str, Weight] = Field(
        min_length=1,
        description="relative weight of each pillar or indicator id; normalised by their sum",
    )


class FrameworkManifest(_Dated):
    """A framework manifest file (``frameworks/*.yaml``)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    version: str = Field(min_length=1)
    title: Text
    description: Text | None = None
    scale: float = Field(gt=0, le=MAX_SCALE, description="points a unit can earn, e.g. 1000")
    missing_policy: Literal["zero", "exclude"] = "zero"
    aggregation: Literal["arithmetic", "geometric"] = Field(
        default="arithmetic",
        description="how the top-level pillars combine: weighted arithmetic or geometric mean",
    )
    zeros: str | None = Field(
        default=None,
        pattern=r"^(zero|floor\([0-9.eE+-]+\))$",
        description="geometric only, required: 'zero' (a 0 makes the mean 0) or 'floor(x)' "
        "(values below x, 0 < x < 1, count as x)",
    )
    units: str | None = Field(
        default=None, description="unit registry CSV, relative to the manifest"
    )
    tiers: list[Tier] = Field(min_length=1)
    levels: list[Level] = Field(min_length=1)
    pillars: list[Pillar] = Field(min_length=1)
    gates: list[Gate] = Field(default_factory=list)
    checks: list[Check] = Field(default_factory=list)
    indices: list[SubIndex] = Field(
        default_factory=list,
        description="sub-indices: further indices over the same pillars or indicators",
    )
    publication: Publication = Field(
        default_factory=Publication, description="publication rules: flags and who is ranked"
    )
    ranking: Ranking = Field(
        default_factory=Ranking, description="ranking rules: the precision ranks compare at"
    )
    include: list[str] = Field(
        min_length=1, description="rule files (globs) relative to the manifest"
    )
    include_roots: list[str] = Field(
        default_factory=list,
        description="folders (relative to the manifest) that includes and the unit registry "
        "may come from, besides the manifest's own folder; nothing outside them is read",
    )


class Input(_Dated):
    """A raw field a unit submits."""

    id: str = Field(pattern=INPUT_PATTERN)
    label: Text
    help: Text | None = None
    type: Literal["integer", "number", "boolean", "ordinal"]
    unit: Text | None = None
    min: Measure | None = None
    max: Measure | None = None
    choices: dict[str, Text] | None = Field(
        default=None, description="ordinal: the answers 0..k and what each means"
    )
    tiers: list[str] = Field(min_length=1)
    source: Literal["self_reported", "automatic"] = "self_reported"


class Derived(_Dated):
    """A named intermediate value computed by a formula, usable by indicators and checks."""

    id: str = Field(pattern=INPUT_PATTERN)
    label: Text
    formula: str = Field(min_length=1)
    tiers: list[str] = Field(min_length=1)
    unit: Text | None = None


class Step(_Model):
    at: Measure
    score: float = Field(ge=0, le=1)


class Cutoffs(_Model):
    """Indicator level cut-offs: the value needed for levels 2..5."""

    l2: Measure = Field(alias="2")
    l3: Measure = Field(alias="3")
    l4: Measure = Field(alias="4")
    l5: Measure = Field(alias="5")

    def values(self) -> tuple[float, float, float, float]:
        return (self.l2, self.l3, self.l4, self.l5)


class Evidence(_Model):
    required: bool = False
    what: Text | None = None


class Lever(_Model):
    """How a gap is expressed in the indicator's own units: which input to change.

    ``transfer_from`` moves the same amount out of another input (e.g. dossiers filed online
    instead of in person, the total unchanged)."""

    input: str
    transfer_from: str | None = None


class Remediation(_Model):
    vi: str = Field(min_length=1)
    en: str = Field(min_length=1)
    effort: Literal["low", "medium", "high"]


class Indicator(_Dated):
    """One measured thing."""

    id: str = Field(pattern=ID_PATTERN)
    name: Text
    description: Text | None = None
    pillar: str
    tiers: list[str] = Field(min_length=1)
    unit: Text
    direction: Literal["higher", "lower"] = "higher"
    inputs: list[str] = Field(default_factory=list)  # may be empty for a formula of results
    formula: str | None = None
    method: str = Field(
        json_schema_extra={"enum": list(METHOD_NAMES)},
        description="scoring method (maturity.framework.methods)",
    )
    floor: Measure | None = None
    target: Measure | None = None
    steps: list[Step] | None = None
    max: int | None = Field(default=None, ge=1, description="ordinal: highest answer k")
    map: dict[str, float] | None = Field(default=None, description="ordinal: answer -> score")
    cutoffs: Cutoffs
    weight: float = Field(
        ge=0, le=MAX_WEIGHT, description="relative weight within the pillar; 0 only with context"
    )
    context: bool = Field(default=False, description="shown but never scored (weight 0)")
    critical: bool = False
    not_applicable: bool = Field(default=False, description="may a unit declare it not applicable")
    source: Literal["self_reported", "automatic"] = "self_reported"
    evidence: Evidence = Field(default_factory=Evidence)
    legal_basis: list[str] = Field(default_factory=list)
    remediation: Remediation
    lever: Lever | None = Field(
        default=None, description="the input whose change explains a gap (default: the first input)"
    )

    @field_validator("method")
    @classmethod
    def _known_method(cls, value: str) -> str:
        if value not in METHOD_NAMES:
            raise ValueError(f"unknown method {value!r}; one of {', '.join(METHOD_NAMES)}")
        return value


class RuleFile(_Model):
    """A rule file (``rules/**/*.yaml``): inputs and indicators."""

    inputs: list[Input] = Field(default_factory=list)
    derived: list[Derived] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)
