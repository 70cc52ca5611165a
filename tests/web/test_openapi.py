"""The OpenAPI document: a committed snapshot (docs/schemas/platform-openapi.json, rewrite
with --update-golden after a deliberate change), and schemathesis against it: no 500, no
status or content type the document does not declare, answers that match their schemas."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from django.core.signals import request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from maturity.web.accounts.services import create_token
from maturity.web.api import api
from maturity.web.wsgi import application

from .conftest import People

SNAPSHOT = Path(__file__).resolve().parents[2] / "docs" / "schemas" / "platform-openapi.json"


def current() -> str:
    return (
        json.dumps(
            api.get_openapi_schema(path_prefix="/api"), ensure_ascii=False, indent=2, sort_keys=True
        )
        + "\n"
    )


def test_the_openapi_document_matches_its_snapshot(request: pytest.FixtureRequest) -> None:
    text = current()
    if request.config.getoption("--update-golden"):
        SNAPSHOT.write_text(text, encoding="utf-8")
    assert SNAPSHOT.exists(), "run pytest tests/web/test_openapi.py --update-golden"
    assert SNAPSHOT.read_text(encoding="utf-8") == text, "the API changed: --update-golden"


def test_the_server_serves_the_same_document(people: People) -> None:
    status, served = people.api("public").get("/api/openapi.json")
    assert status == 200 and json.dumps(served, sort_keys=True) == json.dumps(
        json.loads(current()), sort_keys=True
    )


schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture
def as_evaluator(people: People) -> Iterator[dict[str, str]]:
    """Calls in-process through the WSGI handler, as the evaluator (who reaches the most);
    Django's per-request connection clean-up is held off as its test client does."""
    _, key = create_token(people.actors["evaluator"], "fuzz", "personal")
    request_started.disconnect(close_old_connections)
    try:
        yield {"Authorization": f"Bearer {key}"}
    finally:
        request_started.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_its_contract(
    case: schemathesis.Case,  # type: ignore[type-arg]
    as_evaluator: dict[str, str],
) -> None:
    started = time.perf_counter()
    case.call_and_validate(
        headers=as_evaluator,
        checks=[
            schemathesis.checks.not_a_server_error,
            schemathesis.checks.status_code_conformance,
            schemathesis.checks.content_type_conformance,
            schemathesis.checks.response_schema_conformance,
        ],
    )
    assert time.perf_counter() - started < 5, "every answer in bounded time"
