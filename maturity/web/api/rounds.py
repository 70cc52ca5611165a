"""Rounds: open, close, publish; the published export, results, ranking, comparison."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from maturity.web import engine
from maturity.web.access import allow
from maturity.web.api.base import ERRORS, actor, signed_in
from maturity.web.api.schemas import (
    AutomaticIn,
    RankOut,
    ReplayOut,
    RoundIn,
    RoundOut,
    RoundStatusIn,
    SubmissionRow,
    SummaryOut,
)
from maturity.web.errors import PlatformError
from maturity.web.evaluation import rounds as services
from maturity.web.evaluation import selectors
from maturity.web.evaluation.frameworks import register_bundled
from maturity.web.evaluation.models import Publication, Round, Submission
from maturity.web.evaluation.submissions import push_automatic

router = Router(tags=["rounds"])


def round_out(r: Round) -> RoundOut:
    return RoundOut(
        code=r.code,
        period=r.period,
        framework=r.framework_id,
        opens_at=r.opens_at,
        deadline=r.deadline,
        status=r.status,
        previous=r.previous.code if r.previous else None,
        published_at=r.published_at,
        export_sha256=r.export_sha256,
        results_sha256=r.results_sha256,
    )


def submission_row(s: Submission) -> SubmissionRow:
    return SubmissionRow(
        unit=s.unit_id,
        name=s.unit.name,
        status=s.status,
        version=s.version,
        errors=s.errors,
        warnings=s.warnings,
        submitted_at=s.submitted_at,
        updated_at=s.updated_at,
    )


def _aware(at: datetime) -> datetime:
    return at if timezone.is_aware(at) else timezone.make_aware(at)


@router.get("/rounds", response={200: list[RoundOut], **ERRORS})
def list_rounds(request: HttpRequest) -> list[RoundOut]:
    """Every round for people signed in; published rounds for the public."""
    return [round_out(r) for r in selectors.rounds(actor(request))]


@router.post("/rounds", response={201: RoundOut, **ERRORS})
def open_round(request: HttpRequest, payload: RoundIn) -> Status[RoundOut]:
    """Open a round (policy authors and evaluators). ``framework``: a stored digest
    (default: the bundled national framework); ``previous``: the round to compare with."""
    who = signed_in(request)
    allow(who, "manage_rounds")
    framework = (
        selectors.framework_by_digest(payload.framework)
        if payload.framework
        else register_bundled()
    )
    previous = selectors.round_by_code(who, payload.previous) if payload.previous else None
    created = services.create_round(
        who,
        code=payload.code,
        period=payload.period,
        opens_at=_aware(payload.opens_at),
        deadline=_aware(payload.deadline),
        framework=framework,
        previous=previous,
    )
    return Status(201, round_out(created))


@router.get("/rounds/{code}", response={200: RoundOut, **ERRORS})
def get_round(request: HttpRequest, code: str) -> RoundOut:
    return round_out(selectors.round_by_code(actor(request), code))


@router.post("/rounds/{code}/status", response={200: RoundOut, **ERRORS})
def move_round(request: HttpRequest, code: str, payload: RoundStatusIn) -> RoundOut:
    """Close an open round, or open a closed one again."""
    who = signed_in(request)
    return round_out(
        services.set_round_status(who, selectors.round_by_code(who, code), payload.status)
    )


@router.post("/rounds/{code}/publish", response={200: RoundOut, **ERRORS})
def publish_round(request: HttpRequest, code: str) -> RoundOut:
    """Publish (evaluators): the submitted and verified submissions, verified values in
    place, are exported, scored by the library and stored; the round is then immutable."""
    who = signed_in(request)
    return round_out(services.publish(who, selectors.round_by_code(who, code)))


@router.get("/rounds/{code}/summary", response={200: SummaryOut, **ERRORS})
def round_summary(request: HttpRequest, code: str) -> SummaryOut:
    """How many units in your scope are at each status."""
    who = signed_in(request)
    return SummaryOut(**selectors.status_counts(who, selectors.round_by_code(who, code)))


class SubmissionFilter(Schema):
    status: str | None = Field(default=None, max_length=16)
    province: str | None = Field(default=None, max_length=16)


@router.get("/rounds/{code}/submissions", response={200: list[SubmissionRow], **ERRORS})
def list_submissions(
    request: HttpRequest, code: str, filters: Query[SubmissionFilter]
) -> list[SubmissionRow]:
    """The submissions in your scope."""
    who = signed_in(request)
    found = selectors.round_by_code(who, code)
    rows = selectors.submissions(who, found, status=filters.status, province=filters.province)
    return [submission_row(s) for s in rows]


@router.post("/rounds/{code}/automatic", response={200: list[SubmissionRow], **ERRORS})
def automatic_inputs(request: HttpRequest, code: str, payload: AutomaticIn) -> list[SubmissionRow]:
    """Automatic inputs pushed by a machine token (``units: {unit id: {input: value}}``),
    read by the library like every value; only ``source: automatic`` inputs, only units in
    the token's scope."""
    who = signed_in(request)
    found = selectors.round_by_code(who, code)
    allow(who, "push_automatic")
    return [submission_row(s) for s in push_automatic(who, found, payload.units)]


def _json(text: str) -> HttpResponse:
    return HttpResponse(text.encode("utf-8"), content_type="application/json")


@router.get("/rounds/{code}/results", response={200: dict[str, Any], **ERRORS})
def round_results(request: HttpRequest, code: str) -> HttpResponse:
    """The published result JSON, byte for byte what ``maturity score ROUND.csv --format
    json`` prints for the export below (``--lang vi`` for ``?lang=vi``)."""
    found = selectors.published_round(actor(request), code)
    field = "results_vi" if engine.language() == "vi" else "results_en"
    text = Publication.objects.values_list(field, flat=True).get(round=found)
    return _json(text)


CSV_ANSWER = {
    "responses": {
        200: {
            "description": "The submission table (CSV, UTF-8)",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    }
}


@router.get("/rounds/{code}/export.csv", response=ERRORS, openapi_extra=CSV_ANSWER)
def round_export(request: HttpRequest, code: str) -> HttpResponse:
    """The values the published results were scored from, as a submission table."""
    found = selectors.published_round(actor(request), code)
    stored = Publication.objects.get(round=found)
    response = HttpResponse(bytes(stored.export), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{stored.export_name}"'
    return response


class RankFilter(Schema):
    tier: str = Field(default="province", max_length=32)
    province: str | None = Field(default=None, max_length=16)


@router.get("/rounds/{code}/ranking", response={200: list[RankOut], **ERRORS})
def round_ranking(request: HttpRequest, code: str, filters: Query[RankFilter]) -> HttpResponse:
    """The stored ranking of a tier (``province`` narrows communes to one province)."""
    who = actor(request)
    found = selectors.published_round(who, code)
    text = selectors.ranking_json(who, found, tier=filters.tier, province=filters.province)
    return HttpResponse(text, content_type="application/json")


@router.get("/rounds/{code}/comparison", response={200: dict[str, Any], **ERRORS})
def round_comparison(request: HttpRequest, code: str) -> dict[str, Any]:
    """Score, level and rank of each unit in the previous round and in this one."""
    who = actor(request)
    return selectors.comparison(who, selectors.published_round(who, code))


@router.get("/rounds/{code}/replay", response={200: ReplayOut, **ERRORS})
def round_replay(request: HttpRequest, code: str) -> ReplayOut:
    """Score the stored export with the stored framework again: does it give the
    published result? (It must, always.)"""
    found = selectors.published_round(actor(request), code)
    outcome = services.replay(found)
    if not outcome["matches"]:
        raise PlatformError("round.replay_differs", status=409)
    return ReplayOut(**outcome)
