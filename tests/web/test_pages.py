"""The pages through Django's test client: the self-assessment form generated from the
framework, Vietnamese numbers, validation with the command line's messages, saving,
submitting, the province returning, the evaluator verifying and publishing, the published
results, the error pages, the language switch, the session timeout, and who may see what."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from maturity.web import engine
from maturity.web.accounts.services import actor_of
from maturity.web.evaluation.frameworks import handle_for
from maturity.web.evaluation.models import Round, Submission, Unit
from maturity.web.evaluation.submissions import save_values

from .conftest import PASSWORD, PHU_QUOI, VINH_LONG, People, phu_quoi_values

FORM = f"/rounds/2025-q3/units/{PHU_QUOI}"


def browser(name: str | None = None, lang: str | None = None) -> Client:
    """A person's browser: Chromium's default Accept-Language is English, the pages are
    Vietnamese unless the person switches."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    if lang:
        client.cookies["maturity_lang"] = lang
    if name:
        done = client.post("/signin/", {"username": name, "password": PASSWORD, "next": "/"})
        assert done.status_code == 302, done.content.decode()
    return client


def text(response: Any) -> str:
    return str(response.content.decode())


def spec() -> engine.FormSpec:
    rnd = Round.objects.get(code="2025-q3")
    return engine.form_spec(handle_for(rnd.framework_id), "commune")


def typed_vi(value: Any) -> str:
    """A value as a Vietnamese official types it: 77.352, 49,5, a yes/no or an answer."""
    if isinstance(value, bool):
        return "1" if value else "0"
    return engine.shown_number(float(value), "vi")


def fill(client: Client, values: dict[str, Any], *, skip: str | None = None) -> None:
    """Every step of the form, saved and continued as a person would."""
    for i, pillar in enumerate(spec().pillars):
        page = client.get(f"{FORM}/form/?step={i}")
        version = re.search(r'name="version" value="(\d+)"', text(page))
        assert version, text(page)
        data = {"version": version.group(1), "action": "next"}
        for name in pillar.inputs:
            if name in values and name != skip:
                data[f"v_{name}"] = typed_vi(values[name])
        done = client.post(f"{FORM}/form/?step={i}", data)
        assert done.status_code == 302, text(done)


def test_pages_are_vietnamese_by_default_and_switch_to_english(people: People) -> None:
    client = browser()
    home = client.get("/")
    assert home.status_code == 200 and '<html lang="vi">' in text(home)
    assert "Các kỳ đánh giá" in text(home)
    english = client.get("/?lang=en")
    assert "Evaluation rounds" in text(english)
    assert english.cookies["maturity_lang"].value == "en"
    assert "Evaluation rounds" in text(client.get("/"))  # remembered


def test_the_language_switch_keeps_the_step(open_round: Round) -> None:
    page = text(browser("commune").get(f"{FORM}/form/?step=3&saved=2"))
    assert f'href="{FORM}/form/?step=3&amp;lang=en"' in page


def test_every_page_has_a_content_security_policy(people: People) -> None:
    page = browser().get("/signin/")
    policy = page["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.parametrize(
    ("lang", "status", "title"),
    [
        ("vi", 404, "Không tìm thấy trang"),
        ("en", 404, "Page not found"),
        ("vi", 403, "Bạn không được mở trang này"),
        ("en", 403, "You may not open this page"),
    ],
)
def test_error_pages_in_both_languages(
    open_round: Round, lang: str, status: int, title: str
) -> None:
    client = browser("commune", lang)
    path = "/no/such/page/" if status == 404 else "/rounds/2025-q3/queue/"
    page = client.get(path)
    assert page.status_code == status
    assert f"<h1>{title}" in text(page)


def test_an_unknown_api_path_still_answers_json(people: People) -> None:
    page = browser().get("/api/v1/no-such-thing")
    assert page.status_code == 404 and page["Content-Type"].startswith("application/json")


def test_the_form_is_generated_from_the_framework(open_round: Round) -> None:
    client = browser("commune")
    form = spec()
    assert [p.id for p in form.pillars][:2] == ["general", "GOV"]
    page = text(client.get(f"{FORM}/form/?step=1"))
    gov = form.pillars[1]
    assert page.count('class="field') >= len(gov.inputs)
    for name in gov.inputs:
        assert f'name="v_{name}"' in page
        assert form.inputs[name].label[0] in page  # the Vietnamese label
    # the steps, with their progress; the typed inputs of every step are the tier's
    assert page.count('class="count">0/') == len(form.pillars)
    typed = {n for p in form.pillars for n in p.inputs}
    assert typed == {n for n, i in form.inputs.items() if i.source != "automatic"}
    # an ordinal input offers its answers; a boolean yes and no
    assert "mức 0:" in page or "Có" in page


def test_vietnamese_numbers_are_read_and_shown_back(open_round: Round) -> None:
    client = browser("commune")
    page = text(client.get(f"{FORM}/form/?step=0"))
    assert 'name="v_population"' in page
    done = client.post(
        f"{FORM}/form/?step=0", {"version": "0", "action": "save", "v_population": "12.345"}
    )
    assert done.status_code == 302
    sub = Submission.objects.get(round__code="2025-q3", unit_id=PHU_QUOI)
    assert sub.values["population"] == 12345  # "12.345" is twelve thousand in Vietnamese
    page = text(client.get(done["Location"]))
    assert 'value="12.345"' in page and "Đã lưu bản nháp" in page
    english = browser("commune", "en")
    assert 'value="12,345"' in text(english.get(f"{FORM}/form/?step=0"))


def test_a_rejected_value_is_kept_with_the_command_lines_message(open_round: Round) -> None:
    client = browser("commune")
    client.post(
        f"{FORM}/form/?step=0",
        {"version": "0", "action": "save", "v_population": "khoảng 12 nghìn"},
    )
    sub = Submission.objects.get(round__code="2025-q3", unit_id=PHU_QUOI)
    assert sub.values["population"] == "khoảng 12 nghìn" and sub.errors == 1
    handle = handle_for(open_round.framework_id)
    with engine.in_language("vi"):
        cli = handle.read(PHU_QUOI, "2025-Q3", {"population": "khoảng 12 nghìn"}, {}, file="x")
    message = cli.errors[0].message
    page = text(client.get(f"{FORM}/form/?step=0"))
    assert 'value="khoảng 12 nghìn"' in page
    assert message.replace("'", "&#x27;") in page
    # the live validation answers the same message, and nothing for a good value
    live = client.post(
        "/rounds/2025-q3/validate/",
        {"unit": PHU_QUOI, "input": "population", "value": "khoảng 12 nghìn"},
    )
    assert live.json() == {"ok": False, "message": message}
    good = client.post(
        "/rounds/2025-q3/validate/", {"unit": PHU_QUOI, "input": "population", "value": "12.345"}
    )
    assert good.json() == {"ok": True, "message": ""}


def test_live_validation_is_scoped(open_round: Round) -> None:
    client = browser("neighbour")
    live = client.post(
        "/rounds/2025-q3/validate/", {"unit": PHU_QUOI, "input": "population", "value": "1"}
    )
    assert live.status_code == 404
    assert browser().post("/rounds/2025-q3/validate/", {"unit": PHU_QUOI}).status_code == 401


def test_the_session_times_out_and_keeps_what_was_typed(open_round: Round) -> None:
    client = browser("commune")
    client.get(f"{FORM}/form/?step=0")
    session = client.session
    session["pages.seen"] = 0  # long ago
    session.save()
    late = client.post(
        f"{FORM}/form/?step=0", {"version": "0", "action": "save", "v_population": "12.345"}
    )
    assert late.status_code == 302 and "/signin/?expired=1" in late["Location"]
    signin = client.get(late["Location"])
    assert "Phiên làm việc đã hết" in text(signin)
    back = client.post(
        "/signin/", {"username": "commune", "password": PASSWORD, "next": f"{FORM}/form/"}
    )
    assert back["Location"] == f"{FORM}/form/"
    page = text(client.get(back["Location"]))
    assert "đã được điền lại" in page and 'value="12.345"' in page
    assert not Submission.objects.filter(unit_id=PHU_QUOI).exists()  # not saved behind them


def test_the_whole_round_through_the_pages(open_round: Round) -> None:
    typed, automatic = phu_quoi_values()
    people_api_push(automatic)
    commune = browser("commune")
    fill(commune, typed, skip="officials_total")
    review = text(commune.get(f"{FORM}/review/"))
    assert "Còn thiếu (1)" in review and "Nộp bản khai" in review
    refused = commune.post(f"{FORM}/review/", {"version": "99"})
    assert "Hãy điền hoặc sửa" in text(refused)
    fill(commune, typed)
    review = text(commune.get(f"{FORM}/review/"))
    assert "Đã điền đủ mọi chỉ tiêu." in review
    assert "Điểm tạm tính" in review
    explained = commune.get(f"{FORM}/explain/")
    assert explained.status_code == 200 and "Lộ trình lên mức" in text(explained)
    sub = Submission.objects.get(round__code="2025-q3", unit_id=PHU_QUOI)
    done = commune.post(f"{FORM}/review/", {"version": str(sub.version)})
    assert done.status_code == 302
    sub.refresh_from_db()
    assert sub.status == "submitted"

    # the province sees it and returns it with a comment
    province = browser("province")
    view = text(province.get(f"/rounds/2025-q3/province/{VINH_LONG}/"))
    assert "Xã Phú Quới" in view and "đã nộp" in view and "chưa bắt đầu" in view
    back = province.post(
        f"/rounds/2025-q3/province/{VINH_LONG}/",
        {"unit": PHU_QUOI, "version": str(sub.version), "comment": "Số máy tính chưa khớp."},
    )
    assert "Đã trả lại Xã Phú Quới" in text(back)
    page = text(commune.get(f"{FORM}/form/?step=0"))
    assert "Số máy tính chưa khớp." in page and "bị trả lại" in page
    fill(commune, typed)
    sub.refresh_from_db()
    commune.post(f"{FORM}/review/", {"version": str(sub.version)})
    sub.refresh_from_db()
    assert sub.status == "submitted"

    # the evaluator finds it in the queue, adjusts one value with a reason, accepts
    evaluator = browser("evaluator")
    queue = text(evaluator.get(f"/rounds/2025-q3/queue/?province={VINH_LONG}"))
    assert "Xã Phú Quới" in queue and "1 bản khai" in queue
    assert "0 bản khai" in text(evaluator.get("/rounds/2025-q3/queue/?status=verified"))
    assert "0 bản khai" in text(evaluator.get("/rounds/2025-q3/queue/?problems=1"))
    flagged = sub.warnings > 0  # readings the library took with a warning, failed checks
    assert ("1 bản khai" if flagged else "0 bản khai") in text(
        evaluator.get("/rounds/2025-q3/queue/?flags=1")
    )
    verify = evaluator.get(f"{FORM}/verify/")
    assert verify.status_code == 200 and "Tự đánh giá" in text(verify)
    adjusted = evaluator.post(
        f"{FORM}/verify/",
        {
            "version": str(sub.version),
            "input": "officials_with_pc",
            "value": "40",
            "reason": "Biên bản kiểm tra",
        },
    )
    assert "Đã lưu giá trị thẩm định" in text(adjusted), text(adjusted)
    sub.refresh_from_db()
    evaluator.post(f"{FORM}/verify/", {"version": str(sub.version), "action": "accept"})
    sub.refresh_from_db()
    assert sub.status == "verified"

    # publishing shows the level distribution before and after verification
    confirm = text(evaluator.get("/rounds/2025-q3/publish/"))
    assert "Phân bố theo mức" in confirm and "Sau thẩm định" in confirm
    assert '<th scope="row">cấp xã</th>' in confirm
    published = evaluator.post("/rounds/2025-q3/publish/", {"confirm": "1"})
    assert published["Location"] == "/results/2025-q3/"

    # anyone reads the published pages, the render/site pages served live
    public = browser()
    national = public.get("/results/2025-q3/")
    assert national.status_code == 200 and "Kết quả toàn quốc" in text(national)
    unit = public.get(f"/results/2025-q3/unit/{PHU_QUOI}/")
    assert unit.status_code == 200 and "Xã Phú Quới" in text(unit)
    assert "/results/assets/report.css" in text(unit)
    assert public.get("/results/assets/report.css").status_code == 200
    assert public.get(f"/results/2025-q3/province/{VINH_LONG}/").status_code == 200
    assert public.get("/results/2025-q3/unit/00070/").status_code == 404
    # the page shows what `maturity score` gives for the published values
    export = public.get("/api/v1/rounds/2025-q3/export.csv").content
    scored = score_with_the_cli(export)
    ours = next(u for u in scored["units"] if u["id"] == PHU_QUOI)
    assert engine.shown_score(ours["score"], "vi") in text(unit)


def score_with_the_cli(export: bytes) -> Any:
    import json
    import tempfile
    from pathlib import Path

    from click.testing import CliRunner

    from maturity.cli import main

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "2025-q3.csv"
        path.write_bytes(export)
        done = CliRunner().invoke(main, ["score", str(path), "--format", "json"])
    assert done.exit_code == 0, done.output
    return json.loads(done.stdout)


def people_api_push(automatic: dict[str, Any]) -> None:
    """The national systems push the automatic inputs (a machine client, not a page)."""
    from maturity.web.access import Actor
    from maturity.web.evaluation.submissions import push_automatic

    rnd = Round.objects.get(code="2025-q3")
    push_automatic(Actor("machine", VINH_LONG, label="npsp"), rnd, {PHU_QUOI: automatic})


def test_consistency_checks_show_once_their_inputs_are_filled(open_round: Round) -> None:
    client = browser("commune")
    steps = {n: i for i, p in enumerate(spec().pillars) for n in p.inputs}
    total, with_pc = steps["officials_total"], steps["officials_with_pc"]
    check = "Số công chức có máy tính vượt mẫu số (Số cán bộ, công chức, viên chức)."
    client.post(
        f"{FORM}/form/?step={with_pc}",
        {"version": "0", "action": "save", "v_officials_with_pc": "60"},
    )
    assert check not in text(client.get(f"{FORM}/form/?step={with_pc}"))  # one of two filled
    both = {"v_officials_total": "56"}
    if total == with_pc:  # one step: the form posts both
        both["v_officials_with_pc"] = "60"
    client.post(f"{FORM}/form/?step={total}", {"version": "1", "action": "save", **both})
    assert check in text(client.get(f"{FORM}/form/?step={total}"))
    assert check in text(client.get(f"{FORM}/review/"))


def test_evidence_is_uploaded_beside_its_input(open_round: Round) -> None:
    client = browser("commune")
    form = spec()
    step, name = next(
        (i, n)
        for i, p in enumerate(form.pillars)
        for ind in p.indicators
        if ind.evidence_required
        for n in ind.inputs
        if n in p.inputs
    )
    page = text(client.get(f"{FORM}/form/?step={step}"))
    assert f'name="f_{name}"' in page and "Cần minh chứng" in page
    pdf = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    done = client.post(
        f"{FORM}/form/?step={step}", {"version": "0", "action": "save", f"f_{name}": pdf}
    )
    assert done.status_code == 302
    assert "bien-ban.pdf" in text(client.get(f"{FORM}/form/?step={step}"))
    sub = Submission.objects.get(unit_id=PHU_QUOI)
    assert [(e.input, e.name) for e in sub.evidence.all()] == [(name, "bien-ban.pdf")]


def test_a_filled_workbook_becomes_the_draft_with_its_errors_at_their_cells(
    open_round: Round,
) -> None:
    import io

    import openpyxl

    from maturity.inputs.xlsx._layout import INPUT_COLUMNS

    client = browser("commune")
    blank = client.get(f"{FORM}/template.xlsx")
    assert blank.status_code == 200 and blank.content[:2] == b"PK"
    book = openpyxl.load_workbook(io.BytesIO(blank.content))
    sheet = book[book.sheetnames[1]]
    value = INPUT_COLUMNS.index("value") + 1
    rows = {str(sheet.cell(r, 1).value): r for r in range(1, sheet.max_row + 1)}
    sheet.cell(rows["population"], value).value = "12.345"
    sheet.cell(rows["officials_total"], value).value = "nhiều"
    out = io.BytesIO()
    book.save(out)
    upload = SimpleUploadedFile("phu-quoi.xlsx", out.getvalue())
    page = client.post(f"{FORM}/workbook/", {"version": "0", "workbook": upload})
    shown = text(page)
    assert "Đã đọc 2 giá trị từ tệp Excel" in shown, shown
    cell = f"{sheet.title}!{chr(ord('A') + value - 1)}{rows['officials_total']}"
    assert cell in shown  # the problem names its cell
    sub = Submission.objects.get(unit_id=PHU_QUOI)
    assert sub.values == {"population": 12345, "officials_total": "nhiều"}


PAGES = {
    "form": f"{FORM}/form/",
    "review": f"{FORM}/review/",
    "explain": f"{FORM}/explain/",
    "province": f"/rounds/2025-q3/province/{VINH_LONG}/",
    "queue": "/rounds/2025-q3/queue/",
    "verify": f"{FORM}/verify/",
    "publish": "/rounds/2025-q3/publish/",
}
# who may open each page of Phú Quới's round (GET): 200, or what they get instead
# (signed out: to the sign-in page; outside the scope: 404; inside but not theirs: 403)
SEE = {
    "public": dict.fromkeys(PAGES, 302),
    "commune": {
        **dict.fromkeys(PAGES, 200),
        "province": 404,
        "queue": 403,
        "verify": 403,
        "publish": 403,
    },
    "neighbour": {**dict.fromkeys(PAGES, 404), "queue": 403, "verify": 403, "publish": 403},
    "province": {**dict.fromkeys(PAGES, 200), "queue": 403, "verify": 403, "publish": 403},
    "far_province": {**dict.fromkeys(PAGES, 404), "queue": 403, "verify": 403, "publish": 403},
    "evaluator": dict.fromkeys(PAGES, 200),
    "author": {**dict.fromkeys(PAGES, 200), "queue": 403, "verify": 403, "publish": 403},
}


def a_draft(round: Round) -> None:
    """Phú Quới has started: a draft saved through the service, as its officer would."""
    save_values(
        actor_named("commune"),
        round,
        Unit.objects.get(id=PHU_QUOI),
        values={"population": 1000},
        not_applicable={},
        version=0,
    )


def actor_named(name: str) -> Any:
    return actor_of(User.objects.get(username=name))


@pytest.mark.parametrize("who", sorted(SEE))
def test_who_may_see_which_page(open_round: Round, who: str) -> None:
    a_draft(open_round)
    client = browser(None if who == "public" else who)
    got = {name: client.get(path).status_code for name, path in PAGES.items()}
    assert got == SEE[who]


# who may post what: the commune saves its own form; the province returns its communes';
# the evaluator verifies and publishes; nobody else
POSTS = {
    "save": (f"{FORM}/form/?step=0", {"version": "1", "action": "save", "v_population": "2"}),
    "return": (
        f"/rounds/2025-q3/province/{VINH_LONG}/",
        {"unit": PHU_QUOI, "version": "1", "comment": "x"},
    ),
    "verify": (
        f"{FORM}/verify/",
        {"version": "1", "input": "population", "value": "3", "reason": "x"},
    ),
    "publish": ("/rounds/2025-q3/publish/", {"confirm": "0"}),
}
POST = {
    "public": dict.fromkeys(POSTS, 302),
    "commune": {"save": 302, "return": 404, "verify": 403, "publish": 403},
    "neighbour": {"save": 404, "return": 404, "verify": 403, "publish": 403},
    "province": {"save": 403, "return": 422, "verify": 403, "publish": 403},
    "evaluator": {"save": 403, "return": 422, "verify": 422, "publish": 200},
    "author": {"save": 403, "return": 422, "verify": 403, "publish": 403},
}


@pytest.mark.parametrize("who", sorted(POST))
def test_who_may_post_what(open_round: Round, who: str) -> None:
    """A draft (not submitted): the province's return and the evaluator's verification are
    allowed to them but refused by the submission's state (422 on the page, with why)."""
    a_draft(open_round)
    client = browser(None if who == "public" else who)
    got = {name: client.post(path, data).status_code for name, (path, data) in POSTS.items()}
    assert got == POST[who]
    sub = Submission.objects.get(unit_id=PHU_QUOI)
    assert sub.values["population"] == (2 if who == "commune" else 1000)


@pytest.mark.parametrize("path", ["/", "/signin/", "form", "review", "province", "queue"])
def test_every_page_is_under_200_kb(open_round: Round, path: str) -> None:
    client = browser(
        "evaluator" if path in ("queue",) else "province" if path == "province" else "commune"
    )
    page = client.get(PAGES.get(path, path))
    assert page.status_code == 200
    assert len(page.content) < 200 * 1024


def test_the_ministry_opens_a_round_from_the_home_page(people: People) -> None:
    evaluator = browser("evaluator")
    page = text(evaluator.get("/"))
    assert "Mở kỳ đánh giá" in page
    bad = evaluator.post(
        "/", {"code": "có dấu", "period": "2025-Q3", "opens": "2025-08-01", "deadline": "x"}
    )
    assert bad.status_code == 422
    done = evaluator.post(
        "/",
        {"code": "2025-q3", "period": "2025-Q3", "opens": "2025-08-01", "deadline": "2099-12-31"},
    )
    assert done.status_code == 302
    rnd = Round.objects.get(code="2025-q3")
    assert rnd.period == "2025-Q3" and rnd.status == "open"
    assert "Kỳ đánh giá 2025-q3 (2025-Q3)" in text(evaluator.get("/"))
    # a commune officer sees the round and the way to its form, not the opening form
    commune = text(browser("commune").get("/"))
    assert "Mở kỳ đánh giá" not in commune and f"{FORM}/form/" in commune
    assert browser("commune").post("/", {"code": "x"}).status_code == 403


@pytest.mark.parametrize(
    ("lang", "title"), [("vi", "Đã có lỗi xảy ra"), ("en", "Something went wrong")]
)
def test_a_server_error_is_a_page_in_the_persons_language(
    people: People, monkeypatch: pytest.MonkeyPatch, lang: str, title: str
) -> None:
    from maturity.web.evaluation import selectors

    def broken(actor: Any) -> Any:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(selectors, "rounds", broken)
    client = Client(raise_request_exception=False)
    client.cookies["maturity_lang"] = lang
    page = client.get("/")
    assert page.status_code == 500
    assert f"<h1>{title}" in text(page) and "the database went away" not in text(page)


def test_results_show_the_change_since_the_previous_round(open_round: Round) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from maturity.web.evaluation.rounds import create_round, publish
    from maturity.web.evaluation.submissions import submit

    typed, _ = phu_quoi_values()
    commune, evaluator = actor_named("commune"), actor_named("evaluator")
    unit = Unit.objects.get(id=PHU_QUOI)

    def round_of(rnd: Round, values: dict[str, Any]) -> None:
        sub, _ = save_values(commune, rnd, unit, values=values, not_applicable={}, version=0)
        submit(commune, rnd, unit, version=sub.version)
        publish(evaluator, rnd)

    round_of(open_round, typed)
    first = text(browser().get(f"/results/2025-q3/unit/{PHU_QUOI}/"))
    assert "Trước và nay" not in first  # no previous round: nothing to compare with
    now = timezone.now()
    second = create_round(
        actor_named("author"),
        code="2025-q4",
        period="2025-Q4",
        opens_at=now - timedelta(days=1),
        deadline=now + timedelta(days=30),
        framework=open_round.framework,
    )
    assert second.previous_id == open_round.pk
    round_of(second, {**typed, "officials_with_pc": typed["officials_with_pc"] - 5})
    page = text(browser().get(f"/results/2025-q4/unit/{PHU_QUOI}/"))
    assert "Trước và nay" in page and "Kỳ trước (2025-Q3)" in page
