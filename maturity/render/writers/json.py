"""The JSON writer: the document's ``data``, indented, with the lists named in
``json_lines`` one item per line. Machine output: numbers as the builders give them, texts
not translated twice, no locale."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from maturity.render.document import Document

if TYPE_CHECKING:
    from maturity.render.writers import Options

_COMPACT: dict[str, Any] = {"ensure_ascii": False, "separators": (",", ":")}


def dumps(data: Any, *, indent: int | None = 2) -> str:
    """``data`` as JSON text (messages not yet rendered are rendered now)."""
    return json.dumps(data, ensure_ascii=False, indent=indent, default=str)


def write(doc: Document, options: Options) -> str:
    data = doc.data
    if not doc.json_lines or not isinstance(data, dict):
        return dumps(data) + "\n"
    parts = []
    for key, value in data.items():
        if key in doc.json_lines and isinstance(value, list):
            items = ",\n    ".join(json.dumps(v, default=str, **_COMPACT) for v in value)
            body = f"[\n    {items}\n  ]" if value else "[]"
        else:
            body = dumps(value).replace("\n", "\n  ")
        parts.append(f"  {json.dumps(key)}: {body}")
    return "{\n" + ",\n".join(parts) + "\n}\n"
