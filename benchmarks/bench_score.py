"""How fast is ``maturity``? One run prints every figure of docs/benchmarks.md.

    .venv/bin/python benchmarks/bench_score.py            # full: about 2 minutes
    .venv/bin/python benchmarks/bench_score.py --quick    # fewer repeats, 100,000 synthetic units
    .venv/bin/python benchmarks/bench_score.py --profile  # also: where the time goes

Measured, each against the target of DESIGN.md §8:

(a) the national batch end to end: ``maturity score`` (bundled framework and example, table to
    /dev/null) in a fresh process, start-up included; median of 5 runs. ``python -c pass`` and
    ``python -c "import maturity.cli"`` give the fixed costs for context;
(b) ``score_batch`` alone on the loaded national batch, median of N;
(c) loading the framework, the unit registry and the CSV, and rendering the table, apart;
(d) 1,000,000 synthetic communes (plus one province per 100 communes) built in memory, in a
    child process so that its peak memory is its own: time to build the Submission objects,
    ``score_batch`` throughput and peak memory (``ru_maxrss``);
(e) the same arithmetic hand-written in numpy (``baseline.py``) on the same input arrays, its
    results checked equal to the engine's, and the engine/baseline ratio;
(f) the sensitivity analysis: 1,000 seeded runs (weights ±20 %, band edges ±0.02) over the
    national results, in this process and as ``maturity sensitivity --runs 1000`` end to end.

This is a script, not a test: figures depend on the machine (cores, CPU model, load).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import platform
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

TARGET_E2E = 1.0  # s, national batch end to end on 2 cores
TARGET_SYNTH = 60.0  # s, 1,000,000 units
TARGET_RATIO = 3.0  # engine / hand-written numpy
TARGET_SENSITIVITY = 10.0  # s, "1,000 runs over the national example in seconds"


def _median(fn: Callable[[], Any], repeat: int, warmup: int = 1) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _maturity_command() -> list[str]:
    exe = Path(sys.executable).parent / "maturity"
    if exe.exists():
        return [str(exe)]
    return [sys.executable, "-c", "from maturity.cli import main; main()"]


def _run(cmd: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    done = subprocess.run(
        cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False, env=env
    )  # fmt: skip
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(
            f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr.decode()[-500:]}"
        )
    return elapsed


def _process_median(cmd: list[str], repeat: int, env: dict[str, str] | None = None) -> float:
    _run(cmd, env)  # warm the file cache (and the bytecode cache, where one is written)
    return statistics.median(_run(cmd, env) for _ in range(repeat))


def _bytecode_env(prefix: str) -> dict[str, str]:
    """The environment of an installed package: compiled bytecode cached (here under a
    temporary prefix, so the repository stays clean) instead of compiled at every start."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = prefix
    return env


def _rss_mb() -> float:
    """Current resident set size (Linux /proc), in MB."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            pages = int(fh.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return float("nan")


def _peak_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


# --------------------------------------------------------------------------- synthetic batch


def synthetic(
    n_communes: int, per_province: int, with_baseline: bool, with_phases: bool = False
) -> dict[str, Any]:
    """Score ``n_communes`` synthetic communes (in a child process); figures as a dict.

    Each synthetic commune reports the accepted values of a national example commune (in turn),
    each synthetic province those of a national example province: the Submission objects share
    those value dicts (the engine only reads them), so the memory measured is the engine's and
    the Submission objects', not 1,000,000 copies of the same numbers.
    """
    import baseline as bl
    import numpy as np

    from maturity import Submission, load_framework, load_registry, load_submissions, score_batch
    from maturity.framework.bundled import default_framework, default_submissions
    from maturity.inputs.submissions import Batch
    from maturity.inputs.units import Registry, Unit

    fw = load_framework(default_framework())
    registry = load_registry(fw.path.parent / (fw.manifest.units or ""))
    example = load_submissions([default_submissions()], fw, registry)
    by_tier: dict[str, list[Submission]] = {"province": [], "commune": []}
    for sub in sorted(example.submissions, key=lambda s: s.unit):
        unit = registry.get(sub.unit)
        if unit is not None and unit.tier in by_tier:
            by_tier[unit.tier].append(sub)
    provinces, communes = by_tier["province"], by_tier["commune"]
    n_prov = max(1, -(-n_communes // per_province))
    del example
    gc.collect()
    rss_start = _rss_mb()

    start = time.perf_counter()
    units: dict[str, Unit] = {}
    subs: list[Submission] = []
    for p in range(n_prov):
        pid = f"P{p:06d}"
        units[pid] = Unit(pid, f"Province {p}", "province", None, "")
        src = provinces[p % len(provinces)]
        subs.append(Submission(pid, "2025", src.values, not_applicable=src.not_applicable))
    for c in range(n_communes):
        cid = f"C{c:07d}"
        units[cid] = Unit(cid, f"Commune {c}", "commune", f"P{c // per_province:06d}", "")
        src = communes[c % len(communes)]
        subs.append(Submission(cid, "2025", src.values, not_applicable=src.not_applicable))
    big = Registry(units, "synthetic")
    batch = Batch(subs)
    build = time.perf_counter() - start
    rss_built = _rss_mb()

    start = time.perf_counter()
    results = score_batch(fw, batch, big)
    score = time.perf_counter() - start
    peak = _peak_mb()
    rss_scored = _rss_mb()
    total_units = n_prov + n_communes
    scored = results.scored_count()
    diagnostics = len(results.diagnostics)
    out: dict[str, Any] = {
        "communes": n_communes, "provinces": n_prov, "units": total_units, "scored": scored,
        "diagnostics": diagnostics, "build_s": build, "score_s": score,
        "rss_start_mb": rss_start, "rss_built_mb": rss_built, "rss_scored_mb": rss_scored,
        "peak_mb": peak,
    }  # fmt: skip
    if with_baseline:
        plan = bl.plan(fw)
        totals = {tier: r.total for tier, r in results.tiers.items()}
        del results
        gc.collect()
        inputs = bl.prepare(fw, batch, big, plan)
        start = time.perf_counter()
        base = bl.compute(plan, inputs)
        out["baseline_s"] = time.perf_counter() - start
        out["baseline_equal"] = all(
            np.allclose(base[tier].total, totals[tier], rtol=0, atol=1e-9, equal_nan=True)
            for tier in totals
        )
        del base, inputs
        gc.collect()
    if with_phases:
        out["phases"] = phases(fw, batch, big, repeat=1)
    return out


# --------------------------------------------------------------------------- national figures


def national(repeat: int) -> dict[str, Any]:
    import baseline as bl
    import numpy as np

    from maturity import load_framework, load_registry, load_submissions, score_batch
    from maturity.framework.bundled import default_framework, default_submissions
    from maturity.render.results import render

    fw_path, csv_path = default_framework(), default_submissions()
    fw = load_framework(fw_path)
    registry = load_registry(fw.path.parent / (fw.manifest.units or ""))
    batch = load_submissions([csv_path], fw, registry)
    results = score_batch(fw, batch, registry)
    few = max(3, repeat // 4)
    units_csv = fw.path.parent / (fw.manifest.units or "")
    out: dict[str, Any] = {
        "units": len(batch.submissions),
        "indicators": len(fw.indicators),
        "inputs": len(fw.inputs),
        "framework_s": _median(lambda: load_framework(fw_path), few),
        "registry_s": _median(lambda: load_registry(units_csv), few),
        "csv_s": _median(lambda: load_submissions([csv_path], fw, registry), few),
        "score_s": _median(lambda: score_batch(fw, batch, registry), repeat),
        "render_s": _median(lambda: render(results, "table", sort="rank", tablefmt="simple"), few),
    }
    plan = bl.plan(fw)
    inputs = bl.prepare(fw, batch, registry, plan)
    base = bl.compute(plan, inputs)
    diffs = [
        float(np.nanmax(np.abs(base[t].total - r.total))) if r.size else 0.0
        for t, r in results.tiers.items()
    ]
    same = all(
        np.array_equal(np.isnan(base[t].total), np.isnan(r.total))
        and np.array_equal(base[t].level, r.level)
        and np.array_equal(base[t].rank, r.rank)
        and np.array_equal(base[t].rank_in_parent, r.rank_in_parent)
        for t, r in results.tiers.items()
    )
    out["baseline_s"] = _median(lambda: bl.compute(plan, inputs), repeat)
    out["baseline_max_diff"] = max(diffs)
    out["baseline_same"] = same
    # (f) sensitivity: 1,000 seeded runs with weight and band noise, both tiers
    from maturity.analysis.sensitivity import SensitivityOptions, analyse

    options = SensitivityOptions(runs=1000, seed=0)
    out["sensitivity_s"] = _median(lambda: analyse(results, options), 3)
    return out


_PHASES = (
    "_score_tier", "_input_columns", "_apply_gates", "_shares", "_run_checks", "_child_group",
    "competition_rank", "method_score", "indicator_level", "band_level",
)  # fmt: skip


def phases(fw: Any, batch: Any, registry: Any, repeat: int = 5) -> dict[str, float]:
    """Where ``score_batch`` spends its time: the engine's helpers timed by wrapping them (the
    engine's files are not touched)."""

    import maturity.scoring.engine as eng
    from maturity.framework import formula as fx

    spent: dict[str, float] = dict.fromkeys(("score_batch", "fx.evaluate", *_PHASES), 0.0)
    originals: dict[tuple[Any, str], Any] = {}

    def wrap(module: Any, name: str, label: str) -> None:
        original = getattr(module, name, None)
        if original is None:  # renamed or gone since this was written: not timed
            return
        originals[(module, name)] = original

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent[label] += time.perf_counter() - start

        setattr(module, name, timed)

    for name in _PHASES:
        wrap(eng, name, name)
    wrap(fx, "evaluate", "fx.evaluate")
    try:
        for _ in range(repeat):
            start = time.perf_counter()
            eng.score_batch(fw, batch, registry)
            spent["score_batch"] += time.perf_counter() - start
    finally:
        for (module, name), original in originals.items():
            setattr(module, name, original)

    out = {name: value / repeat for name, value in spent.items()}
    return out


def profile_national() -> str:
    """Phases of ``score_batch``, and cProfile of reading the CSV and rendering, national batch."""
    from maturity import load_framework, load_registry, load_submissions, score_batch
    from maturity.framework.bundled import default_framework, default_submissions
    from maturity.render.results import render

    fw = load_framework(default_framework())
    registry = load_registry(fw.path.parent / (fw.manifest.units or ""))
    batch = load_submissions([default_submissions()], fw, registry)
    results = score_batch(fw, batch, registry)
    buf = io.StringIO()
    spent = phases(fw, batch, registry)
    total = spent.pop("score_batch")
    inner = spent.pop("_score_tier")
    nested = sum(spent.values())
    buf.write(f"\n== score_batch phases (national, mean of 5): {total * 1000:.1f} ms ==\n")
    rows = [
        (name, f"{v * 1000:.1f} ms") for name, v in sorted(spent.items(), key=lambda kv: -kv[1])
    ]
    rows.append(
        ("_score_tier's own lines (per-indicator glue)", f"{(inner - nested) * 1000:.1f} ms")
    )
    rows.append(("score_batch outside _score_tier", f"{(total - inner) * 1000:.1f} ms"))
    from tabulate import tabulate

    buf.write(tabulate(rows, tablefmt="plain") + "\n")
    steps: list[tuple[str, Callable[[], Any]]] = [
        ("load_submissions (CSV)", lambda: load_submissions([default_submissions()], fw, registry)),
        ("render table", lambda: render(results, "table", sort="rank", tablefmt="simple")),
        ("render json", lambda: render(results, "json")),
    ]
    for name, fn in steps:
        prof = cProfile.Profile()
        prof.enable()
        fn()
        prof.disable()
        buf.write(f"\n== {name} ==\n")
        stats = pstats.Stats(prof, stream=buf)
        stats.sort_stats("tottime").print_stats(8)
    return buf.getvalue()


# --------------------------------------------------------------------------- report


def _row(what: str, figure: str, target: str = "", verdict: str = "") -> tuple[str, str, str, str]:
    return (what, figure, target, verdict)


def _ok(passed: bool) -> str:
    return "meets" if passed else "MISSES"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--quick", action="store_true", help="fewer repeats and 100,000 synthetic units"
    )
    parser.add_argument(
        "--units", type=int, help="synthetic communes (default 1,000,000; --quick 100,000)"
    )
    parser.add_argument(
        "--per-province", type=int, default=100, help="synthetic communes per province"
    )
    parser.add_argument(
        "--profile", action="store_true", help="also print where the time goes (slower)"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    parser.add_argument("--synthetic-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--synthetic-phases", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.synthetic_child is not None:  # the child process of (d)
        figures = synthetic(args.synthetic_child, args.per_province, True, args.synthetic_phases)
        print(json.dumps(figures))
        return 0

    load_at_start = os.getloadavg()[0]  # before this script adds its own load
    repeat_cli = 3 if args.quick else 5
    repeat = 5 if args.quick else 20
    n_synth = args.units or (100_000 if args.quick else 1_000_000)
    py = [sys.executable]

    # (a) end to end, fresh processes, in this environment ...
    score_cmd = [*_maturity_command(), "score"]
    e2e = _process_median(score_cmd, repeat_cli)
    e2e_json = _process_median([*score_cmd, "--format", "json"], repeat_cli)
    bare = _process_median([*py, "-c", "pass"], repeat_cli)
    imp = _process_median([*py, "-c", "import maturity.cli"], repeat_cli)
    sens_cli = _process_median([*_maturity_command(), "sensitivity", "--runs", "1000"], 3)
    # ... and with a bytecode cache, as after `pip install` (matters when PYTHONDONTWRITEBYTECODE
    # is set and the package is an editable checkout: then every start compiles maturity/*.py)
    with tempfile.TemporaryDirectory(prefix="maturity-pycache-") as prefix:
        env = _bytecode_env(prefix)
        e2e_pyc = _process_median(score_cmd, repeat_cli, env)
        imp_pyc = _process_median([*py, "-c", "import maturity.cli"], repeat_cli, env)
    # (b), (c), (e) in this process
    nat = national(repeat)
    # (d) in a child process, so that its peak memory is its own
    child_cmd = [*py, __file__, "--synthetic-child", str(n_synth)]
    child_cmd += ["--per-province", str(args.per_province)]
    if args.profile:
        child_cmd.append("--synthetic-phases")
    child = subprocess.run(child_cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    if child.returncode != 0:
        raise SystemExit(f"synthetic run failed:\n{child.stderr[-2000:]}")
    syn = json.loads(child.stdout.strip().splitlines()[-1])

    ms = 1000.0
    ratio = nat["score_s"] / nat["baseline_s"]
    syn_ratio = syn["score_s"] / syn["baseline_s"]
    per_unit_kb = (syn["peak_mb"] - syn["rss_built_mb"]) * 1024 / syn["units"]
    e2e_target = f"~{TARGET_E2E:.0f} s"
    ratio_target = f"<= {TARGET_RATIO:.0f}x"
    synth_budget = TARGET_SYNTH * syn["communes"] / 1_000_000
    synth_total = syn["score_s"] + syn["build_s"]
    same = nat["baseline_same"] and nat["baseline_max_diff"] < 1e-9
    rows = [
        _row(
            "(a) maturity score, national, end to end",
            f"{e2e:.2f} s",
            e2e_target,
            _ok(e2e <= TARGET_E2E * 1.1),
        ),
        _row(
            "    same, bytecode cached (as installed)",
            f"{e2e_pyc:.2f} s",
            e2e_target,
            _ok(e2e_pyc <= TARGET_E2E * 1.1),
        ),
        _row("    same, --format json", f"{e2e_json:.2f} s"),
        _row("    python -c pass", f"{bare * ms:.0f} ms"),
        _row("    python -c 'import maturity.cli'", f"{imp * ms:.0f} ms"),
        _row("    same, bytecode cached", f"{imp_pyc * ms:.0f} ms"),
        _row(
            f"(b) score_batch, national ({nat['units']:,} units)",
            f"{nat['score_s'] * ms:.1f} ms",
            "well under (a)",
            _ok(nat["score_s"] < 0.25 * e2e),
        ),
        _row("(c) load framework (YAML, validate, compile)", f"{nat['framework_s'] * ms:.0f} ms"),
        _row("    load unit registry", f"{nat['registry_s'] * ms:.0f} ms"),
        _row("    read submissions CSV", f"{nat['csv_s'] * ms:.0f} ms"),
        _row("    render table", f"{nat['render_s'] * ms:.0f} ms"),
        _row(
            f"(d) build {syn['units']:,} Submission objects + registry", f"{syn['build_s']:.1f} s"
        ),
        _row(
            f"    score_batch, {syn['communes']:,} communes + {syn['provinces']:,} provinces",
            f"{syn['score_s']:.1f} s",
            f"< {synth_budget:.3g} s incl. build",
            _ok(synth_total < synth_budget),
        ),
        _row("    throughput (score_batch)", f"{syn['units'] / syn['score_s']:,.0f} units/s"),
        _row(
            "    RSS: after build -> peak",
            f"{syn['rss_built_mb']:,.0f} -> {syn['peak_mb']:,.0f} MB",
            "bounded",
            f"{per_unit_kb:.1f} KB/unit",
        ),
        _row(
            "(e) hand-written numpy baseline, national",
            f"{nat['baseline_s'] * ms:.1f} ms",
            "",
            "same results" if same else "RESULTS DIFFER",
        ),
        _row(
            "    engine / baseline, national",
            f"{ratio:.1f}x",
            ratio_target,
            _ok(ratio <= TARGET_RATIO),
        ),
        _row(
            f"    engine / baseline, {syn['units']:,} units",
            f"{syn_ratio:.1f}x ({syn['baseline_s']:.1f} s)",
            ratio_target,
            _ok(syn_ratio <= TARGET_RATIO) + ("" if syn["baseline_equal"] else ", RESULTS DIFFER"),
        ),
        _row(
            "(f) sensitivity analysis, 1,000 runs, national",
            f"{nat['sensitivity_s']:.2f} s",
            f"seconds (< {TARGET_SENSITIVITY:.0f} s)",
            _ok(nat["sensitivity_s"] < TARGET_SENSITIVITY),
        ),
        _row(
            "    maturity sensitivity --runs 1000, end to end",
            f"{sens_cli:.2f} s",
            f"seconds (< {TARGET_SENSITIVITY:.0f} s)",
            _ok(sens_cli < TARGET_SENSITIVITY),
        ),
    ]
    from tabulate import tabulate

    print(
        f"maturity benchmark — {platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, {platform.machine()}, load average {load_at_start:.2f} at start; "
        f"PYTHONDONTWRITEBYTECODE={os.environ.get('PYTHONDONTWRITEBYTECODE', '')!r}; "
        f"national: {nat['units']:,} units, {nat['indicators']} indicators, {nat['inputs']} inputs"
    )
    print(tabulate(rows, headers=["measurement", "figure", "target", "verdict"], tablefmt="github"))
    if args.json:
        figures = {
            "e2e_s": e2e, "e2e_bytecode_s": e2e_pyc, "e2e_json_s": e2e_json, "python_s": bare,
            "import_s": imp, "import_bytecode_s": imp_pyc, "national": nat, "synthetic": syn,
            "sensitivity_cli_s": sens_cli,
        }  # fmt: skip
        print(json.dumps(figures, indent=2))
    if args.profile:
        print(profile_national())
        spent = syn["phases"]
        inner = spent.pop("_score_tier")
        total = spent.pop("score_batch")
        nested = sum(spent.values())
        print(f"\n== score_batch phases, {syn['units']:,} synthetic units: {total:.1f} s ==")
        phase_rows = [(k, f"{v:.2f} s") for k, v in sorted(spent.items(), key=lambda kv: -kv[1])]
        own = ("_score_tier's own lines (per-indicator glue)", f"{inner - nested:.2f} s")
        phase_rows += [own, ("score_batch outside _score_tier", f"{total - inner:.2f} s")]
        print(tabulate(phase_rows, tablefmt="plain"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
