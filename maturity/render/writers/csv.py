"""The CSV writer: the document's ``records``, comma-separated, ``\\n`` line ends."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from maturity.render.document import Document

if TYPE_CHECKING:
    from maturity.render.writers import Options


def rows_text(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> str:
    """A header and rows as CSV text."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def write(doc: Document, options: Options) -> str:
    if doc.records is None:
        raise ValueError("this document has no records to write as CSV")
    return rows_text(doc.records.header, doc.records.rows)
