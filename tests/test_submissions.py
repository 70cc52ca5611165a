"""Reading submissions as people and spreadsheets write them, and refusing what is wrong.

``fixtures/csv`` holds one clean wide table and its spreadsheet twins (byte-order mark, ``;``
with comma decimals, tab, percent signs, blank lines, stray spaces, CRLF, long format, and all
of them at once); each must score exactly like the clean one. ``fixtures/submissions`` holds
one problem per file; each must give a located diagnostic, never an exception.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maturity import (
    Framework,
    Registry,
    load_framework,
    load_registry,
    load_submissions,
    score_batch,
)
from maturity.inputs import load as load_module
from maturity.inputs import reader as reader_module
from maturity.inputs.submissions import MAX_SUBMISSION_BYTES
from maturity.inputs.values import read_number
from maturity.render.results import results_document

TESTS = Path(__file__).resolve().parent
CSV = TESTS / "fixtures" / "csv"
SUBS = TESTS / "fixtures" / "submissions"
TWINS = ["bom", "semicolon", "tab", "percent", "blank-lines", "spaces", "crlf", "long", "excel"]

Doc = dict[str, Any]
NOT_NUMBER = "is not a number. Write digits, e.g. 94.5 or 94,5."
HUGE = "is far too large to be a real figure. Check the cell."
FIELDS = ["unit", "dossiers_received", "overdue", "network_level", "input", "value", "x", ""]


@pytest.fixture(scope="module")
def csv_fw() -> Framework:
    return load_framework(CSV / "framework.yaml")


def score_files(fw: Framework, registry: Registry, *paths: Path) -> Doc:
    batch = load_submissions(list(paths), fw, registry)
    return results_document(score_batch(fw, batch, registry))


def units_json(doc: Doc) -> str:
    return json.dumps(doc["units"], ensure_ascii=False, sort_keys=True)


def diag_summary(doc: Doc) -> list[tuple[Any, ...]]:
    """Diagnostics without where they are (rows and columns differ between twins)."""
    return [
        (d["severity"], d["code"], d["unit"], d["indicator"], d["message"])
        for d in doc["diagnostics"]
    ]


def only(doc: Doc, code: str) -> Doc:
    found: list[Doc] = [d for d in doc["diagnostics"] if d["code"] == code]
    (one,) = found
    return one


def unit(doc: Doc, unit_id: str) -> Doc:
    found: list[Doc] = [u for u in doc["units"] if u["id"] == unit_id]
    (one,) = found
    return one


def ind(u: Doc, ind_id: str) -> Doc:
    found: list[Doc] = [i for i in u["indicators"] if i["id"] == ind_id]
    (one,) = found
    return one


# --------------------------------------------------------------------------- spreadsheet twins


@pytest.fixture(scope="module")
def clean(csv_fw: Framework, mini_registry: Registry) -> Doc:
    return score_files(csv_fw, mini_registry, CSV / "clean.csv")


def test_the_clean_table_by_hand(clean: Doc) -> None:
    assert [u["id"] for u in clean["units"]] == ["P1", "P2", "C11", "C12", "C21"]
    p1 = unit(clean, "P1")
    # 617000 online of 1234567 received: 49.977...%
    assert ind(p1, "SVC-01")["value"] == pytest.approx(617000 / 1234567 * 100, abs=1e-6)
    # satisfaction 94.5, linear 50 -> 100: .89; SVC-Q (20) shared by SVC-02 and SVC-05 -> 10 each
    assert (
        ind(p1, "SVC-05")["value"],
        ind(p1, "SVC-05")["score"],
        ind(p1, "SVC-05")["points"],
    ) == (94.5, 0.89, 8.9)
    p2 = unit(clean, "P2")
    # 72.25: 22.25 / 50 = .445 -> 4.45 of 10
    assert (ind(p2, "SVC-05")["value"], ind(p2, "SVC-05")["points"]) == (72.25, 4.45)
    assert ind(unit(clean, "C21"), "SVC-05")["status"] == "missing"  # a blank cell
    assert [d for d in clean["diagnostics"] if d["severity"] != "info"] == []


@pytest.mark.parametrize("twin", TWINS)
def test_a_spreadsheet_twin_scores_like_the_clean_table(
    csv_fw: Framework, mini_registry: Registry, clean: Doc, twin: str
) -> None:
    doc = score_files(csv_fw, mini_registry, CSV / f"{twin}.csv")
    assert units_json(doc) == units_json(clean)
    assert diag_summary(doc) == diag_summary(clean)


def test_old_mac_line_endings(
    csv_fw: Framework, mini_registry: Registry, clean: Doc, tmp_path: Path
) -> None:
    path = tmp_path / "cr.csv"
    path.write_bytes((CSV / "clean.csv").read_bytes().replace(b"\n", b"\r"))
    assert units_json(score_files(csv_fw, mini_registry, path)) == units_json(clean)


def test_the_twins_really_are_what_they_say() -> None:
    raw = {name: (CSV / f"{name}.csv").read_bytes() for name in [*TWINS, "clean"]}
    assert raw["bom"].startswith(b"\xef\xbb\xbf") and raw["excel"].startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in raw["crlf"] and b"\r\n" in raw["excel"]  # not normalised by git
    assert b"\r" not in raw["clean"]
    assert b"94,5" in raw["semicolon"] and b"1.234.567" in raw["semicolon"]
    assert b"94.5%" in raw["percent"] and b"94,5%" in raw["excel"]
    assert b"\n\n" in raw["blank-lines"] and b"  ,  " in raw["spaces"]
    assert raw["long"].startswith(b"unit,period,input,value\n")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("94,5", 94.5),
        ("94.5", 94.5),
        ("1.234.567", 1234567.0),
        ("1,234,567", 1234567.0),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("0.125", 0.125),  # a thousands group never starts with 0
        ("0,125", 0.125),
        ("1234,567", 1234.567),  # nor has four digits before its first separator
        ("-1,5", -1.5),
        ("75%", 75.0),
        ("1 234", 1234.0),
    ],
)
def test_numbers_as_spreadsheets_write_them(text: str, value: float) -> None:
    assert read_number(text.rstrip("%")).value == value


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("1,234", "value.ambiguous"),
        ("-1,234", "value.ambiguous"),
        ("999,999", "value.ambiguous"),
        ("1.234", "value.ambiguous"),
        ("105.481", "value.ambiguous"),
        ("1.234.5", "value.ambiguous_groups"),
        ("1,234,5", "value.ambiguous_groups"),
    ],
)
def test_ambiguous_numbers_are_rejected(text: str, code: str) -> None:
    reading = read_number(text)
    assert reading.rejected is not None and reading.rejected.code == code


@pytest.mark.parametrize(
    "text", ["abc", "nan", "NaN", "inf", "-inf", "Infinity", "1.2.3", "--1", "", "0x1F", "1_000"]
)
def test_non_numbers_are_rejected(text: str) -> None:
    reading = read_number(text)
    assert reading.rejected is not None and reading.rejected.code == "value.not_number"


# --------------------------------------------------------------------------- one problem per file


def test_ambiguous_cell_names_file_row_and_column(mini: Framework, mini_registry: Registry) -> None:
    doc = score_files(mini, mini_registry, SUBS / "ambiguous.csv")
    d = only(doc, "value.rejected")
    assert (d["severity"], d["file"], d["line"], d["column"], d["unit"]) == (
        "error",
        "tests/fixtures/submissions/ambiguous.csv",
        2,
        "C (dossiers_received)",
        "C11",
    )
    assert d["input"] == "dossiers_received"
    assert d["message"].startswith(
        "value of 'dossiers_received' rejected: '1,000' can mean 1000 or 1: the submission does "
        "not state its number convention. State it (locale: vi"
    )
    # the rejected value is never used: both ratios over it are invalid, INF-02 still counts
    u = unit(doc, "C11")
    assert [ind(u, i)["status"] for i in ("SVC-01", "SVC-02", "INF-02")] == [
        "invalid",
        "invalid",
        "scored",
    ]
    assert u["score"] == 50.0


def test_text_in_a_numeric_cell(mini: Framework, mini_registry: Registry) -> None:
    doc = score_files(mini, mini_registry, SUBS / "text-in-number.csv")
    d = only(doc, "value.rejected")
    assert (d["line"], d["column"]) == (2, "D (dossiers_online)")
    assert d["message"] == f"value of 'dossiers_online' rejected: 'many' {NOT_NUMBER}"
    # SVC-01 invalid (0 of 25); SVC-02 12/600 = 2 % -> 18.75; INF 50 -> 68.75
    assert unit(doc, "C11")["score"] == 68.75


def test_a_duplicated_unit_keeps_the_first(mini: Framework, mini_registry: Registry) -> None:
    doc = score_files(mini, mini_registry, SUBS / "duplicate-unit.csv")
    d = only(doc, "unit.duplicate")
    assert (d["severity"], d["unit"], d["line"]) == ("error", "C11", 3)
    assert d["message"] == (
        "the unit was already submitted for period 2025-Q3 at "
        "tests/fixtures/submissions/duplicate-unit.csv:2; "
        "this duplicate is skipped."
    )
    assert unit(doc, "C11")["score"] == 84.375  # row 2's values (row 3 would give 100)


def test_an_unknown_unit_with_did_you_mean(mini: Framework, mini_registry: Registry) -> None:
    doc = score_files(mini, mini_registry, SUBS / "unknown-unit.csv")
    d = only(doc, "unit.unknown")
    assert (d["severity"], d["unit"], d["line"]) == ("error", "C111", 2)
    assert d["message"] == (
        "unknown unit 'C111': not in the unit registry. The submission is skipped. "
        "Did you mean 'C11'?"
    )
    assert [u["id"] for u in doc["units"]] == ["C11"]  # the rest of the batch is scored


def test_an_unknown_input_with_did_you_mean(mini: Framework, mini_registry: Registry) -> None:
    doc = score_files(mini, mini_registry, SUBS / "unknown-input.csv")
    d = only(doc, "csv.unknown_column")  # once per column, at the header, not once per row
    assert (d["severity"], d["line"], d["column"]) == ("warning", 1, "C (dossier_online)")
    assert d["message"] == (
        "column 'dossier_online' is not an input of this framework; its values are ignored in "
        "every row. Did you mean 'dossiers_online'?"
    )
    c11 = unit(doc, "C11")
    assert ind(c11, "SVC-01")["status"] == "missing"
    assert c11["values"] == {"submitted": 3, "used": 2, "rejected": 0, "ignored": 1}


def test_a_commune_whose_province_is_absent_is_scored_with_a_warning(
    mini: Framework, mini_registry: Registry
) -> None:
    doc = score_files(mini, mini_registry, SUBS / "orphan-commune.csv")
    d = only(doc, "unit.parent_absent")
    assert (d["severity"], d["unit"], d["line"]) == ("warning", "C11", 2)
    assert "province P1 is not in this batch" in d["message"]
    assert unit(doc, "C11")["score"] == 84.375


def test_values_that_are_ignored_are_reported(mini: Framework, mini_registry: Registry) -> None:
    doc = score_files(mini, mini_registry, SUBS / "ignored-values.csv")
    na = only(doc, "value.na_text")
    assert (na["severity"], na["column"]) == ("warning", "E (overdue)")
    other = only(doc, "value.other_tier")
    assert (other["severity"], other["column"]) == ("warning", "G (has_fibre)")
    assert other["message"] == "'has_fibre' is not submitted by a province; the value is ignored."
    assert ind(unit(doc, "P1"), "SVC-02")["status"] == "missing"


def test_rows_after_a_multi_line_cell_keep_their_line_numbers(
    mini: Framework, mini_registry: Registry
) -> None:
    doc = score_files(mini, mini_registry, SUBS / "multiline-name.csv")
    d = only(doc, "value.rejected")
    assert (d["unit"], d["line"]) == ("C12", 4)  # the quoted name spans lines 2-3


def test_per_unit_yaml_and_json_files(mini: Framework, mini_registry: Registry) -> None:
    doc = score_files(mini, mini_registry, SUBS / "c11.yaml", SUBS / "c12.json")
    # the same values as the mini batch's C11 and C12 rows
    assert [(u["id"], u["score"]) for u in doc["units"]] == [("C11", 84.375), ("C12", 75.0)]
    assert {i["file"] for i in doc["inputs"]} == {
        "tests/fixtures/submissions/c11.yaml",
        "tests/fixtures/submissions/c12.json",
    }


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the repository root, so displayed file names are stable."""
    monkeypatch.chdir(TESTS.parent)


# --------------------------------------------------------------------------- malicious input


def test_nan_inf_and_huge_numbers_in_a_csv(mini: Framework, mini_registry: Registry) -> None:
    doc = score_files(mini, mini_registry, SUBS / "non-finite.csv")
    rejected = {
        (d["unit"], d["column"]): d["message"]
        for d in doc["diagnostics"]
        if d["code"] == "value.rejected"
    }
    assert rejected == {
        (
            "C11",
            "B (dossiers_received)",
        ): f"value of 'dossiers_received' rejected: 'NaN' {NOT_NUMBER}",
        ("C11", "C (dossiers_online)"): f"value of 'dossiers_online' rejected: 'inf' {NOT_NUMBER}",
        ("C11", "D (overdue)"): f"value of 'overdue' rejected: '-inf' {NOT_NUMBER}",
        ("C12", "B (dossiers_received)"): f"value of 'dossiers_received' rejected: '1e300' {HUGE}",
        (
            "C12",
            "C (dossiers_online)",
        ): f"value of 'dossiers_online' rejected: '1{'0' * 16}' {HUGE}",
    }
    for u in doc["units"]:
        assert ind(u, "SVC-01")["status"] == "invalid"


def test_nan_inf_and_huge_numbers_in_yaml(mini: Framework, mini_registry: Registry) -> None:
    doc = score_files(mini, mini_registry, SUBS / "non-finite.yaml")
    rejected = sorted(d["message"] for d in doc["diagnostics"] if d["code"] == "value.rejected")
    assert rejected == [
        f"value of 'dossiers_online' rejected: '.inf' {NOT_NUMBER}",
        f"value of 'dossiers_received' rejected: '.nan' {NOT_NUMBER}",
        f"value of 'overdue' rejected: '1e300' {HUGE}",
    ]
    assert all(d["line"] != 0 for d in doc["diagnostics"])  # no line is null, never line 0
    assert unit(doc, "C11")["score"] == 50.0  # only INF-02 (answer 2) counts


@pytest.mark.parametrize(
    ("name", "code", "line", "message"),
    [
        (
            "nan.json",
            "json.constant",
            1,
            "NaN is not a number JSON allows. Write a number, or leave the value out.",
        ),
        (
            "python-tag.yaml",
            "yaml.tag",
            2,
            "YAML tags are not allowed (tag:yaml.org,2002:python/object/apply:os.system). "
            "Write plain values.",
        ),
        (
            "alias-bomb.yaml",
            "yaml.alias_bomb",
            1,
            "the document expands to more than 200000 values (alias expansion). "
            "Write the data out without aliases.",
        ),
    ],
)
def test_files_that_are_refused_whole(
    mini: Framework, mini_registry: Registry, name: str, code: str, line: int | None, message: str
) -> None:
    doc = score_files(mini, mini_registry, SUBS / name)
    assert doc["units"] == []
    assert [
        (d["severity"], d["code"], d["file"], d["line"], d["message"]) for d in doc["diagnostics"]
    ] == [("error", code, f"tests/fixtures/submissions/{name}", line, message)]


def test_binary_garbage(mini: Framework, mini_registry: Registry, tmp_path: Path) -> None:
    for suffix in (".csv", ".yaml", ".json"):
        path = tmp_path / f"garbage{suffix}"
        path.write_bytes(bytes(range(256)) * 8)
        doc = score_files(mini, mini_registry, path)
        assert [d["code"] for d in doc["diagnostics"]] == ["file.encoding"]
        assert (
            doc["diagnostics"][0]["message"]
            == "the file is not UTF-8 text. Save it as UTF-8 (with or without BOM)."
        )


def test_a_100_mb_yaml_file_is_refused_by_its_size(
    mini: Framework, mini_registry: Registry, tmp_path: Path
) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as fh:  # sparse: costs no disk and no time
        fh.truncate(100 * 1024 * 1024)
    assert path.stat().st_size > MAX_SUBMISSION_BYTES
    doc = score_files(mini, mini_registry, path)
    d = only(doc, "file.too_big")
    assert d["message"].startswith("the file is 104857600 bytes, larger than the limit of ")


def test_a_csv_line_beyond_the_row_bound_is_refused(
    mini: Framework, mini_registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reader_module, "MAX_LINE_CHARS", 1000)
    path = tmp_path / "long-line.csv"
    path.write_text("unit,dossiers_received\nC11,600\nC12," + "9" * 2000 + "\n", encoding="utf-8")
    doc = score_files(mini, mini_registry, path)
    d = only(doc, "csv.unreadable")
    assert (d["severity"], d["line"]) == ("error", 3)
    assert "line longer than 1000 characters" in d["message"]
    assert unit(doc, "C11")["values"]["used"] == 1  # the rows before it are read


def test_a_csv_table_over_the_old_file_cap_is_read_in_chunks(
    mini: Framework, mini_registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A table larger than the file cap (lowered here to 1 KiB, as a YAML file's) is read a
    few rows at a time, with the same result as read at once: a duplicate and a ragged row in
    later chunks, an unknown column said once."""
    batch = (
        (TESTS / "fixtures" / "mini" / "submissions" / "batch.csv")
        .read_text(encoding="utf-8")
        .splitlines()
    )
    header, rows = batch[0] + ",extra", [r + "," for r in batch[1:]]
    text = "\n".join([header, *rows, rows[2], "C12,2025-Q3,1", *rows, ""])
    path = tmp_path / "big.csv"
    path.write_text(text + "\n" * 2000, encoding="utf-8")
    whole = score_files(mini, mini_registry, path)
    monkeypatch.setattr(load_module, "MAX_SUBMISSION_BYTES", 1024)
    monkeypatch.setattr(reader_module, "ROWS_PER_CHUNK", 2)
    assert path.stat().st_size > 1024
    chunked = score_files(mini, mini_registry, path)
    assert chunked == whole
    assert [d["code"] for d in whole["diagnostics"]].count("csv.unknown_column") == 1
    assert only(whole, "csv.row_width")["line"] == len(rows) + 3
    duplicates = sorted(d["line"] for d in whole["diagnostics"] if d["code"] == "unit.duplicate")
    assert duplicates == [len(rows) + 2, *range(len(rows) + 4, 2 * len(rows) + 4)]
    assert [u["id"] for u in whole["units"]] == [u["id"] for u in chunked["units"]]
    yaml_path = tmp_path / "P1.yaml"
    yaml_path.write_text("unit: P1\nvalues:\n  dossiers_received: 1000\n" + "#" * 2000 + "\n")
    assert only(score_files(mini, mini_registry, yaml_path), "file.too_big")


def test_a_cell_beyond_the_csv_field_limit(
    mini: Framework, mini_registry: Registry, tmp_path: Path
) -> None:
    path = tmp_path / "wide-cell.csv"
    path.write_text("unit,dossiers_received\nC11," + "9" * 200_000 + "\n", encoding="utf-8")
    d = only(score_files(mini, mini_registry, path), "value.rejected")
    assert (d["severity"], d["line"], d["input"]) == ("error", 2, "dossiers_received")
    assert "the cell holds 200000 characters, more than the limit of 65536" in d["message"]


def test_deep_nesting_and_wrong_shapes(
    mini: Framework, mini_registry: Registry, tmp_path: Path
) -> None:
    cases = {
        "deep.yaml": ("[" * 100 + "]" * 100, "yaml.too_deep"),
        "list.yaml": ("- 1\n- 2\n", "sub.shape"),
        "values.json": ('{"unit": "C11", "values": [1, 2]}', "sub.shape"),
        "empty.yaml": ("", "yaml.empty"),
        "key.yaml": ("unit: C11\nvaluez: {}\n", "sub.unknown_key"),
        "dup.yaml": ("unit: C11\nunit: C12\n", "yaml.duplicate_key"),
        "empty.csv": ("\n\n", "csv.empty"),
        "nounit.csv": ("a,b\n1,2\n", "csv.no_unit_column"),
        "twice.csv": ("unit,overdue,overdue\nC11,1,2\n", "csv.duplicate_column"),
        "wide.csv": ("unit,overdue\nC11,1,2\n", "csv.row_width"),
        "sheet.xlsx": ("PK", "xlsx.unreadable"),  # read since issue 12; "PK" is no workbook
        "sheet.ods": ("PK", "file.kind_diag"),
    }
    for name, (text, code) in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        doc = score_files(mini, mini_registry, path)
        assert [d["code"] for d in doc["diagnostics"] if d["severity"] == "error"] == [code], name
    d = only(score_files(mini, mini_registry, tmp_path / "list.yaml"), "sub.shape")
    assert (
        d["message"]
        == "the submission has the wrong shape: expected a mapping (key: value), got list. "
        "The file is skipped."
    )


_CELLS = st.one_of(
    st.text(max_size=6),
    st.sampled_from(
        [
            "",
            "1",
            "2",
            "1e300",
            "nan",
            "-1",
            "1,5",
            "1.000",
            "1,234",
            "50%",
            "có",
            "N/A",
            "\x00",
            "\r",
        ]
    ),
)


@settings(
    max_examples=150,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    header=st.lists(st.sampled_from([*FIELDS, "not_applicable"]), min_size=1, max_size=5),
    rows=st.lists(
        st.tuples(st.sampled_from(["P1", "C11", "C12", "X", ""]), st.lists(_CELLS, max_size=5)),
        max_size=5,
    ),
    sep=st.sampled_from([",", ";", "\t"]),
    suffix=st.sampled_from([".csv", ".yaml", ".json"]),
)
def test_no_table_makes_the_reader_raise(
    mini: Framework,
    mini_registry: Registry,
    tmp_path: Path,
    header: list[str],
    rows: list[tuple[str, list[str]]],
    sep: str,
    suffix: str,
) -> None:
    lines = [sep.join(header)] + [sep.join([u, *cells]) for u, cells in rows]
    path = tmp_path / f"fuzz{suffix}"
    path.write_text("\n".join(lines), encoding="utf-8", newline="")
    doc = score_files(mini, mini_registry, path)  # diagnostics, never an exception
    for u in doc["units"]:
        assert u["score"] is None or 0 <= u["score"] <= 100


def test_the_csv_fixture_framework_is_the_mini_one_plus_satisfaction(
    csv_fw: Framework, mini: Framework
) -> None:
    assert {i.id for i in csv_fw.indicators} - {i.id for i in mini.indicators} == {"SVC-05"}
    assert set(csv_fw.inputs) - set(mini.inputs) == {"satisfaction"}


def test_leading_zeros_in_yaml_are_kept_not_read_as_octal(mini: Framework, tmp_path: Path) -> None:
    # YAML 1.1 reads 00070 as octal 56; the national code 00070 (Phường Hoàn Kiếm) would then
    # be scored as unit 56 (Khánh Hòa), silently
    units = tmp_path / "units.csv"
    units.write_text(
        "id,name,tier,parent,type\n01,Một,province,,\n56,Năm Sáu,province,,\n"
        "00070,Phường Bảy Mươi,commune,01,Phường\n",
        encoding="utf-8",
    )
    registry = load_registry(units)
    path = tmp_path / "00070.yaml"
    path.write_text(
        "unit: 00070\nvalues:\n  dossiers_received: 0100\n  dossiers_online: 050\n"
        "  overdue: 0\n  network_level: 02\n",
        encoding="utf-8",
    )
    doc = score_files(mini, registry, path)
    (u,) = doc["units"]
    assert (u["id"], u["tier"]) == ("00070", "commune")
    # in decimal: 50 of 100 online = 50 % (octal would give 40 of 64 = 62.5 %)
    assert ind(u, "SVC-01")["value"] == 50.0
    assert ind(u, "INF-02")["value"] == 2.0


def test_a_thousands_dot_in_a_count_is_ambiguous(mini: Framework, mini_registry: Registry) -> None:
    """'617.000' in a count: 617 or 617,000 (Vietnamese thousands dot)? Never guessed; a
    grouped '1.617.000' is unambiguous. The '#' row is a note and is skipped silently."""
    doc = score_files(mini, mini_registry, SUBS / "thousands-dot.csv")
    d = only(doc, "value.rejected")
    assert (d["unit"], d["line"], d["column"]) == ("C11", 3, "C (dossiers_received)")
    assert "'617.000' can mean 617000 or 617:" in d["message"]
    assert ind(unit(doc, "C11"), "SVC-01")["status"] == "invalid"
    # machine outputs carry the value as computed (full precision)
    share = ind(unit(doc, "C12"), "SVC-01")["value"]
    assert share == pytest.approx(100 * 300 / 1_617_000, rel=1e-12)
    assert not [x for x in doc["diagnostics"] if x["code"] in ("unit.no_id", "unit.unknown")]


def test_a_thousands_dot_in_a_yaml_string_is_ambiguous_too(
    mini: Framework, mini_registry: Registry, tmp_path: Path
) -> None:
    path = tmp_path / "c11.yaml"
    path.write_text(
        'unit: "C11"\nperiod: "2025-Q3"\nvalues:\n  dossiers_received: "617.000"\n'
        "  overdue: 12.000\n",
        encoding="utf-8",
    )
    doc = score_files(mini, mini_registry, path)
    rejected = [d for d in doc["diagnostics"] if d["code"] == "value.rejected"]
    # a YAML number is judged from its source text too: 12.000 is 12 or 12,000
    assert [(d["input"], d["line"]) for d in rejected] == [
        ("dossiers_received", 4),
        ("overdue", 5),
    ]
    assert "'12.000' can mean 12000 or 12:" in rejected[1]["message"]
    assert rejected[0]["file"].endswith("c11.yaml")
    assert {d["line"] for d in doc["diagnostics"] if d["code"] == "unit.parent_absent"} == {1}
