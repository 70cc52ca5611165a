"""The Excel reader's door into the layers below it (framework, inputs, i18n): the names the
workbook modules use, in one place."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from maturity import __version__
from maturity.errors import Location, Problem, UsageError
from maturity.framework.compiled import Framework
from maturity.framework.model import Indicator, Input
from maturity.framework.needs import TemplateInput, template_inputs
from maturity.i18n import language, pick, set_language, t
from maturity.i18n.catalogue import MESSAGES
from maturity.inputs.reader import LONG_FIELD_COLUMNS, UNIT_COLUMNS, SubmissionReader
from maturity.inputs.submissions import MAX_SUBMISSION_BYTES, Batch
from maturity.inputs.units import Registry, Unit

ENGINE_VERSION = __version__
Diagnostic = Problem


def read_data(
    reader: SubmissionReader, data: dict[str, Any], file: str, cells: dict[str, str]
) -> None:
    """One unit's submission given as data (typed cells as Python numbers and booleans),
    read into ``reader``'s batch; diagnostics about a value carry its cell."""
    reader.read_data(data, file, cells)


def diagnostic(
    severity: str,
    code: str,
    args: Mapping[str, Any],
    *,
    unit: str | None,
    indicator: str | None,
    input_id: str | None,
    file: str,
    cell: str | None,
) -> Problem:
    """A located problem about a workbook cell: message ``code`` with ``args``."""
    rest = {k: v for k, v in args.items() if k not in ("unit", "input", "indicator", "check")}
    return Problem.at(
        Location(file, cell=cell or ""),
        code,
        severity=severity,
        unit=unit,
        indicator=indicator,
        input=input_id,
        **rest,
    )


def cell_of(d: Problem) -> str | None:
    """The cell (or CSV column) a problem names, if any."""
    return d.location.cell or None


def at_cell(d: Problem, cell: str) -> Problem:
    """The same problem, naming ``cell``."""
    import dataclasses

    return dataclasses.replace(d, location=dataclasses.replace(d.location, cell=cell))


__all__ = [
    "ENGINE_VERSION",
    "LONG_FIELD_COLUMNS",
    "MAX_SUBMISSION_BYTES",
    "MESSAGES",
    "UNIT_COLUMNS",
    "Batch",
    "Diagnostic",
    "Framework",
    "Indicator",
    "Input",
    "Registry",
    "SubmissionReader",
    "TemplateInput",
    "Unit",
    "UsageError",
    "at_cell",
    "cell_of",
    "diagnostic",
    "language",
    "pick",
    "read_data",
    "set_language",
    "t",
    "template_inputs",
]
