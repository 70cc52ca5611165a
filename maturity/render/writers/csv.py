"""The CSV writer: the document's ``records``, comma-separated, ``\\n`` line ends, written
as a stream of chunks of rows (a large result is never one string in memory)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import TYPE_CHECKING, Any

from maturity.render.document import Document

if TYPE_CHECKING:
    from maturity.render.writers import Options

ROWS_PER_CHUNK = 512


def rows_chunks(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """A header and rows as CSV text, a few hundred rows at a time."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    it = iter(rows)
    while True:
        batch = list(islice(it, ROWS_PER_CHUNK))
        writer.writerows(batch)
        text = buf.getvalue()
        if text:
            yield text
        if len(batch) < ROWS_PER_CHUNK:
            return
        buf.seek(0)
        buf.truncate()


def rows_text(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> str:
    """A header and rows as CSV text."""
    return "".join(rows_chunks(header, rows))


def chunks(doc: Document, options: Options) -> Iterator[str]:
    """The document as CSV, chunk by chunk (the records are asked for at once, so a document
    without them fails before anything is written)."""
    if doc.records is None:
        raise ValueError("this document has no records to write as CSV")
    return rows_chunks(doc.records.header, doc.records.rows)


def write(doc: Document, options: Options) -> str:
    return "".join(chunks(doc, options))
