"""Request-wide concerns: the language of the answer, and bodies too big to read."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParser
from django.utils import translation

from maturity.web.engine import LANGUAGES, in_language
from maturity.web.messages import msg

Handler = Callable[[HttpRequest], HttpResponse]


LANG_COOKIE = "maturity_lang"


def choose_language(request: HttpRequest) -> str:
    """``?lang=`` first, then the language the person chose on the pages (a cookie), then
    (the API and the admin) ``Accept-Language``, then Vietnamese: the pages are Vietnamese
    unless the person switches, whatever the browser's language."""
    asked = request.GET.get("lang", "")[:2].lower()
    if asked in LANGUAGES:
        return asked
    chosen = request.COOKIES.get(LANG_COOKIE, "")[:2].lower()
    if chosen in LANGUAGES:
        return chosen
    if not request.path.startswith(("/api/", "/admin/")):
        return "vi"
    header = str(request.META.get("HTTP_ACCEPT_LANGUAGE", ""))
    for part in header.split(","):
        code = part.split(";")[0].strip()[:2].lower()
        if code in LANGUAGES:
            return code
    return "vi"


def language(get_response: Handler) -> Handler:
    """Activate the request's language for Django (admin, model names) and the library."""

    def middleware(request: HttpRequest) -> HttpResponse:
        lang = choose_language(request)
        with translation.override(lang), in_language(lang):
            response = get_response(request)
        response.headers.setdefault("Content-Language", lang)
        response.headers["Vary"] = ", ".join(
            v for v in (response.headers.get("Vary"), "Accept-Language") if v
        )
        return response

    return middleware


def body_limit(get_response: Handler) -> Handler:
    """Refuse a body larger than the largest evidence file before reading any of it."""

    def middleware(request: HttpRequest) -> HttpResponse:
        limit = int(settings.EVIDENCE_MAX_BYTES) + 1024 * 1024
        try:
            size = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            size = 0
        if size > limit:
            lang = choose_language(request)
            problem = {
                "field": None,
                "code": "request.too_big",
                "message": msg("request.too_big", lang=lang, size=size, limit=limit),
            }
            return JsonResponse({"errors": [problem]}, status=413)
        return get_response(request)

    return middleware


def no_nul(get_response: Handler) -> Handler:
    """Refuse a NUL character in the path or the query: no text field can hold one
    (PostgreSQL refuses it), so it is a bad request, answered as such, not a server error."""

    def middleware(request: HttpRequest) -> HttpResponse:
        query = request.GET
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in v for v in query.getlist(key)) for key in query
        ):
            lang = choose_language(request)
            problem = {
                "field": None,
                "code": "request.nul",
                "message": msg("request.nul", lang=lang),
            }
            return JsonResponse({"errors": [problem]}, status=400)
        return get_response(request)

    return middleware


class _StrictNames(MultiPartParser):
    """Django's parser, noting every file name it had to clean (folders, '..', control
    characters): the upload is then refused with the name as sent, not stored renamed."""

    def __init__(self, *args: Any, refused: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.refused = refused

    def sanitize_file_name(self, file_name: str) -> str | None:
        clean = super().sanitize_file_name(file_name)
        if clean != html.unescape(file_name):
            self.refused.append(file_name)
        return clean


def strict_upload_names(get_response: Handler) -> Handler:
    def middleware(request: HttpRequest) -> HttpResponse:
        refused: list[str] = []
        request.refused_file_names = refused  # type: ignore[attr-defined]

        def parse(meta: Any, data: Any) -> Any:
            parser = _StrictNames(
                meta, data, request.upload_handlers, request.encoding, refused=refused
            )
            return parser.parse()

        request.parse_file_upload = parse  # type: ignore[method-assign,assignment]
        return get_response(request)

    return middleware
