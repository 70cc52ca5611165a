"""Services that change submissions: save values, submit, return, verify, push automatic
inputs. Each checks the actor's permission, the round's state and the submission's version
(optimistic locking), reads values through the library, and writes one audit entry in the
same transaction."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from maturity.web import engine
from maturity.web.access import Actor, allow
from maturity.web.audit.services import changed, record
from maturity.web.errors import FieldProblem, PlatformError
from maturity.web.evaluation.frameworks import handle_for
from maturity.web.evaluation.models import (
    Round,
    RoundStatus,
    Submission,
    SubmissionStatus,
    Unit,
    Verification,
)

MAX_VALUES = 500
MAX_WRITTEN = 200
MAX_TEXT = 4000
EDITABLE = (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)
SUBMITTED = (SubmissionStatus.SUBMITTED, SubmissionStatus.VERIFIED)


def check_open(round: Round, *, deadline: bool = True) -> None:
    """Values change only in an open round, between its opening and its deadline."""
    if round.status == RoundStatus.PUBLISHED:
        raise PlatformError("round.published", status=409, round=round.code)
    if round.status != RoundStatus.OPEN:
        raise PlatformError("round.not_open", status=409, round=round.code, state=round.status)
    now = timezone.now()
    if deadline and now < round.opens_at:
        raise PlatformError(
            "round.not_started", status=409, round=round.code, at=round.opens_at.isoformat()
        )
    if deadline and now > round.deadline:
        raise PlatformError(
            "round.past_deadline", status=409, round=round.code, at=round.deadline.isoformat()
        )


def check_not_published(round: Round) -> None:
    if round.status == RoundStatus.PUBLISHED:
        raise PlatformError("round.published", status=409, round=round.code)


def effective_values(sub: Submission) -> dict[str, Any]:
    """The values as written that count: the unit's, the machines', then the evaluators'
    latest verified value of each input."""
    values: dict[str, Any] = {**sub.values, **sub.automatic}
    if sub.pk is not None:
        for ver in sub.verifications.order_by("at", "id"):
            values[ver.input] = ver.written
    return values


def read_submission(sub: Submission, values: dict[str, Any] | None = None) -> engine.Reading:
    handle = handle_for(sub.round.framework_id)
    return handle.read(
        sub.unit_id,
        sub.round.period,
        effective_values(sub) if values is None else values,
        sub.not_applicable,
        file=f"{sub.unit_id}.yaml",
    )


def _problems(reading: engine.Reading) -> list[FieldProblem]:
    return [
        FieldProblem(p.code, f"values.{p.input}" if p.input else None, message=p.message)
        for p in reading.errors
    ]


def _status(sub: Submission, allowed: tuple[str, ...]) -> None:
    if sub.status not in allowed:
        raise PlatformError(
            "submission.status",
            status=409,
            state=sub.status,
            allowed=list(allowed),
        )


def _locked_update(sub: Submission, version: int, **fields: Any) -> Submission:
    """Write ``fields`` only if the submission is still at ``version``; 409 otherwise."""
    done = Submission.objects.filter(pk=sub.pk, version=version).update(
        version=F("version") + 1, updated_at=timezone.now(), **fields
    )
    if not done:
        current = Submission.objects.filter(pk=sub.pk).values_list("version", flat=True).first()
        raise PlatformError("submission.conflict", status=409, current=current, sent=version)
    sub.refresh_from_db()
    return sub


def _snapshot(sub: Submission) -> dict[str, Any]:
    return {
        "status": sub.status,
        "version": sub.version,
        "values": dict(sub.values),
        "automatic": dict(sub.automatic),
        "not_applicable": dict(sub.not_applicable),
        "comment": sub.comment,
    }


def _target(round: Round, unit: Unit) -> str:
    return f"submission:{round.code}/{unit.id}"


def _check_values(
    handle: engine.FrameworkHandle, unit: Unit, values: dict[str, Any], *, automatic: bool
) -> None:
    """Size limits, and which inputs this writer may fill: people never type an automatic
    input; machines push only automatic ones."""
    if len(values) > MAX_VALUES:
        raise PlatformError("submission.too_many", status=422, field="values", limit=MAX_VALUES)
    inputs = handle.inputs()
    problems: list[FieldProblem] = []
    for name, raw in values.items():
        where = f"values.{name}"
        if isinstance(raw, str) and len(raw) > MAX_WRITTEN:
            problems.append(FieldProblem("submission.value_long", where, {"limit": MAX_WRITTEN}))
        info = inputs.get(name)
        if automatic and (info is None or info.source != "automatic"):
            problems.append(FieldProblem("submission.not_automatic", where, {"input": name}))
        elif not automatic and info is not None and info.source == "automatic":
            problems.append(
                FieldProblem("submission.automatic", where, {"input": name, "source": "NPSP"})
            )
    if problems:
        raise PlatformError(problems[0].code, status=422, problems=problems)


def get_or_start(round: Round, unit: Unit) -> Submission | None:
    """The unit's submission, its row locked until the transaction ends (PostgreSQL; SQLite
    takes the whole database for each write transaction), so a person's save and a machine's
    push never interleave."""
    return Submission.objects.select_for_update().filter(round=round, unit=unit).first()


def get_or_create(round: Round, unit: Unit) -> Submission:
    """The unit's submission, locked, created (a draft) if the unit has none yet. Two first
    writers (a person's save, a machine's push) may race to create it: the loser of the
    unique constraint takes the winner's row."""
    sub = get_or_start(round, unit)
    if sub is not None:
        return sub
    try:
        with transaction.atomic():
            return Submission.objects.create(round=round, unit=unit)
    except IntegrityError:
        found = get_or_start(round, unit)
        assert found is not None  # the constraint said it exists
        return found


def save_values(
    actor: Actor,
    round: Round,
    unit: Unit,
    *,
    values: dict[str, Any],
    not_applicable: dict[str, str],
    version: int,
) -> tuple[Submission, engine.Reading]:
    """Replace the unit's own values (a draft). Values the library rejects are kept as
    written and reported, so a person can save and fix later; submitting needs none."""
    allow(actor, "edit", unit)
    check_open(round)
    handle = handle_for(round.framework_id)
    _check_values(handle, unit, values, automatic=False)
    for key, reason in not_applicable.items():
        if len(key) > 100 or len(reason) > MAX_TEXT:
            raise PlatformError("request.invalid", status=422, field="not_applicable", why=key)
    with transaction.atomic():
        sub = get_or_start(round, unit)
        created = sub is None
        if sub is None:
            if version != 0:
                raise PlatformError("submission.conflict", status=409, current=0, sent=version)
            sub = Submission(round=round, unit=unit)
        else:
            _status(sub, EDITABLE)
        before = _snapshot(sub) if not created else {}
        sub.values, sub.not_applicable = values, not_applicable
        reading = read_submission(sub)
        fields = {
            "values": values,
            "not_applicable": not_applicable,
            "read": reading.accepted,
            "errors": len(reading.errors),
            "warnings": sum(1 for p in reading.problems if p.severity == "warning"),
            "status": SubmissionStatus.DRAFT,
        }
        if created:
            try:
                with transaction.atomic():
                    sub = Submission.objects.create(round=round, unit=unit, **fields)
            except IntegrityError:  # another first save came first
                raise PlatformError(
                    "submission.conflict", status=409, current=1, sent=version
                ) from None
        else:
            sub = _locked_update(sub, version, **fields)
        old, new = changed(before, _snapshot(sub))
        record(
            actor,
            "submission.save",
            _target(round, unit),
            unit=unit,
            round=round,
            before=old,
            after=new,
        )
    return sub, reading


def submit(actor: Actor, round: Round, unit: Unit, *, version: int) -> Submission:
    """Hand the submission to the province and the ministry; refused while a value is
    rejected (the problems come back located, in the request's language)."""
    allow(actor, "edit", unit)
    check_open(round)
    with transaction.atomic():
        sub = _existing(round, unit)
        _status(sub, EDITABLE)
        reading = read_submission(sub)
        if reading.errors:
            raise PlatformError(
                "submission.errors",
                status=422,
                problems=[
                    FieldProblem("submission.errors", None, {"count": len(reading.errors)}),
                    *_problems(reading),
                ],
            )
        before = sub.status
        sub = _locked_update(
            sub, version, status=SubmissionStatus.SUBMITTED, submitted_at=timezone.now()
        )
        record(
            actor,
            "submission.submit",
            _target(round, unit),
            unit=unit,
            round=round,
            before={"status": before},
            after={"status": sub.status, "version": sub.version},
        )
    return sub


def return_submission(
    actor: Actor, round: Round, unit: Unit, *, comment: str, version: int
) -> Submission:
    """Send a submitted submission back to its unit with a comment (province over its
    communes, evaluators over any unit)."""
    allow(actor, "return", unit)
    check_open(round, deadline=False)
    comment = comment.strip()
    if not comment or len(comment) > MAX_TEXT:
        raise PlatformError("submission.comment_required", status=422, field="comment")
    with transaction.atomic():
        sub = _existing(round, unit)
        _status(sub, SUBMITTED)
        before = sub.status
        sub = _locked_update(sub, version, status=SubmissionStatus.RETURNED, comment=comment)
        record(
            actor,
            "submission.return",
            _target(round, unit),
            unit=unit,
            round=round,
            before={"status": before},
            after={"status": sub.status, "comment": comment},
        )
    return sub


def verify_value(
    actor: Actor,
    round: Round,
    unit: Unit,
    *,
    input: str,
    value: Any,
    reason: str,
    version: int,
) -> Submission:
    """An evaluator's value for one input, read by the library like any other, with the
    reason; the unit's own value is kept beside it."""
    allow(actor, "verify", unit)
    check_not_published(round)
    reason = reason.strip()
    if not reason or len(reason) > MAX_TEXT:
        raise PlatformError("submission.reason_required", status=422, field="reason")
    if isinstance(value, str) and len(value) > MAX_WRITTEN:
        raise PlatformError("submission.value_long", status=422, field="value", limit=MAX_WRITTEN)
    handle = handle_for(round.framework_id)
    info = handle.inputs().get(input)
    if info is None or unit.tier not in info.tiers:
        raise PlatformError(
            "submission.unknown_input", status=422, field="input", input=input, tier=unit.tier
        )
    with transaction.atomic():
        sub = _existing(round, unit)
        _status(sub, SUBMITTED)
        values = effective_values(sub)
        self_assessed = {**sub.values, **sub.automatic}.get(input)
        values[input] = value
        reading = read_submission(sub, values)
        rejected = [p for p in reading.errors if p.input == input]
        if rejected or input not in reading.accepted:
            raise PlatformError(
                "request.invalid",
                status=422,
                problems=[FieldProblem(p.code, "value", message=p.message) for p in rejected]
                or [FieldProblem("request.invalid", "value", {"why": str(value)})],
            )
        sub = _locked_update(sub, version)
        assert actor.user is not None
        Verification.objects.create(
            submission=sub,
            input=input,
            written=value,
            value=reading.accepted[input],
            self_assessed=self_assessed,
            reason=reason,
            verifier=actor.user,
        )
        record(
            actor,
            "submission.verify_value",
            _target(round, unit),
            unit=unit,
            round=round,
            before={input: self_assessed},
            after={input: value, "reason": reason, "version": sub.version},
        )
    return sub


def mark_verified(actor: Actor, round: Round, unit: Unit, *, version: int) -> Submission:
    allow(actor, "verify", unit)
    check_not_published(round)
    with transaction.atomic():
        sub = _existing(round, unit)
        _status(sub, (SubmissionStatus.SUBMITTED,))
        sub = _locked_update(sub, version, status=SubmissionStatus.VERIFIED)
        record(
            actor,
            "submission.verified",
            _target(round, unit),
            unit=unit,
            round=round,
            before={"status": SubmissionStatus.SUBMITTED},
            after={"status": sub.status},
        )
    return sub


def push_automatic(
    actor: Actor, round: Round, values_by_unit: dict[str, dict[str, Any]]
) -> list[Submission]:
    """Automatic inputs from a machine client (e.g. the National Public Service Portal),
    merged into each unit's submission; the unit never types them."""
    check_open(round, deadline=False)
    handle = handle_for(round.framework_id)
    units = {u.id: u for u in Unit.objects.filter(id__in=list(values_by_unit))}
    problems = [
        FieldProblem("registry.unknown_unit", f"units.{uid}", {"id": uid})
        for uid in values_by_unit
        if uid not in units
    ]
    if problems:
        raise PlatformError("registry.unknown_unit", status=422, problems=problems)
    for uid, values in values_by_unit.items():
        allow(actor, "push_automatic", units[uid])
        _check_values(handle, units[uid], values, automatic=True)
    existing = Submission.objects.filter(round=round, unit_id__in=list(units))
    for sub in existing.exclude(status__in=(*EDITABLE, SubmissionStatus.SUBMITTED)):
        _status(sub, (*EDITABLE, SubmissionStatus.SUBMITTED))
    out: list[Submission] = []
    for uid in sorted(values_by_unit):
        # one short transaction per unit: a push of thousands of units never holds the
        # database (SQLite's single writer) for long
        with transaction.atomic():
            unit = units[uid]
            sub = get_or_create(round, unit)
            _status(sub, (*EDITABLE, SubmissionStatus.SUBMITTED))
            before = dict(sub.automatic)
            merged = {**sub.automatic, **values_by_unit[uid]}
            sub.automatic = merged
            reading = read_submission(sub)
            # not a new version: a person's next save (which never writes automatic inputs)
            # must not be refused for it; the row lock keeps the two from interleaving
            Submission.objects.filter(pk=sub.pk).update(
                automatic=merged,
                read=reading.accepted,
                errors=len(reading.errors),
                warnings=sum(1 for p in reading.problems if p.severity == "warning"),
                updated_at=timezone.now(),
            )
            old, new = changed(before, merged)
            record(
                actor,
                "submission.automatic",
                _target(round, unit),
                unit=unit,
                round=round,
                before=old,
                after=new,
            )
            sub.refresh_from_db()
            out.append(sub)
    return out


def _existing(round: Round, unit: Unit) -> Submission:
    sub = get_or_start(round, unit)
    if sub is None:
        raise PlatformError("submission.status", status=409, state="not_started", allowed="draft")
    return sub
