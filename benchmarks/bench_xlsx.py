"""How fast are the Excel formats? One run prints every figure of docs/excel.md.

    .venv/bin/python benchmarks/bench_xlsx.py            # median of 5
    .venv/bin/python benchmarks/bench_xlsx.py --repeat 1

Measured in one process, on the national example (``examples/national/submissions.csv``,
3,355 rows x 174 columns):

(a) reading it as submissions from the CSV, and from the same table as an ``.xlsx`` (plain
    numbers typed, as Excel holds them after typing), same run: ``load_submissions``;
(b) the two readers of the workbook's cells alone: python-calamine (used) and openpyxl's
    read-only mode (not used), to show why;
(c) writing the results workbook of the national batch (``score --format xlsx`` minus the
    scoring), and one template (``template --format xlsx``).

This is a script, not a test: figures depend on the machine (cores, CPU model, load).
"""

from __future__ import annotations

import argparse
import csv
import gc
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import python_calamine

from maturity import load_framework, load_registry, load_submissions, score_batch
from maturity.render.xlsx.results import results_workbook
from maturity.render.xlsx.template import template_workbook

ROOT = Path(__file__).resolve().parent.parent
NATIONAL = ROOT / "examples" / "national" / "submissions.csv"


def median(fn: Callable[[], Any], repeat: int) -> float:
    fn()  # warm-up: imports, caches
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def as_workbook(source: Path, target: Path) -> None:
    """The CSV as Excel holds it after typing: numbers typed, everything else text."""
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Data")
    with source.open(encoding="utf-8", newline="") as f:
        for i, row in enumerate(csv.reader(f)):
            cells: list[Any] = []
            for j, cell in enumerate(row):
                if i == 0 or j < 2 or not cell:
                    cells.append(cell or None)
                    continue
                try:
                    number = float(cell)
                except ValueError:
                    cells.append(cell)
                else:
                    cells.append(int(number) if number.is_integer() and "." not in cell else number)
            ws.append(cells)
    wb.save(target)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    fw = load_framework(ROOT / "frameworks" / "vn-2tier.yaml")
    registry = load_registry(ROOT / "frameworks" / "units" / "vn-admin-units-2025.csv")
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "national.xlsx"
        as_workbook(NATIONAL, book)
        from_csv = load_submissions([NATIONAL], fw, registry)
        from_xlsx = load_submissions([book], fw, registry)
        assert len(from_csv.submissions) == len(from_xlsx.submissions) == 3355
        t_csv = median(lambda: load_submissions([NATIONAL], fw, registry), args.repeat)
        t_xlsx = median(lambda: load_submissions([book], fw, registry), args.repeat)

        def calamine() -> None:
            python_calamine.CalamineWorkbook.from_path(str(book)).get_sheet_by_index(0).to_python()

        def openpyxl_read_only() -> None:
            wb = openpyxl.load_workbook(book, read_only=True, data_only=True)
            for _ in wb.worksheets[0].iter_rows(values_only=True):
                pass
            wb.close()

        t_calamine = median(calamine, args.repeat)
        t_openpyxl = median(openpyxl_read_only, max(1, args.repeat // 2))
        size = book.stat().st_size
    results = score_batch(fw, from_csv, registry)
    t_results = median(lambda: results_workbook(results), max(1, args.repeat // 2))
    unit = registry.get("29611")
    t_template = median(lambda: template_workbook(fw, "commune", unit=unit), args.repeat)
    print(f"maturity Excel benchmark — {platform.machine()}, Python {sys.version.split()[0]}")
    print(f"national table: 3,355 rows x 174 columns; as .xlsx {size / 1e6:.1f} MB")
    rows = [
        ("(a) read as submissions, CSV", t_csv, ""),
        ("    read as submissions, .xlsx", t_xlsx, f"({t_xlsx / t_csv:.2f}x the CSV)"),
        ("(b) cells only, python-calamine (used)", t_calamine, ""),
        ("    cells only, openpyxl read-only", t_openpyxl, f"({t_openpyxl / t_calamine:.1f}x)"),
        ("(c) results workbook, national batch", t_results, ""),
        ("    one commune template", t_template, ""),
    ]
    for label, seconds, note in rows:
        print(f"{label:<42}{seconds * 1000:8.0f} ms  {note}".rstrip())
    print(f"load average: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
