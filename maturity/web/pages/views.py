"""Signing in and out, the home page of each role, the language switch and the error pages."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from maturity.web.access import allow
from maturity.web.accounts.models import Role
from maturity.web.accounts.services import sign_in
from maturity.web.errors import PlatformError
from maturity.web.evaluation import selectors
from maturity.web.evaluation.frameworks import register_bundled
from maturity.web.evaluation.models import Unit
from maturity.web.evaluation.rounds import create_round
from maturity.web.messages import msg
from maturity.web.pages.common import error_page, page, problems_of, render, who
from maturity.web.pages.middleware import KEPT_KEY


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return "/"
    return target


@require_http_methods(["GET", "POST"])
def sign_in_page(request: HttpRequest) -> HttpResponse:
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        address = str(request.META.get("REMOTE_ADDR") or "")
        try:
            user = sign_in(
                request.POST.get("username", ""), request.POST.get("password", ""), address
            )
        except PlatformError as exc:
            errors = [str(p["message"]) for p in problems_of(exc)]
            status = exc.status if exc.status in (401, 429) else 400
        else:
            kept = request.session.get(KEPT_KEY)
            login(request, user)
            if kept is not None:  # login keeps the session's data; say so on the form
                request.session[KEPT_KEY] = kept
            return HttpResponseRedirect(_next(request))
    context = {
        "errors": errors,
        "next": _next(request),
        "expired": request.GET.get("expired") == "1",
        "minutes": _idle_minutes(),
    }
    return render(request, "pages/signin.html", context, status=status)


def _idle_minutes() -> int:
    from django.conf import settings

    return int(settings.PAGES_IDLE_SECONDS) // 60


@require_POST
def sign_out_page(request: HttpRequest) -> HttpResponse:
    logout(request)
    return HttpResponseRedirect("/")


def _open_round(request: HttpRequest, problems: list[str]) -> HttpResponse | None:
    """The ministry opens a round of the bundled framework from the home page."""
    actor = who(request)
    tz = timezone.get_current_timezone()
    try:
        opens = datetime.combine(date.fromisoformat(request.POST.get("opens", "")), time.min, tz)
        deadline = datetime.combine(
            date.fromisoformat(request.POST.get("deadline", "")), time.max, tz
        )
    except ValueError:
        problems.append(msg("round.dates"))
        return None
    code = request.POST.get("code", "").strip()
    if not re.fullmatch(r"[-a-zA-Z0-9_]{1,64}", code):
        problems.append(msg("request.invalid", why=code or "-"))
        return None
    try:
        create_round(
            actor,
            code=code,
            period=request.POST.get("period", ""),
            opens_at=opens,
            deadline=deadline,
            framework=register_bundled(),
        )
    except PlatformError as exc:
        problems.extend(str(p["message"]) for p in problems_of(exc))
        return None
    return HttpResponseRedirect("/")


@require_http_methods(["GET", "POST"])
@page
def home(request: HttpRequest) -> HttpResponse:
    actor = who(request)
    problems: list[str] = []
    if request.method == "POST":
        allow(actor, "manage_rounds")
        if (done := _open_round(request, problems)) is not None:
            return done
    rounds = list(selectors.rounds(actor))
    unit = Unit.objects.filter(id=actor.unit_id).first() if actor.unit_id else None
    rows: list[dict[str, Any]] = []
    for rnd in rounds:
        links: list[tuple[str, str]] = []
        if unit is not None and actor.role in (Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER):
            links.append(
                (f"/rounds/{rnd.code}/units/{unit.id}/form/", msg("page.my_form", unit=unit.name))
            )
        if unit is not None and actor.role == Role.PROVINCE_OFFICER:
            links.append(
                (
                    f"/rounds/{rnd.code}/province/{unit.id}/",
                    msg("page.province_view", unit=unit.name),
                )
            )
        if actor.role == Role.EVALUATOR:
            links.append((f"/rounds/{rnd.code}/queue/", msg("page.queue")))
            if not rnd.is_published:
                links.append((f"/rounds/{rnd.code}/publish/", msg("page.publish")))
        if rnd.is_published:
            links.append((f"/results/{rnd.code}/", msg("page.results")))
        rows.append({"round": rnd, "links": links, "status": msg(f"status.{rnd.status}")})
    context = {
        "rows": rows,
        "problems": problems,
        "can_open": actor.role in (Role.EVALUATOR, Role.POLICY_AUTHOR),
        "today": timezone.localdate().isoformat(),
        "form_data": request.POST if problems else {},
    }
    return render(request, "pages/home.html", context, status=422 if problems else 200)


def not_found_page(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        problem = {"field": None, "code": "request.not_found", "message": msg("request.not_found")}
        return JsonResponse({"errors": [problem]}, status=404)
    return error_page(request, 404)


def forbidden_page(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 403)


def server_error_page(request: HttpRequest) -> HttpResponse:
    return error_page(request, 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    if request.path.startswith("/api/"):
        problem = {"field": None, "code": "auth.csrf", "message": msg("auth.csrf")}
        return JsonResponse({"errors": [problem]}, status=403)
    return error_page(request, 403, [msg("auth.csrf")])
