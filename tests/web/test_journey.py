"""The issue's "done when", through the API alone: a commune saves, uploads evidence,
submits; its province returns it; it fixes and resubmits; the evaluator verifies one value
and publishes; the published JSON equals ``maturity score`` on the exported values, byte for
byte, in both languages; the audit log shows every step."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from maturity.cli import main
from maturity.web.evaluation.models import Round

from .conftest import PHU_QUOI, VINH_LONG, People, phu_quoi_values

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
SUB = f"/api/v1/rounds/2025-q3/submissions/{PHU_QUOI}"


def test_round_from_draft_to_published_results(
    people: People, open_round: Round, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    commune, province = people.api("commune"), people.api("province")
    evaluator, machine = people.api("evaluator"), people.api("machine")
    typed, automatic = phu_quoi_values()

    status, sub = commune.get(SUB)
    assert (status, sub["status"], sub["version"]) == (200, "not_started", 0)
    # a draft with one value typed the Vietnamese way by mistake: kept, and located
    draft = {**typed, "officials_with_pc": "5,1,2"}
    status, sub = commune.put(SUB, {"version": 0, "values": draft})
    assert status == 200, sub
    assert sub["status"] == "draft" and sub["version"] == 1
    assert sub["values"]["officials_with_pc"] == "5,1,2"
    assert [p["field"] for p in sub["problems"] if p["severity"] == "error"] == [
        "values.officials_with_pc"
    ]
    status, body = commune.post(SUB + "/submit", {"version": 1})
    assert status == 422 and body["errors"][1]["field"] == "values.officials_with_pc"

    status, ev = commune.upload(SUB + "/evidence", "has_fibre", "hop-dong-cap-quang.pdf", PDF)
    assert status == 201 and ev["content_type"] == "application/pdf"
    status, got = commune.get(f"{SUB}/evidence/{ev['id']}")
    assert status == 200 and commune.downloaded == PDF
    assert got["Content-Disposition"] == 'attachment; filename="hop-dong-cap-quang.pdf"'

    status, rows = machine.post(
        "/api/v1/rounds/2025-q3/automatic", {"units": {PHU_QUOI: automatic}}
    )
    assert status == 200 and rows[0]["unit"] == PHU_QUOI

    status, sub = commune.get(SUB)
    status, sub = commune.put(SUB, {"version": sub["version"], "values": typed})
    assert sub["errors"] == 0
    status, sub = commune.post(SUB + "/submit", {"version": sub["version"]})
    assert (status, sub["status"]) == (200, "submitted")

    comment = "Số máy tính của công chức chưa khớp với biên bản kiểm kê; đề nghị rà soát."
    status, sub = province.post(SUB + "/return", {"version": sub["version"], "comment": comment})
    assert (status, sub["status"], sub["comment"]) == (200, "returned", comment)

    fixed = {**typed, "officials_with_pc": 50}
    status, sub = commune.put(SUB, {"version": sub["version"], "values": fixed})
    status, sub = commune.post(SUB + "/submit", {"version": sub["version"]})
    assert (status, sub["status"]) == (200, "submitted")

    reason = "Biên bản kiểm tra ngày 28/8/2025: 48 máy đang dùng"
    status, sub = evaluator.post(
        SUB + "/verify",
        {"version": sub["version"], "input": "officials_with_pc", "value": 48, "reason": reason},
    )
    assert status == 200, sub
    assert sub["verifications"][0]["self_assessed"] == 50 and sub["read"]["officials_with_pc"] == 48
    status, sub = evaluator.post(SUB + "/verified", {"version": sub["version"]})
    assert sub["status"] == "verified"
    status, published = evaluator.post("/api/v1/rounds/2025-q3/publish")
    assert (status, published["status"]) == (200, "published"), published

    # the published JSON is what the CLI prints for the exported values, byte for byte
    status, export = people.api("public").get("/api/v1/rounds/2025-q3/export.csv")
    assert status == 200
    name = export["Content-Disposition"].split('filename="')[1].rstrip('"')
    (tmp_path / name).write_bytes(export.content)
    monkeypatch.chdir(tmp_path)
    for lang in ("en", "vi"):
        public = people.api("public", lang)
        public.get("/api/v1/rounds/2025-q3/results")
        cli = CliRunner().invoke(main, ["score", name, "--format", "json", "--lang", lang])
        assert cli.exit_code == 0, cli.output
        assert public.last.content == cli.stdout_bytes
    lines = export.content.decode().split("\n")  # convention, header, note, row
    assert lines[0] == "# locale: en"
    assert '"officials_with_pc"' not in lines[3]
    assert ",48," in lines[3]

    status, replay = people.api("public").get("/api/v1/rounds/2025-q3/replay")
    assert status == 200 and replay["matches"]
    status, record = people.api("public").get(SUB + "/result")
    assert status == 200 and record["id"] == PHU_QUOI and record["level"] >= 1
    status, explained = people.api("public", "vi").get(SUB + "/explanation")
    assert (status, explained["unit"], explained["level"]) == (200, PHU_QUOI, record["level"])
    assert "Phú Quới" in explained["name"]

    # every step is in the audit log, with who did it
    status, entries = evaluator.get("/api/v1/audit?round=2025-q3")
    steps = [(e["action"], e["actor"]) for e in entries]
    assert steps == [
        ("round.create", "author"),
        ("submission.save", "commune"),
        ("evidence.upload", "commune"),
        ("submission.automatic", "token:npsp"),
        ("submission.save", "commune"),
        ("submission.submit", "commune"),
        ("submission.return", "province"),
        ("submission.save", "commune"),
        ("submission.submit", "commune"),
        ("submission.verify_value", "evaluator"),
        ("submission.verified", "evaluator"),
        ("round.publish", "evaluator"),
    ]
    # the commune's own view of the log holds only its unit's entries
    status, mine = commune.get("/api/v1/audit?round=2025-q3")
    assert {e["unit"] for e in mine} == {PHU_QUOI}
    # and the province sees its commune there too
    status, theirs = province.get("/api/v1/audit?round=2025-q3")
    assert {e["unit"] for e in theirs} <= {PHU_QUOI, VINH_LONG}

    # published: nothing changes any more
    status, body = commune.put(SUB, {"version": 99, "values": typed})
    assert status == 409 and body["errors"][0]["code"] == "round.published"
