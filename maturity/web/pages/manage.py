"""The province's view of its communes and the ministry's: the queue of submissions, the
verification page, publishing a round. Pages parse, call the services, and render."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_http_methods

from maturity.web import engine
from maturity.web.access import Actor, allow
from maturity.web.errors import PlatformError
from maturity.web.evaluation import selectors
from maturity.web.evaluation.frameworks import handle_for
from maturity.web.evaluation.models import Round, Submission, SubmissionStatus, Unit, Verification
from maturity.web.evaluation.rounds import publish
from maturity.web.evaluation.submissions import (
    SUBMITTED,
    effective_values,
    mark_verified,
    return_submission,
    verify_value,
)
from maturity.web.messages import msg, request_language
from maturity.web.pages.common import page, problems_of, render, who

QUEUE_ROWS = 200  # a page stays light; filters narrow the rest


def _signed_in(request: HttpRequest) -> Actor:
    actor = who(request)
    if not actor.signed_in:
        raise PlatformError("auth.required", status=401)
    return actor


def _scores(round: Round, subs: list[Submission], *, verified: bool = True) -> dict[str, Any]:
    """Each submission's preview record (the library scores the values as they stand)."""
    if not subs:
        return {}
    rows = [
        (s.unit_id, effective_values(s) if verified else {**s.values, **s.automatic}) for s in subs
    ]
    scored = handle_for(round.framework_id).score_readings(round.period, rows)
    return {rec["id"]: rec for rec in engine.unit_documents(scored)}


def _status_name(sub: Submission | None) -> str:
    return msg(f"status.{sub.status}") if sub else msg("status.not_started")


@require_http_methods(["GET", "POST"])
@page
def province(request: HttpRequest, code: str, unit_id: str) -> HttpResponse:
    actor = _signed_in(request)
    rnd = selectors.round_by_code(actor, code)
    prov = selectors.unit_in_scope(actor, unit_id)
    if prov.tier != "province":
        raise PlatformError("request.not_found", status=404)
    notices: list[str] = []
    problems: list[str] = []
    if request.method == "POST":
        target = selectors.unit_in_scope(actor, request.POST.get("unit", ""))
        try:
            return_submission(
                actor,
                rnd,
                target,
                comment=request.POST.get("comment", ""),
                version=int(request.POST.get("version", "0")),
            )
            notices.append(msg("page.returned", unit=target.name))
        except PlatformError as exc:
            problems.extend(str(p["message"]) for p in problems_of(exc))
    subs = {s.unit_id: s for s in selectors.submissions(actor, rnd, province=prov.id)}
    scores = _scores(rnd, [s for s in subs.values() if s.unit_id != prov.id])
    rows = []
    for unit in Unit.objects.filter(parent_id=prov.id).order_by("name", "id"):
        sub = subs.get(unit.id)
        rec = scores.get(unit.id)
        rows.append(
            {
                "unit": unit,
                "sub": sub,
                "status": _status_name(sub),
                "score": rec.get("score") if rec else None,
                "level": rec.get("level") if rec else None,
                "can_return": sub is not None and sub.status in SUBMITTED,
            }
        )
    # what needs the province first: submitted, returned, drafts, verified, not started
    order = {"submitted": 0, "returned": 1, "draft": 2, "verified": 3, "published": 4}
    rows.sort(
        key=lambda r: order.get(r["sub"].status, 5) if isinstance(r["sub"], Submission) else 6
    )
    counts = Counter(r["status"] for r in rows)
    own = subs.get(prov.id)
    context = {
        "round": rnd,
        "province": prov,
        "rows": rows,
        "counts": sorted(counts.items()),
        "own": own,
        "own_status": _status_name(own),
        "notices": notices,
        "problems": problems,
    }
    return render(request, "pages/province.html", context, status=422 if problems else 200)


@page
def queue(request: HttpRequest, code: str) -> HttpResponse:
    actor = _signed_in(request)
    allow(actor, "verify")
    rnd = selectors.round_by_code(actor, code)
    status = request.GET.get("status") or None
    prov = request.GET.get("province") or None
    with_errors = request.GET.get("problems") == "1"  # values the library rejects
    flagged = request.GET.get("flags") == "1"  # warnings: failed checks, readings to confirm
    statuses = [s for s in SubmissionStatus.values if s != SubmissionStatus.DRAFT]
    rows = selectors.submissions(
        actor, rnd, status=status if status in SubmissionStatus.values else None, province=prov
    )
    if status is None:
        rows = rows.exclude(status=SubmissionStatus.DRAFT)
    if with_errors:
        rows = rows.filter(errors__gt=0)
    if flagged:
        rows = rows.filter(warnings__gt=0)
    total = rows.count()
    shown = [
        {"sub": s, "status": msg(f"status.{s.status}")}
        for s in rows.select_related("unit", "unit__parent")[:QUEUE_ROWS]
    ]
    context = {
        "round": rnd,
        "rows": shown,
        "total": total,
        "provinces": Unit.objects.filter(tier="province").order_by("name"),
        "statuses": [(s, msg(f"status.{s}")) for s in statuses],
        "status": status or "",
        "province": prov or "",
        "with_errors": with_errors,
        "flagged": flagged,
    }
    return render(request, "pages/queue.html", context)


def _verify_rows(rnd: Round, sub: Submission, actor: Actor) -> list[dict[str, Any]]:
    handle = handle_for(rnd.framework_id)
    spec = engine.form_spec(handle, sub.unit.tier)
    lang = request_language()
    latest: dict[str, Verification] = {}
    for ver in sub.verifications.order_by("at", "id"):
        latest[ver.input] = ver
    files: dict[str, list[tuple[int, str]]] = {}
    for ev in selectors.evidence_list(actor, rnd, sub.unit_id):
        files.setdefault(ev.input, []).append((ev.pk, ev.name))
    written = {**sub.values, **sub.automatic}
    rows = []
    typed = [n for p in spec.pillars for n in p.inputs]  # in the form's order, then machines'
    for name in [*typed, *sorted(n for n in spec.inputs if n not in typed)]:
        info = spec.inputs[name]
        last = latest.get(name)
        rows.append(
            {
                "id": name,
                "label": info.label[0 if lang == "vi" else 1],
                "unit": info.unit[0 if lang == "vi" else 1],
                "written": written.get(name),
                "read": sub.read.get(name),
                "verified": last.value if last else None,
                "reason": last.reason if last else "",
                "files": files.get(name, []),
                "automatic": info.source == "automatic",
            }
        )
    return rows


@require_http_methods(["GET", "POST"])
@page
def verify(request: HttpRequest, code: str, unit_id: str) -> HttpResponse:
    actor = _signed_in(request)
    allow(actor, "verify")
    rnd = selectors.round_by_code(actor, code)
    unit, sub = selectors.submission_of(actor, rnd, unit_id)
    if sub is None:
        raise PlatformError("request.not_found", status=404)
    notices: list[str] = []
    problems: list[str] = []
    if request.method == "POST":
        try:
            version = int(request.POST.get("version", "0"))
            if request.POST.get("action") == "accept":
                mark_verified(actor, rnd, unit, version=version)
                return HttpResponseRedirect(f"/rounds/{rnd.code}/queue/?done={unit.id}")
            name = request.POST.get("input", "")
            text = request.POST.get("value", "").strip()
            got = engine.read_typed(handle_for(rnd.framework_id), name, text, request_language())
            value: Any = text if got is None else (int(got) if got.is_integer() else got)
            verify_value(
                actor,
                rnd,
                unit,
                input=name,
                value=value,
                reason=request.POST.get("reason", ""),
                version=version,
            )
            notices.append(msg("page.adjusted", input=name))
        except PlatformError as exc:
            problems.extend(str(p["message"]) for p in problems_of(exc))
        except ValueError:
            problems.append(msg("request.invalid", why="version"))
        sub.refresh_from_db()
    context = {
        "round": rnd,
        "unit": unit,
        "sub": sub,
        "status": msg(f"status.{sub.status}"),
        "rows": _verify_rows(rnd, sub, actor),
        "can_verify": sub.status in SUBMITTED and not rnd.is_published,
        "can_accept": sub.status == SubmissionStatus.SUBMITTED and not rnd.is_published,
        "notices": notices,
        "problems": problems,
    }
    return render(request, "pages/verify.html", context, status=422 if problems else 200)


def _distribution(records: dict[str, Any]) -> Counter[tuple[str, int | None]]:
    return Counter((r["tier"], r.get("level")) for r in records.values())


@require_http_methods(["GET", "POST"])
@page
def publish_page(request: HttpRequest, code: str) -> HttpResponse:
    """Publishing, with a confirmation that shows its effect: the level distribution of the
    submissions as self-assessed and after verification."""
    actor = _signed_in(request)
    allow(actor, "publish")
    rnd = selectors.round_by_code(actor, code)
    if request.method == "POST" and request.POST.get("confirm") == "1":
        publish(actor, rnd)
        return HttpResponseRedirect(f"/results/{rnd.code}/")
    subs = list(
        Submission.objects.filter(round=rnd, status__in=SUBMITTED)
        .select_related("round", "unit")
        .prefetch_related("verifications")
    )
    before = _distribution(_scores(rnd, subs, verified=False))
    after = _distribution(_scores(rnd, subs))
    keys = sorted(set(before) | set(after), key=lambda k: (k[0], k[1] or 0))
    handle = handle_for(rnd.framework_id)
    rows = [
        {
            "tier": engine.tier_label(handle, tier),
            "level": level,
            "before": before.get((tier, level), 0),
            "after": after.get((tier, level), 0),
        }
        for tier, level in keys
    ]
    context = {"round": rnd, "rows": rows, "count": len(subs)}
    return render(request, "pages/publish.html", context)
