"""The published results: render/site's national, province, unit and method pages, served
live from the stored round (its export scored by the library, as the report command does),
with the change since the previous round when it was published. Public."""

from __future__ import annotations

import threading

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from maturity.web import engine
from maturity.web.evaluation import selectors
from maturity.web.evaluation.models import Publication, Round, RoundStatus
from maturity.web.messages import request_language
from maturity.web.pages.common import page, who

_lock = threading.Lock()
_reports: dict[tuple[str, str, str], engine.Report] = {}


class ResultLinks:
    """The platform's URLs for render/site's pages."""

    def __init__(self, code: str) -> None:
        self.root = f"/results/{code}/"

    def national(self) -> str:
        return self.root

    def method(self) -> str:
        return self.root + "method/"

    def province(self, unit_id: str) -> str:
        return f"{self.root}province/{unit_id}/"

    def unit(self, unit_id: str) -> str:
        return f"{self.root}unit/{unit_id}/"

    def asset(self, name: str) -> str:
        return f"/results/assets/{name}"


def report_for(rnd: Round) -> engine.Report:
    lang = engine.language()
    key = (rnd.code, rnd.results_sha256, lang)
    with _lock:
        hit = _reports.get(key)
    if hit is not None:
        return hit
    previous = rnd.previous
    baseline = None
    if previous is not None and previous.status == RoundStatus.PUBLISHED:
        stored = Publication.objects.filter(round=previous).first()
        if stored is not None:
            baseline = stored.results_en
    report = engine.report_of(selectors.published_scored(rnd), baseline)
    with _lock:
        if len(_reports) >= 4:
            _reports.pop(next(iter(_reports)))
        _reports[key] = report
    return report


def _html(text: str) -> HttpResponse:
    return HttpResponse(text, content_type="text/html; charset=utf-8")


def _serve(request: HttpRequest, code: str, kind: str, unit: str | None = None) -> HttpResponse:
    rnd = selectors.published_round(who(request), code)
    report = report_for(rnd)
    if unit is not None and unit not in engine.report_units(report, kind):
        raise Http404
    return _html(engine.report_page(report, kind, unit, request_language(), ResultLinks(code)))


@require_GET
@page
def national(request: HttpRequest, code: str) -> HttpResponse:
    return _serve(request, code, "national")


@require_GET
@page
def method(request: HttpRequest, code: str) -> HttpResponse:
    return _serve(request, code, "method")


@require_GET
@page
def province(request: HttpRequest, code: str, unit_id: str) -> HttpResponse:
    return _serve(request, code, "province", unit_id)


@require_GET
@page
def unit(request: HttpRequest, code: str, unit_id: str) -> HttpResponse:
    return _serve(request, code, "unit", unit_id)


@require_GET
def asset(request: HttpRequest, name: str) -> HttpResponse:
    raw = engine.report_asset(name)
    if raw is None:
        raise Http404
    kind = "text/css" if name.endswith(".css") else "text/javascript"
    response = HttpResponse(raw, content_type=f"{kind}; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    return response
