"""A small, language-neutral document model: what every output of the tool is made of before
it is written in a format.

A :class:`Document` is a list of blocks (a headline with its key facts, headings, paragraphs,
tables, preformatted lines) for people, plus the ``data`` a machine format writes (JSON) and
the ``records`` a table format writes (CSV). Texts in blocks may be messages not yet rendered
(:data:`maturity.i18n.Text`): a writer renders them in the current language. Builders
(``render/results.py``, ``render/explain.py``...) make documents from typed results; writers
(``render/writers/``) turn a document into text, one writer per format.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from maturity.i18n import Text


@dataclass(frozen=True)
class Headline:
    """The document's title and its key facts (a unit's score, level and why)."""

    title: Text
    facts: Sequence[Text] = ()


@dataclass(frozen=True)
class Title:
    """A title shown on its own (Markdown shows it as the page's first heading)."""

    text: Text


@dataclass(frozen=True)
class Heading:
    """A section's heading; ``level`` 3 for a section within a section."""

    text: Text
    level: int = 2


@dataclass(frozen=True)
class Paragraph:
    text: Text


@dataclass(frozen=True)
class Bullets:
    items: Sequence[Text]


@dataclass(frozen=True)
class Table:
    """A table for people: ``empty`` is shown instead when there is no row."""

    headers: Sequence[Text]
    rows: Sequence[Sequence[Any]]
    empty: Text | None = None


@dataclass(frozen=True)
class Preformatted:
    """Lines shown exactly as they are (a trace, a diff)."""

    lines: Sequence[str]


Block = Headline | Title | Heading | Paragraph | Bullets | Table | Preformatted


@dataclass(frozen=True)
class Only:
    """A block shown only by some writers (a page title Markdown shows and a terminal does
    not need)."""

    formats: frozenset[str]
    block: Block


@dataclass
class Records:
    """Rows for a table format (CSV): a header and one row per record."""

    header: Sequence[str]
    rows: Sequence[Sequence[Any]]


class Document:
    """Everything one output holds: ``blocks`` for people, ``data`` for JSON, ``records``
    for CSV. Each may be given as a function that makes it, called only when a writer asks
    (a national result need not build its JSON to be shown as a table). ``json_lines``
    names the top-level lists of ``data`` that the JSON writer puts one item per line (so
    that a national result stays small and a diff of two results shows units)."""

    def __init__(
        self,
        blocks: list[Block | Only] | Callable[[], list[Block | Only]] | None = None,
        data: Any = None,
        records: Records | Callable[[], Records] | None = None,
        json_lines: tuple[str, ...] = (),
        source: tuple[str, Any] | None = None,
    ) -> None:
        self._blocks = blocks if blocks is not None else []
        self._data = data
        self._records = records
        self.json_lines = json_lines
        # what the document was made from, for a writer that lays out more than blocks and
        # data (a workbook): a kind ("results", "explanation") and its typed result
        self.source = source

    @property
    def blocks(self) -> list[Block | Only]:
        if callable(self._blocks):
            self._blocks = self._blocks()
        return self._blocks

    @property
    def data(self) -> Any:
        if callable(self._data):
            self._data = self._data()
        return self._data

    @property
    def records(self) -> Records | None:
        if callable(self._records):
            self._records = self._records()
        return self._records

    def add(self, *blocks: Block | Only) -> Document:
        self.blocks.extend(blocks)
        return self
