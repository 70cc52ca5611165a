"""The permission matrix: every role x every endpoint x units inside and outside its scope.
A unit outside the scope is 404 (as if it did not exist); inside the scope but not the
role's to change, 403; signed out, 401. Lists and aggregates never hold another unit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from maturity.web.evaluation.evidence import upload_evidence
from maturity.web.evaluation.models import Round, Unit
from maturity.web.evaluation.submissions import save_values, submit

from .conftest import FAR_COMMUNE, NEIGHBOUR, PHU_QUOI, VINH_LONG, People

UNITS = (PHU_QUOI, NEIGHBOUR, VINH_LONG, FAR_COMMUNE)
PARENT = {PHU_QUOI: VINH_LONG, NEIGHBOUR: VINH_LONG, VINH_LONG: None, FAR_COMMUNE: "01"}
OWNER = {
    PHU_QUOI: "commune",
    NEIGHBOUR: "neighbour",
    VINH_LONG: "province",
    FAR_COMMUNE: "far_commune",
}
ROLES = ("public", "commune", "province", "evaluator", "author", "machine")
SCOPE = {"commune": PHU_QUOI, "province": VINH_LONG, "machine": VINH_LONG}
PDF = b"%PDF-1.4\n%%EOF\n"
OK = "ok"


def relation(role: str, unit: str) -> str:
    if role in ("public", "machine"):
        return role
    if role in ("evaluator", "author"):
        return "national"
    if SCOPE[role] == unit:
        return "own"
    return "child" if PARENT[unit] == SCOPE[role] else "other"


def can_read(role: str, unit: str) -> str | int:
    rel = relation(role, unit)
    return {"public": 401, "machine": 404, "other": 404}.get(rel, OK)


def can_edit(role: str, unit: str) -> str | int:
    seen = can_read(role, unit)
    if seen != OK:
        return seen
    return OK if relation(role, unit) == "own" else 403


def can_return(role: str, unit: str) -> str | int:
    seen = can_read(role, unit)
    if seen != OK:
        return seen
    rel = relation(role, unit)
    return OK if (role == "evaluator" or (role == "province" and rel == "child")) else 403


def can_verify(role: str, unit: str) -> str | int:
    seen = can_read(role, unit)
    return seen if seen != OK else (OK if role == "evaluator" else 403)


Rule = Callable[[str, str], "str | int"]
SUB = "/api/v1/rounds/2025-q3/submissions/{unit}"
UNIT_ENDPOINTS: list[tuple[str, str, Any, Rule]] = [
    ("get", SUB, None, can_read),
    ("get", SUB + "/evidence", None, can_read),
    ("get", SUB + "/evidence/{evidence}", None, can_read),
    ("get", SUB + "/result", None, can_read),
    ("get", SUB + "/explanation", None, can_read),
    ("put", SUB, {"version": 1, "values": {"officials_total": 10}}, can_edit),
    ("post", SUB + "/submit", {"version": 2}, can_edit),
    ("upload", SUB + "/evidence", None, can_edit),
    ("post", SUB + "/return", {"version": 2, "comment": "xem lại"}, can_return),
    (
        "post",
        SUB + "/verify",
        {"version": 3, "input": "officials_total", "value": 9, "reason": "biên bản"},
        can_verify,
    ),
    ("post", SUB + "/verified", {"version": 3}, can_verify),
]


def round_rule(allowed: tuple[str, ...]) -> Callable[[str], str | int]:
    def rule(role: str) -> str | int:
        if role == "public":
            return 401
        return OK if role in allowed else 403

    return rule


ROUND_ENDPOINTS: list[tuple[str, str, Any, Callable[[str], str | int]]] = [
    (
        "post",
        "/api/v1/rounds",
        {
            "code": "x-{role}",
            "period": "2025-Q4",
            "opens_at": "2025-10-01T00:00:00+07:00",
            "deadline": "2026-01-15T00:00:00+07:00",
        },
        round_rule(("author", "evaluator")),
    ),
    (
        "post",
        "/api/v1/rounds/2025-q3/status",
        {"status": "open"},
        round_rule(("author", "evaluator")),
    ),
    (
        "post",
        "/api/v1/tokens",
        {"name": "t", "kind": "machine"},
        round_rule(("author", "evaluator")),
    ),
    (
        "post",
        "/api/v1/rounds/2025-q3/automatic",
        {"units": {PHU_QUOI: {"dossiers_synced_npsp": 5}}},
        round_rule(("machine",)),
    ),
]


@pytest.fixture
def scene(people: People, open_round: Round) -> dict[str, int]:
    """Every unit of the matrix has a submission (communes submitted) and one evidence file."""
    from io import BytesIO

    evidence = {}
    for unit_id in UNITS:
        owner = people.actors[OWNER[unit_id]]
        unit = Unit.objects.get(id=unit_id)
        save_values(
            owner, open_round, unit, values={"officials_total": 12}, not_applicable={}, version=0
        )
        stored = upload_evidence(
            owner,
            open_round,
            unit,
            input="officials_total",
            name="a.pdf",
            size=len(PDF),
            content=BytesIO(PDF),
        )
        evidence[unit_id] = stored.pk
        if unit.tier == "commune":
            submit(owner, open_round, unit, version=1)
    return evidence


def _status(api: Any, method: str, path: str, body: Any) -> int:
    if method == "upload":
        status, _ = api.upload(path, "officials_total", "b.pdf", PDF)
        return int(status)
    status, _ = api.call(method, path, body)
    return int(status)


def _matches(expected: str | int, status: int) -> bool:
    if expected == OK:
        return status < 400 or status in (409, 422)  # past the permission check
    return status == expected


def test_every_role_every_endpoint_every_unit(people: People, scene: dict[str, int]) -> None:
    wrong = []
    for role in ROLES:
        api = people.api(role)
        for method, template, body, rule in UNIT_ENDPOINTS:
            for unit in UNITS:
                path = template.format(unit=unit, evidence=scene[unit])
                status = _status(api, method, path, body)
                if not _matches(rule(role, unit), status):
                    wrong.append((role, method, path, rule(role, unit), status))
        for method, path, body, round_only in ROUND_ENDPOINTS:
            payload = (
                {**body, "code": body["code"].format(role=role)}
                if body and "code" in body
                else body
            )
            status = _status(api, method, path, payload)
            if not _matches(round_only(role), status):
                wrong.append((role, method, path, round_only(role), status))
    assert wrong == [], "\n".join(map(str, wrong))


def test_only_an_evaluator_publishes(people: People, scene: dict[str, int]) -> None:
    for role in ("public", "commune", "province", "author", "machine"):
        status, _ = people.api(role).post("/api/v1/rounds/2025-q3/publish")
        assert status == (401 if role == "public" else 403), role
    status, body = people.api("evaluator").post("/api/v1/rounds/2025-q3/publish")
    assert (status, body["status"]) == (200, "published")
    # now the results are public, and only the results: submissions stay scoped
    public = people.api("public")
    assert public.get(f"/api/v1/rounds/2025-q3/submissions/{PHU_QUOI}/result")[0] == 200
    assert public.get(f"/api/v1/rounds/2025-q3/submissions/{PHU_QUOI}")[0] == 401
    assert people.api("neighbour").get(f"/api/v1/rounds/2025-q3/submissions/{PHU_QUOI}")[0] == 404
    status, ranking = public.get("/api/v1/rounds/2025-q3/ranking?tier=commune")
    assert {r["id"] for r in ranking} == {PHU_QUOI, NEIGHBOUR, FAR_COMMUNE}


def test_machine_pushes_only_inside_its_scope(people: People, open_round: Round) -> None:
    machine = people.api("machine")
    status, body = machine.post(
        "/api/v1/rounds/2025-q3/automatic", {"units": {FAR_COMMUNE: {"dossiers_synced_npsp": 5}}}
    )
    assert status == 403
    status, body = machine.post(
        "/api/v1/rounds/2025-q3/automatic", {"units": {PHU_QUOI: {"officials_total": 5}}}
    )
    assert status == 422 and body["errors"][0]["code"] == "submission.not_automatic"
    assert body["errors"][0]["field"] == "values.officials_total"


def test_lists_and_aggregates_hold_only_units_in_scope(
    people: People, scene: dict[str, int]
) -> None:
    in_scope = {
        "commune": {PHU_QUOI},
        "province": {VINH_LONG, PHU_QUOI, NEIGHBOUR},
        "evaluator": set(UNITS),
        "author": set(UNITS),
    }
    for role, allowed in in_scope.items():
        api = people.api(role)
        _, rows = api.get("/api/v1/rounds/2025-q3/submissions")
        assert {r["unit"] for r in rows} == allowed, role
        _, entries = api.get("/api/v1/audit")
        if role in ("commune", "province"):
            assert {e["unit"] for e in entries} <= allowed, role
        _, summary = api.get("/api/v1/rounds/2025-q3/summary")
        assert sum(summary["by_status"].values()) == len(allowed), role
    _, summary = people.api("commune").get("/api/v1/rounds/2025-q3/summary")
    assert summary["units"] == 1
    _, summary = people.api("province").get("/api/v1/rounds/2025-q3/summary")
    assert summary["units"] == 125  # Vĩnh Long and its 124 communes and wards
    # a province's live preview aggregates only the communes it may see (its own)
    status, record = people.api("province").get(
        f"/api/v1/rounds/2025-q3/submissions/{VINH_LONG}/result"
    )
    assert status == 200 and record["id"] == VINH_LONG
