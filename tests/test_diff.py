"""``maturity diff``: hand-made framework pairs with known changes and known level moves.

``tests/fixtures/diff/base`` is a copy of the mini framework; each other folder changes it:

- ``weight``: the province weight of pillar SVC 60 → 70;
- ``cutoff``: SVC-01's level-3 cut-off 40 → 55;
- ``indicators``: SVC-03 removed, INF-03 added (communes: has fibre), SVC-02 moved to SVC-05
  unchanged, INF-01 moved to INF-10 (same name, ``sum`` instead of ``count`` in its formula).

Every expected number below is worked out by hand in the comments from the rule files and
``tests/fixtures/diff/batch.csv`` (the mini batch).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from maturity import (
    Framework,
    Results,
    load_framework,
    load_registry,
    load_submissions,
    score_batch,
)
from maturity.analysis.diff import Change, Impact, diff_frameworks, impact
from maturity.cli import main
from maturity.i18n import set_language
from maturity.render.diff import diff_document, render_diff
from maturity.scoring.kernel import nominal_shares

DIFF = Path(__file__).resolve().parent / "fixtures" / "diff"
BATCH = DIFF / "batch.csv"


def fw(name: str) -> Framework:
    return load_framework(DIFF / name / "framework.yaml")


def results(framework: Framework) -> Results:
    registry = load_registry(DIFF / "base" / "units.csv")
    batch = load_submissions([BATCH], framework, registry)
    return score_batch(framework, batch, registry)


def edits(changes: list[Change]) -> list[tuple[str, str, str, str, object, object]]:
    return [(c.section, c.item, c.kind, c.field, c.old, c.new) for c in changes if not c.derived]


def run_impact(head: str) -> Impact:
    return impact(results(fw("base")), results(fw(head)))


# --------------------------------------------------------------------------- the diff itself


def test_same_framework_has_no_changes() -> None:
    d = diff_frameworks(fw("base"), fw("base"))
    assert d.changes == []
    assert "The two frameworks are the same." in render_diff(d)


def test_pillar_weight_change_and_the_shares_it_moves() -> None:
    d = diff_frameworks(fw("base"), fw("weight"))
    assert edits(d.changes) == [
        ("framework", "", "changed", "version", "1.0", "1.1-weight"),
        ("pillars", "SVC", "changed", "weights.province", 60.0, 70.0),
    ]
    # shares of the scale (100) for provinces: SVC 70/110, its children 2:1, INF 40/110
    shares = {
        (c.item, c.field): (c.old, c.new) for c in d.changes if c.derived and c.section == "pillars"
    }
    assert shares == {
        ("SVC", "share.province"): (60.0, round(7000 / 110, 6)),
        ("SVC-ON", "share.province"): (40.0, round(7000 / 110 * 2 / 3, 6)),
        ("SVC-Q", "share.province"): (20.0, round(7000 / 110 / 3, 6)),
        ("INF", "share.province"): (40.0, round(4000 / 110, 6)),
    }
    assert nominal_shares(fw("weight"), "commune") == nominal_shares(fw("base"), "commune")
    # every province indicator's nominal maximum moves with its pillar; SVC-01 is 3/4 of SVC-ON
    points = {c.item: (c.old, c.new) for c in d.changes if c.derived and c.section == "indicators"}
    assert set(points) == {"INF-01", "INF-02", "SVC-01", "SVC-02", "SVC-03"}
    assert points["SVC-01"] == (30.0, round(7000 / 110 * 2 / 3 * 3 / 4, 6))
    assert d.counts() == {"framework": {"changed": 1}, "pillars": {"changed": 1}}


def test_cutoff_change() -> None:
    d = diff_frameworks(fw("base"), fw("cutoff"))
    assert edits(d.changes) == [
        ("framework", "", "changed", "version", "1.0", "1.1-cutoff"),
        ("indicators", "SVC-01", "changed", "cutoffs.3", 40.0, 55.0),
    ]
    assert not any(c.derived for c in d.changes)  # a cut-off moves no weight


def test_indicators_added_removed_and_renamed() -> None:
    d = diff_frameworks(fw("base"), fw("indicators"))
    found = edits(d.changes)
    assert [e[:4] for e in found] == [
        ("framework", "", "changed", "version"),
        ("indicators", "INF-03", "added", ""),
        ("indicators", "INF-10", "renamed", "id"),  # same name, new formula
        ("indicators", "INF-10", "changed", "formula"),
        ("indicators", "SVC-03", "removed", ""),
        ("indicators", "SVC-05", "renamed", "id"),  # same formula and inputs: nothing else changed
    ]
    renamed = {c.old: c.new for c in d.changes if c.kind == "renamed"}
    assert renamed == {"INF-01": "INF-10", "SVC-02": "SVC-05"}
    formula = next(c for c in d.changes if c.field == "formula")
    assert "count(has_fibre)" in formula.old and "sum(has_fibre)" in formula.new
    # nominal maxima: SVC-01 alone in SVC-ON for provinces (40 points, was 3/4 of 40);
    # INF-02 shares communes' INF (50) with INF-03 (25, was 50)
    points = {(c.item, c.field): (c.old, c.new) for c in d.changes if c.derived}
    assert points == {
        ("SVC-01", "max_points.province"): (30.0, 40.0),
        ("INF-02", "max_points.commune"): (50.0, 25.0),
    }
    assert d.counts()["indicators"] == {"removed": 1, "added": 1, "renamed": 2, "changed": 1}


def test_rename_by_formula_when_the_name_changes_too(tmp_path: Path) -> None:
    head = tmp_path / "head"
    shutil.copytree(DIFF / "indicators", head)
    rules = head / "rules" / "svc.yaml"
    rules.write_text(
        rules.read_text(encoding="utf-8").replace("en: Overdue rate", "en: Late dossiers"),
        encoding="utf-8",
    )
    d = diff_frameworks(fw("base"), load_framework(head / "framework.yaml"))
    assert ("indicators", "SVC-05", "renamed", "id", "SVC-02", "SVC-05") in edits(d.changes)
    assert ("indicators", "SVC-05", "changed", "name.en", "Overdue rate", "Late dossiers") in edits(
        d.changes
    )


def test_formulas_compare_in_canonical_form(tmp_path: Path) -> None:
    head = tmp_path / "head"
    shutil.copytree(DIFF / "base", head)
    rules = head / "rules" / "svc.yaml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(
        text.replace(
            '"ratio(overdue, dossiers_received) * 100"',
            '"(ratio( overdue,dossiers_received ))*100"',
        ),
        encoding="utf-8",
    )
    assert diff_frameworks(fw("base"), load_framework(head / "framework.yaml")).changes == []


def test_levels_gates_checks_and_policy(tmp_path: Path) -> None:
    head = tmp_path / "head"
    shutil.copytree(DIFF / "base", head)
    manifest = head / "framework.yaml"
    text = manifest.read_text(encoding="utf-8")
    text = text.replace("{level: 3, min: 0.6,", "{level: 3, min: 0.65,")
    text = text.replace("missing_policy: zero", "missing_policy: exclude")
    text = text.replace("max_gap: 1", "max_gap: 2")
    text = text.replace("severity: error", "severity: warning")
    manifest.write_text(text, encoding="utf-8")
    found = edits(diff_frameworks(fw("base"), load_framework(manifest)).changes)
    assert found == [
        ("framework", "", "changed", "missing_policy", "zero", "exclude"),
        ("levels", "3", "changed", "min", 0.6, 0.65),
        ("gates", "weakest-pillar", "changed", "max_gap", 1, 2),
        ("checks", "online-le-received", "changed", "severity", "error", "warning"),
    ]


# --------------------------------------------------------------------------- impact


def test_impact_of_a_pillar_weight() -> None:
    imp = run_impact("weight")
    province, commune = imp.tiers
    # P1: SVC ratio 2/3·(3·0.625 + 1)/4 + 1/3·0.5 = 31/48, INF 1 → 100·(70·31/48 + 40)/110
    # P2: SVC ratio 2/3·0.15625 + 1/3·0.25 = 3/16, INF 0.75 → 100·(70·3/16 + 40·0.75)/110
    p1, p2 = 100 * (70 * 31 / 48 + 40) / 110, 100 * (70 * 3 / 16 + 30) / 110
    assert p2 == pytest.approx(39.204545, abs=1e-6)  # below the 0.4 band: level 2 → 1
    assert [(m.id, m.base_level, m.head_level) for m in province.level_moves] == [("P2", 2, 1)]
    assert (province.level_up, province.level_down) == (0, 1)
    assert province.transitions == {"2→1": 1}
    assert province.deltas["min"] == pytest.approx(p2 - 41.25, abs=1e-6)
    assert province.deltas["max"] == pytest.approx(p1 - 78.75, abs=1e-6)
    assert province.deltas["mean"] == pytest.approx((p1 + p2 - 120) / 2, abs=1e-6)
    assert [m.id for m in province.top_down] == ["P2", "P1"] and province.top_up == []
    assert province.rank_changed == 0
    inf = next(p for p in province.pillars if p["id"] == "INF")
    # INF: P1 40 → 400/11, P2 30 → 300/11
    assert inf["mean_delta"] == pytest.approx((400 / 11 + 300 / 11 - 70) / 2, abs=1e-6)
    assert commune.level_moves == [] and commune.deltas["max"] == 0 and commune.deltas["min"] == 0


def test_impact_of_a_cutoff_through_the_critical_gate() -> None:
    # SVC-01 (critical) at 50% now reaches only the level-2 cut-off (20): units at 50% online
    # (P1: 500/1000, C11: 300/600) are capped at level 2 by gate critical-l3; scores do not move
    imp = run_impact("cutoff")
    province, commune = imp.tiers
    assert [(m.id, m.base_level, m.head_level) for m in province.level_moves] == [("P1", 3, 2)]
    assert [(m.id, m.base_level, m.head_level) for m in commune.level_moves] == [("C11", 4, 2)]
    assert province.deltas["min"] == province.deltas["max"] == 0
    assert commune.level_down == 1 and commune.level_up == 0


def test_impact_of_indicators_added_and_removed() -> None:
    # P1 loses SVC-03 (AI, 1 × 10 points): SVC-ON is SVC-01 alone, 40 × 0.625 = 25 → 75 (level 3)
    # C12 gains INF-03 (fibre yes): INF (0.5 + 1)/2 × 50 = 37.5 → 87.5; INF level 3 lifts the
    # weakest-pillar cap to 4, so C12 moves 3 → 4 and overtakes C11 (84.375)
    imp = run_impact("indicators")
    province, commune = imp.tiers
    moves = {m.id: m for m in province.top_down}
    assert moves["P1"].head_score == pytest.approx(75.0) and moves["P1"].delta == pytest.approx(
        -3.75
    )
    assert province.level_moves == []
    assert [(m.id, m.base_level, m.head_level, m.head_score) for m in commune.level_moves] == [
        ("C12", 3, 4, 87.5)
    ]
    ranks = {m.id: (m.base_rank, m.head_rank) for m in commune.top_up}
    assert ranks == {"C12": (2, 1)}
    assert commune.rank_changed == 2
    assert commune.mean_abs_rank_shift == pytest.approx(2 / 3, abs=1e-6)
    assert commune.deltas["max"] == pytest.approx(12.5)


# --------------------------------------------------------------------------- rendering and CLI


def test_render_formats() -> None:
    d = diff_frameworks(fw("base"), fw("indicators"))
    imp = run_impact("indicators")
    text = render_diff(d, imp, "table")
    assert "renamed" in text and "INF-01" in text and "C12" in text and "3 → 4" in text
    md = render_diff(d, imp, "markdown")
    assert md.startswith("# Framework diff: mini 1.0 → mini 1.1-indicators")
    assert "| Section" in md
    doc = json.loads(render_diff(d, imp, "json"))
    assert doc == json.loads(json.dumps(diff_document(d, imp)))
    assert doc["summary"]["indicators"]["renamed"] == 2
    tiers = {t["tier"]: t for t in doc["impact"]["tiers"]}
    assert tiers["commune"]["levels"] == {
        "up": 1,
        "down": 0,
        "unchanged": 2,
        "transitions": {"3→4": 1},
    }
    assert tiers["commune"]["level_changes"][0]["id"] == "C12"


def test_render_in_vietnamese() -> None:
    set_language("vi")
    text = render_diff(diff_frameworks(fw("base"), fw("weight")), run_impact("weight"))
    assert text.startswith("So sánh khung: mini 1.0 → mini 1.1-weight")
    assert "Mức: 0 tăng, 1 giảm, 1 giữ nguyên." in text


def test_cli_diff() -> None:
    runner = CliRunner()
    base, head = str(DIFF / "base" / "framework.yaml"), str(DIFF / "weight" / "framework.yaml")
    res = runner.invoke(main, ["diff", base, head, "--submissions", str(BATCH), "--format", "json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    province = doc["impact"]["tiers"][0]
    assert province["level_changes"][0]["id"] == "P2"
    again = runner.invoke(
        main, ["diff", base, head, "--submissions", str(BATCH), "--format", "json"]
    )
    assert again.output == res.output  # deterministic
    plain = runner.invoke(main, ["diff", base, head])
    assert (
        plain.exit_code == 0 and "weights.province" in plain.output and "Impact" not in plain.output
    )
    missing = runner.invoke(main, ["diff", base, str(DIFF / "nowhere.yaml")])
    assert missing.exit_code == 2 and "nowhere.yaml' does not exist" in missing.output


# --------------------------------------------------------------------------- why a level moved


def test_a_level_change_names_the_gate_and_the_critical_indicator() -> None:
    # cutoff: SVC-01 (critical) at 50% is now below its level-3 cut-off (55), so gate
    # critical-l3 ("Critical indicators at level 3") holds P1 at 2; its score band is still 3
    province, commune = run_impact("cutoff").tiers
    (p1,) = province.level_moves
    assert [c.as_json() for c in p1.cause] == [
        {
            "kind": "gate",
            "gate": "critical-l3",
            "name": {"vi": "Chỉ số then chốt đạt mức 3", "en": "Critical indicators at level 3"},
            "gate_kind": "critical_indicators",
            "indicators": ["SVC-01"],
            "needed_level": 3,
        }
    ]
    (c11,) = commune.level_moves
    assert [c.gate for c in c11.cause] == ["critical-l3"]


def test_a_level_change_by_the_score_names_the_band() -> None:
    # weight: P2's score falls from 41.25 to 39.20, under the 40-point band of level 2
    (p2,) = run_impact("weight").tiers[0].level_moves
    assert [c.as_json() for c in p2.cause] == [
        {"kind": "band", "score_level": {"base": 2, "head": 1}}
    ]


def test_a_gate_released_is_named_with_what_held_the_unit(tmp_path: Path) -> None:
    # the reverse of 'cutoff': P1 was held at 2 by critical-l3 (SVC-01 below level 3) and is
    # no longer; its score band (3) is the same in both
    province, _ = impact(results(fw("cutoff")), results(fw("base"))).tiers
    (p1,) = province.level_moves
    assert (p1.base_level, p1.head_level) == (2, 3)
    assert [(c.kind, c.gate, c.indicators) for c in p1.cause] == [
        ("released", "critical-l3", ("SVC-01",))
    ]


def test_the_why_column_in_each_format_and_language() -> None:
    d = diff_frameworks(fw("base"), fw("cutoff"))
    imp = run_impact("cutoff")
    md = render_diff(d, imp, "markdown")
    assert "| Why" in md
    assert "| capped by “Critical indicators at level 3”: SVC-01 below level 3 |" in md
    doc = json.loads(render_diff(d, imp, "json"))
    change = doc["impact"]["tiers"][0]["level_changes"][0]
    assert change["cause"][0]["gate"] == "critical-l3" and change["period"] == "2025-Q3"
    losses = json.loads(render_diff(d, run_impact("weight"), "json"))["impact"]["tiers"][0]
    assert "cause" in losses["level_changes"][0] and "cause" not in losses["largest_losses"][0]
    set_language("vi")
    text = render_diff(d, imp)
    assert "Vì sao" in text
    assert "bị điều kiện chặn “Chỉ số then chốt đạt mức 3” giữ lại: SVC-01 chưa đạt mức 3" in text
    assert "critical-l3" not in text  # the gate by its name only


def test_impact_matches_units_and_periods(tmp_path: Path) -> None:
    """Two periods in one batch (Q4 a copy of Q3): each (unit, period) is compared with
    itself, so every count of the one-period impact doubles and the ranks stay those of their
    own period."""
    lines = BATCH.read_text(encoding="utf-8").splitlines()
    two = tmp_path / "two.csv"
    q4 = [line.replace("2025-Q3", "2025-Q4") for line in lines[1:]]
    two.write_text("\n".join([*lines, *q4]) + "\n", encoding="utf-8")
    registry = load_registry(DIFF / "base" / "units.csv")

    def scored(framework: Framework) -> Results:
        return score_batch(framework, load_submissions([two], framework, registry), registry)

    province, commune = impact(scored(fw("base")), scored(fw("weight"))).tiers
    assert province.periods == ["2025-Q3", "2025-Q4"]
    assert (province.compared, commune.compared) == (4, 6)  # 2 provinces, 3 communes a period
    assert [(m.id, m.period, m.base_level, m.head_level) for m in province.level_moves] == [
        ("P2", "2025-Q3", 2, 1),
        ("P2", "2025-Q4", 2, 1),
    ]
    assert province.transitions == {"2→1": 2} and province.rank_changed == 0
    assert [(m.id, m.period) for m in province.top_down] == [
        ("P2", "2025-Q3"),
        ("P2", "2025-Q4"),
        ("P1", "2025-Q3"),
        ("P1", "2025-Q4"),
    ]
    both = impact(scored(fw("base")), scored(fw("weight")))
    text = render_diff(diff_frameworks(fw("base"), fw("weight")), both)
    assert "P2 (2025-Q4)" in text


# --------------------------------------------------------------------------- from a git revision

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A tiny repository: the base framework committed, then the weight change made in the
    working tree (not committed), as a policy team's branch has it."""
    root = tmp_path / "repo"
    shutil.copytree(DIFF / "base", root / "fw")
    shutil.copy(BATCH, root / "batch.csv")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "base")
    shutil.copy(DIFF / "weight" / "framework.yaml", root / "fw" / "framework.yaml")
    monkeypatch.chdir(root)
    return root


def _diff(*args: str, lang: str = "en") -> Result:
    return CliRunner().invoke(main, ["--lang", lang, "diff", *args])


@needs_git
def test_diff_from_a_git_revision(repo: Path) -> None:
    by_files = json.loads(
        _diff(str(DIFF / "base" / "framework.yaml"), "fw/framework.yaml", "--format", "json").stdout
    )
    for args in (("HEAD", "fw/framework.yaml"), ("--base-rev", "HEAD", "fw/framework.yaml")):
        result = _diff(*args, "--submissions", "batch.csv", "--format", "json")
        assert result.exit_code == 0, result.output
        doc = json.loads(result.stdout)
        assert doc["changes"] == by_files["changes"]  # the same as from the two files
        assert doc["base"]["path"] == "HEAD:fw/framework.yaml"
        assert doc["base"]["revision"] == "HEAD" and len(doc["base"]["commit"]) == 40
        (p2,) = doc["impact"]["tiers"][0]["level_changes"]
        assert (p2["id"], p2["cause"]) == (
            "P2",
            [{"kind": "band", "score_level": {"base": 2, "head": 1}}],
        )
    text = _diff("HEAD", "fw/framework.yaml").stdout
    assert text.startswith("Framework diff: mini 1.0 (HEAD) → mini 1.1-weight\n")
    status = subprocess.run(
        ["git", "-C", str(repo), "status", "--porcelain"], capture_output=True, check=True
    )
    assert status.stdout == b" M fw/framework.yaml\n"  # nothing written in the working tree


@needs_git
@pytest.mark.parametrize(
    ("args", "en", "vi"),
    [
        (
            ("nope", "fw/framework.yaml"),
            "'nope' is neither a file nor a revision of the git repository at '.'",
            "'nope' không phải là tệp, cũng không phải phiên bản (revision) nào của kho git",
        ),
        (
            ("--base-rev", "HEAD", "fw/new.yaml"),
            "revision 'HEAD' has no file 'fw/new.yaml' (was it added since?)",
            "phiên bản 'HEAD' không có tệp 'fw/new.yaml'",
        ),
        (
            ("--base-rev", "HEAD", "fw/framework.yaml", "fw/framework.yaml"),
            "--base-rev takes the one framework to compare",
            "--base-rev chỉ đi với một khung cần so sánh",
        ),
        (("HEAD",), "name the framework to compare", "hãy nêu khung cần so sánh"),
        (
            ("fw/old.yaml", "fw/framework.yaml"),
            "'fw/old.yaml' does not exist",  # a file name is a file, not a revision
            "không có 'fw/old.yaml'",
        ),
    ],
    ids=["unknown-revision", "not-in-revision", "two-frameworks", "no-framework", "no-file"],
)
def test_diff_from_a_revision_says_what_is_wrong(
    repo: Path, args: tuple[str, ...], en: str, vi: str
) -> None:
    shutil.copy(repo / "fw" / "framework.yaml", repo / "fw" / "new.yaml")
    for lang, text in (("en", en), ("vi", vi)):
        result = _diff(*args, lang=lang)
        assert result.exit_code == 2 and text in result.output, result.output


@needs_git
def test_diff_from_a_revision_outside_a_repository(tmp_path: Path) -> None:
    shutil.copytree(DIFF / "weight", tmp_path / "fw")
    manifest = tmp_path / "fw" / "framework.yaml"
    for lang, text in (("en", "is not in a git repository"), ("vi", "không nằm trong một kho git")):
        result = _diff("--base-rev", "HEAD", str(manifest), lang=lang)
        assert result.exit_code == 2 and text in result.output, result.output


# --------------------------------------------------------------------------- goldens

GOLDEN = Path(__file__).resolve().parent / "golden" / "diff"
GOLDEN_CASES = [("table", "en"), ("table", "vi"), ("markdown", "en"), ("markdown", "vi")]


def _golden_diff(fmt: str, lang: str) -> bytes:
    """The cut-off change with its impact (a gate's why), from the repository root."""
    args = ["--lang", lang, "diff", "tests/fixtures/diff/base/framework.yaml"]
    args += ["tests/fixtures/diff/cutoff/framework.yaml", "-s", "tests/fixtures/diff/batch.csv"]
    result = CliRunner().invoke(main, [*args, "--format", fmt], prog_name="maturity")
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


@pytest.mark.parametrize(("fmt", "lang"), [*GOLDEN_CASES, ("json", "en")])
def test_golden_diff(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, fmt: str, lang: str
) -> None:
    monkeypatch.chdir(DIFF.parent.parent.parent)
    out = _golden_diff(fmt, lang)
    suffix = {"table": "txt", "markdown": "md", "json": "json"}[fmt]
    path = GOLDEN / (f"cutoff.{suffix}" if fmt == "json" else f"cutoff.{lang}.{suffix}")
    if request.config.getoption("--update-golden"):
        GOLDEN.mkdir(exist_ok=True)
        path.write_bytes(out)
        return
    assert path.exists(), f"{path} is missing: run pytest {__file__} --update-golden"
    assert out == path.read_bytes(), f"{path.name} differs; --update-golden and review"


def test_golden_diff_json_is_the_same_in_both_languages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(DIFF.parent.parent.parent)
    assert _golden_diff("json", "vi") == _golden_diff("json", "en")
