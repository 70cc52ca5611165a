"""JSON read the way the YAML loader reads YAML: duplicate keys rejected, every value located
(line and column), numbers kept as their source text, ``NaN``/``Infinity`` refused.

Python's ``json`` decides what is valid JSON (its messages locate syntax errors); a small scan
of the same, now known-valid, text then records where each value starts, so a diagnostic can
name the line of a value or of a duplicate key.
"""

from __future__ import annotations

import json
import re
from typing import Any

from maturity.errors import InputError, Location, Problem
from maturity.framework.yaml_loader import MAX_DEPTH, Document, PathKey

_WS = " \t\r\n"


_scanstring: Any = json.decoder.scanstring  # type: ignore[attr-defined]  # public, untyped


class _Number(str):
    """A JSON number as written (``1.000`` stays ``1.000``)."""


def _reject_constant(name: str) -> Any:
    raise ValueError(name)


def load_json_text(text: str, file: str) -> Document:
    """Parse JSON text into a :class:`~maturity._yaml.Document`; :class:`InputError` on any
    problem (syntax, duplicate keys, non-finite constants, nesting deeper than the limit)."""
    try:
        json.loads(
            text,
            parse_constant=_reject_constant,
            parse_float=_Number,
            parse_int=_Number,
        )
    except json.JSONDecodeError as exc:
        raise InputError(
            [Problem.at(Location(file, exc.lineno, exc.colno), "sub.json", what=exc.msg)]
        ) from None
    except ValueError as exc:  # a NaN or Infinity constant: find it for the message
        found = re.search(r"(?<![\w\"])(NaN|-?Infinity)(?![\w\"])", text)
        line = text.count("\n", 0, found.start()) + 1 if found else 1
        col = found.start() - text.rfind("\n", 0, found.start()) if found else 1
        raise InputError(
            [Problem.at(Location(file, line, col), "json.constant", name=str(exc))]
        ) from None
    except RecursionError:
        raise InputError(
            [Problem.at(Location(file, 1, 1), "yaml.too_deep", limit=MAX_DEPTH)]
        ) from None
    scan = _Scan(text, file)
    try:
        data = scan.value((), 0)
    except _StopError:
        raise InputError(scan.problems) from None
    if scan.problems:
        raise InputError(scan.problems)
    doc = Document(file, data, text)
    doc.marks, doc.key_marks, doc.texts = scan.marks, scan.key_marks, scan.texts
    return doc


class _Scan:
    """A scan of valid JSON recording positions; builds the data too (with duplicate keys
    reported, numbers as floats and their text kept)."""

    def __init__(self, text: str, file: str) -> None:
        self.s = text
        self.i = 0
        self.file = file
        self.line = 1
        self.line_start = 0
        self.marks: dict[PathKey, tuple[int, int]] = {}
        self.key_marks: dict[PathKey, tuple[int, int]] = {}
        self.texts: dict[PathKey, Any] = {}
        self.problems: list[Problem] = []
        self.decoder = json.JSONDecoder()

    def skip(self) -> None:
        s, n = self.s, len(self.s)
        while self.i < n and s[self.i] in _WS:
            if s[self.i] == "\n":
                self.line += 1
                self.line_start = self.i + 1
            self.i += 1

    def here(self) -> tuple[int, int]:
        return self.line, self.i - self.line_start + 1

    def string(self) -> str:
        value, end = _scanstring(self.s, self.i + 1)
        # a JSON string holds no raw newline, so the line does not change
        self.i = end
        return str(value)

    def value(self, path: PathKey, depth: int) -> Any:
        self.skip()
        if depth > MAX_DEPTH:
            line, col = self.here()
            self.problems.append(
                Problem.at(Location(self.file, line, col), "yaml.too_deep", limit=MAX_DEPTH)
            )
            raise _StopError
        self.marks[path] = self.here()
        ch = self.s[self.i]
        if ch == "{":
            return self.obj(path, depth)
        if ch == "[":
            return self.arr(path, depth)
        if ch == '"':
            text = self.string()
            self.texts[path] = text
            return text
        for word, value in (("true", True), ("false", False), ("null", None)):
            if self.s.startswith(word, self.i):
                self.i += len(word)
                self.texts[path] = value
                return value
        number, end = self.decoder.raw_decode(self.s, self.i)
        written = self.s[self.i : end]
        self.i = end
        self.texts[path] = written
        return float(number)

    def obj(self, path: PathKey, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        self.i += 1
        self.skip()
        if self.s[self.i] == "}":
            self.i += 1
            return out
        while True:
            self.skip()
            where = self.here()
            key = self.string()
            self.skip()
            self.i += 1  # ':'
            duplicate = key in out
            if duplicate:
                first = self.key_marks.get((*path, key), (0, 0))
                self.problems.append(
                    Problem.at(
                        Location(self.file, *where), "yaml.duplicate_key", key=key, line=first[0]
                    )
                )
                self.value((*path, "\x00dup", key), depth + 1)
            else:
                self.key_marks[(*path, key)] = where
                out[key] = self.value((*path, key), depth + 1)
            self.skip()
            ch = self.s[self.i]
            self.i += 1
            if ch == "}":
                return out

    def arr(self, path: PathKey, depth: int) -> list[Any]:
        out: list[Any] = []
        self.i += 1
        self.skip()
        if self.s[self.i] == "]":
            self.i += 1
            return out
        while True:
            out.append(self.value((*path, len(out)), depth + 1))
            self.skip()
            ch = self.s[self.i]
            self.i += 1
            if ch == "]":
                return out


class _StopError(Exception):
    pass
