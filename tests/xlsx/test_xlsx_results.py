"""``score --format xlsx`` and ``explain --format xlsx``: goldens of the cell values (not the
bytes), and the shape an evaluator sorts and filters: frozen headers, filters, numbers as
numbers with number formats.

Regenerate the goldens with ``pytest tests/xlsx --update-golden`` and review the diff."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from xlsx_testing import convert_with_libreoffice, soffice

from maturity.cli import main

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "xlsx"
BATCH = ["examples/vinh-long.yaml", "examples/phu-quoi.yaml"]
CASES = {
    "results.vi.json": ["score", *BATCH, "--lang", "vi"],
    "results.en.json": ["score", *BATCH, "--lang", "en"],
    "explain.vi.json": ["explain", *BATCH, "--unit", "29611", "--lang", "vi"],
}


def cells(path: Path) -> dict[str, list[list[Any]]]:
    """Every sheet as rows of cell values, trailing empty cells dropped."""
    wb = openpyxl.load_workbook(path)
    out: dict[str, list[list[Any]]] = {}
    for ws in wb.worksheets:
        sheet = []
        for row in ws.iter_rows(values_only=True):
            values = list(row)
            while values and values[-1] is None:
                values.pop()
            sheet.append([v.isoformat() if isinstance(v, dt.datetime) else v for v in values])
        out[ws.title] = sheet
    return out


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("results")
    out: dict[str, Path] = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)  # file names in the workbook are relative to the working folder
        for name, args in CASES.items():
            path = folder / name.replace(".json", ".xlsx")
            result = CliRunner().invoke(main, [*args, "--format", "xlsx", "-o", str(path)])
            assert result.exit_code == 0, result.output
            out[name] = path
    return out


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_workbook_values(
    request: pytest.FixtureRequest, written: dict[str, Path], name: str
) -> None:
    got = cells(written[name])
    path = GOLDEN / name
    if request.config.getoption("--update-golden"):
        GOLDEN.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return
    assert path.exists(), f"{path} is missing: run pytest {__file__} --update-golden"
    want = json.loads(path.read_text(encoding="utf-8"))
    assert list(got) == list(want), "sheets differ"
    for sheet in want:
        for r, (a, b) in enumerate(zip(got[sheet], want[sheet], strict=False), start=1):
            assert a == b, f"{name} {sheet}!row {r} differs; if intended, --update-golden"
        assert len(got[sheet]) == len(want[sheet]), f"{name} {sheet}: row count"


def test_every_xlsx_golden_is_a_case() -> None:
    assert {p.name for p in GOLDEN.iterdir()} == set(CASES)


def test_the_ranking_can_be_sorted_and_filtered(written: dict[str, Path]) -> None:
    wb = openpyxl.load_workbook(written["results.vi.json"])
    assert wb.sheetnames == [
        "Tổng hợp", "Xếp hạng", "Điểm trụ cột", "Điểm chỉ số", "Trạng thái chỉ số",
        "Danh mục chỉ số", "Lỗi và cảnh báo",
    ]  # fmt: skip
    ws = wb["Xếp hạng"]
    assert ws.freeze_panes == "F2"
    assert ws.auto_filter.ref == "A1:S3"
    header = [c.value for c in ws[1]]
    score = ws.cell(2, header.index("Điểm") + 1)
    assert isinstance(score.value, float) and score.number_format == "#,##0.00"
    coverage = ws.cell(2, header.index("Độ phủ dữ liệu") + 1)
    assert coverage.number_format == "0%" and isinstance(coverage.value, float)
    assert 0 <= coverage.value <= 1
    assert ws.column_dimensions["E"].width > 20
    for sheet in wb.worksheets[1:]:
        assert sheet.freeze_panes is not None and sheet.auto_filter.ref, sheet.title


def test_indicator_points_add_up_to_the_score(written: dict[str, Path]) -> None:
    wb = openpyxl.load_workbook(written["results.en.json"])
    ranking = {r[3]: r for r in wb["Ranking"].iter_rows(min_row=2, values_only=True)}
    for row in wb["Indicator points"].iter_rows(min_row=2, values_only=True):
        points = sum(v for v in row[5:] if isinstance(v, float))
        assert points == pytest.approx(ranking[row[1]][8], abs=1e-3)


def test_the_same_results_give_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    paths = [tmp_path / "a.xlsx", tmp_path / "b.xlsx"]
    for path in paths:
        result = CliRunner().invoke(main, ["score", *BATCH, "--format", "xlsx", "-o", str(path)])
        assert result.exit_code == 0, result.output
    assert paths[0].read_bytes() == paths[1].read_bytes()


def test_xlsx_needs_an_output_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["score", *BATCH, "--format", "xlsx"])
    assert result.exit_code == 2 and "-o/--output" in result.output


@pytest.mark.skipif(soffice() is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_results_workbook(written: dict[str, Path], tmp_path: Path) -> None:
    converted = convert_with_libreoffice(written["results.en.json"], tmp_path)
    assert cells(converted)["Ranking"] == cells(written["results.en.json"])["Ranking"]
