"""What every page shares: who is asking, the language, rendering with the right status,
and the platform's errors turned into pages (401: sign in; 403, 404, 409, 422: a page)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse

from maturity.web.access import ANONYMOUS, Actor
from maturity.web.accounts.services import actor_of
from maturity.web.api.base import render_problem
from maturity.web.errors import PlatformError
from maturity.web.messages import msg, request_language

View = Callable[..., HttpResponse]


def who(request: HttpRequest) -> Actor:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return actor_of(user)
    return ANONYMOUS


def render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    actor = who(request)
    other = "en" if request_language() == "vi" else "vi"
    query = request.GET.copy()
    query["lang"] = other
    for noise in ("saved", "submitted"):  # say-once notices, not where the person is
        query.pop(noise, None)
    base = {
        "lang": request_language(),
        "other_lang": other,
        "switch_url": f"{request.path}?{query.urlencode()}",
        "actor": actor,
        "role_name": msg(f"role.{actor.role}") if actor.signed_in else "",
        "path": request.path,
    }
    return TemplateResponse(request, template, {**base, **context}, status=status).render()


def problems_of(exc: PlatformError) -> list[dict[str, Any]]:
    return [render_problem(p) for p in exc.problems]


def error_page(
    request: HttpRequest, status: int, messages: list[str] | None = None
) -> HttpResponse:
    code = status if status in (403, 404, 409, 500) else 409 if status < 500 else 500
    return render(
        request,
        "pages/error.html",
        {"status": code, "title_code": f"page.error.{code}", "messages": messages or []},
        status=status,
    )


def sign_in_url(request: HttpRequest) -> str:
    return "/signin/?next=" + quote(request.get_full_path(), safe="/")


def page(view: View) -> View:
    """A page view: the platform's errors become pages in the request's language."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except PlatformError as exc:
            if exc.status == 401:
                return HttpResponseRedirect(sign_in_url(request))
            texts = [str(p["message"]) for p in problems_of(exc)]
            return error_page(request, exc.status if exc.status in (403, 404) else 409, texts)

    return wrapped
