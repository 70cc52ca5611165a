"""One writer per format, in one registry: a writer turns a :class:`Document` into text.

Adding a format is one writer module and one :func:`register` call (or an entry in
:data:`WRITERS`); every command that offers ``--format`` then accepts it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from maturity.render.document import Document
from maturity.render.writers import csv as _csv
from maturity.render.writers import json as _json
from maturity.render.writers import markdown as _markdown
from maturity.render.writers import text as _text


@dataclass(frozen=True)
class Options:
    """What a writer may be asked: the table style of the text writer (a tabulate format)."""

    tablefmt: str = "simple"


Writer = Callable[[Document, Options], str | bytes]


def _xlsx(doc: Document, options: Options) -> bytes:
    from maturity.render.writers.xlsx import write as write_xlsx  # openpyxl: only when asked

    return write_xlsx(doc, options)


WRITERS: dict[str, Writer] = {
    "table": _text.write,
    "markdown": _markdown.write,
    "json": _json.write,
    "csv": _csv.write,
    "xlsx": _xlsx,
}
BINARY = {"xlsx"}
"""Formats whose writers give bytes (a file, never the terminal)."""

Streamer = Callable[[Document, Options], Iterator[str]]

STREAMERS: dict[str, Streamer] = {"json": _json.chunks, "csv": _csv.chunks}
"""Formats that can be written chunk by chunk, unit by unit (the same text as their writer's,
never held whole in memory)."""


def register(name: str, writer: Writer) -> None:
    """Make ``name`` a format every command can write."""
    WRITERS[name] = writer
    STREAMERS.pop(name, None)


def write(doc: Document, fmt: str, tablefmt: str = "simple") -> str:
    """``doc`` written in a text format ``fmt``."""
    out = WRITERS[fmt](doc, Options(tablefmt))
    if isinstance(out, bytes):
        raise TypeError(f"format {fmt!r} writes bytes: use write_bytes")
    return out


def write_any(doc: Document, fmt: str, tablefmt: str = "simple") -> str | bytes:
    """``doc`` written in format ``fmt``: text, or bytes for a binary format."""
    return WRITERS[fmt](doc, Options(tablefmt))


def stream(doc: Document, fmt: str, tablefmt: str = "simple") -> Iterator[str] | bytes:
    """``doc`` in format ``fmt`` as chunks of text to write one after the other (the same
    text as :func:`write_any`), or bytes for a binary format."""
    streamer = STREAMERS.get(fmt)
    if streamer is not None:
        return streamer(doc, Options(tablefmt))
    out = WRITERS[fmt](doc, Options(tablefmt))
    return out if isinstance(out, bytes) else iter([out])
