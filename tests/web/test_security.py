"""CSRF, sign-in throttling, hostile uploads, and a published round that no endpoint can
change."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.test import Client

from maturity.web.evaluation.models import Round, Submission, Unit, UnitResult
from maturity.web.evaluation.submissions import mark_verified, save_values, submit

from .conftest import PASSWORD, PHU_QUOI, Api, People

SUB = f"/api/v1/rounds/2025-q3/submissions/{PHU_QUOI}"
PDF = b"%PDF-1.4\n%%EOF\n"


def test_a_session_change_needs_the_csrf_token(people: People, open_round: Round) -> None:
    api = people.api("commune")
    body = {"version": 0, "values": {"officials_total": 10}}
    token = api.headers.pop("HTTP_X_CSRFTOKEN")
    status, answer = api.put(SUB, body)
    assert (status, answer["errors"][0]["code"]) == (403, "auth.csrf")
    api.headers["HTTP_X_CSRFTOKEN"] = "x" * 32
    assert api.put(SUB, body)[0] == 403
    api.headers["HTTP_X_CSRFTOKEN"] = token
    assert api.put(SUB, body)[0] == 200
    assert Submission.objects.get(unit_id=PHU_QUOI).version == 1  # only the last one wrote


def test_a_token_needs_no_csrf_and_a_wrong_token_is_401(people: People, open_round: Round) -> None:
    from maturity.web.accounts.services import create_token

    _, key = create_token(people.actors["commune"], "script", "personal")
    status, _ = Api(key).put(SUB, {"version": 0, "values": {"officials_total": 10}})
    assert status == 200
    status, body = Api("mt_nope").get(SUB)
    assert (status, body["errors"][0]["code"]) == (401, "auth.token")


def test_sign_in_is_throttled_per_user_name(people: People) -> None:
    api = Api(lang="vi")
    for _ in range(5):
        status, body = api.post("/api/v1/auth/login", {"username": "commune", "password": "no"})
        assert (status, body["errors"][0]["code"]) == (401, "auth.failed")
    status, body = api.post("/api/v1/auth/login", {"username": "commune", "password": PASSWORD})
    assert status == 429 and api.last["Retry-After"] == "900"
    assert body["errors"][0]["message"] == "đăng nhập sai quá nhiều lần; hãy thử lại sau 900 giây"
    # another person signing in from elsewhere is not locked out
    assert (
        Api().post("/api/v1/auth/login", {"username": "province", "password": PASSWORD})[0] == 200
    )


def test_sign_in_is_throttled_per_address(people: People, settings: Any) -> None:
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    api = Api()
    for name in ("a", "b", "c"):
        assert api.post("/api/v1/auth/login", {"username": name, "password": "x"})[0] == 401
    assert api.post("/api/v1/auth/login", {"username": "evaluator", "password": PASSWORD})[0] == 429


def test_a_disabled_account_cannot_sign_in(people: People) -> None:
    from maturity.web.accounts.services import disable_user

    disable_user("commune")
    assert Api().post("/api/v1/auth/login", {"username": "commune", "password": PASSWORD})[0] == 401


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
BOMB = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\0" * (60 << 20)})
TRAVERSAL = _zip({"[Content_Types].xml": b"<Types/>", "word/../../evil.sh": b"x"})


@pytest.mark.parametrize(
    ("name", "content", "status", "code"),
    [
        ("bien-ban.pdf", PDF, 201, None),
        ("bao-cao.docx", DOCX, 201, None),
        ("so-lieu.csv", "đơn vị,số\n".encode(), 201, None),
        ("../../etc/passwd.pdf", PDF, 422, "evidence.name"),
        ("..\\..\\boot.ini.pdf", PDF, 422, "evidence.name"),
        ("thu-muc/a.pdf", PDF, 422, "evidence.name"),
        ("a\u202egnp.pdf", PDF, 422, "evidence.name"),  # right-to-left override
        (".htaccess", b"deny", 422, "evidence.name"),
        ("c:evil.pdf", PDF, 422, "evidence.name"),
        ("virus.pdf", b"MZ\x90\x00\x03" + b"\x00" * 64, 422, "evidence.type"),
        ("anh.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 16, 422, "evidence.type"),
        ("nen.zip", _zip({"a.txt": b"a"}), 422, "evidence.type"),
        ("bom.docx", BOMB, 422, "evidence.archive"),
        ("thoat.docx", TRAVERSAL, 422, "evidence.archive"),
        ("hong.docx", b"PK\x03\x04 not really", 422, "evidence.archive"),
        ("rong.pdf", b"", 422, "evidence.empty"),
    ],
)
def test_uploads_are_checked_by_name_and_content(
    people: People, open_round: Round, name: str, content: bytes, status: int, code: str | None
) -> None:
    got, body = people.api("commune").upload(SUB + "/evidence", "has_fibre", name, content)
    assert got == status, body
    if code is not None:
        assert body["errors"][0]["code"] == code and body["errors"][0]["field"] == "file"


def test_oversized_uploads_are_refused(people: People, open_round: Round, settings: Any) -> None:
    settings.EVIDENCE_MAX_BYTES = 1000
    api = people.api("commune")
    status, body = api.upload(SUB + "/evidence", "has_fibre", "lon.pdf", PDF + b"0" * 2000)
    assert (status, body["errors"][0]["code"]) == (413, "evidence.too_big")
    # a body announced bigger than any evidence is refused before it is read
    client = Client()
    response = client.post(
        SUB + "/evidence",
        data=b"x",
        content_type="application/pdf",
        CONTENT_LENGTH=str(50 * 1024 * 1024),
    )
    assert response.status_code == 413


def test_a_published_round_cannot_be_changed_by_any_endpoint(
    people: People, open_round: Round
) -> None:
    unit = Unit.objects.get(id=PHU_QUOI)
    commune, evaluator = people.actors["commune"], people.actors["evaluator"]
    save_values(
        commune, open_round, unit, values={"officials_total": 12}, not_applicable={}, version=0
    )
    submit(commune, open_round, unit, version=1)
    mark_verified(evaluator, open_round, unit, version=2)
    assert people.api("evaluator").post("/api/v1/rounds/2025-q3/publish")[0] == 200
    before = _snapshot()
    attempts: list[tuple[str, str, str, Any]] = [
        ("commune", "put", SUB, {"version": 4, "values": {"officials_total": 99}}),
        ("commune", "post", SUB + "/submit", {"version": 4}),
        ("province", "post", SUB + "/return", {"version": 4, "comment": "x"}),
        ("evaluator", "post", SUB + "/return", {"version": 4, "comment": "x"}),
        (
            "evaluator",
            "post",
            SUB + "/verify",
            {"version": 4, "input": "officials_total", "value": 1, "reason": "x"},
        ),
        ("evaluator", "post", SUB + "/verified", {"version": 4}),
        ("evaluator", "post", "/api/v1/rounds/2025-q3/publish", None),
        ("evaluator", "post", "/api/v1/rounds/2025-q3/status", {"status": "closed"}),
        ("author", "post", "/api/v1/rounds/2025-q3/status", {"status": "open"}),
        (
            "machine",
            "post",
            "/api/v1/rounds/2025-q3/automatic",
            {"units": {PHU_QUOI: {"dossiers_synced_npsp": 1}}},
        ),
    ]
    for who, method, path, body in attempts:
        status, answer = people.api(who).call(method, path, body if body is not None else {})
        assert status == 409, (who, path, answer)
        assert answer["errors"][0]["code"] in ("round.published", "submission.status"), answer
    status, answer = people.api("commune").upload(SUB + "/evidence", "has_fibre", "a.pdf", PDF)
    assert status == 409
    assert _snapshot() == before


def _snapshot() -> Any:
    rounds = list(Round.objects.values_list("code", "status", "results_sha256", "export_sha256"))
    subs = list(Submission.objects.values_list("unit_id", "status", "version", "values", "read"))
    results = list(UnitResult.objects.values_list("unit_id", "score", "level", "rank"))
    return rounds, subs, results


def test_the_audit_log_refuses_changes_in_the_database(people: People) -> None:
    from django.db import DatabaseError, transaction

    from maturity.web.audit.models import AppendOnlyError, AuditEntry

    entry = AuditEntry.objects.first()
    assert entry is not None
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="x")
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        # below the model: the trigger refuses it
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditentry SET action = 'x' WHERE id = %s", [entry.pk])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "lang", "words"),
    [
        ("/api/v1/units?q=a%00b", "en", "contains a NUL character"),
        ("/api/v1/units?a%00=1", "vi", "chứa ký tự NUL"),
        ("/api/v1/units/86%00", "en", "contains a NUL character"),
        ("/signin/?next=%00", "vi", "chứa ký tự NUL"),
    ],
)
def test_a_nul_character_is_a_bad_request_not_a_server_error(
    path: str, lang: str, words: str
) -> None:
    """No text column can hold a NUL (PostgreSQL refuses it): found by the API's property
    test on PostgreSQL as a 500; it is the caller's mistake, said as such."""
    base, _, query = path.partition("?")
    response = Client().get(base, QUERY_STRING=query, headers={"accept-language": lang})
    assert response.status_code == 400
    problem = response.json()["errors"][0]
    assert problem["code"] == "request.nul" and words in problem["message"]
