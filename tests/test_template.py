"""``maturity template``: blank submissions that load empty and score once filled in.

A template is filled the way a person would: by writing a value after each ``key:`` (YAML) or
into the empty row (CSV), never by changing its structure. Filled with consistent values it
scores without a single diagnostic, for both tiers of the mini and the national framework.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import yaml
from click.testing import CliRunner

from maturity import Framework, Registry, load_submissions, score_batch
from maturity.cli import main
from maturity.framework import formula as fx
from maturity.framework.model import Input
from maturity.framework.needs import template_inputs
from maturity.i18n import pick, set_language
from maturity.render.template import GUIDE_COLUMNS, render_template
from maturity.scoring.results import MISSING, NOT_APPLICABLE, SCORED, Results

ROOT = Path(__file__).resolve().parent.parent
MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
NATIONAL_EXAMPLE = ROOT / "examples" / "national" / "submissions.csv"

Values = dict[str, float]
# framework, its manifest, its registry, consistent values by unit, a province to fill in
Case = tuple[Framework, Path, Registry, Callable[[], dict[str, Values]], str]

# --------------------------------------------------------------------------- filling helpers


def valid_value(inp: Input) -> float:
    """A value that passes the input's type and range, and is positive where the range allows
    it (so no denominator is 0)."""
    if inp.type == "boolean":
        return 1.0
    if inp.type == "ordinal" and inp.choices:
        return float(max(int(k) for k in inp.choices))
    low = inp.min if inp.min is not None else (inp.max - 100 if inp.max is not None else 0.0)
    high = inp.max if inp.max is not None else low + 100
    mid = low + min((high - low) / 2, 10.0)  # modest, so parts can add up to a total
    value = float(int(mid)) if inp.type in ("integer", "ordinal") else mid
    return value if value > 0 or high <= 0 else float(high)


def _yaml_scalar(inp: Input, value: float) -> str:
    if inp.type == "boolean":
        return "true" if value else "false"
    return str(int(value)) if inp.type in ("integer", "ordinal") else repr(value)


def fill_yaml(text: str, unit: str, values: Values, fw: Framework) -> str:
    """Write the unit, the period and each value into the template's own lines."""
    out = text.replace('unit: ""', f'unit: "{unit}"', 1).replace('period: ""', 'period: "2025"', 1)

    def put(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in values:
            return match.group(0)
        return f"  {key}: {_yaml_scalar(fw.inputs[key], values[key])}"

    return re.sub(r"^  ([a-z][a-z0-9_]*):$", put, out, flags=re.MULTILINE)


def fill_csv(text: str, rows: list[tuple[str, Values]]) -> str:
    """Fill the template's empty row once per unit (a table of many units), keeping the
    header and the '#' guide rows exactly as generated."""
    template_rows = list(csv.reader(io.StringIO(text)))
    stated, header, guide = template_rows[0], template_rows[1], template_rows[2:-1]
    empty = template_rows[-1]
    assert stated[0] in ("# locale: en", "# locale: vi")  # the number convention, stated
    assert guide and all(row[0].startswith("# ") for row in guide)
    assert empty == [""] * len(header)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(stated)
    writer.writerow(header)
    writer.writerows(guide)
    for unit, values in rows:
        cells = {"unit": unit, "period": "2025"}
        cells.update({k: f"{v:g}" if v != int(v) else str(int(v)) for k, v in values.items()})
        writer.writerow([cells.get(col, "") for col in header])
    return buf.getvalue()


def example_values(fw: Framework, registry: Registry, path: Path) -> dict[str, Values]:
    """Accepted values per unit, read from a consistent example batch."""
    batch = load_submissions([path], fw, registry)
    return {sub.unit: dict(sub.values) for sub in batch.submissions}


def family(registry: Registry, province: str) -> list[str]:
    """A province and every commune the registry puts under it."""
    return [province, *sorted(u.id for u in registry.children(province))]


class RowScope:
    """Formula scope over plain value dicts (one row per unit), for evaluating checks."""

    def __init__(self, fw: Framework, rows: list[Values], group: fx.Group | None = None) -> None:
        self.fw = fw
        self.rows = rows
        self.size = len(rows)
        self.group = group

    def lookup(self, name: str) -> fx.Column:
        if name in self.fw.derived:
            return fx.evaluate(self.fw.formulas[name], self)
        present = [name in row for row in self.rows]
        values = np.array([row.get(name, 0.0) for row in self.rows], dtype=np.float64)
        status = np.array([fx.OK if p else fx.MISSING for p in present], dtype=np.uint8)
        return fx.Column(values, status)

    def children(self) -> fx.Group | None:
        return self.group


def _acceptable(inp: Input, value: float) -> bool:
    if not np.isfinite(value):
        return False
    if inp.type in ("integer", "ordinal", "boolean") and value != int(value):
        return False
    if inp.type == "boolean":
        return value in (0.0, 1.0)
    if inp.type == "ordinal" and inp.choices is not None and str(int(value)) not in inp.choices:
        return False
    return (inp.min is None or value >= inp.min) and (inp.max is None or value <= inp.max)


# complex on purpose: a small solver over every kind of consistency comparison
def consistent_fill(  # noqa: C901
    fw: Framework, registry: Registry, units: list[str], known: dict[str, Values]
) -> dict[str, Values]:
    """Every input of every unit: its known value, else a valid one from its type and range;
    then the values that were not known are adjusted until every consistency check holds
    (solving each failing comparison for one adjustable input, linear solution first)."""
    values: dict[str, Values] = {}
    free: dict[str, set[str]] = {}
    for unit in units:
        tier = registry.units[unit].tier
        given = known.get(unit, {})
        values[unit] = {
            it.input.id: given.get(it.input.id, valid_value(it.input))
            for it in template_inputs(fw, tier)
        }
        free[unit] = {name for name in values[unit] if name not in given}
    children: dict[str, list[str]] = {}
    for unit in units:
        parent = registry.units[unit].parent
        if parent in values:
            children.setdefault(parent, []).append(unit)

    def scope(unit: str) -> RowScope:
        kids = children.get(unit, [])
        child = RowScope(fw, [values[k] for k in kids])
        group = fx.Group(child, np.zeros(len(kids), dtype=np.int64), 1)
        return RowScope(fw, [values[unit]], group)

    def holds(expr: fx.Expr, unit: str) -> bool:
        col = fx.evaluate(expr, scope(unit))
        return not (col.status[0] == fx.OK and col.values[0] == 0)

    def side(expr: fx.Expr, unit: str) -> float:
        col = fx.evaluate(expr, scope(unit))
        return float(col.values[0]) if col.status[0] == fx.OK else float("nan")

    for _ in range(40):
        changed = False
        for unit in sorted(units, key=lambda u: registry.units[u].tier != "commune"):
            tier = registry.units[unit].tier
            for check in fw.manifest.checks:
                expr = fw.formulas[f"check:{check.id}"]
                if tier not in check.tiers or holds(expr, unit):
                    continue
                own, _ = fx.names_used(expr)
                for name in sorted(own & free[unit]):
                    old = values[unit][name]
                    candidates: list[float] = []
                    if isinstance(expr, fx.Compare):
                        diff = fx.Binary("-", expr.left, expr.right)
                        values[unit][name] = 0.0
                        g0 = side(diff, unit)
                        values[unit][name] = 1.0
                        g1 = side(diff, unit)
                        if np.isfinite(g0) and np.isfinite(g1) and g1 != g0:
                            x = -g0 / (g1 - g0)
                            candidates += [x, float(np.floor(x)), float(np.ceil(x))]
                        values[unit][name] = old
                        candidates += [side(expr.left, unit), side(expr.right, unit)]
                    candidates.append(0.0)
                    inp = fw.inputs[name]
                    for cand in candidates:
                        if cand == old or not _acceptable(inp, cand):
                            continue
                        values[unit][name] = cand
                        if holds(expr, unit):
                            changed = True
                            break
                        values[unit][name] = old
                    if values[unit][name] != old:
                        break
        if not changed:
            break
    return values


def score_yaml_templates(
    fw: Framework, fw_path: Path, registry: Registry, units: dict[str, Values], tmp: Path
) -> Results:
    """One filled YAML template per unit, scored together."""
    paths = []
    for unit, values in units.items():
        tier = registry.units[unit].tier
        text = render_template(fw, tier, "yaml")
        filled = fill_yaml(text, unit, values, fw)
        assert filled.count("\n") == text.count("\n")  # nothing added or removed
        path = tmp / f"{unit}.yaml"
        path.write_text(filled, encoding="utf-8")
        paths.append(path)
    batch = load_submissions(paths, fw, registry)
    return score_batch(fw, batch, registry)


def _diagnostics(results: Results) -> list[str]:
    return [
        f"{d.severity} {d.code} {d.unit} {d.indicator}: {d.message}" for d in results.diagnostics
    ]


def _all_scored(results: Results, units: list[str]) -> None:
    for unit in units:
        found = results.find(unit)
        assert found is not None, unit
        tier_result, row = found
        statuses = tier_result.status[row]
        assert ((statuses == SCORED) | (statuses == NOT_APPLICABLE)).all(), (
            unit,
            [
                ind.id
                for ind, st in zip(tier_result.indicators, statuses, strict=True)
                if st != SCORED
            ],
        )
        assert tier_result.level[row] >= 1


# --------------------------------------------------------------------------- frameworks


_NATIONAL_CACHE: dict[str, tuple[dict[str, Values], str]] = {}


def _clean_national_family(fw: Framework, registry: Registry) -> tuple[dict[str, Values], str]:
    """The national example's accepted values, and the first province whose family (itself
    and its communes) draws no diagnostic there."""
    if fw.digest not in _NATIONAL_CACHE:
        batch = load_submissions([NATIONAL_EXAMPLE], fw, registry)
        results = score_batch(fw, batch, registry)
        flagged = {d.unit for d in results.diagnostics}
        provinces = sorted(u.id for u in registry.units.values() if u.tier == "province")
        clean = [p for p in provinces if not flagged & set(family(registry, p))]
        assert clean, "no province of the national example is free of diagnostics"
        by_unit = {sub.unit: dict(sub.values) for sub in batch.submissions}
        _NATIONAL_CACHE[fw.digest] = (by_unit, clean[0])
    return _NATIONAL_CACHE[fw.digest]


@pytest.fixture(params=["mini", "national"])
def case(
    request: pytest.FixtureRequest,
    mini: Framework,
    mini_registry: Registry,
) -> Case:
    """(framework, manifest, registry, consistent values of one province's family, province)."""
    if request.param == "mini":
        values = example_values(mini, mini_registry, MINI / "submissions" / "batch.csv")
        return mini, MINI / "framework.yaml", mini_registry, lambda: values, "P1"
    fw: Framework = request.getfixturevalue("national")
    registry: Registry = request.getfixturevalue("national_registry")
    by_unit, province = _clean_national_family(fw, registry)
    return fw, fw.path, registry, lambda: by_unit, province


@pytest.mark.parametrize("source", ["example", "range"])
def test_filled_yaml_templates_score_without_any_diagnostic(
    case: Case, source: str, tmp_path: Path
) -> None:
    """A province and all its communes, each in its own filled template: every value accepted,
    every indicator scored, not one diagnostic. ``example``: the values of a consistent example
    batch, gaps filled; ``range``: every value made up from its input's type and range alone."""
    fw, fw_path, registry, values, province = case
    units = family(registry, province)
    filled = consistent_fill(fw, registry, units, values() if source == "example" else {})
    results = score_yaml_templates(fw, fw_path, registry, filled, tmp_path)
    assert _diagnostics(results) == []
    _all_scored(results, units)
    for tier_result in results.tiers.values():
        for sub in tier_result.submissions:
            assert not sub.invalid
            assert set(sub.values) == {it.input.id for it in template_inputs(fw, tier_result.tier)}


def test_filled_csv_template_scores_without_any_diagnostic(case: Case, tmp_path: Path) -> None:
    fw, _, registry, values, province = case
    units = family(registry, province)
    filled = consistent_fill(fw, registry, units, values())
    paths = []
    for tier in fw.tier_ids():
        rows = [(u, filled[u]) for u in units if registry.units[u].tier == tier]
        path = tmp_path / f"{tier}.csv"
        path.write_text(fill_csv(render_template(fw, tier, "csv"), rows), encoding="utf-8")
        paths.append(path)
    results = score_batch(fw, load_submissions(paths, fw, registry), registry)
    assert _diagnostics(results) == []
    _all_scored(results, units)


# --------------------------------------------------------------------------- empty templates


@pytest.mark.parametrize("tier", ["province", "commune"])
def test_empty_yaml_template_loads(
    mini: Framework, mini_registry: Registry, tier: str, tmp_path: Path
) -> None:
    text = render_template(mini, tier, "yaml")
    doc = yaml.safe_load(text)
    assert doc["unit"] == "" and doc["period"] == "" and doc["framework"] == "mini"
    assert all(v is None for v in doc["values"].values())
    assert "not_applicable" not in doc and "evidence" not in doc  # commented out
    path = tmp_path / "blank.yaml"
    path.write_text(text, encoding="utf-8")
    batch = load_submissions([path], mini, mini_registry)
    assert [d.code for d in batch.diagnostics] == ["unit.no_id"]  # the one thing to fill first
    unit = "P1" if tier == "province" else "C11"
    path.write_text(text.replace('unit: ""', f"unit: {unit}"), encoding="utf-8")
    batch = load_submissions([path], mini, mini_registry)
    assert batch.diagnostics == []
    assert len(batch.submissions) == 1 and batch.submissions[0].values == {}
    results = score_batch(mini, batch, mini_registry)
    # a lone commune's parent is absent; a province's aggregates find no commune values
    assert {d.code for d in results.diagnostics} <= {
        "unit.parent_absent",
        "score.partial_aggregate",
    }
    found = results.find(unit)
    assert found is not None
    tier_result, row = found
    assert MISSING in tier_result.status[row]  # data gaps, not errors
    assert set(tier_result.status[row].tolist()) <= {SCORED, MISSING}
    assert not tier_result.total[row] > 0  # nothing submitted earns nothing


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_csv_template_guide_rows_describe_every_column(national: Framework, lang: str) -> None:
    set_language(lang)
    rows = list(csv.reader(io.StringIO(render_template(national, "commune", "csv"))))
    assert rows[0][0] == f"# locale: {lang}"
    header, label, unit, allowed, how = rows[1:6]
    assert rows[6] == [""] * len(header) and len(rows) == 7
    assert [r[0] for r in (label, unit, allowed, how)] == (
        ["# label", "# unit of measure", "# allowed values", "# how to count"]
        if lang == "en"
        else ["# tên chỉ tiêu", "# đơn vị tính", "# giá trị cho phép", "# cách tính"]
    )
    col = header.index("dossiers_online")
    inp = national.inputs["dossiers_online"]
    assert label[col] == (inp.label.en if lang == "en" else inp.label.vi)
    assert (
        allowed[col] == ("from 0 to " if lang == "en" else "từ 0 đến ") + allowed[col].split()[-1]
    )
    ordinal = next(
        i for i in header[2:] if i in national.inputs and national.inputs[i].type == "ordinal"
    )
    assert allowed[header.index(ordinal)].startswith("0 = ")
    assert all(len(r) == len(header) for r in rows)


def test_empty_csv_template_loads(mini: Framework, mini_registry: Registry, tmp_path: Path) -> None:
    path = tmp_path / "blank.csv"
    path.write_text(render_template(mini, "province", "csv"), encoding="utf-8")
    batch = load_submissions([path], mini, mini_registry)
    # nothing filled in: said once, nothing else is wrong with it
    assert [d.code for d in batch.diagnostics] == ["csv.no_rows"]
    assert batch.submissions == []


def test_uncommented_not_applicable_section_is_honoured(
    mini: Framework, mini_registry: Registry, tmp_path: Path
) -> None:
    values = example_values(mini, mini_registry, MINI / "submissions" / "batch.csv")
    units = consistent_fill(mini, mini_registry, family(mini_registry, "P1"), values)
    paths = []
    for unit, vals in units.items():
        text = fill_yaml(
            render_template(mini, mini_registry.units[unit].tier, "yaml"), unit, vals, mini
        )
        if unit == "P1":
            text = text.replace("# not_applicable:", "not_applicable:").replace(
                '#   SVC-03: ""', '  SVC-03: "no AI yet"'
            )
        path = tmp_path / f"{unit}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    batch = load_submissions(paths, mini, mini_registry)
    results = score_batch(mini, batch, mini_registry)
    assert _diagnostics(results) == []
    found = results.find("P1")
    assert found is not None
    col = [ind.id for ind in found[0].indicators].index("SVC-03")
    assert found[0].status[found[1], col] == NOT_APPLICABLE


# --------------------------------------------------------------------------- content


@pytest.mark.parametrize("tier", ["province", "commune"])
def test_every_input_of_the_tier_once_in_every_format(mini: Framework, tier: str) -> None:
    expected = {inp.id for inp in mini.inputs_for(tier)}
    doc = yaml.safe_load(render_template(mini, tier, "yaml"))
    assert set(doc["values"]) == expected
    header = list(csv.reader(io.StringIO(render_template(mini, tier, "csv"))))[1]
    assert header[:2] == ["unit", "period"]
    inputs = [h for h in header[2:] if h != "not_applicable"]
    assert sorted(inputs) == sorted(expected) and list(doc["values"]) == inputs
    guide = list(csv.DictReader(io.StringIO(render_template(mini, tier, "csv-guide"))))
    assert [row["input"] for row in guide] == inputs
    assert tuple(guide[0]) == GUIDE_COLUMNS


def test_national_templates_cover_every_input(national: Framework) -> None:
    for tier in national.tier_ids():
        doc = yaml.safe_load(render_template(national, tier, "yaml"))
        assert set(doc["values"]) == {inp.id for inp in national.inputs_for(tier)}


def test_comments_carry_label_unit_range_choices_and_use(mini: Framework) -> None:
    text = render_template(mini, "province", "yaml")
    block = text.split("  network_level:")[0].rsplit("  communes_with_fibre:", 1)[1]
    assert "Dedicated-network connection level" in block
    assert "from 0 to 2" in block and "2 = Connected with redundancy" in block
    assert "Used by: INF-02" in block
    assert "# ── Pillar INF: Infrastructure ──" in text
    assert "at least 0" in text and "[dossiers]" in text
    commune = render_template(mini, "commune", "yaml")
    assert "Used by: INF-01 Communes with fibre (Province)" in commune  # used by the parent
    assert "# No indicator of this tier may be declared not applicable." in commune
    assert '#   SVC-03: ""  # AI assistance' in text


def test_texts_follow_the_language(mini: Framework) -> None:
    set_language("vi")
    vi = render_template(mini, "province", "yaml")
    guide = render_template(mini, "commune", "csv-guide")
    set_language("en")
    en = render_template(mini, "province", "yaml")
    label = mini.inputs["network_level"].label
    assert pick(label, "vi") in vi and pick(label, "vi") not in en
    assert "Trụ cột" in vi and "Cách điền" in vi and "Pillar" in en
    assert "Có cáp quang" in guide and "0 = Chưa kết nối" in guide
    header, *rows = list(csv.reader(io.StringIO(guide)))
    assert header[:4] == ["mã chỉ tiêu", "tên chỉ tiêu", "đơn vị tính", "kiểu"]
    assert not {"input", "label", "type", "source"} & set(header)
    ordinal = next(row for row in rows if row[3] == "chọn một mức")
    assert ordinal[-1] in ("tự báo cáo", "tự động")
    assert yaml.safe_load(vi)["values"] == yaml.safe_load(en)["values"]


def test_guide_rows(mini: Framework) -> None:
    rows = {
        r["input"]: r
        for r in csv.DictReader(io.StringIO(render_template(mini, "province", "csv-guide")))
    }
    assert rows["network_level"]["type"] == "ordinal"
    assert (rows["network_level"]["min"], rows["network_level"]["max"]) == ("0", "2")
    assert rows["uses_ai"]["min"] == "0" and rows["uses_ai"]["max"] == "1"
    assert rows["dossiers_received"]["used_by"] == "SVC-01 SVC-02"
    assert rows["dossiers_online"]["source"] == "automatic"
    assert rows["dossiers_received"]["tiers"] == "province commune"


# --------------------------------------------------------------------------- command line


def test_cli_writes_each_format(tmp_path: Path) -> None:
    runner = CliRunner()
    fw = str(MINI / "framework.yaml")
    for fmt in ("yaml", "csv", "csv-guide"):
        out = tmp_path / f"t.{fmt}"
        result = runner.invoke(
            main, ["template", "--tier", "commune", "-f", fw, "--format", fmt, "-o", str(out)]
        )
        assert result.exit_code == 0, result.output
        assert out.read_text(encoding="utf-8")
    result = runner.invoke(main, ["template", "--tier", "province", "-f", fw, "--lang", "vi"])
    assert result.exit_code == 0 and "Mẫu bản khai" in result.stdout
    again = runner.invoke(main, ["template", "--tier", "province", "-f", fw, "--lang", "vi"])
    assert again.stdout == result.stdout  # deterministic


def test_cli_defaults_to_the_national_framework() -> None:
    result = CliRunner().invoke(main, ["template", "--tier", "commune"])
    assert result.exit_code == 0, result.output
    assert "framework: vn-2tier" in result.stdout


def test_cli_unknown_tier_is_a_usage_error() -> None:
    result = CliRunner().invoke(
        main, ["template", "--tier", "xa", "-f", str(MINI / "framework.yaml")]
    )
    assert result.exit_code == 2
    assert "'xa' is not a tier of mini (province, commune)" in result.stderr
    assert "Traceback" not in result.output
    missing = CliRunner().invoke(main, ["template"])
    assert missing.exit_code == 2


@pytest.mark.parametrize("tier", ["province", "commune"])
def test_the_yaml_template_passes_the_submission_schema(national: Framework, tier: str) -> None:
    """An editor pointed at `maturity schema submission` must not flag a blank template."""
    import jsonschema

    from maturity.framework.schemas import submission_schema

    validator = jsonschema.Draft202012Validator(submission_schema(national))
    doc = yaml.safe_load(render_template(national, tier, "yaml"))
    assert [e.message for e in validator.iter_errors(doc)] == []
    first = next(iter(doc["values"]))
    doc["values"][first] = "lots"  # and it still catches a wrong value
    errors = list(validator.iter_errors(doc))
    assert errors and all(list(e.path) == ["values", first] for e in errors)
