"""How fast is ``maturity report``? The national static site against plain ``maturity score``.

    .venv/bin/python benchmarks/bench_report.py           # about a minute and a half
    .venv/bin/python benchmarks/bench_report.py --quick   # one run of each command

Measured in one run, on the bundled national example (3,355 units):

(a) ``maturity score`` (table to /dev/null) and ``maturity report -o DIR`` end to end, in
    fresh processes, start-up included: median of N runs; the site's files and size on disk;
(b) in this process, where the report's time goes: loading and scoring, the batched analysis
    (gaps in the lever's units, paths verified by re-scoring, pillar ranks and medians),
    rendering the 3,391 pages, writing them;
(c) what the batched analysis replaces: ``explain_unit`` with its path verified, timed on a
    sample of units and multiplied out to the whole batch.

This is a script, not a test: figures depend on the machine (cores, CPU model, load).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SITE = 10.0  # s: "the national static site (about 3,400 pages) built in seconds"


def _maturity() -> list[str]:
    exe = Path(sys.executable).parent / "maturity"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "maturity.cli"]


def _run(cmd: list[str]) -> tuple[float, float]:
    """Wall-clock seconds and CPU seconds (user + system) of one run of ``cmd``. On a shared
    machine the CPU time varies much less than the wall-clock time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {done.stderr.decode()[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def _median(cmd: list[str], repeat: int) -> tuple[float, float]:
    _run(cmd)  # warm the file and bytecode caches
    runs = [_run(cmd) for _ in range(repeat)]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def _size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def _disk_usage(folder: Path) -> str:
    done = subprocess.run(["du", "-sh", str(folder)], capture_output=True, text=True, check=False)
    return done.stdout.split()[0] if done.returncode == 0 else "?"


def in_process(out: Path, sample: int) -> dict[str, float]:
    """The report's phases in this process, and explain_unit on a sample for comparison."""
    from maturity.analysis.explain import explain_unit
    from maturity.framework.bundled import default_framework, default_submissions
    from maturity.framework.load import load_framework
    from maturity.inputs.load import load_submissions
    from maturity.inputs.units import load_registry
    from maturity.render.site import build_report_data, site_pages
    from maturity.render.site._site import asset_files, prepare_folder
    from maturity.scoring.engine import score_batch

    figures: dict[str, float] = {}
    cpu = time.process_time()
    start = time.perf_counter()
    fw = load_framework(default_framework())
    registry = load_registry(fw.path.parent / (fw.manifest.units or ""))
    batch = load_submissions([default_submissions()], fw, registry)
    results = score_batch(fw, batch, registry)
    figures["load_and_score_s"] = time.perf_counter() - start

    start = time.perf_counter()
    data = build_report_data(results, batch=batch, registry=registry)
    figures["analysis_s"] = time.perf_counter() - start

    start = time.perf_counter()
    pages = list(site_pages(data, "vi"))
    figures["render_s"] = time.perf_counter() - start
    figures["pages"] = len(pages)

    start = time.perf_counter()
    prepare_folder(out)
    for folder in ("unit", "province", "assets"):
        (out / folder).mkdir(exist_ok=True)
    for path, html in pages:
        (out / path).write_bytes(html.encode("utf-8"))
    for path, raw in asset_files():
        (out / path).write_bytes(raw)
    figures["write_s"] = time.perf_counter() - start
    figures["cpu_s"] = time.process_time() - cpu

    units = [u.id for r in results.tiers.values() for u in r.units]
    chosen = random.Random(13).sample(units, sample)
    start = time.perf_counter()
    for unit_id in chosen:
        explain_unit(results, unit_id, batch=batch, registry=registry)
    per_unit = (time.perf_counter() - start) / sample
    figures["explain_unit_ms"] = per_unit * 1000
    figures["explain_all_s"] = per_unit * len(units)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="one run of each command")
    args = parser.parse_args(argv)
    repeat = 1 if args.quick else 3
    load = os.getloadavg()[0]
    work = Path(tempfile.mkdtemp(prefix="maturity-bench-report-"))
    try:
        score = _median([*_maturity(), "score"], repeat)
        site = work / "site"
        report = _median([*_maturity(), "report", "-o", str(site), "--lang", "vi"], repeat)
        files, size = _size(site)
        disk = _disk_usage(site)
        phases = in_process(work / "again", 10 if args.quick else 30)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()},")
    print(f"load average {load:.2f} at start; median of {repeat} run(s)")
    print()
    print("(a) end to end, national example (3,355 units), fresh processes")
    print("                                          wall       CPU")
    print(f"    maturity score (table)              {score[0]:7.2f} s {score[1]:7.2f} s")
    met = "met" if report[0] <= TARGET_SITE else "NOT met"
    print(
        f"    maturity report -o DIR --lang vi    {report[0]:7.2f} s {report[1]:7.2f} s"
        f"   target {TARGET_SITE:.0f} s (wall): {met}"
    )
    print(
        f"    report / score                      {report[0] / score[0]:7.1f} x"
        f" {report[1] / score[1]:7.1f} x"
    )
    print(f"    the site: {files:,} files, {size / 1e6:,.1f} MB ({disk} on disk)")
    print()
    print("(b) the report's phases, in this process")
    print(f"    load and score                      {phases['load_and_score_s']:7.2f} s")
    print(f"    analysis (gaps, paths verified)     {phases['analysis_s']:7.2f} s")
    print(
        f"    render {phases['pages']:,.0f} pages                  {phases['render_s']:7.2f} s"
        f"   ({phases['render_s'] / phases['pages'] * 1000:.2f} ms a page)"
    )
    print(f"    write                               {phases['write_s']:7.2f} s")
    print(f"    CPU time of the four                {phases['cpu_s']:7.2f} s")
    print()
    print("(c) what the batched analysis replaces")
    print(
        f"    explain_unit, path verified         {phases['explain_unit_ms']:7.1f} ms a unit"
        f" = {phases['explain_all_s']:.0f} s for every unit"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
