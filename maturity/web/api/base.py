"""The API object, the one error format, and the actor of each request.

Errors are ``{"errors": [{"field", "code", "message"}]}`` for every status, with the message
in the request's language. Authentication is a session cookie (people; unsafe methods need
the CSRF token in ``X-CSRFToken``) or ``Authorization: Bearer TOKEN`` (scripts, machines).
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError
from ninja.renderers import JSONRenderer
from ninja.utils import check_csrf

from maturity.web import engine
from maturity.web.access import ANONYMOUS, Actor
from maturity.web.accounts.services import actor_of, actor_of_token
from maturity.web.api.schemas import ErrorsOut
from maturity.web.errors import FieldProblem, PlatformError
from maturity.web.messages import msg

log = logging.getLogger("maturity.web")

# every answer may be one of these; each endpoint documents them all (plus its own 413)
ERRORS: dict[int, type[ErrorsOut]] = {
    code: ErrorsOut for code in (400, 401, 403, 404, 409, 422, 429)
}
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
_TRANSLATED = {"role": "role", "state": "status", "current": "status", "target": "status"}


class Renderer(JSONRenderer):
    """JSON as UTF-8 text: Vietnamese names stay readable (``Hà Nội``, not ``\\u00e0``)."""

    json_dumps_params = {"ensure_ascii": False}  # noqa: RUF012 (ninja's class attribute)


api = NinjaAPI(
    renderer=Renderer(),
    title="maturity",
    version="1",
    description=(
        "Evaluation platform API. Messages follow `?lang=vi|en` or `Accept-Language` "
        "(Vietnamese by default). Sign in with POST /api/v1/auth/login (session cookie; send "
        "`X-CSRFToken` on changes) or send `Authorization: Bearer TOKEN`."
    ),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url=None,  # the interactive docs load scripts from elsewhere; the JSON is enough
)


def _arg(key: str, value: Any) -> Any:
    kind = _TRANSLATED.get(key)
    if kind is None:
        return value
    if isinstance(value, list):
        return " | ".join(str(_arg(key, v)) for v in value)
    code = f"{kind}.{value}"
    return msg(code) if code in engine.MESSAGES else value


def render_problem(problem: FieldProblem) -> dict[str, Any]:
    message = problem.message
    if message is None:
        args = {k: _arg(k, v) for k, v in problem.args.items()}
        message = msg(problem.code, **args)
    return {"field": problem.field, "code": problem.code, "message": message}


def error_response(
    request: HttpRequest, status: int, problems: list[FieldProblem], headers: dict[str, str]
) -> HttpResponse:
    response = api.create_response(
        request, {"errors": [render_problem(p) for p in problems]}, status=status
    )
    for name, value in headers.items():
        response[name] = value
    return response


@api.exception_handler(PlatformError)
def _platform_error(request: HttpRequest, exc: PlatformError) -> HttpResponse:
    return error_response(request, exc.status, exc.problems, exc.headers)


def _field(loc: tuple[Any, ...] | list[Any]) -> str | None:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form", "file", "payload")]
    return ".".join(parts) or None


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    problems = []
    for err in exc.errors:
        kind = str(err.get("type", ""))
        code = "request.missing" if kind == "missing" else "request.invalid"
        problems.append(FieldProblem(code, _field(err.get("loc", ())), {"why": kind}))
    return error_response(request, 422, problems, {})


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = {
        400: "request.json",
        401: "auth.required",
        404: "request.not_found",
        405: "request.method",
    }.get(exc.status_code, "request.invalid")
    return error_response(request, exc.status_code, [FieldProblem(code, None, {"why": ""})], {})


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, [FieldProblem("request.not_found")], {})


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    log.exception("unexpected error on %s %s", request.method, request.path)
    return error_response(request, 500, [FieldProblem("request.server")], {})


def actor(request: HttpRequest) -> Actor:
    """Who sent the request (cached on it). Checks CSRF for a session's unsafe request."""
    cached = getattr(request, "_maturity_actor", None)
    if isinstance(cached, Actor):
        return cached
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        found = actor_of_token(header[7:].strip())
        if found is None:
            raise PlatformError("auth.token", status=401)
        who = found
    elif request.user.is_authenticated:
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise PlatformError("auth.csrf", status=403)
        who = actor_of(request.user)
    else:
        who = ANONYMOUS
    request._maturity_actor = who  # type: ignore[attr-defined]
    return who


def signed_in(request: HttpRequest) -> Actor:
    who = actor(request)
    if not who.signed_in:
        raise PlatformError("auth.required", status=401)
    return who
