"""Fuzz targets, one per submission reader: bytes in, and whatever they hold, the reader
returns diagnostics (never an exception but the project's own located ``InputError`` from a
loader), every ledger balances, and what was read scores.

Run by ``tests/fuzz/run.py`` under atheris (coverage-guided, bounded time, in CI) and by
``tests/test_fuzz_targets.py`` on the seed corpus and random bytes (every test run).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from maturity import Framework, Registry, load_framework, load_registry, score_batch
from maturity.errors import InputError
from maturity.framework.json_loader import load_json_text
from maturity.framework.yaml_loader import load_yaml_text
from maturity.inputs.reader import SubmissionReader
from maturity.inputs.submissions import Batch

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@cache
def _setup() -> tuple[Framework, Registry]:
    fw = load_framework(FIXTURES / "csv" / "framework.yaml")
    return fw, load_registry(FIXTURES / "mini" / "units.csv")


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def _finish(reader: SubmissionReader) -> Batch:
    fw, registry = _setup()
    batch = reader.batch
    for ledger in batch.ledgers:
        if not ledger.balanced:
            raise AssertionError(f"unbalanced ledger {ledger}")
    score_batch(fw, batch, registry)
    return batch


def csv_wide(data: bytes) -> None:
    fw, registry = _setup()
    reader = SubmissionReader(fw, registry)
    reader.read_csv(_text(data), "fuzz.csv")
    _finish(reader)


def csv_long(data: bytes) -> None:
    fw, registry = _setup()
    reader = SubmissionReader(fw, registry)
    reader.read_csv("unit,period,input,value\n" + _text(data), "fuzz-long.csv")
    _finish(reader)


def yaml_document(data: bytes) -> None:
    fw, registry = _setup()
    reader = SubmissionReader(fw, registry)
    try:
        doc = load_yaml_text(_text(data), "fuzz.yaml")
    except InputError:
        return
    reader.read_document(doc)
    _finish(reader)


def json_document(data: bytes) -> None:
    fw, registry = _setup()
    reader = SubmissionReader(fw, registry)
    try:
        doc = load_json_text(_text(data), "fuzz.json")
    except InputError:
        return
    reader.read_document(doc)
    _finish(reader)


TARGETS: dict[str, Callable[[bytes], None]] = {
    "csv-wide": csv_wide,
    "csv-long": csv_long,
    "yaml": yaml_document,
    "json": json_document,
}

SEEDS: dict[str, tuple[str, ...]] = {
    "csv-wide": ("csv/*.csv", "submissions/*.csv", "mini/submissions/*.csv"),
    "csv-long": ("csv/long.csv",),
    "yaml": ("submissions/*.yaml", "../../examples/phu-quoi.yaml"),
    "json": ("submissions/*.json",),
}


def seeds(name: str) -> list[bytes]:
    out: list[bytes] = []
    for pattern in SEEDS[name]:
        out += [p.read_bytes() for p in sorted(FIXTURES.glob(pattern)) if p.is_file()]
    return out
