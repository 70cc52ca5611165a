"""One error hierarchy for the whole project.

Every error carries its location as data; ``str()`` renders
``file:line:col: key.path: what is wrong. What is allowed.``
The library raises these and never prints or exits; only :mod:`maturity.cli`
turns them into messages and exit codes (1 for bad input, 2 for usage).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def display_path(path: Path) -> str:
    """A path as messages show it: relative to the working folder when it is inside it,
    else as given (the one place that decides, so every message names a file alike)."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@dataclass(frozen=True, order=True)
class Location:
    """Where something is in an input file. Fields that are unknown stay empty (0 or "").

    ``path`` is a key path inside a document (``indicators[3].cutoffs``); ``cell`` a
    spreadsheet column or cell (``C (dossiers_online)``, ``Nhập liệu!D14``).
    """

    file: str = ""
    line: int = 0
    col: int = 0
    path: str = ""
    cell: str = ""

    def __str__(self) -> str:
        parts: list[str] = []
        if self.file:
            where = self.file
            if self.line:
                where += f":{self.line}"
                if self.col:
                    where += f":{self.col}"
            parts.append(where)
        if self.path:
            parts.append(self.path)
        return ": ".join(parts)


SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Problem:
    """One located problem: what every validation report and every diagnostic of a batch is.

    A problem carries its message as a catalogue ``code`` and its ``args``, never as text:
    :attr:`message` renders it in the current language when it is shown, so one result can
    be shown in Vietnamese and in English without being computed again. It also names the
    unit, indicator, input and consistency check it is about, where there is one.
    """

    location: Location
    code: str
    args: Mapping[str, Any] = field(default_factory=dict, hash=False)
    severity: str = "error"  # "error" | "warning" | "info"
    unit: str | None = None
    indicator: str | None = None
    input: str | None = None
    check: str | None = None
    detail: str = ""  # extra lines, e.g. a formula with a caret under the offending text

    @classmethod
    def at(
        cls,
        location: Location,
        code: str,
        *,
        severity: str = "error",
        unit: str | None = None,
        indicator: str | None = None,
        input: str | None = None,
        check: str | None = None,
        detail: str = "",
        **args: Any,
    ) -> Problem:
        """The problem ``code`` at ``location``, its message's arguments as keywords.

        >>> p = Problem.at(Location("a.csv", 3), "unit.no_id")
        >>> print(p)
        a.csv:3: a submission without a unit id is skipped. Add the unit's code.
        >>> p.text("vi")
        'bỏ qua bản khai không có mã đơn vị. Hãy ghi mã đơn vị.'
        """
        if severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, got {severity!r}")
        return cls(location, code, args, severity, unit, indicator, input, check, detail)

    def text(self, lang: str | None = None) -> str:
        """The message in ``lang`` (default: the current language)."""
        from maturity.i18n import t

        fields = {
            "unit": self.unit,
            "input": self.input,
            "indicator": self.indicator,
            "check": self.check,
        }
        return t(self.code, lang, **{**fields, **self.args})

    @property
    def message(self) -> str:
        """The message in the current language."""
        return self.text()

    @property
    def file(self) -> str | None:
        return self.location.file or None

    @property
    def line(self) -> int | None:
        return self.location.line or None

    @property
    def column(self) -> str | None:
        return self.location.cell or None

    def __str__(self) -> str:
        message = self.message
        head = f"{self.location}: {message}" if str(self.location) else message
        return head + (f"\n{self.detail}" if self.detail else "")

    def sort_key(self) -> tuple[str, int, int, str, str, str]:
        """Order of a validation report: by place, then by what (in one language, so that
        the order is the same whatever language the report is shown in)."""
        loc = self.location
        return (loc.file, loc.line, loc.col, loc.path, self.code, self.text("en"))

    def diagnostic_key(self) -> tuple[str, str, int, str, str, str]:
        """Order of a batch's diagnostics: by file, unit, line, indicator, code, message."""
        return (
            self.location.file,
            self.unit or "",
            self.location.line,
            self.indicator or "",
            self.code,
            self.text("en"),
        )


class MaturityError(Exception):
    """Base class of every error the library raises on purpose."""

    exit_code = 1


class UsageError(MaturityError):
    """The command was called wrongly (bad option combination, unknown unit id asked for)."""

    exit_code = 2


@dataclass
class InputError(MaturityError):
    """One or more located problems in input files (rule files, submissions, tests)."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        # the same defect seen twice (e.g. a formula checked for two tiers) is reported once
        unique = {(p.sort_key(), p.detail): p for p in self.problems}
        self.problems = sorted(unique.values(), key=Problem.sort_key)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class FormulaError(MaturityError):
    """A formula that does not parse or does not make sense; carries source and span."""

    def __init__(self, message: str, source: str, start: int, end: int | None = None) -> None:
        self.message = message
        self.source = source
        self.start = start
        self.end = start + 1 if end is None or end <= start else end
        super().__init__(self.render())

    def caret(self) -> str:
        """The formula with a ``~~~^`` marker under the offending text."""
        width = max(1, self.end - self.start)
        marker = " " * self.start + "~" * (width - 1) + "^"
        return f"    {self.source}\n    {marker}"

    def render(self) -> str:
        return f"{self.message}\n{self.caret()}"
