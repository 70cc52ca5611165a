"""Reading submissions from files, folders, mappings and tables: every submission file kind
goes through one reader, so the same value is accepted or rejected the same way wherever it
comes from."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TextIO

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
        _read_file(reader, path, name)
    periods = sorted({s.period for s in reader.batch.submissions if s.period}, key=sort_key)
    if len(periods) > 1:
        reader.diag("info", "sub.periods", periods=", ".join(periods), count=len(periods))
    return reader.batch


def _read_file(reader: SubmissionReader, path: Path, name: str) -> None:
    """One CSV, JSON or YAML submission file, its problems as diagnostics."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":  # any size: checked, then read a chunk of rows at a time
            reader.batch.files[name], bad = _check_text(path, name)
            if bad is not None:  # not UTF-8: hashed, as any file read, but not read
                raise bad
            with _open_text(path, name) as stream:
                try:
                    reader.read_csv(stream, name)
                except OSError as exc:  # the file went away or changed while read
                    raise _unreadable(name, exc) from None
            return
        raw = _read_bytes(path, name)
        reader.batch.files[name] = "sha256:" + hashlib.sha256(raw).hexdigest()
        text = _decode(raw, name)
        if suffix == ".json":
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


_BLOCK = 1 << 20


def _unreadable(name: str, exc: OSError) -> InputError:
    why = exc.strerror or str(exc)
    return InputError([Problem.at(Location(name), "file.unreadable", why=why)])


def _check_text(path: Path, name: str) -> tuple[str, InputError | None]:
    """A text file's digest, and the error of its first byte that is not UTF-8 (as
    :func:`_decode` says): read a block at a time, so a table of any size costs one block of
    memory."""
    digest = hashlib.sha256()
    bad: InputError | None = None
    carry = b""
    newlines = 0
    try:
        with path.open("rb") as fh:
            while block := fh.read(_BLOCK):
                digest.update(block)
                data = carry + block
                cut = data.rfind(b"\n") + 1  # a line break never falls inside a character
                whole, carry = (data[:cut], data[cut:]) if cut else (b"", data)
                if len(carry) > _BLOCK:  # no line break for a while: check what is whole
                    keep = len(carry) - 3
                    while keep > 0 and carry[keep] & 0xC0 == 0x80:
                        keep -= 1
                    whole, carry = whole + carry[:keep], carry[keep:]
                bad = bad or _check_utf8(whole, name, newlines)
                newlines += whole.count(b"\n")
        bad = bad or _check_utf8(carry, name, newlines)
    except OSError as exc:
        raise _unreadable(name, exc) from None
    return "sha256:" + digest.hexdigest(), bad


def _check_utf8(data: bytes, name: str, newlines: int) -> InputError | None:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = newlines + data[: exc.start].count(b"\n") + 1
        return InputError([Problem.at(Location(name, line, 1), "file.encoding")])
    return None


def _open_text(path: Path, name: str) -> TextIO:
    try:
        # newline="": a lone '\r' (old spreadsheets) ends a line instead of failing the reader
        return path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise _unreadable(name, exc) from None


def _read_bytes(path: Path, name: str) -> bytes:
    """The file's bytes, bounded in size (a YAML or JSON file is parsed whole): read once,
    then hashed and decoded."""
    try:
        size = path.stat().st_size
        if size > MAX_SUBMISSION_BYTES:
            raise InputError(
                [Problem.at(Location(name), "file.too_big", size=size, limit=MAX_SUBMISSION_BYTES)]
            )
        return path.read_bytes()
    except OSError as exc:
        raise _unreadable(name, exc) from None


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
