"""The value ledger: every submitted value is used, rejected or ignored, for every unit, and
the readers never raise, whatever a table or a file holds.

Tables and per-unit files are generated with random defects (ambiguous and grouped numbers,
comma decimals, percent signs, yes/no words in number inputs, text, huge numbers, blank cells,
ragged rows, unknown, duplicate, zero-stripped and blank unit ids, unknown columns, header
cells in another case, duplicate and conflicting long-format values, several periods). The
test counts, from what it generated, the values each row or file submits, and requires the
reader's ledger for it to hold that many, balanced.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maturity import Framework, Registry, load_framework, load_registry, score_batch
from maturity.errors import InputError
from maturity.framework.json_loader import load_json_text
from maturity.framework.yaml_loader import load_yaml_text
from maturity.inputs.load import load_submissions
from maturity.inputs.reader import SubmissionReader
from maturity.inputs.submissions import Batch
from maturity.render.results import results_document

TESTS = Path(__file__).resolve().parent
CSV_FW = TESTS / "fixtures" / "csv" / "framework.yaml"

REGISTRY_CSV = """id,name,tier,parent,type
01,Tỉnh Một,province,,province
02,Tỉnh Hai,province,,province
00070,Phường Bảy Mươi,commune,01,Phường
00073,Xã Bảy Ba,commune,01,Xã
00110,Xã Một Một Mười,commune,02,Xã
"""
UNIT_IDS = ["01", "02", "00070", "00073", "00110", "1", "70", "110", "99", "", "X7", "0001"]
INPUTS = [
    "dossiers_received",
    "dossiers_online",
    "overdue",
    "uses_ai",
    "has_fibre",
    "communes_with_fibre",
    "network_level",
    "satisfaction",
]
COLUMNS = [*INPUTS, "Dossiers_Received", " overdue ", "made_up", "SATISFACTION"]
CELLS = [
    "",
    " ",
    "0",
    "1",
    "2",
    "12",
    "617000",
    "1.000",
    "2.540",
    "105.481",
    "1.234.567",
    "1,234.5",
    "94,5",
    "94.5",
    "75%",
    "0.9%",
    "yes",
    "có",
    "không",
    "true",
    "n/a",
    "abc",
    "-3",
    "1e300",
    "1e3",
    "  42  ",
    "1,5",
    "x" * 70,
]


@pytest.fixture(scope="module")
def fw() -> Framework:
    return load_framework(CSV_FW)


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Registry:
    path = tmp_path_factory.mktemp("registry") / "units.csv"
    path.write_text(REGISTRY_CSV, encoding="utf-8")
    return load_registry(path)


def check_ledgers(batch: Batch, expected: dict[int, int], file: str) -> None:
    """Every generated row (by line) has one balanced ledger holding what it submitted."""
    found = {led.line: led for led in batch.ledgers if led.file == file}
    for led in batch.ledgers:
        assert led.balanced, led
        assert min(led.used, led.rejected, led.ignored) >= 0
    for line, submitted in expected.items():
        if submitted == 0 and line not in found:
            continue  # an empty row, or a row whose only cell was its unit
        assert line in found, (line, submitted, sorted(found))
        assert found[line].submitted == submitted, (line, found[line])
    for sub in batch.submissions:  # a scored unit's ledger is the one of its row or file
        assert sub.ledger is not None and sub.ledger in batch.ledgers


# --------------------------------------------------------------------------- wide tables


@st.composite
def wide_tables(draw: st.DrawFn) -> tuple[str, dict[int, int]]:
    columns = draw(st.lists(st.sampled_from(COLUMNS), min_size=1, max_size=6, unique=True))
    normalised = [c.strip().lower() for c in columns]
    if len(set(normalised)) != len(normalised):  # two columns for one input: table refused
        columns = list(dict.fromkeys(columns))[:1]
    with_period = draw(st.booleans())
    header = ["unit", *(["period"] if with_period else []), *columns]
    n_rows = draw(st.integers(0, 6))
    lines = [header]
    expected: dict[int, int] = {}
    for r in range(n_rows):
        unit = draw(st.sampled_from(UNIT_IDS))
        period = [draw(st.sampled_from(["2025", "2025-Q3", ""]))] if with_period else []
        cells = draw(st.lists(st.sampled_from(CELLS), min_size=len(columns), max_size=len(columns)))
        row = [unit, *period, *cells]
        ragged = draw(st.sampled_from([0, 0, 0, -1, 1]))
        if ragged < 0 and len(row) > 1:
            row = row[:-1]
        elif ragged > 0:
            row = [*row, draw(st.sampled_from(CELLS))]
        lines.append(row)
        first = 2 if with_period else 1
        if len(row) != len(header):
            value_cells = row[first:] if len(row) > first else []
        else:
            value_cells = row[first:]
        expected[r + 2] = sum(1 for c in value_cells if c.strip())
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(lines)
    return buf.getvalue(), expected


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(wide_tables())
def test_every_value_of_a_wide_table_is_accounted_for(
    fw: Framework, registry: Registry, table: tuple[str, dict[int, int]]
) -> None:
    text, expected = table
    reader = SubmissionReader(fw, registry)
    reader.read_csv(text, "t.csv")
    check_ledgers(reader.batch, expected, "t.csv")
    # and scoring what was read never fails either: points add up for every unit
    results = score_batch(fw, reader.batch, registry)
    for unit in results_document(results)["units"]:
        assert unit["values"]["submitted"] == sum(
            unit["values"][k] for k in ("used", "rejected", "ignored")
        )


# --------------------------------------------------------------------------- long tables


@st.composite
def long_tables(draw: st.DrawFn) -> tuple[str, dict[int, int], int]:
    n_rows = draw(st.integers(0, 10))
    lines = [["unit", "period", "input", "value"]]
    total = 0
    for _ in range(n_rows):
        row = [
            draw(st.sampled_from([*UNIT_IDS[:6], ""])),
            draw(st.sampled_from(["2025-Q3", "2025-Q4"])),
            draw(st.sampled_from(COLUMNS)),
            draw(st.sampled_from(CELLS)),
        ]
        if draw(st.integers(0, 9)) == 0:
            row = row[:3]  # ragged
        lines.append(row)
        total += 1 if len(row) == 4 and row[3].strip() else 0
        if len(row) != 4:
            total += 1 if any(c.strip() for c in row[1:]) else 0
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(lines)
    return buf.getvalue(), {}, total


@settings(max_examples=150, deadline=None)
@given(long_tables())
def test_every_value_of_a_long_table_is_accounted_for(
    fw: Framework, registry: Registry, table: tuple[str, dict[int, int], int]
) -> None:
    text, _, total = table
    reader = SubmissionReader(fw, registry)
    reader.read_csv(text, "long.csv")
    check_ledgers(reader.batch, {}, "long.csv")
    assert sum(led.submitted for led in reader.batch.ledgers) == total
    # one submission per unit and period: another period is another submission, never merged
    keys = [(s.unit, s.period) for s in reader.batch.submissions]
    assert len(keys) == len(set(keys))


# --------------------------------------------------------------------------- per-unit files


def yaml_scalar(cell: str) -> str:
    return json.dumps(cell, ensure_ascii=False) if cell.strip() != cell or not cell else cell


@st.composite
def unit_files(draw: st.DrawFn) -> tuple[str, str, int]:
    kind = draw(st.sampled_from(["yaml", "json"]))
    unit = draw(st.sampled_from(UNIT_IDS))
    names = draw(st.lists(st.sampled_from(COLUMNS), max_size=6, unique=True))
    # cells are text, but a YAML or JSON file may hold any native value in their place
    values: dict[str, object] = {
        name.strip() or "x": draw(st.sampled_from(CELLS)) for name in names
    }
    natives = draw(st.sampled_from([None, True, 12, 1.5, [1], {"v": 1}]))
    if natives is not None and names:
        values[names[0].strip() or "x"] = natives
    submitted = sum(1 for v in values.values() if not (isinstance(v, str) and not v.strip()))
    if kind == "json":
        text = json.dumps({"unit": unit, "period": "2025", "values": values}, ensure_ascii=False)
    else:
        body = "\n".join(
            f"  {json.dumps(k)}: "
            + (json.dumps(v) if not isinstance(v, str) else yaml_scalar(v) if v else '""')
            for k, v in values.items()
        )
        text = f"unit: {unit or '~'}\nperiod: 2025\nvalues:{' {}' if not values else ''}\n{body}\n"
    return kind, text, submitted


@settings(max_examples=150, deadline=None)
@given(unit_files())
def test_every_value_of_a_unit_file_is_accounted_for(
    fw: Framework, registry: Registry, generated: tuple[str, str, int]
) -> None:
    kind, text, submitted = generated
    reader = SubmissionReader(fw, registry)
    try:
        doc = load_json_text(text, "u.json") if kind == "json" else load_yaml_text(text, "u.yaml")
    except InputError:
        return  # a file that does not parse is one located error, and nothing is read
    reader.read_document(doc)
    for led in reader.batch.ledgers:
        assert led.balanced and led.submitted == submitted, (text, led)


def test_load_submissions_never_raises_on_any_file(
    fw: Framework, registry: Registry, tmp_path: Path
) -> None:
    """The dispatch over files: garbage of every kind is a diagnostic, never an exception."""
    samples = {
        "a.csv": b"\xff\xfe\x00garbage",
        "b.json": b"[1, 2",
        "c.yaml": b"unit: [\n",
        "d.csv": b"",
        "e.yml": b"- just\n- a list\n",
        "f.json": b'{"unit": "01", "values": {"a": 1, "a": 2}}',
        "g.xlsx": b"PK\x03\x04",
    }
    for name, data in samples.items():
        (tmp_path / name).write_bytes(data)
    batch = load_submissions([tmp_path], fw, registry)
    codes = {d.file.rsplit("/", 1)[-1]: d.code for d in batch.diagnostics if d.file}
    assert set(codes) == set(samples)
    assert codes["g.xlsx"].startswith("xlsx.")  # a broken workbook: the workbook reader says why
    assert codes["f.json"] == "yaml.duplicate_key"
    assert all(led.balanced for led in batch.ledgers)
