"""The pages' request-wide concerns: the language switch remembered, a content security
policy on every page, and a session that ends after a while without activity while keeping
what the person was typing (it comes back in the form after signing in again)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import urlencode

from maturity.web.engine import LANGUAGES
from maturity.web.middleware import LANG_COOKIE

Handler = Callable[[HttpRequest], HttpResponse]

IDLE_KEY = "pages.seen"
KEPT_KEY = "pages.kept"
NOT_PAGES = ("/api/", "/admin/", "/static/")
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "object-src 'none'"
)


def _expired(request: HttpRequest) -> HttpResponse | None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    now = time.time()
    seen = request.session.get(IDLE_KEY)
    if isinstance(seen, int | float) and now - seen > int(settings.PAGES_IDLE_SECONDS):
        kept = None
        if request.method == "POST" and "/form/" in request.path:
            kept = {
                "path": request.path,
                "values": {
                    k: v
                    for k, v in request.POST.items()
                    if k.startswith(("v_", "na_", "nr_")) and len(v) <= 4000
                },
            }
        logout(request)
        if kept is not None:
            request.session[KEPT_KEY] = kept
        target = request.path if request.method == "POST" else request.get_full_path()
        return HttpResponseRedirect("/signin/?" + urlencode({"expired": "1", "next": target}))
    request.session[IDLE_KEY] = now
    return None


def pages(get_response: Handler) -> Handler:
    def middleware(request: HttpRequest) -> HttpResponse:
        if request.path.startswith(NOT_PAGES):
            return get_response(request)
        response = _expired(request) or get_response(request)
        asked = request.GET.get("lang", "")[:2].lower()
        if asked in LANGUAGES and request.COOKIES.get(LANG_COOKIE) != asked:
            response.set_cookie(LANG_COOKIE, asked, max_age=365 * 86400, samesite="Lax")
        if response.get("Content-Type", "").startswith("text/html"):
            response.headers.setdefault("Content-Security-Policy", CSP)
        return response

    return middleware
