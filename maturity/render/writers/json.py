"""The JSON writer: the document's ``data``, indented, with the lists named in
``json_lines`` one item per line. Machine output: numbers as the builders give them, texts
not translated twice, no locale. Written as a stream of chunks: each item of a ``json_lines``
list is encoded on its own (a list or any iterator of items), so a result of a million units
is never one string in memory."""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import islice
from typing import TYPE_CHECKING, Any

from maturity.render.document import Document

if TYPE_CHECKING:
    from maturity.render.writers import Options

_COMPACT: dict[str, Any] = {"ensure_ascii": False, "separators": (",", ":")}
_LINE = json.JSONEncoder(default=str, **_COMPACT)  # one item of a json_lines list
ITEMS_PER_CHUNK = 256


def dumps(data: Any, *, indent: int | None = 2) -> str:
    """``data`` as JSON text (messages not yet rendered are rendered now)."""
    return json.dumps(data, ensure_ascii=False, indent=indent, default=str)


def _lines(items: Any) -> Iterator[str]:
    """A ``json_lines`` list: ``[]``, or ``[`` then one item per line, then ``  ]``."""
    encode = _LINE.encode
    it = iter(items)
    sep = "[\n    "
    while batch := list(islice(it, ITEMS_PER_CHUNK)):
        yield sep + ",\n    ".join(map(encode, batch))
        sep = ",\n    "
    yield "[]" if sep == "[\n    " else "\n  ]"


def _chunks(data: dict[str, Any], lines: tuple[str, ...]) -> Iterator[str]:
    lead = "{\n"
    for key, value in data.items():
        yield f"{lead}  {json.dumps(key)}: "
        lead = ",\n"
        if key in lines and isinstance(value, list | Iterator):
            yield from _lines(value)
        else:
            yield dumps(value).replace("\n", "\n  ")
    yield "\n}\n" if lead == ",\n" else "{\n\n}\n"


def chunks(doc: Document, options: Options) -> Iterator[str]:
    """The document as JSON, chunk by chunk (its data is made at once, so a builder's error
    comes before anything is written)."""
    data = doc.data
    if not doc.json_lines or not isinstance(data, dict):
        return iter([dumps(data) + "\n"])
    return _chunks(data, doc.json_lines)


def write(doc: Document, options: Options) -> str:
    return "".join(chunks(doc, options))
