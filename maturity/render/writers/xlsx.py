"""The Excel writer: a document made from results or from an explanation, as a workbook an
evaluator can sort and filter (``maturity score --format xlsx``, ``explain --format xlsx``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from maturity.errors import UsageError
from maturity.i18n import t
from maturity.render.document import Document

if TYPE_CHECKING:
    from maturity.render.writers import Options


def write(doc: Document, options: Options) -> bytes:
    from maturity.render.xlsx import explanation_workbook, results_workbook

    source: tuple[str, Any] = doc.source if doc.source is not None else ("", ())
    kind, payload = source
    if kind == "results":
        results, sort, tier = payload
        return results_workbook(results, sort=sort, tier=tier)
    if kind == "explanation":
        results, explanation = payload
        return explanation_workbook(results, explanation)
    raise UsageError(t("xlsx.verified" if kind == "verified" else "xlsx.not_a_workbook"))
