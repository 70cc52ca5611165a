"""Reads. Every query of unit data goes through :func:`maturity.web.access.scoped`; what
the actor may not see answers 404, the same as what does not exist."""

from __future__ import annotations

import json
import threading
from collections import Counter
from typing import Any

from django.db.models import Count, QuerySet

from maturity.web import engine
from maturity.web.access import Actor, scoped
from maturity.web.errors import PlatformError, not_found
from maturity.web.evaluation.frameworks import handle_for
from maturity.web.evaluation.models import (
    Evidence,
    Framework,
    Publication,
    Round,
    RoundStatus,
    Submission,
    Unit,
    UnitResult,
)
from maturity.web.evaluation.submissions import effective_values, read_submission


def units(tier: str | None = None, parent: str | None = None) -> QuerySet[Unit]:
    """The registry: public reference data (names, tiers, parents), not unit data."""
    rows = Unit.objects.all()
    if tier is not None:
        rows = rows.filter(tier=tier)
    if parent is not None:
        rows = rows.filter(parent_id=parent)
    return rows.order_by("id")


def unit_by_id(unit_id: str) -> Unit:
    found = Unit.objects.filter(id=unit_id).first()
    if found is None:
        raise not_found()
    return found


def frameworks() -> QuerySet[Framework]:
    return Framework.objects.defer("files").order_by("framework_id", "version")


def framework_by_digest(digest: str) -> Framework:
    found = frameworks().filter(digest=digest).first()
    if found is None:
        raise not_found()
    return found


def rounds(actor: Actor) -> QuerySet[Round]:
    """Signed-in people see every round; the public sees published rounds."""
    rows = Round.objects.select_related("previous")
    if not actor.signed_in:
        rows = rows.filter(status=RoundStatus.PUBLISHED)
    return rows.order_by("-opens_at", "code")


def round_by_code(actor: Actor, code: str) -> Round:
    found = rounds(actor).filter(code=code).first()
    if found is None:
        raise not_found()
    return found


def published_round(actor: Actor, code: str) -> Round:
    found = Round.objects.select_related("previous").filter(code=code).first()
    if found is None or (not actor.signed_in and found.status != RoundStatus.PUBLISHED):
        raise not_found()
    if found.status != RoundStatus.PUBLISHED:
        raise PlatformError("round.not_published", status=409, round=code)
    return found


def unit_in_scope(actor: Actor, unit_id: str) -> Unit:
    """A unit whose data the actor may read (404 otherwise)."""
    found = scoped(Unit.objects.filter(id=unit_id), actor, unit="").first()
    if found is None:
        raise not_found()
    return found


def submissions(
    actor: Actor, round: Round, *, status: str | None = None, province: str | None = None
) -> QuerySet[Submission]:
    rows = scoped(Submission.objects.filter(round=round), actor).select_related("unit")
    if status is not None:
        rows = rows.filter(status=status)
    if province is not None:
        rows = rows.filter(unit__parent_id=province) | rows.filter(unit_id=province)
    return rows.order_by("unit_id")


def submission_of(actor: Actor, round: Round, unit_id: str) -> tuple[Unit, Submission | None]:
    """The unit (in scope) and its submission, None when the unit has not started."""
    found = unit_in_scope(actor, unit_id)
    sub = scoped(Submission.objects.filter(round=round, unit=found), actor).first()
    return found, sub


def reading(sub: Submission) -> engine.Reading:
    """The submission's values as the library reads them now (messages in the request's
    language)."""
    return read_submission(sub)


def status_counts(actor: Actor, round: Round) -> dict[str, Any]:
    """How many units in the actor's scope are at each status (an aggregate: scoped too)."""
    counts = Counter(
        dict(
            scoped(Submission.objects.filter(round=round), actor)
            .values_list("status")
            .annotate(n=Count("id"))
            .values_list("status", "n")
        )
    )
    in_scope = scoped(Unit.objects.all(), actor, unit="").count() if actor.signed_in else 0
    return {
        "units": in_scope,
        "not_started": max(in_scope - sum(counts.values()), 0),
        "by_status": dict(sorted(counts.items())),
    }


def evidence_list(actor: Actor, round: Round, unit_id: str) -> QuerySet[Evidence]:
    return scoped(
        Evidence.objects.filter(submission__round=round, submission__unit_id=unit_id),
        actor,
        unit="submission__unit",
    ).order_by("input", "id")


def evidence_file(actor: Actor, round: Round, unit_id: str, evidence_id: int) -> Evidence:
    found = evidence_list(actor, round, unit_id).filter(pk=evidence_id).first()
    if found is None:
        raise not_found()
    return found


# --------------------------------------------------------------------------- results


def results(actor: Actor, round: Round) -> QuerySet[UnitResult]:
    """Stored results: public once the round is published (and only then stored)."""
    return scoped(UnitResult.objects.filter(round=round), actor, public="round")


_cache_lock = threading.Lock()
_rankings: dict[tuple[str, str, str, str | None, str], bytes] = {}


def ranking_json(actor: Actor, round: Round, *, tier: str, province: str | None = None) -> bytes:
    """The stored ranking as JSON. A published round never changes and its results are
    public, so the rendered answer is kept (per process) for the next reader."""
    key = (round.code, round.results_sha256, tier, province, engine.language())
    with _cache_lock:
        hit = _rankings.get(key)
    if hit is not None and round.status == RoundStatus.PUBLISHED:
        return hit
    rows = ranking(actor, round, tier=tier, province=province)
    text = json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode()
    if round.status == RoundStatus.PUBLISHED:
        with _cache_lock:
            if len(_rankings) >= 256:
                _rankings.pop(next(iter(_rankings)))
            _rankings[key] = text
    return text


def ranking(
    actor: Actor, round: Round, *, tier: str, province: str | None = None
) -> list[dict[str, Any]]:
    """The stored ranking of a tier (optionally within a province), from indexed columns."""
    rows = results(actor, round).filter(tier=tier)
    if province is not None:
        rows = rows.filter(province=province)
    name = "level_name_vi" if engine.language() == "vi" else "level_name_en"
    fields = (
        "unit_id",
        "unit__name",
        "province",
        "score",
        "max_score",
        "level",
        name,
        "rank",
        "rank_in_parent",
        "coverage",
    )
    keys = (
        "id",
        "name",
        "province",
        "score",
        "max_score",
        "level",
        "level_name",
        "rank",
        "rank_in_parent",
        "coverage",
    )
    ordered = rows.order_by("rank", "unit_id").values_list(*fields)
    return [dict(zip(keys, row, strict=True)) for row in ordered]


def unit_result(actor: Actor, round: Round, unit_id: str) -> dict[str, Any]:
    field = "records__record_vi" if engine.language() == "vi" else "records__record_en"
    found = results(actor, round).filter(unit_id=unit_id).values_list(field, flat=True).first()
    if found is None:
        raise not_found()
    record: dict[str, Any] = found
    return record


_scored: dict[tuple[str, str, str], engine.Scored] = {}


def published_scored(round: Round) -> engine.Scored:
    """The published round scored again from its export (kept for the next explanation)."""
    key = (round.code, round.results_sha256, engine.language())
    with _cache_lock:
        hit = _scored.get(key)
    if hit is not None:
        return hit
    stored = Publication.objects.only("export", "export_name").get(round=round)
    scored = handle_for(round.framework_id).score_export(bytes(stored.export), stored.export_name)
    with _cache_lock:
        if len(_scored) >= 4:
            _scored.pop(next(iter(_scored)))
        _scored[key] = scored
    return scored


def explanation(actor: Actor, round: Round, unit_id: str) -> dict[str, Any]:
    """The explanation of ``maturity explain --format json``: of the published result, or
    of a live preview from the current values while the round is not published."""
    if round.status == RoundStatus.PUBLISHED:
        if not results(actor, round).filter(unit_id=unit_id).exists():
            raise not_found()
        doc = engine.explanation(published_scored(round), unit_id)
    else:
        doc = engine.explanation(preview(actor, round, unit_id), unit_id)
    if doc is None:
        raise not_found()
    return doc


def preview(actor: Actor, round: Round, unit_id: str) -> engine.Scored:
    """Score the unit's current values (a province with its communes' values in scope): a
    preview for the unit and its evaluators, never stored, never published."""
    found, sub = submission_of(actor, round, unit_id)
    if sub is None:
        raise not_found()
    subs = [sub]
    if found.tier == "province":
        subs += list(
            scoped(Submission.objects.filter(round=round, unit__parent_id=found.id), actor)
            .select_related("round")
            .prefetch_related("verifications")
        )
    return handle_for(round.framework_id).score_readings(
        round.period, [(s.unit_id, effective_values(s)) for s in subs]
    )


def preview_result(actor: Actor, round: Round, unit_id: str) -> dict[str, Any]:
    scored = preview(actor, round, unit_id)
    for rec in engine.unit_documents(scored):
        if rec["id"] == unit_id:
            return rec
    raise not_found()


def comparison(actor: Actor, round: Round) -> dict[str, Any]:
    """Each unit's score, level and rank in the previous published round and now. (The
    library's round comparison, issue 11, will replace this arithmetic on stored figures.)"""
    previous = round.previous
    if previous is None or previous.status != RoundStatus.PUBLISHED:
        raise PlatformError(
            "round.not_published", status=409, round=previous.code if previous else "-"
        )
    fields = ("unit_id", "unit__name", "tier", "score", "level", "rank")
    before = {r[0]: r for r in results(actor, previous).values_list(*fields)}
    rows = []
    moves: Counter[str] = Counter()
    for uid, name, tier, score, level, rank in (
        results(actor, round).values_list(*fields).order_by("unit_id")
    ):
        old = before.get(uid)
        change = None if old is None or old[4] is None or level is None else level - old[4]
        moves[
            "up"
            if change and change > 0
            else "down"
            if change and change < 0
            else "same"
            if change == 0
            else "new"
        ] += 1
        rows.append(
            {
                "id": uid,
                "name": name,
                "tier": tier,
                "before": {"score": old[3], "level": old[4], "rank": old[5]} if old else None,
                "after": {"score": score, "level": level, "rank": rank},
                "score_change": None
                if old is None or old[3] is None or score is None
                else round_(score - old[3]),
                "level_change": change,
            }
        )
    return {
        "round": round.code,
        "previous": previous.code,
        "same_framework": previous.framework_id == round.framework_id,
        "levels": dict(sorted(moves.items())),
        "units": rows,
    }


def round_(x: float) -> float:
    return float(f"{x:.6f}")
