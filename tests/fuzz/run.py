"""Run one fuzz target under atheris (libFuzzer) for a bounded time.

    python tests/fuzz/run.py csv-wide -max_total_time=20

A crash (any exception the target lets through) exits non-zero with the input that caused it.
Without atheris installed (it ships wheels for x86-64 Linux), says so and exits 0.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main() -> int:
    if len(sys.argv) < 2:
        print("usage: run.py TARGET [libFuzzer options]", file=sys.stderr)
        return 2
    try:
        import atheris
    except ImportError:
        print("atheris is not installed here; fuzzing skipped", file=sys.stderr)
        return 0
    name = sys.argv[1]
    with atheris.instrument_imports():
        from tests.fuzz.targets import TARGETS, seeds
    if name not in TARGETS:
        print(f"unknown target {name!r}; one of {', '.join(TARGETS)}", file=sys.stderr)
        return 2
    target = TARGETS[name]
    for seed in seeds(name):  # the corpus passes before fuzzing starts
        target(seed)
    atheris.Setup([sys.argv[0], *sys.argv[2:]], target)
    atheris.Fuzz()
    return 0


if __name__ == "__main__":
    sys.exit(main())
