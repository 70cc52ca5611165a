"""Excel workbooks as submissions: the self-assessment template's layout and plain tables in a
first sheet, read back with every problem located at its cell (docs/excel.md). The texts of
this package are registered into the catalogue on import."""

from __future__ import annotations

from maturity.inputs.xlsx import _messages as _messages  # registers the texts
from maturity.inputs.xlsx.load import load_workbook
from maturity.inputs.xlsx.reader import read_workbook

__all__ = ["load_workbook", "read_workbook"]
