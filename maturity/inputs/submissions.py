"""A batch as read: submissions with their values, rejected values and ledgers, the tables they
came from, the files read and their digests, and every diagnostic; with the reader's limits."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from maturity.errors import Problem
from maturity.framework.compiled import Framework
from maturity.i18n import Message, Text

MAX_SUBMISSION_BYTES = 64 * 1024 * 1024

MAX_CELL_CHARS = 64 * 1024  # a long note fits; more is not a value anyone typed

MAX_SUGGESTIONS = 50  # "did you mean" for unknown units: the first ones of a batch only


SUBMISSION_SUFFIXES = (".yaml", ".yml", ".json", ".csv", ".xlsx")


@dataclass(slots=True)
class Ledger:
    """What became of every value one unit (or one unreadable row) submitted:
    ``submitted == used + rejected + ignored``, each rejected or ignored value with its
    diagnostic. ``unit`` is the id as resolved (or as written, when it is not known)."""

    unit: str
    file: str
    line: int
    submitted: int = 0
    used: int = 0
    rejected: int = 0
    ignored: int = 0

    @property
    def balanced(self) -> bool:
        return self.submitted == self.used + self.rejected + self.ignored


@dataclass(slots=True)
class Submission:
    """What one unit reported for one period.

    ``values`` read from files is a read-only mapping: to change a submission, make a new one
    (``dataclasses.replace(sub, values={...})``). A submission read from a CSV table also knows
    its row (``source``), so the engine can take whole columns from the table; a replaced
    submission has no ``source`` and is read value by value.
    """

    unit: str
    period: str
    values: Mapping[str, float]  # accepted values, by input id
    invalid: dict[str, Text] = field(default_factory=dict)  # input id -> why it was rejected
    not_applicable: dict[str, str] = field(default_factory=dict)  # indicator id -> reason
    evidence: dict[str, str] = field(default_factory=dict)
    file: str = ""
    line: int = 0
    ledger: Ledger | None = field(default=None, repr=False, compare=False)
    written: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    source: TableRow | None = field(default=None, init=False, repr=False, compare=False)


F64 = NDArray[np.float64]


class Table:
    """The accepted numbers of one CSV table, column by column (NaN where a row has no
    accepted value), for the rows that became submissions, as read for ``framework``."""

    def __init__(self, size: int, framework: Framework) -> None:
        self.size = size
        self.framework = framework
        self.columns: dict[str, F64] = {}

    def put(self, name: str, column: F64) -> None:
        self.columns[name] = column

    def patch(self, name: str, row: int, value: float) -> None:
        """A value accepted by the careful per-cell path (e.g. ``94,5``)."""
        column = self.columns.get(name)
        if column is None:
            column = self.columns[name] = np.full(self.size, np.nan)
        column[row] = value


@dataclass(frozen=True)
class TableRow:
    """Where a submission's values sit in a :class:`Table`; valid while ``values`` is still
    the very mapping the reader made (it is read-only, so it cannot change in place)."""

    table: Table
    row: int
    values: Mapping[str, float]


@dataclass
class Batch:
    """Submissions read from one or more files, plus everything noticed on the way."""

    submissions: list[Submission] = field(default_factory=list)
    diagnostics: list[Problem] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # display name -> sha256
    ledgers: list[Ledger] = field(default_factory=list)  # one per unit or unreadable row


@dataclass(slots=True)
class Entry:
    """One submitted value as written, with where it is; ``reject`` or ``ignore`` set by a
    reader that already knows the value cannot be used (a conflicting duplicate, say)."""

    name: str
    raw: Any
    line: int | None = None
    cell: str | None = None
    reject: Message | None = None
    ignore: Message | None = None
    reported: bool = False  # the reader already reported it (an unknown column, once per file)
