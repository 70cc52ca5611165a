"""One error hierarchy for the whole project.

Every error carries its location as data; ``str()`` renders
``file:line:col: key.path: what is wrong. What is allowed.``
The library raises these and never prints or exits; only :mod:`maturity.cli`
turns them into messages and exit codes (1 for bad input, 2 for usage).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Location:
    """Where something is in an input file. Fields that are unknown stay ``None``/empty."""

    file: str = ""
    line: int = 0
    col: int = 0
    path: str = ""  # dotted key path inside the document, e.g. ``indicators[3].cutoffs``

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


@dataclass(frozen=True)
class Problem:
    """One located problem in an input: the unit of every validation report."""

    location: Location
    message: str
    code: str = "invalid"
    severity: str = "error"  # "error" | "warning"
    detail: str = ""  # extra lines, e.g. a formula with a caret under the offending text

    def __str__(self) -> str:
        head = f"{self.location}: {self.message}" if str(self.location) else self.message
        return head + (f"\n{self.detail}" if self.detail else "")

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (loc.file, loc.line, loc.col, loc.path, self.message)


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
