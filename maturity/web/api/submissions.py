"""One unit's submission in a round: read, save values, submit, return, verify; evidence;
its result and explanation."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpRequest
from ninja import File, Form, Router, Status, UploadedFile

from maturity.web import engine
from maturity.web.api.base import ERRORS, actor, signed_in
from maturity.web.api.schemas import (
    ErrorsOut,
    EvidenceOut,
    ProblemOut,
    ReturnIn,
    SubmissionOut,
    ValuesIn,
    VerificationOut,
    VerifyIn,
    VersionIn,
)
from maturity.web.errors import not_found
from maturity.web.evaluation import selectors
from maturity.web.evaluation import submissions as services
from maturity.web.evaluation.evidence import KINDS, blob_path, check_name, upload_evidence
from maturity.web.evaluation.models import Evidence, Round, RoundStatus, Submission, Unit

router = Router(tags=["submissions"])
PATH = "/rounds/{code}/submissions/{unit_id}"


def evidence_out(e: Evidence) -> EvidenceOut:
    return EvidenceOut(
        id=e.pk,
        input=e.input,
        name=e.name,
        size=e.size,
        content_type=e.content_type,
        sha256=e.sha256,
        uploaded_by=e.uploaded_by,
        at=e.at,
    )


def submission_out(
    round: Round, unit: Unit, sub: Submission | None, reading: engine.Reading | None = None
) -> SubmissionOut:
    """The submission as stored, with the library's reading of it now (in the request's
    language). A unit that has not started gets version 0, the version to save with."""
    if sub is None:
        return SubmissionOut(
            round=round.code,
            unit=unit.id,
            name=unit.name,
            status="not_started",
            version=0,
            errors=0,
            warnings=0,
            submitted_at=None,
            updated_at=None,
            values={},
            automatic={},
            not_applicable={},
            read={},
            comment="",
            problems=[],
            verifications=[],
            evidence=[],
        )
    reading = reading or selectors.reading(sub)
    return SubmissionOut(
        round=round.code,
        unit=unit.id,
        name=unit.name,
        status=sub.status,
        version=sub.version,
        errors=sub.errors,
        warnings=sub.warnings,
        submitted_at=sub.submitted_at,
        updated_at=sub.updated_at,
        values=sub.values,
        automatic=sub.automatic,
        not_applicable=sub.not_applicable,
        read=reading.accepted,
        comment=sub.comment,
        problems=[
            ProblemOut(
                severity=p.severity,
                code=p.code,
                message=p.message,
                field=f"values.{p.input}" if p.input else None,
                indicator=p.indicator,
            )
            for p in reading.problems
        ],
        verifications=[
            VerificationOut(
                input=v.input,
                value=v.written,
                read=v.value,
                self_assessed=v.self_assessed,
                reason=v.reason,
                verifier=v.verifier.username,
                at=v.at,
            )
            for v in sub.verifications.select_related("verifier").order_by("at", "id")
        ],
        evidence=[evidence_out(e) for e in sub.evidence.order_by("input", "id")],
    )


def _target(request: HttpRequest, code: str, unit_id: str) -> tuple[Round, Unit]:
    who = actor(request)
    found = selectors.round_by_code(who, code)
    unit, _ = selectors.submission_of(who, found, unit_id)
    return found, unit


def _answer(request: HttpRequest, code: str, unit_id: str) -> SubmissionOut:
    who = actor(request)
    found = selectors.round_by_code(who, code)
    unit, sub = selectors.submission_of(who, found, unit_id)
    return submission_out(found, unit, sub)


@router.get(PATH, response={200: SubmissionOut, **ERRORS})
def get_submission(request: HttpRequest, code: str, unit_id: str) -> SubmissionOut:
    """The submission of a unit in your scope: values as written, as read, problems,
    verifications, evidence, status and the ``version`` to send with a change."""
    signed_in(request)
    return _answer(request, code, unit_id)


@router.put(PATH, response={200: SubmissionOut, **ERRORS})
def put_values(request: HttpRequest, code: str, unit_id: str, payload: ValuesIn) -> SubmissionOut:
    """Save the unit's values (a draft), replacing the previous ones. ``version`` is the one
    you read (0 for a unit not started); 409 if the submission changed meanwhile. Values the
    library rejects are kept as written and listed in ``problems``."""
    who = signed_in(request)
    found, unit = _target(request, code, unit_id)
    sub, reading = services.save_values(
        who,
        found,
        unit,
        values=payload.values,
        not_applicable=payload.not_applicable,
        version=payload.version,
    )
    return submission_out(found, unit, sub, reading)


@router.post(PATH + "/submit", response={200: SubmissionOut, **ERRORS})
def submit(request: HttpRequest, code: str, unit_id: str, payload: VersionIn) -> SubmissionOut:
    """Submit; 422 with each rejected value located while any remains."""
    who = signed_in(request)
    found, unit = _target(request, code, unit_id)
    return submission_out(found, unit, services.submit(who, found, unit, version=payload.version))


@router.post(PATH + "/return", response={200: SubmissionOut, **ERRORS})
def return_(request: HttpRequest, code: str, unit_id: str, payload: ReturnIn) -> SubmissionOut:
    """Return a submitted submission to its unit with a comment (its province officer, or an
    evaluator)."""
    who = signed_in(request)
    found, unit = _target(request, code, unit_id)
    services.return_submission(who, found, unit, comment=payload.comment, version=payload.version)
    return _answer(request, code, unit_id)


@router.post(PATH + "/verify", response={200: SubmissionOut, **ERRORS})
def verify(request: HttpRequest, code: str, unit_id: str, payload: VerifyIn) -> SubmissionOut:
    """An evaluator's value for one input, with the reason (the unit's own is kept)."""
    who = signed_in(request)
    found, unit = _target(request, code, unit_id)
    services.verify_value(
        who,
        found,
        unit,
        input=payload.input,
        value=payload.value,
        reason=payload.reason,
        version=payload.version,
    )
    return _answer(request, code, unit_id)


@router.post(PATH + "/verified", response={200: SubmissionOut, **ERRORS})
def verified(request: HttpRequest, code: str, unit_id: str, payload: VersionIn) -> SubmissionOut:
    """Mark a submitted submission verified (evaluators)."""
    who = signed_in(request)
    found, unit = _target(request, code, unit_id)
    services.mark_verified(who, found, unit, version=payload.version)
    return _answer(request, code, unit_id)


@router.get(PATH + "/result", response={200: dict[str, Any], **ERRORS})
def result(request: HttpRequest, code: str, unit_id: str) -> dict[str, Any]:
    """The unit's record of the result JSON: the published one, or before publication a
    live preview from the current values (for the unit and those above it)."""
    who = actor(request)
    found = Round.objects.filter(code=code).first()
    if found is None:
        raise not_found()
    if found.status == RoundStatus.PUBLISHED:
        return selectors.unit_result(who, found, unit_id)
    signed_in(request)
    return selectors.preview_result(who, selectors.round_by_code(who, code), unit_id)


@router.get(PATH + "/explanation", response={200: dict[str, Any], **ERRORS})
def explanation(request: HttpRequest, code: str, unit_id: str) -> dict[str, Any]:
    """The JSON of ``maturity explain --format json``: score, level and why, gaps, data
    gaps, the path to the next level (published, or a preview before publication)."""
    who = actor(request)
    found = Round.objects.filter(code=code).first()
    if found is None:
        raise not_found()
    if found.status != RoundStatus.PUBLISHED:
        signed_in(request)
        found = selectors.round_by_code(who, code)
    return selectors.explanation(who, found, unit_id)


UPLOAD_ERRORS: dict[int, type[ErrorsOut]] = {**ERRORS, 413: ErrorsOut}


@router.post(PATH + "/evidence", response={201: EvidenceOut, **UPLOAD_ERRORS})
def upload(
    request: HttpRequest,
    code: str,
    unit_id: str,
    file: File[UploadedFile],
    input: Form[str],
) -> Status[EvidenceOut]:
    """Upload a file supporting one input (multipart: ``input``, ``file``): PDF, PNG, JPEG,
    .docx, .xlsx or text, checked by content; stored once by its SHA-256."""
    who = signed_in(request)
    found, unit = _target(request, code, unit_id)
    for name in getattr(request, "refused_file_names", []):
        check_name(name)  # raises: the name as sent, with folders or control characters
    stored = upload_evidence(
        who,
        found,
        unit,
        input=input,
        name=file.name or "",
        size=file.size or 0,
        content=file,
    )
    return Status(201, evidence_out(stored))


@router.get(PATH + "/evidence", response={200: list[EvidenceOut], **ERRORS})
def list_evidence(request: HttpRequest, code: str, unit_id: str) -> list[EvidenceOut]:
    who = signed_in(request)
    found, unit = _target(request, code, unit_id)
    return [evidence_out(e) for e in selectors.evidence_list(who, found, unit.id)]


FILE_ANSWER = {
    "responses": {
        200: {
            "description": "The evidence file, as an attachment",
            "content": {kind: {"schema": {"type": "string", "format": "binary"}} for kind in KINDS},
        }
    }
}


@router.get(PATH + "/evidence/{evidence_id}", response=ERRORS, openapi_extra=FILE_ANSWER)
def download_evidence(
    request: HttpRequest, code: str, unit_id: str, evidence_id: int
) -> FileResponse:
    """The file, as an attachment, with the type found when it was uploaded."""
    who = signed_in(request)
    found, unit = _target(request, code, unit_id)
    stored = selectors.evidence_file(who, found, unit.id, evidence_id)
    response = FileResponse(
        open(blob_path(stored.sha256), "rb"),  # noqa: SIM115 (FileResponse closes it)
        as_attachment=True,
        filename=stored.name,
        content_type=stored.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
