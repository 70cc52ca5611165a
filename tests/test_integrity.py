"""Nothing misread, nothing lost: one test per class of defect that once gave a wrong score
without a word (or a traceback). Each asserts the located message a person sees, and for
several the Vietnamese one too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from maturity import Framework, Registry, load_registry, load_submissions, score_batch
from maturity.cli import main
from maturity.framework.model import Input
from maturity.i18n import set_language
from maturity.inputs.values import read_value
from maturity.render.results import render, results_document

ROOT = Path(__file__).resolve().parent.parent
PHU_QUOI = ROOT / "examples" / "phu-quoi.yaml"
MINI = "tests/fixtures/mini/framework.yaml"

Doc = dict[str, Any]


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), prog_name="maturity")


@pytest.fixture(scope="module")
def registry(national: Framework) -> Registry:
    assert national.manifest.units is not None
    return load_registry(national.path.parent / national.manifest.units)


def phu_quoi(tmp_path: Path, replace: dict[str, str], head: str = "") -> Path:
    """Phú Quới's submission with some value lines rewritten as a person might type them."""
    lines = []
    for line in PHU_QUOI.read_text(encoding="utf-8").splitlines():
        key = line.strip().split(":", 1)[0]
        changed = line.startswith("  ") and key in replace
        lines.append(f"  {key}: {replace[key]}" if changed else line)
    path = tmp_path / "phu-quoi.yaml"
    path.write_text(head + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def score(fw: Framework, registry: Registry, *paths: Path) -> Doc:
    batch = load_submissions(list(paths), fw, registry)
    return results_document(score_batch(fw, batch, registry))


def diags(doc: Doc, code: str) -> list[Doc]:
    return [d for d in doc["diagnostics"] if d["code"] == code]


# --------------------------------------------------------------------------- numbers


def test_a_thousands_dot_in_a_decimal_input_is_never_read_as_one(
    national: Framework, registry: Registry, tmp_path: Path
) -> None:
    """tslcd_bandwidth_mbps: 1.000 (one thousand, as vi-VN Excel writes it) was read as 1 and
    cost Phú Quới a level through the critical gate. Now: rejected, located, until the file
    says how it writes numbers; then read by that."""
    doc = score(national, registry, phu_quoi(tmp_path, {"tslcd_bandwidth_mbps": "1.000"}))
    (d,) = diags(doc, "value.rejected")
    assert (d["input"], d["line"], d["unit"]) == ("tslcd_bandwidth_mbps", 35, "29611")
    assert "'1.000' can mean 1000 or 1:" in d["message"]
    for locale, expected in (("vi", 1000.0), ("en", 1.0)):
        path = phu_quoi(tmp_path, {"tslcd_bandwidth_mbps": "1.000"}, f"locale: {locale}\n")
        batch = load_submissions([path], national, registry)
        assert batch.submissions[0].values["tslcd_bandwidth_mbps"] == expected
        errors = [x for x in batch.diagnostics if x.severity == "error"]
        if locale == "en":
            assert errors == []
        else:  # the rest of the file writes 168.5: under a stated decimal comma, refused
            assert errors and all("decimal mark ','" in x.message for x in errors)
            assert "tslcd_bandwidth_mbps" not in {x.input for x in errors}


def test_a_grouped_count_in_yaml_is_judged_as_written(
    national: Framework, registry: Registry, tmp_path: Path
) -> None:
    """households_total: 11.300 became 11.3 and the message quoted a value never typed. A count
    cannot be 11.3, so the only allowed reading is taken, and said."""
    path = phu_quoi(tmp_path, {"households_total": "11.300"})
    batch = load_submissions([path], national, registry)
    assert batch.submissions[0].values["households_total"] == 11300.0
    (d,) = [x for x in batch.diagnostics if x.code == "value.ambiguous_taken"]
    assert d.message == "'11.300' read as 11300: the only reading this input allows (not 11.3)."
    set_language("vi")
    try:
        batch = load_submissions([path], national, registry)
        (d,) = [x for x in batch.diagnostics if x.code == "value.ambiguous_taken"]
        assert d.message == (
            "'11.300' được hiểu là 11300: đây là cách hiểu duy nhất hợp lệ cho chỉ tiêu này "
            "(không phải 11,3)."
        )
    finally:
        set_language("en")


@pytest.mark.parametrize("word", ["yes", "on", "true", "có"])
def test_yes_no_words_fill_only_yes_no_inputs(
    national: Framework, registry: Registry, tmp_path: Path, word: str
) -> None:
    doc = score(national, registry, phu_quoi(tmp_path, {"hamlets_total": word}))
    (d,) = diags(doc, "value.rejected")
    assert d["input"] == "hamlets_total"
    assert f"'{word}' is a yes/no word, but this input is a number." in d["message"]


def test_json_true_in_a_number_input_is_rejected(
    national: Framework, registry: Registry, tmp_path: Path
) -> None:
    path = tmp_path / "pq.json"
    values = {"hamlets_total": True, "has_fibre": True, "population": 38450}
    path.write_text(json.dumps({"unit": "29611", "values": values}, indent=1), encoding="utf-8")
    doc = score(national, registry, path)
    (d,) = diags(doc, "value.rejected")
    assert (d["input"], d["line"]) == ("hamlets_total", 4)
    u = doc["units"][0]
    assert u["values"] == {"submitted": 3, "used": 2, "rejected": 1, "ignored": 0}


def test_a_percent_sign_only_on_a_percentage() -> None:
    spec = {"id": "s", "label": {"vi": "s", "en": "s"}, "type": "number", "tiers": ["t"]}
    share = Input.model_validate({**spec, "max": 1, "unit": {"vi": "tỷ lệ", "en": "share"}})
    percent = Input.model_validate({**spec, "max": 100, "unit": {"vi": "%", "en": "%"}})
    rejected = read_value("0.9%", share).rejected
    assert rejected is not None and rejected.code == "value.percent"
    assert read_value("0.9%", percent).value == 0.9
    assert read_value("89%", percent).value == 89.0


def test_a_json_duplicate_key_is_located(
    national: Framework, registry: Registry, tmp_path: Path
) -> None:
    path = tmp_path / "dup.json"
    path.write_text(
        '{"unit": "29611",\n "values": {"population": 100,\n  "population": 38450}}',
        encoding="utf-8",
    )
    doc = score(national, registry, path)
    (d,) = diags(doc, "yaml.duplicate_key")
    assert (d["file"], d["line"]) == (str(path), 3)
    assert d["message"] == "duplicate key 'population' (first at line 2). Each key may appear once."
    assert doc["units"] == []


# --------------------------------------------------------------------------- tables


def test_a_short_row_is_not_scored_from_what_is_there(
    mini: Framework, mini_registry: Registry, tmp_path: Path
) -> None:
    path = tmp_path / "short.csv"
    path.write_text(
        "unit,dossiers_received,dossiers_online,overdue,network_level\n"
        "C11,600,300,12,2\nC12,400,380,2\n",
        encoding="utf-8",
    )
    doc = score(mini, mini_registry, path)
    (d,) = diags(doc, "csv.row_width")
    assert (d["line"], d["unit"], d["severity"]) == (3, "C12", "error")
    assert d["message"].startswith("the row has 4 cells but the header has 5:")
    assert [u["id"] for u in doc["units"]] == ["C11"]


def test_rows_of_two_periods_are_kept_apart(
    mini: Framework, mini_registry: Registry, tmp_path: Path
) -> None:
    path = tmp_path / "long.csv"
    path.write_text(
        "unit,period,input,value\nC11,2025-Q3,dossiers_received,600\n"
        "C11,2025-Q4,dossiers_received,700\nC11,2025-Q3,dossiers_online,300\n",
        encoding="utf-8",
    )
    batch = load_submissions([path], mini, mini_registry)
    by_period = {sub.period: dict(sub.values) for sub in batch.submissions}
    assert by_period == {
        "2025-Q3": {"dossiers_received": 600.0, "dossiers_online": 300.0},
        "2025-Q4": {"dossiers_received": 700.0},
    }
    assert not [x for x in batch.diagnostics if x.severity == "error"]
    results = score_batch(mini, batch, mini_registry)
    assert results.periods() == ["2025-Q3", "2025-Q4"]
    q3, q4 = results.find("C11", "2025-Q3"), results.find("C11", "2025-Q4")
    assert q3 is not None and q4 is not None and q3 != q4
    assert results.find("C11") == q4  # the latest period when none is named


def test_repeated_long_format_values_same_and_conflicting(
    mini: Framework, mini_registry: Registry, tmp_path: Path
) -> None:
    """A repeated (unit, input) pair ended in a traceback; now the same value is read once
    (warning) and two different values are both rejected, each on its own line."""
    path = tmp_path / "long.csv"
    rows = [
        "unit,period,input,value",
        "C11,2025,dossiers_received,600",
        *[f"C11,2025,network_level,{v}" for v in (2, 2)],
        *[f"C11,2025,dossiers_online,{v}" for v in (300, 301)],
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = run("score", "-f", MINI, str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    same = diags(doc, "csv.duplicate_same")
    assert [(d["line"], d["input"]) for d in same] == [(4, "network_level")]
    conflict = diags(doc, "value.rejected")
    assert [(d["line"], d["input"]) for d in conflict] == [
        (5, "dossiers_online"),
        (6, "dossiers_online"),
    ]
    assert "'300' (line 5), '301' (line 6)" in conflict[0]["message"]
    (u,) = doc["units"]
    assert u["values"] == {"submitted": 5, "used": 2, "rejected": 2, "ignored": 1}


def test_a_long_format_problem_is_reported_on_its_own_line(
    mini: Framework, mini_registry: Registry, tmp_path: Path
) -> None:
    rows = ["unit,period,input,value", "C11,2025,dossiers_received,600"]
    rows += [f"C12,2025,overdue,{i}" for i in range(39)] + ["C11,2025,overdue,abc"]
    path = tmp_path / "long.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    doc = score(mini, mini_registry, path)
    rejected = [d for d in diags(doc, "value.rejected") if d["unit"] == "C11"]
    assert [(d["line"], d["input"]) for d in rejected] == [(42, "overdue")]


def test_header_cells_in_another_case_are_matched_once_per_file(
    mini: Framework, mini_registry: Registry, tmp_path: Path
) -> None:
    path = tmp_path / "case.csv"
    rows = ["unit, Dossiers_Received ,OVERDUE,network_level"]
    rows += [f"C1{i},100,{i},1" for i in (1, 2)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    doc = score(mini, mini_registry, path)
    (d,) = diags(doc, "csv.header_case")
    assert d["message"] == (
        "header cells read as input ids once case and spaces are set aside: "
        "'Dossiers_Received' → dossiers_received, 'OVERDUE' → overdue."
    )
    assert all(u["values"]["used"] == 3 for u in doc["units"])


def test_codes_excel_stripped_of_leading_zeros(
    national: Framework, registry: Registry, tmp_path: Path
) -> None:
    path = tmp_path / "stripped.csv"
    path.write_text("unit,period,population\n70,2025,18000\n1,2025,8500000\n", encoding="utf-8")
    doc = score(national, registry, path)
    assert sorted(u["id"] for u in doc["units"]) == ["00070", "01"]
    padded = diags(doc, "unit.padded")
    assert [d["message"] for d in padded] == [
        "unit code '70' read as 00070 (Phường Hoàn Kiếm): a spreadsheet dropped its leading "
        "zeros. Format the code column as text to keep them.",
        "unit code '1' read as 01 (Thành phố Hà Nội): a spreadsheet dropped its leading zeros. "
        "Format the code column as text to keep them.",
    ]
    result = run("explain", str(path), "--unit", "70")
    assert result.exit_code == 0, result.output
    assert "unit '70' read as 00070 (Phường Hoàn Kiếm)" in result.stderr


def test_a_yaml_file_whose_tier_or_name_disagree_with_the_registry(
    national: Framework, registry: Registry, tmp_path: Path
) -> None:
    path = tmp_path / "vl.yaml"
    path.write_text(
        'unit: "86"\ntier: commune\nname: Xã Phú Quới\nvalues:\n  population: 1000\n'
        "not_applicable:\n  SVC-09: ''\n",
        encoding="utf-8",
    )
    doc = score(national, registry, path)
    codes = {d["code"] for d in doc["diagnostics"] if d["unit"] == "86"}
    assert {"sub.tier_mismatch", "sub.name_mismatch"} <= codes
    (tier,) = diags(doc, "sub.tier_mismatch")
    assert tier["message"] == (
        "the file says tier 'commune', but the unit is a province in the registry. "
        "Check the unit code."
    )


def test_a_not_applicable_declaration_needs_a_reason(
    mini: Framework, mini_registry: Registry, tmp_path: Path
) -> None:
    path = tmp_path / "p2.yaml"
    path.write_text(
        'unit: "P2"\nvalues:\n  dossiers_received: 10\nnot_applicable:\n  SVC-03: ""\n',
        encoding="utf-8",
    )
    doc = score(mini, mini_registry, path)
    (d,) = diags(doc, "na.no_reason")
    assert (d["indicator"], d["line"]) == ("SVC-03", 5)


def test_a_yaml_tab_says_tab(mini: Framework, mini_registry: Registry, tmp_path: Path) -> None:
    path = tmp_path / "tab.yaml"
    path.write_text('unit: "C11"\nvalues:\n\tdossiers_received: 10\n', encoding="utf-8")
    doc = score(mini, mini_registry, path)
    (d,) = diags(doc, "yaml.tab")
    assert d["line"] == 3 and "tab character" in d["message"]


def test_a_markdown_cell_holding_a_pipe_keeps_its_row(
    mini: Framework, mini_registry: Registry, tmp_path: Path
) -> None:
    path = tmp_path / "pipe.csv"
    path.write_text("unit,network_level,a|b\nC11,2,9\n", encoding="utf-8")
    batch = load_submissions([path], mini, mini_registry)
    text = render(score_batch(mini, batch, mini_registry), "markdown")
    rows = [line for line in text.splitlines() if "csv.unknown_column" in line]
    assert len(rows) == 1
    header = next(line for line in text.splitlines() if line.startswith("| Severity"))
    assert rows[0].replace("\\|", "").count("|") == header.count("|")


def test_a_verification_file_keeps_an_unquoted_code(
    national: Framework, registry: Registry, tmp_path: Path
) -> None:
    from maturity.inputs.verification import load_verifications

    path = tmp_path / "v.yaml"
    path.write_text(
        "unit: 00070\nverified_by: Đoàn 5\ndate: '2025-08-28'\n"
        "values:\n  population: {value: 1.000, reason: checked}\n",
        encoding="utf-8",
    )
    with pytest.raises(Exception, match=r"'1\.000' can mean 1000 or 1") as info:
        load_verifications([path], national, registry)
    assert "verify.bad_value" in str(getattr(info.value, "problems", [None])[0].code)
    path.write_text(path.read_text(encoding="utf-8").replace("1.000", "1000"), encoding="utf-8")
    ver = load_verifications([path], national, registry)
    assert list(ver.items) == ["00070"]  # not octal 56, Khánh Hòa


# --------------------------------------------------------------------------- frameworks


def manifest(tmp: Path, extra: str = "", include: str = "[rules.yaml]", weight: str = "1") -> Path:
    (tmp / "rules.yaml").write_text(
        "inputs:\n  - {id: x, label: {vi: x, en: x}, type: number, tiers: [t]}\n"
        "indicators:\n  - {id: I-1, name: {vi: i, en: i}, pillar: P, tiers: [t],"
        " unit: {vi: '%', en: '%'}, inputs: [x], method: linear, floor: 0, target: 100,"
        " cutoffs: {2: 10, 3: 20, 4: 30, 5: 40}, weight: 1,"
        " remediation: {vi: r, en: r, effort: low}}\n",
        encoding="utf-8",
    )
    path = tmp / "f.yaml"
    path.write_text(
        "id: f\nversion: '1'\ntitle: {vi: f, en: f}\nscale: 100\n"
        "tiers: [{id: t, name: {vi: t, en: t}}]\n"
        "levels: [{level: 1, min: 0, name: {vi: a, en: a}}]\n"
        f"pillars: [{{id: P, name: {{vi: p, en: p}}, weights: {{t: {weight}}}}}]\n"
        f"{extra}include: {include}\n",
        encoding="utf-8",
    )
    return path


def test_an_include_outside_the_framework_is_refused_unread(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    inner = tmp_path / "fw"
    inner.mkdir()
    path = manifest(inner, include="[rules.yaml, ../secret.txt]")
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert "outside the framework's folders" in result.stderr
    assert "root:x" not in result.output


@pytest.mark.parametrize(
    ("extra", "include", "weight", "message"),
    [
        ("units: nope.csv\n", "[rules.yaml]", "1", "the unit registry 'nope.csv' does not exist"),
        ("", "[rules.yaml, f.yaml]", "1", "a manifest cannot include itself"),
        ("", "[rules.yaml]", "1.0e+308", "1e+308 is above the maximum 1000000"),
        (
            "checks:\n  - {id: c, tiers: [t], assert: 'x > 0', message: {vi: a, en: a}}\n"
            "  - {id: c, tiers: [t], assert: 'x < 9', message: {vi: a, en: a}}\n",
            "[rules.yaml]",
            "1",
            "duplicate check id 'c'",
        ),
    ],
)
def test_validate_catches_what_score_would_trip_on(
    tmp_path: Path, extra: str, include: str, weight: str, message: str
) -> None:
    result = run("validate", str(manifest(tmp_path, extra, include, weight)))
    assert result.exit_code == 1, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_validate_reads_every_row_of_the_registry(tmp_path: Path) -> None:
    (tmp_path / "units.csv").write_text(
        "id,name,tier,parent,type\nA,Alpha,t,,x\nB,Beta,t\nC,Gamma,t,Z,x\n", encoding="utf-8"
    )
    result = run("validate", str(manifest(tmp_path, "units: units.csv\n")))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:2] == [
        f"{tmp_path / 'units.csv'}:3:1: the row has 3 cells but the header has 5. "
        "Fix the row (a missing or extra separator?).",
        f"{tmp_path / 'units.csv'}:4:1: unit 'C' names parent 'Z', which is not in the registry",
    ]
