"""Fixtures of the platform tests: a database (SQLite file or PostgreSQL from
MATURITY_DATABASE_URL), the bundled framework stored once, people with each role, and a
client that talks to the API as curl would (session cookie + CSRF header, or a token)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from django.utils import timezone

from maturity.web.access import Actor
from maturity.web.accounts.services import actor_of, add_user, create_token
from maturity.web.evaluation.frameworks import register_bundled
from maturity.web.evaluation.models import Round

ROOT = Path(__file__).resolve().parents[2]
PHU_QUOI, VINH_LONG = "29611", "86"
NEIGHBOUR = "29641"  # Xã Cái Nhum, another commune of Vĩnh Long
FAR_COMMUNE, FAR_PROVINCE = "00070", "01"  # Phường Hoàn Kiếm, Hà Nội
PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(tmp_path_factory: pytest.TempPathFactory) -> None:
    """SQLite tests use a file (WAL), not shared memory, so threads write concurrently."""
    data = tmp_path_factory.mktemp("platform-data")
    settings.DATA_DIR = data
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast tests
    db = connections["default"].settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        db["TEST"]["NAME"] = str(data / "test.sqlite3")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """Store the bundled framework and its units once, outside the tests' transactions."""
    with django_db_blocker.unblock():
        register_bundled()


@pytest.fixture
def national(db: None) -> None:
    """The bundled framework and its 3,355 units (idempotent: once per database)."""
    register_bundled()


class Api:
    """The API as a client program sees it: JSON in and out, session or token."""

    def __init__(self, token: str | None = None, lang: str = "en") -> None:
        self.client = Client(enforce_csrf_checks=True)
        self.headers: dict[str, str] = {"HTTP_ACCEPT_LANGUAGE": lang}
        if token:
            self.headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"

    def login(self, name: str, password: str = PASSWORD) -> Api:
        status, body = self.post("/api/v1/auth/login", {"username": name, "password": password})
        assert status == 200, body
        self.headers["HTTP_X_CSRFTOKEN"] = body["csrf_token"]
        return self

    def call(self, method: str, path: str, body: Any = None, **extra: Any) -> tuple[int, Any]:
        kwargs: dict[str, Any] = {**self.headers, **extra}
        if body is not None:
            kwargs["data"] = json.dumps(body)
            kwargs["content_type"] = "application/json"
        response = getattr(self.client, method)(path, **kwargs)
        self.last = response
        if response.streaming:  # a file: read it whole (which closes it)
            self.downloaded = b"".join(response.streaming_content)
        kind = response.get("Content-Type", "")
        data = json.loads(response.content) if kind.startswith("application/json") else response
        return response.status_code, data

    def get(self, path: str, **extra: Any) -> tuple[int, Any]:
        return self.call("get", path, **extra)

    def put(self, path: str, body: Any) -> tuple[int, Any]:
        return self.call("put", path, body)

    def post(self, path: str, body: Any = None, **extra: Any) -> tuple[int, Any]:
        return self.call("post", path, {} if body is None else body, **extra)

    def upload(self, path: str, input: str, name: str, content: bytes) -> tuple[int, Any]:
        """A multipart upload written by hand, so the file name arrives exactly as given
        (Django's test client would strip folders from it first)."""
        b = "maturity-test-boundary"
        body = (
            (
                f'--{b}\r\nContent-Disposition: form-data; name="input"\r\n\r\n{input}\r\n'
                f'--{b}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n"
            ).encode()
            + content
            + f"\r\n--{b}--\r\n".encode()
        )
        headers: dict[str, Any] = dict(self.headers)
        response = self.client.post(
            path, body, content_type=f"multipart/form-data; boundary={b}", headers=None, **headers
        )
        return response.status_code, json.loads(response.content)


@dataclass
class People:
    """One account per role (and units around them), signed in on demand."""

    actors: dict[str, Actor] = field(default_factory=dict)
    machine_token: str = ""
    national_machine_token: str = ""

    def api(self, who: str, lang: str = "en") -> Api:
        if who == "public":
            return Api(lang=lang)
        if who == "machine":
            return Api(self.machine_token, lang)
        return Api(lang=lang).login(who)


ACCOUNTS = {
    "commune": ("commune_officer", PHU_QUOI),
    "neighbour": ("commune_officer", NEIGHBOUR),
    "far_commune": ("commune_officer", FAR_COMMUNE),
    "province": ("province_officer", VINH_LONG),
    "far_province": ("province_officer", FAR_PROVINCE),
    "evaluator": ("evaluator", None),
    "author": ("policy_author", None),
}


@pytest.fixture
def people(national: None) -> People:
    out = People()
    for name, (role, unit) in ACCOUNTS.items():
        out.actors[name] = actor_of(add_user(name, PASSWORD, role, unit))
    _, out.machine_token = create_token(out.actors["evaluator"], "npsp", "machine", VINH_LONG)
    return out


@pytest.fixture
def open_round(people: People) -> Iterator[Round]:
    now = timezone.now()
    status, body = people.api("author").post(
        "/api/v1/rounds",
        {
            "code": "2025-q3",
            "period": "2025-Q3",
            "opens_at": (now - timedelta(days=1)).isoformat(),
            "deadline": (now + timedelta(days=30)).isoformat(),
        },
    )
    assert status == 201, body
    yield Round.objects.get(code="2025-q3")


def phu_quoi_values() -> tuple[dict[str, Any], dict[str, Any]]:
    """Phú Quới's example values, split into what the commune types and what machines push."""
    import yaml

    from maturity.web.evaluation.frameworks import handle_for

    data = yaml.safe_load((ROOT / "examples" / "phu-quoi.yaml").read_text(encoding="utf-8"))
    handle = handle_for(register_bundled().digest)
    inputs = handle.inputs()
    typed = {k: v for k, v in data["values"].items() if inputs[k].source != "automatic"}
    automatic = {k: v for k, v in data["values"].items() if inputs[k].source == "automatic"}
    return typed, automatic
