"""Request and response shapes of the API (pydantic, through django-ninja)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

Written = float | int | bool | str | None  # a value as a person or a spreadsheet wrote it
Code = Field(pattern=r"^[a-z0-9][a-z0-9\-]{0,63}$", min_length=1, max_length=64)


class ErrorOut(Schema):
    field: str | None
    code: str
    message: str


class ErrorsOut(Schema):
    errors: list[ErrorOut]


class LoginIn(Schema):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=1000)


class MeOut(Schema):
    name: str
    role: str
    role_label: str
    unit: str | None
    csrf_token: str


class TokenIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    kind: Literal["personal", "machine"]
    scope: str | None = Field(default=None, max_length=16)


class TokenOut(Schema):
    id: int
    name: str
    kind: str
    scope: str | None
    prefix: str
    token: str | None = None  # only in the answer that creates it


class UnitOut(Schema):
    id: str
    name: str
    tier: str
    parent: str | None
    type: str


class FrameworkOut(Schema):
    digest: str
    id: str
    version: str
    title: str


class InputOut(Schema):
    id: str
    label: str
    unit: str
    type: str
    source: str
    tiers: list[str]
    min: float | None
    max: float | None
    choices: list[str]


class RoundIn(Schema):
    code: str = Code
    period: str = Field(min_length=1, max_length=32)
    opens_at: datetime
    deadline: datetime
    framework: str | None = Field(default=None, max_length=71)
    previous: str | None = Field(default=None, max_length=64)


class RoundOut(Schema):
    code: str
    period: str
    framework: str
    opens_at: datetime
    deadline: datetime
    status: str
    previous: str | None
    published_at: datetime | None
    export_sha256: str
    results_sha256: str


class RoundStatusIn(Schema):
    status: Literal["open", "closed"]


class SummaryOut(Schema):
    units: int
    not_started: int
    by_status: dict[str, int]


class VersionIn(Schema):
    version: int = Field(ge=0, le=2**31)


class ValuesIn(VersionIn):
    values: dict[str, Written] = Field(default_factory=dict)
    not_applicable: dict[str, str] = Field(default_factory=dict)


class ReturnIn(VersionIn):
    comment: str = Field(min_length=1, max_length=4000)


class VerifyIn(VersionIn):
    input: str = Field(min_length=1, max_length=100)
    value: Written
    reason: str = Field(min_length=1, max_length=4000)


class AutomaticIn(Schema):
    units: dict[str, dict[str, Written]] = Field(max_length=5000)


class ProblemOut(Schema):
    severity: str
    code: str
    message: str
    field: str | None
    indicator: str | None


class VerificationOut(Schema):
    input: str
    value: Written
    read: float
    self_assessed: Written
    reason: str
    verifier: str
    at: datetime


class EvidenceOut(Schema):
    id: int
    input: str
    name: str
    size: int
    content_type: str
    sha256: str
    uploaded_by: str
    at: datetime


class SubmissionRow(Schema):
    unit: str
    name: str
    status: str
    version: int
    errors: int
    warnings: int
    submitted_at: datetime | None
    updated_at: datetime | None


class SubmissionOut(SubmissionRow):
    round: str
    values: dict[str, Any]
    automatic: dict[str, Any]
    not_applicable: dict[str, str]
    read: dict[str, float]
    comment: str
    problems: list[ProblemOut]
    verifications: list[VerificationOut]
    evidence: list[EvidenceOut]


class RankOut(Schema):
    id: str
    name: str
    province: str
    score: float | None
    max_score: float | None
    level: int | None
    level_name: str
    rank: int | None
    rank_in_parent: int | None
    coverage: float | None


class ReplayOut(Schema):
    round: str
    framework_digest: str
    export_sha256: str
    results_sha256: str
    replayed_sha256: str
    matches: bool


class AuditOut(Schema):
    id: int
    at: datetime
    actor: str
    action: str
    unit: str | None
    round: str | None
    target: str
    before: Any
    after: Any


class HealthOut(Schema):
    status: str
    engine: str
    database: str
