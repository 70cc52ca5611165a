"""The self-assessment form, generated from the framework for the unit's tier: one step per
pillar, then a review step (progress, what is missing, values to fix, consistency checks, a
score preview, the explanation on request, submit). Values typed in the page's language are
read by the library's value reader; everything else is the services' (save, submit,
evidence) and the selectors' (reading, preview), exactly as the API uses them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.views.decorators.http import require_http_methods, require_POST

from maturity.web import engine
from maturity.web.access import Actor, allow
from maturity.web.errors import PlatformError
from maturity.web.evaluation import selectors
from maturity.web.evaluation.evidence import upload_evidence
from maturity.web.evaluation.frameworks import handle_for
from maturity.web.evaluation.models import Round, RoundStatus, Submission, Unit
from maturity.web.evaluation.submissions import (
    EDITABLE,
    effective_values,
    save_values,
    submit,
)
from maturity.web.messages import msg, request_language
from maturity.web.pages.common import page, problems_of, render, who
from maturity.web.pages.middleware import KEPT_KEY

TEXT = {"vi": 0, "en": 1}
WORKBOOK_MAX_BYTES = 5 * 1024 * 1024


@dataclass
class Form:
    actor: Actor
    round: Round
    unit: Unit
    sub: Submission | None
    handle: engine.FrameworkHandle
    spec: engine.FormSpec
    editable: bool

    @property
    def base(self) -> str:
        return f"/rounds/{self.round.code}/units/{self.unit.id}"

    @property
    def values(self) -> dict[str, Any]:
        return dict(self.sub.values) if self.sub else {}

    @property
    def not_applicable(self) -> dict[str, str]:
        return dict(self.sub.not_applicable) if self.sub else {}

    @property
    def version(self) -> int:
        return self.sub.version if self.sub else 0


def open_form(request: HttpRequest, code: str, unit_id: str) -> Form:
    actor = who(request)
    if not actor.signed_in:
        raise PlatformError("auth.required", status=401)
    rnd = selectors.round_by_code(actor, code)
    unit, sub = selectors.submission_of(actor, rnd, unit_id)
    handle = handle_for(rnd.framework_id)
    try:
        allow(actor, "edit", unit)
        mine = True
    except PlatformError:
        mine = False
    editable = mine and rnd.status == RoundStatus.OPEN and (sub is None or sub.status in EDITABLE)
    return Form(actor, rnd, unit, sub, handle, engine.form_spec(handle, unit.tier), editable)


def _text(pair: tuple[str, str]) -> str:
    return pair[TEXT[request_language()]] or pair[0]


def pillar_name(pillar: engine.FormPillar) -> str:
    return msg("page.general") if pillar.id == "general" else _text(pillar.name)


def shown(value: Any) -> str:
    """A value as the form shows it back: numbers in the page's convention (``1.234,5``),
    yes/no as the choice's key, text as written."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return engine.shown_number(float(value), request_language())
    return "" if value is None else str(value)


def typed(form: Form, input_id: str, text: str) -> Any:
    """What a typed text is stored as: the number the library's reader takes it for in the
    page's language; as written when it rejects it (the reading then says why)."""
    info = form.spec.inputs[input_id]
    if info.type == "boolean" and text in ("0", "1"):
        return text == "1"
    if info.type == "ordinal" and text.isdigit():
        return int(text)
    got = engine.read_typed(form.handle, input_id, text, request_language())
    if got is None:
        return text
    return int(got) if got.is_integer() and abs(got) < 1e15 else got


def _range(info: engine.FormInput) -> str:
    lo = shown(info.min) if info.min is not None else None
    hi = shown(info.max) if info.max is not None else None
    if lo is not None and hi is not None:
        return msg("page.range", min=lo, max=hi)
    if lo is not None:
        return msg("page.at_least", min=lo)
    return msg("page.at_most", max=hi) if hi is not None else ""


def _evidence_of(form: Form) -> dict[str, list[str]]:
    if form.sub is None:
        return {}
    out: dict[str, list[str]] = {}
    for ev in selectors.evidence_list(form.actor, form.round, form.unit.id):
        out.setdefault(ev.input, []).append(ev.name)
    return out


def _field(
    form: Form, name: str, values: dict[str, Any], errors: dict[str, str], needs: dict[str, str]
) -> dict[str, Any]:
    info = form.spec.inputs[name]
    choices: list[tuple[str, str]] = []
    if info.type == "boolean":
        choices = [("1", msg("page.yes")), ("0", msg("page.no"))]
    elif info.type == "ordinal":
        choices = [
            (key, msg("page.answer", key=key, text=_text((vi, en)))) for key, vi, en in info.choices
        ]
    return {
        "id": name,
        "label": _text(info.label),
        "unit": _text(info.unit),
        "help": _text(info.help),
        "range": _range(info),
        "type": info.type,
        "numeric": info.type in ("integer", "number"),
        "choices": choices,
        "value": shown(values.get(name)),
        "error": errors.get(name, ""),
        "evidence": needs.get(name),
    }


def _progress(form: Form, values: dict[str, Any]) -> list[dict[str, Any]]:
    na = form.not_applicable
    rows = []
    for i, pillar in enumerate(form.spec.pillars):
        wanted = _wanted(pillar, na)
        done = sum(1 for n in wanted if n in values)
        rows.append(
            {
                "index": i,
                "name": pillar_name(pillar),
                "done": done,
                "total": len(wanted),
                "complete": done == len(wanted),
            }
        )
    return rows


def _wanted(pillar: engine.FormPillar, na: dict[str, str]) -> list[str]:
    """The pillar's inputs still wanted: not those only used by indicators declared not
    applicable."""
    excused = {
        name
        for ind in pillar.indicators
        if ind.id in na
        for name in ind.inputs
        if not any(name in other.inputs for other in pillar.indicators if other.id not in na)
    }
    return [n for n in pillar.inputs if n not in excused]


def _reading_errors(form: Form) -> tuple[dict[str, str], list[str]]:
    """Rejected values by input, and the other errors of the reading (CLI messages)."""
    if form.sub is None:
        return {}, []
    by_input: dict[str, str] = {}
    other: list[str] = []
    for p in selectors.reading(form.sub).errors:
        if p.input and p.input not in by_input:
            by_input[p.input] = p.message
        elif not p.input:
            other.append(p.message)
    return by_input, other


def _checks(form: Form) -> list[dict[str, str]]:
    """The framework's consistency checks about this unit, once their inputs are filled
    (the library's scoring runs them on the draft)."""
    if form.sub is None:
        return []
    scored = form.handle.score_readings(
        form.round.period, [(form.unit.id, effective_values(form.sub))]
    )
    return [
        {"severity": p.severity, "message": p.message}
        for p in engine.check_problems(scored, form.unit.id)
        if p.code.startswith("check")
    ]


def _kept(request: HttpRequest, form: Form) -> dict[str, str] | None:
    kept = request.session.get(KEPT_KEY)
    if isinstance(kept, dict) and kept.get("path") == request.path.replace("/review/", "/form/"):
        return dict(kept.get("values") or {})
    return None


@require_http_methods(["GET", "POST"])
@page
def form_step(request: HttpRequest, code: str, unit_id: str) -> HttpResponse:
    form = open_form(request, code, unit_id)
    steps = form.spec.pillars
    try:
        step = min(max(int(request.GET.get("step", "0")), 0), len(steps) - 1)
    except ValueError:
        step = 0
    notices: list[str] = []
    problems: list[str] = []
    if request.method == "POST":
        done = _save_step(request, form, steps[step], problems)
        if done is not None:
            return done
    values = form.values
    kept = _kept(request, form)
    if kept is not None:
        request.session.pop(KEPT_KEY, None)
        notices.append(msg("page.kept"))
        for key, text in kept.items():
            if key.startswith("v_") and key[2:] in form.spec.inputs and text.strip():
                values[key[2:]] = typed(form, key[2:], text.strip())
    if request.GET.get("saved"):
        notices.append(msg("page.saved", version=request.GET["saved"]))
    return render(request, "pages/form.html", _step_context(form, step, values, notices, problems))


def _step_context(
    form: Form, step: int, values: dict[str, Any], notices: list[str], problems: list[str]
) -> dict[str, Any]:
    pillar = form.spec.pillars[step]
    errors, _ = _reading_errors(form)
    files = _evidence_of(form)
    needs: dict[str, str] = {}
    indicators = []
    for ind in pillar.indicators:
        for name in ind.inputs:
            if ind.evidence_required and name not in needs:
                needs[name] = _text(ind.evidence) or msg("page.evidence")
        if ind.not_applicable:
            indicators.append(
                {
                    "id": ind.id,
                    "name": _text(ind.name),
                    "checked": ind.id in form.not_applicable,
                    "reason": form.not_applicable.get(ind.id, ""),
                }
            )
    fields = [_field(form, n, values, errors, needs) for n in pillar.inputs]
    for f in fields:
        f["files"] = ", ".join(files.get(f["id"], []))
    automatic = sum(1 for i in form.spec.inputs.values() if i.source == "automatic")
    return {
        "form": form,
        "unit": form.unit,
        "round": form.round,
        "step": step,
        "steps": _progress(form, values),
        "total": len(form.spec.pillars),
        "pillar": pillar_name(pillar),
        "fields": fields,
        "na": indicators,
        "notices": notices,
        "problems": problems,
        "automatic": automatic,
        "last": step == len(form.spec.pillars) - 1,
        "status": msg(f"status.{form.sub.status}") if form.sub else msg("status.not_started"),
        "checks": _checks(form),
    }


def _save_step(
    request: HttpRequest, form: Form, pillar: engine.FormPillar, problems: list[str]
) -> HttpResponse | None:
    """Save the step's values into the whole draft and go where the button says; None
    (with ``problems``) when the save is refused."""
    if not form.editable:
        raise (
            PlatformError("auth.forbidden", status=403, role=msg(f"role.{form.actor.role}"))
            if form.sub is None or form.sub.status in EDITABLE
            else PlatformError(
                "submission.status", status=409, state=form.sub.status, allowed=list(EDITABLE)
            )
        )
    values = form.values
    for name in pillar.inputs:
        text = request.POST.get(f"v_{name}", "").strip()
        if text:
            values[name] = typed(form, name, text)
        else:
            values.pop(name, None)
    na = form.not_applicable
    for ind in pillar.indicators:
        if not ind.not_applicable:
            continue
        if request.POST.get(f"na_{ind.id}"):
            na[ind.id] = request.POST.get(f"nr_{ind.id}", "").strip() or msg("page.not_applicable")
        else:
            na.pop(ind.id, None)
    try:
        version = int(request.POST.get("version", "0"))
        sub, _ = save_values(
            form.actor, form.round, form.unit, values=values, not_applicable=na, version=version
        )
        for key in request.FILES:
            upload = request.FILES.get(key)
            if upload and key.startswith("f_") and key[2:] in pillar.inputs:
                upload_evidence(
                    form.actor,
                    form.round,
                    form.unit,
                    input=key[2:],
                    name=upload.name or "",
                    size=upload.size or 0,
                    content=upload,
                )
    except (PlatformError, ValueError) as exc:
        if isinstance(exc, PlatformError) and exc.code == "submission.conflict":
            problems.append(msg("page.conflict"))
        elif isinstance(exc, PlatformError):
            problems.extend(str(p["message"]) for p in problems_of(exc))
        else:
            problems.append(msg("request.invalid", why="version"))
        return None
    index = [p.id for p in form.spec.pillars].index(pillar.id)
    action = request.POST.get("action", "save")
    if action == "next" and index == len(form.spec.pillars) - 1:
        return HttpResponseRedirect(f"{form.base}/review/?saved={sub.version}")
    target = index + 1 if action == "next" else index - 1 if action == "previous" else index
    target = min(max(target, 0), len(form.spec.pillars) - 1)
    return HttpResponseRedirect(f"{form.base}/form/?step={target}&saved={sub.version}")


def _missing(form: Form) -> list[dict[str, Any]]:
    values, na = form.values, form.not_applicable
    out = []
    for i, pillar in enumerate(form.spec.pillars):
        for name in _wanted(pillar, na):
            if name not in values:
                out.append(
                    {
                        "step": i,
                        "pillar": pillar_name(pillar),
                        "label": _text(form.spec.inputs[name].label),
                        "id": name,
                    }
                )
    return out


def _preview(form: Form) -> dict[str, Any] | None:
    if form.sub is None:
        return None
    try:
        rec = selectors.preview_result(form.actor, form.round, form.unit.id)
    except PlatformError:
        return None
    return rec


@require_http_methods(["GET", "POST"])
@page
def review(request: HttpRequest, code: str, unit_id: str) -> HttpResponse:
    form = open_form(request, code, unit_id)
    notices: list[str] = []
    problems: list[str] = []
    missing = _missing(form)
    if request.method == "POST":
        if missing:
            problems.append(msg("page.cannot_submit"))
        else:
            try:
                submit(
                    form.actor,
                    form.round,
                    form.unit,
                    version=int(request.POST.get("version", "0")),
                )
                return HttpResponseRedirect(f"{form.base}/review/?submitted=1")
            except PlatformError as exc:
                problems.extend(str(p["message"]) for p in problems_of(exc))
    if request.GET.get("submitted"):
        notices.append(msg("page.submitted"))
    if request.GET.get("saved"):
        notices.append(msg("page.saved", version=request.GET["saved"]))
    return render(request, "pages/review.html", review_context(form, notices, problems, missing))


def review_context(
    form: Form,
    notices: list[str],
    problems: list[str],
    missing: list[dict[str, Any]] | None = None,
    workbook: list[str] | None = None,
) -> dict[str, Any]:
    missing = _missing(form) if missing is None else missing
    errors, other = _reading_errors(form)
    labels = {n: _text(i.label) for n, i in form.spec.inputs.items()}
    rejected = [{"label": labels.get(k, k), "message": v} for k, v in errors.items()]
    rejected += [{"label": "", "message": m} for m in other]
    preview = _preview(form)
    return {
        "form": form,
        "unit": form.unit,
        "round": form.round,
        "steps": _progress(form, form.values),
        "total": len(form.spec.pillars),
        "missing": missing,
        "rejected": rejected,
        "checks": _checks(form),
        "preview": preview,
        "notices": notices,
        "problems": problems,
        "workbook": workbook or [],
        "status": msg(f"status.{form.sub.status}") if form.sub else msg("status.not_started"),
        "can_submit": form.editable and form.sub is not None and not missing and not rejected,
    }


@require_POST
@page
def workbook(request: HttpRequest, code: str, unit_id: str) -> HttpResponse:
    """The filled Excel workbook, read by the library's xlsx reader: its values for this unit
    become the draft; its problems are shown at their cells."""
    form = open_form(request, code, unit_id)
    upload = request.FILES.get("workbook")
    problems: list[str] = []
    notices: list[str] = []
    found: list[str] = []
    if upload is None or not upload.size or upload.size > WORKBOOK_MAX_BYTES:
        problems.append(msg("request.missing"))
    else:
        by_unit, diags = engine.workbook_values(
            form.handle, upload.read(), upload.name or "book.xlsx"
        )
        found = [f"{p.cell}: {p.message}" if p.cell else p.message for p in diags]
        mine = {
            k: v
            for k, v in by_unit.get(form.unit.id, {}).items()
            if k in form.spec.inputs and form.spec.inputs[k].source != "automatic"
        }
        if not mine:
            problems.append(msg("page.workbook_unit", unit=form.unit.name))
        else:
            try:
                form.sub, _ = save_values(
                    form.actor,
                    form.round,
                    form.unit,
                    values={**form.values, **mine},
                    not_applicable=form.not_applicable,
                    version=int(request.POST.get("version", "0")),
                )
                notices.append(msg("page.workbook_read", count=len(mine)))
            except PlatformError as exc:
                problems.extend(str(p["message"]) for p in problems_of(exc))
    status = 422 if problems else 200
    context = review_context(form, notices, problems, workbook=found)
    return render(request, "pages/review.html", context, status=status)


@require_POST
def validate(request: HttpRequest, code: str) -> HttpResponse:
    """Live validation: one value read by the library's reader, as the form would save it;
    the command line's message when it is rejected."""
    try:
        actor = who(request)
        if not actor.signed_in:
            raise PlatformError("auth.required", status=401)
        rnd = selectors.round_by_code(actor, code)
        unit = selectors.unit_in_scope(actor, request.POST.get("unit", ""))
        name = request.POST.get("input", "")
        text = request.POST.get("value", "").strip()[:200]
        handle = handle_for(rnd.framework_id)
        if name not in handle.inputs() or not text:
            return JsonResponse({"ok": True, "message": ""})
        value: Any = text
        info = handle.inputs()[name]
        if info.type == "boolean" and text in ("0", "1"):
            value = text == "1"
        elif info.type == "ordinal" and text.isdigit():
            value = int(text)
        lang = request_language()
        got = handle.read(
            unit.id, rnd.period, {name: value}, {}, file=f"{unit.id}.yaml", locale=lang
        )
    except PlatformError as exc:
        return JsonResponse({"errors": problems_of(exc)}, status=exc.status)
    wrong = [p.message for p in got.errors if p.input == name]
    return JsonResponse({"ok": not wrong, "message": wrong[0] if wrong else ""})


class PreviewLinks:
    """Links of the explanation page (render/site's unit page of a preview)."""

    def __init__(self, form_url: str) -> None:
        self.form_url = form_url

    def national(self) -> str:
        return "/"

    def method(self) -> str:
        return "/"

    def province(self, unit_id: str) -> str:
        return "/"

    def unit(self, unit_id: str) -> str:
        return self.form_url

    def asset(self, name: str) -> str:
        return f"/results/assets/{name}"


@page
def explain(request: HttpRequest, code: str, unit_id: str) -> HttpResponse:
    """The explanation of the draft's preview: why this level, the gaps in the indicators'
    units, the path to the next level (render/site's unit page, scored live)."""
    form = open_form(request, code, unit_id)
    scored = selectors.preview(form.actor, form.round, form.unit.id)
    report = engine.report_of(scored, None)
    html = engine.report_page(
        report, "unit", form.unit.id, request_language(), PreviewLinks(f"{form.base}/review/")
    )
    return HttpResponse(html, content_type="text/html; charset=utf-8")


@page
def template(request: HttpRequest, code: str, unit_id: str) -> HttpResponse:
    """The unit's Excel workbook to fill in offline and upload back."""
    form = open_form(request, code, unit_id)
    data = engine.template_xlsx(form.handle, form.unit.tier, form.unit.id, form.round.period)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{form.unit.id}-{form.round.code}.xlsx"'
    )
    return response
