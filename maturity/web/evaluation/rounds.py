"""Services of a round: open one, close it, publish it (export, score, store), replay it."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from maturity.web import engine
from maturity.web.access import Actor, allow
from maturity.web.audit.services import record
from maturity.web.errors import PlatformError
from maturity.web.evaluation.frameworks import handle_for
from maturity.web.evaluation.models import (
    Framework,
    Publication,
    ResultRecord,
    Round,
    RoundStatus,
    Submission,
    SubmissionStatus,
    UnitResult,
)
from maturity.web.evaluation.submissions import SUBMITTED, effective_values, read_submission

_PERIOD = re.compile(r"^[\w][\w\-/ ]{0,31}$")
_MOVES = {RoundStatus.OPEN: (RoundStatus.CLOSED,), RoundStatus.CLOSED: (RoundStatus.OPEN,)}


def create_round(
    actor: Actor,
    *,
    code: str,
    period: str,
    opens_at: datetime,
    deadline: datetime,
    framework: Framework,
    previous: Round | None = None,
) -> Round:
    """Open a round of ``framework`` for ``period``. ``previous`` (default: the latest
    published round) is what the round is compared with."""
    allow(actor, "manage_rounds")
    period = period.strip()
    if not _PERIOD.match(period):
        raise PlatformError("round.period", status=422, field="period")
    if deadline <= opens_at:
        raise PlatformError("round.dates", status=422, field="deadline")
    if Round.objects.filter(code=code).exists():
        raise PlatformError("round.exists", status=409, field="code", round=code)
    if previous is None:
        previous = (
            Round.objects.filter(status=RoundStatus.PUBLISHED).order_by("-published_at").first()
        )
    with transaction.atomic():
        created = Round.objects.create(
            code=code,
            period=period,
            opens_at=opens_at,
            deadline=deadline,
            framework=framework,
            previous=previous,
        )
        record(actor, "round.create", f"round:{code}", round=created, after=_about(created))
    return created


def set_round_status(actor: Actor, round: Round, status: str) -> Round:
    """Close an open round (no more values) or open a closed one again."""
    allow(actor, "manage_rounds")
    if round.status == RoundStatus.PUBLISHED:
        raise PlatformError("round.published", status=409, round=round.code)
    if status not in _MOVES.get(RoundStatus(round.status), ()):
        raise PlatformError(
            "round.status_move", status=409, field="status", current=round.status, target=status
        )
    with transaction.atomic():
        before = round.status
        done = Round.objects.filter(pk=round.pk, status=before).update(status=status)
        if not done:
            raise PlatformError("round.status_move", status=409, current=before, target=status)
        round.refresh_from_db()
        record(
            actor,
            f"round.{status}",
            f"round:{round.code}",
            round=round,
            before={"status": before},
            after={"status": status},
        )
    return round


def _about(round: Round) -> dict[str, Any]:
    return {
        "code": round.code,
        "period": round.period,
        "framework": round.framework_id,
        "opens_at": round.opens_at.isoformat(),
        "deadline": round.deadline.isoformat(),
        "previous": round.previous.code if round.previous else None,
    }


def export_name(round: Round) -> str:
    return f"{round.code}.csv"


def publish(actor: Actor, round: Round) -> Round:
    """Publish the submitted and verified submissions: export their values (verified ones
    in place) as a canonical table, score exactly those bytes through the library, and store
    the export, the result JSON in both languages and each unit's result. The round is then
    immutable; ``maturity score ROUND.csv --format json`` on the export gives the same JSON."""
    allow(actor, "publish")
    if round.status == RoundStatus.PUBLISHED:
        raise PlatformError("round.published", status=409, round=round.code)
    handle = handle_for(round.framework_id)
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round.pk)
        if locked.status == RoundStatus.PUBLISHED:
            raise PlatformError("round.published", status=409, round=round.code)
        subs = list(
            Submission.objects.filter(round=locked, status__in=SUBMITTED)
            .select_related("unit", "round")
            .prefetch_related("verifications")
            .order_by("unit_id")
        )
        if not subs:
            raise PlatformError("round.nothing_to_publish", status=409, round=round.code)
        rows = []
        hashes = {}
        for sub in subs:
            reading = read_submission(sub, effective_values(sub))
            na = sorted(reading.not_applicable)
            rows.append((sub.unit_id, reading.accepted, na))
            canonical = json.dumps([reading.accepted, na], sort_keys=True).encode()
            hashes[sub.unit_id] = engine.sha256_hex(canonical)
        fw = locked.framework
        note = f"{locked.code} {locked.period}; {fw.framework_id} {fw.version} {fw.digest}"
        data = handle.export(locked.period, rows, note)
        name = export_name(locked)
        documents: dict[str, str] = {}
        records: dict[str, list[dict[str, Any]]] = {}
        for lang in ("en", "vi"):
            with engine.in_language(lang):
                scored = handle.score_export(data, name)
                documents[lang] = engine.results_json(scored)
                records[lang] = engine.unit_documents(scored)
        vi_by_unit = {r["id"]: r for r in records["vi"]}
        stored = UnitResult.objects.bulk_create(
            [
                UnitResult(
                    round=locked,
                    unit_id=rec["id"],
                    tier=rec["tier"],
                    province=rec["parent"] or rec["id"],
                    score=rec["score"],
                    max_score=rec["max_score"],
                    level=rec["level"],
                    rank=rec["rank"],
                    rank_in_parent=rec["rank_in_parent"],
                    coverage=rec["coverage"],
                    level_name_en=rec["level_name"] or "",
                    level_name_vi=vi_by_unit[rec["id"]]["level_name"] or "",
                    framework_digest=fw.digest,
                    inputs_sha256=hashes[rec["id"]],
                )
                for rec in records["en"]
            ],
            batch_size=500,
        )
        by_unit = {r["id"]: r for r in records["en"]}
        ResultRecord.objects.bulk_create(
            [
                ResultRecord(
                    result=res, record_en=by_unit[res.unit_id], record_vi=vi_by_unit[res.unit_id]
                )
                for res in stored
            ],
            batch_size=500,
        )
        now = timezone.now()
        Publication.objects.create(
            round=locked,
            export_name=name,
            export=data,
            results_en=documents["en"],
            results_vi=documents["vi"],
        )
        Round.objects.filter(pk=locked.pk).update(
            status=RoundStatus.PUBLISHED,
            published_at=now,
            export_sha256=engine.sha256_hex(data),
            results_sha256=engine.sha256_hex(documents["en"].encode()),
        )
        Submission.objects.filter(pk__in=[s.pk for s in subs]).update(
            status=SubmissionStatus.PUBLISHED, updated_at=now
        )
        locked.refresh_from_db()
        record(
            actor,
            "round.publish",
            f"round:{locked.code}",
            round=locked,
            before={"status": round.status},
            after={
                "status": locked.status,
                "units": len(subs),
                "export_sha256": locked.export_sha256,
                "results_sha256": locked.results_sha256,
                "framework": fw.digest,
            },
        )
    return locked


def replay(round: Round) -> dict[str, Any]:
    """Score the stored export with the stored framework again and compare with what was
    published (digests): a published round is reproducible from what the platform kept."""
    if round.status != RoundStatus.PUBLISHED:
        raise PlatformError("round.not_published", status=409, round=round.code)
    handle = handle_for(round.framework_id)
    with engine.in_language("en"):
        stored = Publication.objects.only("export", "export_name").get(round=round)
        scored = handle.score_export(bytes(stored.export), stored.export_name)
        text = engine.results_json(scored)
    digest = engine.sha256_hex(text.encode())
    return {
        "round": round.code,
        "framework_digest": round.framework_id,
        "export_sha256": round.export_sha256,
        "results_sha256": round.results_sha256,
        "replayed_sha256": digest,
        "matches": digest == round.results_sha256,
    }
