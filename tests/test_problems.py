"""One located problem type, its message kept as a code and arguments: a result scored once
can be shown in either language, and shows exactly what scoring in that language shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from maturity import Framework, Registry, load_submissions, score_batch
from maturity.errors import InputError, Location, Problem
from maturity.i18n import msg, set_language
from maturity.render.results import results_document

ROOT = Path(__file__).resolve().parent.parent
SUBS = ROOT / "tests" / "fixtures" / "submissions"


def test_a_problem_carries_its_code_and_arguments() -> None:
    p = Problem.at(Location("a.csv", 3, cell="C (x)"), "value.rejected", unit="C11",
                   input="x", why=msg("value.not_number", value="abc"))  # fmt: skip
    assert (p.code, p.file, p.line, p.column, p.unit, p.input) == (
        "value.rejected", "a.csv", 3, "C (x)", "C11", "x",
    )  # fmt: skip
    assert p.text("en") == (
        "value of 'x' rejected: 'abc' is not a number. Write digits, e.g. 94.5 or 94,5."
    )
    assert p.text("vi") == (
        "giá trị của 'x' bị loại: 'abc' không phải là số. Hãy ghi số, ví dụ 94,5 hoặc 94.5."
    )
    with pytest.raises(ValueError, match="severity"):
        Problem.at(Location(), "unit.no_id", severity="fatal")


def test_a_report_sorts_the_same_in_every_language() -> None:
    problems = [
        Problem.at(Location("f.yaml", 2), "yaml.empty"),
        Problem.at(Location("f.yaml", 1), "yaml.tab"),
        Problem.at(Location("f.yaml", 1), "yaml.duplicate_key", key="a", line=1),
    ]
    orders = []
    for lang in ("en", "vi"):
        set_language(lang)
        orders.append([p.code for p in InputError(problems).problems])
    set_language("en")
    assert orders[0] == orders[1] == ["yaml.duplicate_key", "yaml.tab", "yaml.empty"]


@pytest.mark.parametrize(
    "files",
    [
        ["ambiguous.csv", "unknown-unit.csv", "orphan-commune.csv", "text-in-number.csv"],
        ["c11.yaml", "c12.json", "non-finite.csv", "ignored-values.csv"],
    ],
)
def test_scored_once_shown_in_both_languages(
    mini: Framework, mini_registry: Registry, files: list[str]
) -> None:
    """Rendering in Vietnamese a result scored in English gives the same messages as scoring
    in Vietnamese: nothing was rendered while scoring."""
    paths = [SUBS / name for name in files]
    try:
        set_language("en")
        batch = load_submissions(paths, mini, mini_registry)
        once = score_batch(mini, batch, mini_registry)
        set_language("vi")
        shown_later = results_document(once)["diagnostics"]
        batch_vi = load_submissions(paths, mini, mini_registry)
        scored_in_vi = results_document(score_batch(mini, batch_vi, mini_registry))["diagnostics"]
    finally:
        set_language("en")
    assert shown_later == scored_in_vi
    assert len(shown_later) >= 3
    english = results_document(once)["diagnostics"]
    assert [d["message"] for d in english] != [d["message"] for d in shown_later]
