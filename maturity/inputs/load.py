"""Reading submissions from files, folders, mappings and tables: every submission file kind
goes through one reader, so the same value is accepted or rejected the same way wherever it
comes from."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from maturity.errors import InputError, Location, Problem, display_path
from maturity.framework.compiled import Framework
from maturity.framework.json_loader import load_json_text
from maturity.framework.yaml_loader import load_yaml_text
from maturity.inputs.periods import sort_key
from maturity.inputs.reader import SubmissionReader
from maturity.inputs.submissions import MAX_SUBMISSION_BYTES, SUBMISSION_SUFFIXES, Batch
from maturity.inputs.units import Registry


def submission_files(path: Path) -> tuple[list[Path], list[Path]]:
    """The submission files in a folder (recursively, sorted) and the other files in it
    (hidden files aside), which are reported rather than skipped in silence."""
    found: list[Path] = []
    other: list[Path] = []
    for p in sorted(path.rglob("*")):
        if not p.is_file() or any(part.startswith(".") for part in p.relative_to(path).parts):
            continue
        (found if p.suffix.lower() in SUBMISSION_SUFFIXES else other).append(p)
    return found, other


def load_submissions(
    paths: list[Path],
    framework: Framework,
    registry: Registry,
    *,
    decimal_mark: str | None = None,
) -> Batch:
    """Read every submission file; problems become diagnostics, never exceptions.

    Folders are read recursively (``*.yaml``, ``*.yml``, ``*.json``, ``*.csv``,
    ``*.xlsx``); any other file in them is reported. ``decimal_mark`` is the number
    convention of files that do not state their own.
    """
    reader = SubmissionReader(framework, registry, decimal_mark)
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found, other = submission_files(path)
            for p in other:
                reader.diag(
                    "warning",
                    "file.skipped_kind",
                    file=display_path(p),
                    ext=p.suffix or "(none)",
                    allowed=", ".join(SUBMISSION_SUFFIXES),
                )
            if not found:
                reader.diag("error", "file.empty_folder", file=display_path(path))
            files.extend(found)
        else:
            files.append(path)
    for path in files:
        name = display_path(path)
        if not path.is_file():
            reader.diag("error", "file.not_found_diag", file=name)
            continue
        if path.suffix.lower() == ".xlsx":  # a workbook: cells are read as typed
            from maturity.inputs.xlsx.load import read_into

            read_into(reader, path, name)
            continue
        try:
            raw = _read_bytes(path, name)
            reader.batch.files[name] = "sha256:" + hashlib.sha256(raw).hexdigest()
            text = _decode(raw, name)
            suffix = path.suffix.lower()
            if suffix == ".csv":
                reader.read_csv(text, name)
            elif suffix == ".json":
                reader.read_document(load_json_text(text, name))
            elif suffix in (".yaml", ".yml"):
                reader.read_document(load_yaml_text(text, name))
            else:
                reader.diag(
                    "error",
                    "file.kind_diag",
                    file=name,
                    ext=suffix or "(none)",
                    allowed=", ".join(SUBMISSION_SUFFIXES),
                )
        except InputError as exc:
            for problem in exc.problems:
                reader.batch.diagnostics.append(problem)
    periods = sorted({s.period for s in reader.batch.submissions if s.period}, key=sort_key)
    if len(periods) > 1:
        reader.diag("info", "sub.periods", periods=", ".join(periods), count=len(periods))
    return reader.batch


def read_table(
    data: bytes, framework: Framework, registry: Registry, *, file: str = "<table>"
) -> Batch:
    """Read a CSV table given as bytes exactly as :func:`load_submissions` reads a ``.csv``
    file shown as ``file``: the same diagnostics, lines and ``files`` digest. The web platform
    scores the submission file it exports this way, so ``maturity score`` on the downloaded
    file gives the same result byte for byte."""
    reader = SubmissionReader(framework, registry)
    try:
        text = _decode(data, file)
    except InputError as exc:
        reader.batch.diagnostics.extend(exc.problems)
        return reader.batch
    reader.batch.files[file] = "sha256:" + hashlib.sha256(data).hexdigest()
    reader.read_csv(text, file)
    return reader.batch


def _read_bytes(path: Path, name: str) -> bytes:
    """The file's bytes, bounded in size: read once, then hashed and decoded."""
    try:
        size = path.stat().st_size
        if size > MAX_SUBMISSION_BYTES:
            raise InputError(
                [Problem.at(Location(name), "file.too_big", size=size, limit=MAX_SUBMISSION_BYTES)]
            )
        return path.read_bytes()
    except OSError as exc:
        why = exc.strerror or str(exc)
        raise InputError([Problem.at(Location(name), "file.unreadable", why=why)]) from None


def _decode(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError([Problem.at(Location(name, line, 1), "file.encoding")]) from None


def read_mapping(
    data: Mapping[str, Any],
    framework: Framework,
    registry: Registry,
    *,
    file: str = "<input>",
    cells: Mapping[str, str] | None = None,
) -> Batch:
    """Read one unit's submission given as data (the shape of a YAML/JSON submission file:
    ``unit``, ``period``, ``values``, ``not_applicable``, ``evidence``, optionally ``locale``),
    as the web platform and other callers receive it; problems become diagnostics, never
    exceptions.

    Values may be text as typed (read by the same rules as a file) or typed numbers and
    booleans (a spreadsheet's numeric cell). ``cells`` names where each value sits (input id
    -> e.g. ``"Nhập liệu!D14"``); diagnostics about a value then carry it as their column."""
    reader = SubmissionReader(framework, registry)
    reader.read_data(data, file, dict(cells or {}))
    return reader.batch
