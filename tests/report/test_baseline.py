"""Reading a saved round: every problem located, in the user's language; good files kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from maturity.errors import InputError
from maturity.i18n import set_language
from maturity.render.site import baseline_from_document, read_baseline


def _problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as info:
        read_baseline(path, display="base.json")
    return [str(p) for p in info.value.problems]


def test_a_file_that_is_not_json_is_located_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    path.write_text('{\n  "units": [\n    {"id": "86",}\n  ]\n}\n', encoding="utf-8")
    (problem,) = _problems(path)
    assert problem.startswith("base.json:3:17: not a result JSON: ")
    assert "`maturity score --format json`" in problem


def test_every_wrong_field_is_reported_with_its_path(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    doc = {
        "framework": {"id": "vn-2tier"},
        "units": [
            {"id": "86", "score": "high", "level": 1.5},
            {"score": 1.0},
            {"id": "86", "score": None},
            7,
        ],
    }
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert _problems(path) == [
        "base.json: framework: 'framework.digest' is missing; a result JSON of"
        " `maturity score --format json` has it.",
        "base.json: units[0].level: expected a whole number or null, got 1.5",
        "base.json: units[0].score: expected a number or null, got 'high'",
        "base.json: units[1].id: 'id' is missing; a result JSON of"
        " `maturity score --format json` has it.",
        "base.json: units[2].id: unit '86' appears twice",
        "base.json: units[3]: expected an object (key: value)",
    ]


def test_messages_follow_the_language(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    path.write_bytes(b"\xff\xfe not utf-8")
    set_language("vi")
    (problem,) = _problems(path)
    assert problem == (
        "base.json: tệp kỳ trước không phải văn bản UTF-8. Hãy dùng kết quả lưu bằng"
        " `maturity score --format json`."
    )


def test_a_missing_file_is_a_located_problem(tmp_path: Path) -> None:
    (problem,) = _problems(tmp_path / "absent.json")
    assert problem.startswith("base.json: cannot read the baseline: ")


def test_a_good_document_keeps_what_the_pages_compare() -> None:
    doc = {
        "framework": {"id": "vn-2tier", "version": "2025.1", "digest": "abc"},
        "units": [
            {
                "id": "86",
                "name": "Vĩnh Long",
                "tier": "province",
                "period": "2025-Q2",
                "score": 123.5,
                "level": 1,
                "rank": 34,
                "rank_in_parent": None,
                "pillars": [{"id": "GOV", "score": 10}, {"id": "INF", "score": None}],
            }
        ],
    }
    base = baseline_from_document(doc, "b.json")
    unit = base.units["86"]
    assert (unit.score, unit.level, unit.rank, unit.period) == (123.5, 1, 34, "2025-Q2")
    assert dict(unit.pillars) == {"GOV": 10.0, "INF": None}
    assert (base.digest, base.periods) == ("abc", ["2025-Q2"])
