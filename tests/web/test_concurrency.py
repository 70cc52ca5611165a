"""Concurrent edits of one submission: optimistic locking loses no update. Real threads,
real connections (a file database on SQLite, or PostgreSQL), no test transaction around."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from maturity.web.accounts.services import actor_of, add_user, create_token
from maturity.web.audit.models import AuditEntry
from maturity.web.evaluation.frameworks import register_bundled
from maturity.web.evaluation.models import Submission

from .conftest import PASSWORD, PHU_QUOI, Api

SUB = f"/api/v1/rounds/r1/submissions/{PHU_QUOI}"
pytestmark = pytest.mark.django_db(transaction=True)


def _in_threads(count: int, work: Callable[[int], Any]) -> list[Any]:
    results: list[Any] = [None] * count
    start = threading.Barrier(count)

    def run(i: int) -> None:
        try:
            start.wait()
            results[i] = work(i)
        finally:
            connection.close()  # each thread's own connection

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@pytest.fixture
def token() -> str:
    register_bundled()
    commune = actor_of(add_user("commune", PASSWORD, "commune_officer", PHU_QUOI))
    author = actor_of(add_user("author", PASSWORD, "policy_author"))
    _, key = create_token(commune, "script", "personal")
    _, author_key = create_token(author, "script", "personal")
    status, body = Api(author_key).post(
        "/api/v1/rounds",
        {
            "code": "r1",
            "period": "2025-Q3",
            "opens_at": "2025-01-01T00:00:00+07:00",
            "deadline": "2099-01-01T00:00:00+07:00",
        },
    )
    assert status == 201, body
    assert Api(key).put(SUB, {"version": 0, "values": {"officials_total": 0}})[0] == 200
    return key


def test_two_saves_from_the_same_version_one_wins_one_is_told(token: str) -> None:
    def save(i: int) -> int:
        status, _ = Api(token).put(SUB, {"version": 1, "values": {"officials_total": 100 + i}})
        return status

    statuses = _in_threads(2, save)
    assert sorted(statuses) == [200, 409]
    sub = Submission.objects.get(unit_id=PHU_QUOI)
    winner = statuses.index(200)
    assert (sub.version, sub.values["officials_total"]) == (2, 100 + winner)


def test_read_modify_write_with_retries_loses_no_update(token: str) -> None:
    workers, rounds = 6, 5

    def add_one(i: int) -> int:
        api, conflicts = Api(token), 0
        for _ in range(rounds):
            while True:
                _, sub = api.get(SUB)
                values = dict(sub["values"])
                values["officials_total"] = int(values["officials_total"]) + 1
                status, _ = api.put(SUB, {"version": sub["version"], "values": values})
                if status == 200:
                    break
                assert status == 409
                conflicts += 1
        return conflicts

    _in_threads(workers, add_one)
    sub = Submission.objects.get(unit_id=PHU_QUOI)
    assert sub.values["officials_total"] == workers * rounds
    assert sub.version == 1 + workers * rounds
    saves = AuditEntry.objects.filter(action="submission.save").count()
    assert saves == 1 + workers * rounds  # one entry per saved change, none for a refused one


def test_a_machine_and_a_person_starting_the_same_submission_both_land() -> None:
    """The first save and the first automatic push race to create the submission."""
    from maturity.web.evaluation.models import Round

    register_bundled()
    commune = actor_of(add_user("commune", PASSWORD, "commune_officer", PHU_QUOI))
    evaluator = actor_of(add_user("evaluator", PASSWORD, "evaluator"))
    _, key = create_token(commune, "script", "personal")
    _, machine = create_token(evaluator, "npsp", "machine")
    from maturity.web.evaluation.frameworks import register_bundled as fw
    from maturity.web.evaluation.rounds import create_round

    create_round(
        evaluator,
        code="r1",
        period="2025-Q3",
        framework=fw(),
        opens_at=timezone.now() - timedelta(days=1),
        deadline=timezone.now() + timedelta(days=1),
    )

    def first(i: int) -> int:
        if i == 0:
            return Api(machine).post(
                "/api/v1/rounds/r1/automatic", {"units": {PHU_QUOI: {"dossiers_synced_npsp": 7}}}
            )[0]
        return Api(key).put(SUB, {"version": 0, "values": {"officials_total": 3}})[0]

    statuses = _in_threads(2, first)
    assert statuses[0] == 200 and statuses[1] in (200, 409)  # a person told to reload, at worst
    sub = Submission.objects.get(round=Round.objects.get(code="r1"), unit_id=PHU_QUOI)
    assert sub.automatic == {"dossiers_synced_npsp": 7}
