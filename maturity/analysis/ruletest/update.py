"""Accepting an intended change (``maturity test --update``): the expected values of the
failing cases are rewritten in place, as the results now are.

The files are edited as text, never dumped again: each expected value that failed is found
in the YAML source (its start and end, by composing the file) and only those characters are
replaced, so comments, key order, quoting, flow or block style and line endings stay as the
author wrote them, and ``git diff`` shows only the numbers that changed. A number is written
with the fewest decimals that keep it well within the case's margin (half of it), so a file
whose numbers are rounded to 4 decimals under ``margin: 1.0e-4`` stays so.

What cannot be rewritten is said, not guessed: a diagnostic expected that did not occur (the
expectation itself would have to go), two cases sharing one written value (a YAML anchor)
that now disagree, a file that changed since it was read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from maturity.analysis.ruletest.collect import Case, Expectation
from maturity.analysis.ruletest.run import Failure, Report
from maturity.framework.yaml_loader import PathKey

_BOM = "\ufeff"


_DECIMALS = re.compile(r"^[+-]?\d+\.(\d+)$")


@dataclass(frozen=True)
class Edit:
    """One expected value rewritten: characters ``start:end`` of the file become ``text``."""

    start: int
    end: int
    text: str
    case: str  # file:line of the case
    path: str  # the expectation, as the report names it
    old: Any
    new: Any


@dataclass
class FileUpdate:
    """A test file before and after its expected values were rewritten."""

    path: Path
    display: str
    before: str
    after: str
    edits: list[Edit] = field(default_factory=list)


@dataclass(frozen=True)
class Skipped:
    """A failure that ``--update`` leaves alone; ``reason`` is a catalogue code."""

    case: str
    name: str
    path: str
    reason: str


@dataclass
class UpdatePlan:
    files: list[FileUpdate]
    skipped: list[Skipped]

    @property
    def edits(self) -> int:
        return sum(len(f.edits) for f in self.files)


def number_text(x: float, tolerance: float, written: str = "") -> str:
    """A number as it would be written by hand: with as many decimals as the value it
    replaces (``written``) when that is within half the tolerance of ``x``, else the fewest
    decimals (up to 12) that are; whole numbers without a decimal point.

    >>> number_text(8.695652173913, 1e-4), number_text(10.0, 1e-9), number_text(-0.0, 1e-9)
    ('8.6957', '10', '0')
    >>> number_text(49.535714285714285, 1e-9), number_text(0.5, 0.0)
    ('49.535714286', '0.5')
    >>> number_text(0.0800116, 1e-4, "0.0816"), number_text(122.549, 1e-4, "125")
    ('0.0800', '122.549')
    """
    if float(x).is_integer() and abs(x) < 1e15:
        return str(int(x))
    same = _DECIMALS.match(written.strip())
    if same:
        decimals = len(same.group(1))
        if abs(round(x, decimals) - x) <= tolerance / 2:
            text = f"{round(x, decimals):.{decimals}f}"
            return text[1:] if text.startswith("-") and float(text) == 0 else text
    for decimals in range(13):
        rounded = round(x, decimals)
        if abs(rounded - x) <= tolerance / 2:
            text = f"{rounded:.{decimals}f}".rstrip("0").rstrip(".")
            return "0" if text in ("-0", "") else text
    return repr(float(x))


def _scalar_text(value: Any, exp: Expectation, node: yaml.ScalarNode) -> str:
    if value is None:
        return "null"
    if isinstance(value, str):
        quote = node.style if node.style in ("'", '"') else ""
        return f"{quote}{value}{quote}"
    if isinstance(value, bool):  # pragma: no cover - no expectation compares a bool
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    tolerance = max(exp.margin, exp.relative_margin * abs(float(value)))
    return number_text(float(value), tolerance, str(node.value))


def _find(root: yaml.Node, path: PathKey) -> yaml.Node | None:
    node: yaml.Node | None = root
    for part in path:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if str(k.value) == str(part)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            node = node.value[part] if 0 <= part < len(node.value) else None
        else:
            return None
    return node


def _replacement(node: yaml.Node, value: Any, exp: Expectation) -> tuple[int, int, str] | None:
    """Where the written value is and what replaces it: ``(start, end, text)``."""
    start, end = node.start_mark.index, node.end_mark.index
    if isinstance(node, yaml.SequenceNode):
        if not isinstance(value, list):  # pragma: no cover - only capped_by is a list
            return None
        if node.flow_style or not node.value or not value:
            return start, _flow_end(node), "[" + ", ".join(str(v) for v in value) + "]"
        indent = " " * node.start_mark.column
        items = f"\n{indent}".join(f"- {v}" for v in value)
        return start, node.value[-1].end_mark.index, items
    if not isinstance(node, yaml.ScalarNode):
        return None
    if isinstance(value, list):  # a null capped_by: written as a flow list
        text = "[" + ", ".join(str(v) for v in value) + "]"
    else:
        text = _scalar_text(value, exp, node)
    if start == end:  # an empty value (``level:``): the new one after the colon
        text = " " + text
    return start, end, text


def _flow_end(node: yaml.SequenceNode) -> int:
    """The end of a sequence's own text: a block one ends after its last item (its end mark
    lies after the comments that follow)."""
    if node.flow_style or not node.value:
        return int(node.end_mark.index)
    return int(node.value[-1].end_mark.index)


def _read(path: Path) -> tuple[str, bool]:
    raw = path.read_bytes().decode("utf-8")
    return (raw[1:], True) if raw.startswith(_BOM) else (raw, False)


def plan_update(report: Report) -> UpdatePlan:
    """The rewritten text of every test file with failing cases, and what is left alone."""
    by_file: dict[Path, list[tuple[Case, Failure, Expectation]]] = {}
    skipped: list[Skipped] = []
    for outcome in report.outcomes:
        case = outcome.case
        for failure in outcome.failures:
            exp = failure.expectation
            if case.path is None or exp is None or not exp.source:  # pragma: no cover
                skipped.append(Skipped(case.where, case.name, failure.path, "rt.update.unknown"))
                continue
            by_file.setdefault(case.path.resolve(), []).append((case, failure, exp))
    files: list[FileUpdate] = []
    for path, items in by_file.items():
        update = _update_file(path, items, skipped)
        if update is not None:
            files.append(update)
    return UpdatePlan(files, skipped)


def _update_file(
    path: Path, items: list[tuple[Case, Failure, Expectation]], skipped: list[Skipped]
) -> FileUpdate | None:
    text, bom = _read(path)
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    found_at: dict[tuple[int, int], list[tuple[Case, Edit]]] = {}
    for case, failure, exp in items:
        if exp.kind == "diagnostic" and exp.expected.count is None:
            # expected at least one and none came: the expectation itself would have to go
            skipped.append(Skipped(case.where, case.name, failure.path, "rt.update.no_count"))
            continue
        value = failure.actual
        node = _find(root, exp.source) if root is not None else None
        found = _replacement(node, value, exp) if node is not None else None
        if found is None:  # the file no longer has the value where it was read
            skipped.append(Skipped(case.where, case.name, failure.path, "rt.update.changed"))
            continue
        start, end, new_text = found
        edit = Edit(start, end, new_text, case.where, failure.path, failure.expected, value)
        found_at.setdefault((start, end), []).append((case, edit))
    edits: dict[tuple[int, int], Edit] = {}
    for key, found_here in found_at.items():
        if len({e.text for _, e in found_here}) == 1:
            edits[key] = found_here[0][1]
            continue
        # one value written once (a YAML anchor) that the cases sharing it now disagree on
        for case, e in found_here:
            skipped.append(Skipped(case.where, case.name, e.path, "rt.update.shared"))
    if not edits:
        return None
    after = text
    for start, end in sorted(edits, reverse=True):
        after = after[:start] + edits[(start, end)].text + after[end:]
    ordered = [edits[k] for k in sorted(edits)]
    display = items[0][0].file
    if bom:
        text, after = _BOM + text, _BOM + after
    return FileUpdate(path, display, text, after, ordered)


def write_update(plan: UpdatePlan) -> None:
    """Write every rewritten file (UTF-8, as it was read)."""
    for update in plan.files:
        update.path.write_bytes(update.after.encode("utf-8"))
