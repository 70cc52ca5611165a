"""The whole ``maturity score`` process from CSV files, at national size and beyond.

    .venv/bin/python benchmarks/bench_cli.py                    # 3,355 and 100,000 units
    .venv/bin/python benchmarks/bench_cli.py --sizes 3355,100000,1000000
    .venv/bin/python benchmarks/bench_cli.py --scaling          # time per unit at 1k, 10k, 100k
    .venv/bin/python benchmarks/bench_cli.py --formats table,csv,json

What a user runs, measured as a user would: a fresh ``maturity score --units REG FILES…
--format F -o /dev/null`` process, wall time and peak resident memory (``ru_maxrss`` of that
child alone, from ``os.wait4``). Beside it, in the same run and over the same files, the floors
a reader can judge it by:

- ``csv+float``: the standard library's ``csv`` reader with ``float()`` on every cell, no
  validation (what a hand-written script does first);
- ``pyarrow``: ``pyarrow.csv.read_csv`` of the same files (C++, multi-threaded), when
  pyarrow is installed (``pip install pyarrow``; a benchmark extra, not a dependency);
- ``duckdb``: ``read_csv`` of the same files and one sum per column, when duckdb is
  installed (``pip install duckdb``; same).

The inputs are generated once and cached outside the repository (``$MATURITY_BENCH_CACHE``,
else ``~/.cache/maturity-bench``): N units as ``ceil(N / 100)`` synthetic provinces of 99
communes each, their values copied row by row from the bundled national example (so every
consistency check and every number rule runs as on real data; the province totals no longer
match their synthetic communes, so checks fail where they would). Tables are split into parts
of 100,000 rows.

A script, not a test: nothing fails when a figure is bad; compare figures of one run.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NATIONAL = ROOT / "examples" / "national" / "submissions.csv"
PART_ROWS = 100_000


def _cache() -> Path:
    base = os.environ.get("MATURITY_BENCH_CACHE") or str(Path.home() / ".cache" / "maturity-bench")
    return Path(base)


def _national_rows() -> tuple[list[str], list[list[str]], list[list[str]]]:
    with NATIONAL.open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.reader(f) if r and not r[0].startswith("#")]
    header, body = rows[0], rows[1:]
    provinces = [r for r in body if len(r[0]) == 2]
    communes = [r for r in body if len(r[0]) != 2]
    return header, provinces, communes


def generate(n: int) -> tuple[Path, list[Path]]:
    """The registry and the submission parts of ``n`` units (national size: the real ones)."""
    if n == 3355:
        return ROOT / "frameworks" / "units" / "vn-admin-units-2025.csv", [NATIONAL]
    folder = _cache() / f"units-{n}"
    registry = folder / "units.csv"
    if registry.exists():
        return registry, sorted(folder.glob("part-*.csv"))
    folder.mkdir(parents=True, exist_ok=True)
    header, provinces, communes = _national_rows()
    n_prov = math.ceil(n / 100)
    parts: list[Path] = []
    out = None
    writer = None
    written = 0
    with (folder / "units.tmp").open("w", encoding="utf-8", newline="") as reg:
        regw = csv.writer(reg)
        regw.writerow(["id", "name", "tier", "parent", "type"])
        for p in range(n_prov):
            pid = f"P{p:05d}"
            regw.writerow([pid, f"Tỉnh {p}", "province", "", "province"])
            rows = [(pid, provinces[p % len(provinces)])]
            for c in range(min(99, n - written - 1 - (n_prov - p - 1))):
                cid = f"{p:05d}{c:02d}"
                regw.writerow([cid, f"Xã {p}-{c}", "commune", pid, "Xã"])
                rows.append((cid, communes[(p * 99 + c) % len(communes)]))
            for uid, values in rows:
                if written % PART_ROWS == 0:
                    if out is not None:
                        out.close()
                    parts.append(folder / f"part-{len(parts):03d}.csv")
                    out = parts[-1].open("w", encoding="utf-8", newline="")
                    writer = csv.writer(out)
                    writer.writerow(header)
                assert writer is not None
                writer.writerow([uid, *values[1:]])
                written += 1
    if out is not None:
        out.close()
    (folder / "units.tmp").rename(registry)
    return registry, parts


def _child(cmd: list[str]) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MiB and exit code of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def _maturity(registry: Path, parts: list[Path], fmt: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "maturity",
        "score",
        "--units",
        str(registry),
        *map(str, parts),
        "--format",
        fmt,
        "-o",
        os.devnull,
    ]


_CSV_FLOOR = """
import csv, sys
n = 0
for path in sys.argv[1:]:
    with open(path, encoding="utf-8", newline="") as f:
        rows = csv.reader(f)
        next(rows)
        for row in rows:
            for cell in row[2:]:
                if cell:
                    try:
                        float(cell)
                    except ValueError:
                        pass
            n += 1
print(n)
"""

_ARROW_FLOOR = """
import sys
import pyarrow as pa, pyarrow.csv as pc
tables = [pc.read_csv(p) for p in sys.argv[1:]]
print(sum(t.num_rows for t in tables))
"""

_DUCKDB_FLOOR = """
import sys
import duckdb
files = sys.argv[1:]
con = duckdb.connect()
rel = con.read_csv(files, header=True)
cols = [c for c, t in zip(rel.columns, rel.types) if str(t) in ("DOUBLE", "BIGINT")]
sums = ", ".join(f'sum("{c}")' for c in cols)
print(con.sql(f"select count(*), {sums} from rel").fetchall()[0][0])
"""


def _has(module: str) -> bool:
    probe = [sys.executable, "-c", f"import {module}"]
    return subprocess.run(probe, capture_output=True, check=False).returncode == 0


def floors(parts: list[Path]) -> dict[str, tuple[float, float]]:
    found: dict[str, tuple[float, float]] = {}
    scripts = {"csv+float": (_CSV_FLOOR, None), "pyarrow": (_ARROW_FLOOR, "pyarrow")}
    scripts["duckdb"] = (_DUCKDB_FLOOR, "duckdb")
    for name, (script, module) in scripts.items():
        if module and not _has(module):
            continue
        wall, rss, code = _child([sys.executable, "-c", script, *map(str, parts)])
        if code == 0:
            found[name] = (wall, rss)
    return found


def _table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="3355,100000", help="units per run, comma-separated")
    parser.add_argument("--formats", default="table,csv,json", help="output formats")
    parser.add_argument("--scaling", action="store_true", help="time per unit at 1k, 10k, 100k")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    formats = args.formats.split(",")
    if args.scaling:
        sizes, formats = [1000, 10_000, 100_000], ["table"]
    load = os.getloadavg()[0]
    print(
        f"# {time.strftime('%Y-%m-%d')}, {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, load average {load:.1f} at start"
    )
    rows = [["units", "what", "wall s", "peak MiB", "KiB/unit", "µs/unit", "× floor"]]
    for n in sizes:
        registry, parts = generate(n)
        base = floors(parts)
        floor = min((w for w, _ in base.values()), default=float("nan"))
        for name, (wall, rss) in base.items():
            rows.append([f"{n:,}", name, f"{wall:.2f}", f"{rss:,.0f}", "", "", ""])
        for fmt in formats:
            wall, rss, code = _child(_maturity(registry, parts, fmt))
            note = "" if code in (0, 1) else f" (exit {code})"
            rows.append(
                [
                    f"{n:,}",
                    f"maturity score --format {fmt}{note}",
                    f"{wall:.2f}",
                    f"{rss:,.0f}",
                    f"{rss * 1024 / n:.1f}",
                    f"{wall * 1e6 / n:.0f}",
                    f"{wall / floor:.1f}",
                ]
            )
        print(f"# {n:,} units done", file=sys.stderr, flush=True)
    print(_table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
