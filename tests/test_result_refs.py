"""Formulas that read a result of the same unit: ``indicator.<id>`` (its score s ∈ [0, 1])
and ``pillar.<id>`` (its index), in dependency order, with cycles refused when loading."""

from __future__ import annotations

from pathlib import Path

import pytest

from maturity import InputError, load_framework, load_registry, load_submissions, score_batch

MANIFEST = """\
id: refs
version: "1"
effective_from: "2025-01-01"
title: {vi: Thử, en: Test}
scale: 100
missing_policy: zero
tiers:
  - {id: country, name: {vi: Nước, en: Country}}
levels:
  - {level: 1, min: 0.0, name: {vi: Một, en: One}}
  - {level: 2, min: 0.5, name: {vi: Hai, en: Two}}
pillars:
  - {id: A, name: {vi: A, en: A}, weights: {country: 1}}
  - {id: B, name: {vi: B, en: B}, weights: {country: 1}}
include: [rules.yaml]
"""

INPUTS = """\
inputs:
  - {id: x, label: {vi: x, en: x}, type: number, tiers: [country]}
  - {id: y, label: {vi: y, en: y}, type: number, tiers: [country]}
"""


def indicator(ident: str, pillar: str, formula: str, inputs: str = "[]") -> str:
    return f"""\
  - id: {ident}
    name: {{vi: {ident}, en: {ident}}}
    pillar: {pillar}
    tiers: [country]
    unit: {{vi: điểm, en: points}}
    inputs: {inputs}
    formula: "{formula}"
    method: linear
    floor: 0
    target: 1
    cutoffs: {{2: 0.2, 3: 0.4, 4: 0.6, 5: 0.8}}
    weight: 1
    remediation: {{vi: a, en: a, effort: low}}
"""


def write(tmp: Path, *indicators: str) -> Path:
    (tmp / "framework.yaml").write_text(MANIFEST, encoding="utf-8")
    rules = INPUTS + "indicators:\n" + "".join(indicators)
    (tmp / "rules.yaml").write_text(rules, encoding="utf-8")
    (tmp / "units.csv").write_text("id,name,tier,parent,type\nU1,U1,country,,c\n", "utf-8")
    (tmp / "data.csv").write_text("unit,x,y\nU1,4,9\n", encoding="utf-8")
    return tmp / "framework.yaml"


def test_a_formula_reads_an_indicator_and_a_pillar(tmp_path: Path) -> None:
    # declared before what it reads: the engine orders by dependency
    path = write(
        tmp_path,
        indicator("B-1", "B", "sqrt(indicator.A-1 * pillar.A)"),
        indicator("A-1", "A", "x / 10", "[x]"),
        indicator("A-2", "A", "y / 10", "[y]"),
    )
    fw = load_framework(path)
    assert fw.indicator_order.index("B-1") > fw.indicator_order.index("A-2")
    registry = load_registry(tmp_path / "units.csv")
    results = score_batch(fw, load_submissions([tmp_path / "data.csv"], fw, registry), registry)
    tr = results.tiers["country"]
    col = {ind.id: j for j, ind in enumerate(tr.indicators)}
    # A-1 = 0.4, A-2 = 0.9, pillar A = 0.65, B-1 = sqrt(0.4 * 0.65) = 0.5099...
    assert tr.score[0, col["B-1"]] == pytest.approx((0.4 * 0.65) ** 0.5)
    assert tr.total[0] == pytest.approx(50 * 0.65 + 50 * (0.26**0.5))


def test_a_missing_result_reads_as_missing(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        indicator("A-1", "A", "x / 10", "[x]"),
        indicator("B-1", "B", "indicator.A-1", "[]"),
    )
    (tmp_path / "data.csv").write_text("unit,x,y\nU1,,9\n", encoding="utf-8")
    fw = load_framework(path)
    registry = load_registry(tmp_path / "units.csv")
    tr = score_batch(fw, load_submissions([tmp_path / "data.csv"], fw, registry), registry)
    assert tr.tiers["country"].status[0].tolist() == [1, 1]  # both missing


@pytest.mark.parametrize(
    ("indicators", "cycle"),
    [
        ([indicator("A-1", "A", "pillar.A + x", "[x]")], "A-1 → pillar.A → A-1"),
        (
            [indicator("A-1", "A", "indicator.B-1"), indicator("B-1", "B", "indicator.A-1")],
            "A-1 → B-1 → A-1",
        ),
    ],
)
def test_cycles_are_refused_when_loading(tmp_path: Path, indicators: list[str], cycle: str) -> None:
    path = write(tmp_path, *indicators, indicator("A-9", "A", "y", "[y]"))
    with pytest.raises(InputError) as info:
        load_framework(path)
    assert f"formulas refer to each other in a cycle: {cycle}." in str(info.value)


def test_an_unknown_result_gets_a_suggestion(tmp_path: Path) -> None:
    path = write(
        tmp_path, indicator("A-1", "A", "x", "[x]"), indicator("B-1", "B", "pillar.AA * 2")
    )
    with pytest.raises(InputError) as info:
        load_framework(path)
    assert "unknown name 'pillar.AA'; did you mean 'pillar.A'?" in str(info.value)


def test_a_pillar_result_follows_its_aggregation(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        indicator("A-1", "A", "x / 10", "[x]"),
        indicator("A-2", "A", "y / 10", "[y]"),
        indicator("B-1", "B", "pillar.A"),
    )
    manifest = path.read_text(encoding="utf-8").replace(
        "weights: {country: 1}}\n  - {id: B",
        "weights: {country: 1}, aggregation: geometric, zeros: zero}\n  - {id: B",
    )
    path.write_text(manifest, encoding="utf-8")
    fw = load_framework(path)
    registry = load_registry(tmp_path / "units.csv")
    tr = score_batch(fw, load_submissions([tmp_path / "data.csv"], fw, registry), registry)
    t = tr.tiers["country"]
    col = {ind.id: j for j, ind in enumerate(t.indicators)}
    assert t.score[0, col["B-1"]] == pytest.approx((0.4 * 0.9) ** 0.5)  # 0.6, not 0.65
