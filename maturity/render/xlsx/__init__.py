"""Excel workbooks written: the self-assessment template, and results and explanations as
workbooks an evaluator can sort and filter (docs/excel.md)."""

from __future__ import annotations

from maturity.inputs.xlsx import _messages as _messages  # registers the texts
from maturity.render.xlsx.explanation import explanation_workbook
from maturity.render.xlsx.results import results_workbook
from maturity.render.xlsx.template import template_files, template_workbook

__all__ = ["explanation_workbook", "results_workbook", "template_files", "template_workbook"]
