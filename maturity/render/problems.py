"""``maturity problems``: a batch's data problems per province, as a checklist to send back
("[ ] severity · unit · input (where): message"), errors first; as JSON, one object per
province with its problems; as CSV, one row per problem."""

from __future__ import annotations

from collections import Counter
from typing import Any

from maturity.errors import Problem
from maturity.framework.needs import affected_indicators
from maturity.i18n import pick, t
from maturity.i18n.numbers import number
from maturity.render.document import (
    Block,
    Bullets,
    Document,
    Heading,
    Only,
    Paragraph,
    Records,
    Title,
)
from maturity.render.summary import by_province, count_text, label, shown_diagnostics, where
from maturity.render.view import SEVERITIES, View
from maturity.scoring.results import Results

_CSV_HEAD = (
    "province",
    "province_name",
    "severity",
    "code",
    "unit",
    "unit_name",
    "input",
    "indicator",
    "check",
    "indicators",
    "file",
    "line",
    "column",
    "message",
)


def _names(results: Results) -> dict[str, str]:
    return {u.id: u.name for r in results.tiers.values() for u in r.units}


def checklist_item(d: Problem, names: dict[str, str]) -> str:
    """One problem as a line of the checklist.

    ``[ ] error · 00004 Phường Ba Đình · dossiers_online (batch.csv:36 [AJ]): …``
    """
    parts = [label(f"severity.{d.severity}")]
    if d.unit:
        parts.append(f"{d.unit} {names.get(d.unit, '')}".strip())
    about = d.input or d.indicator or d.check or ""
    place = where(d)
    head = " · ".join(parts)
    if about:
        head += f" · {about}"
    if place:
        head += f" ({place})"
    return f"[ ] {head}: {d.message}"


def problems_doc(results: Results, view: View | None = None) -> Document:
    """The checklist of ``results``' data problems that ``view`` shows (a province, from a
    severity up)."""
    view = view or View()
    fw = results.framework
    shown = shown_diagnostics(results, view)
    names = _names(results)
    groups = by_province(shown.diagnostics, shown.province)

    def title(province: str | None) -> str:
        if province is None:
            return label("no_unit")
        return f"{province} {names.get(province, '')}".strip()

    def blocks() -> list[Block | Only]:
        counts = Counter(d.severity for d in shown.diagnostics)
        out: list[Block | Only] = [
            Title(t("prob.title", framework=fw.id, version=fw.version)),
            Paragraph(
                t(
                    "prob.summary",
                    problems=number(len(shown.diagnostics), 0),
                    provinces=number(sum(1 for k, _ in groups if k is not None), 0),
                    errors=number(counts["error"], 0),
                    warnings=number(counts["warning"], 0),
                )
                + (" " + t("sum.hidden", count=number(shown.hidden, 0)) if shown.hidden else "")
            ),
        ]
        if not groups:
            out.append(Paragraph(t("prob.none")))
        for province, problems in groups:
            out.append(Heading(f"{title(province)}: {count_text(problems)}"))
            out.append(Bullets([checklist_item(d, names) for d in problems]))
        return out

    def data() -> dict[str, Any]:
        by_input, by_check = affected_indicators(fw)
        return {
            "framework": {"id": fw.id, "version": fw.version, "digest": fw.digest},
            "title": pick(fw.manifest.title),
            "severity": view.lowest(),
            "province": view.province,
            "summary": {
                "problems": len(shown.diagnostics),
                "hidden": shown.hidden,
                "by_severity": _by_severity(shown.diagnostics),
            },
            "provinces": [
                {
                    "id": province,
                    "name": names.get(province) if province else None,
                    "by_severity": _by_severity(problems),
                    "problems": [_record(d, names, by_input, by_check) for d in problems],
                }
                for province, problems in groups
            ],
        }

    def records() -> Records:
        rows: list[list[Any]] = []
        by_input, by_check = affected_indicators(fw)
        for province, problems in groups:
            for d in problems:
                rec = _record(d, names, by_input, by_check)
                rows.append(
                    [
                        province or "",
                        names.get(province, "") if province else "",
                        d.severity,
                        d.code,
                        d.unit or "",
                        rec["unit_name"] or "",
                        d.input or "",
                        d.indicator or "",
                        d.check or "",
                        " ".join(rec["indicators"]),
                        d.file or "",
                        d.line or "",
                        d.column or "",
                        d.message,
                    ]
                )
        return Records(list(_CSV_HEAD), rows)

    return Document(blocks, data=data, records=records, json_lines=("problems",))


def _by_severity(problems: list[Problem]) -> dict[str, int]:
    counts = Counter(d.severity for d in problems)
    return {s: counts[s] for s in SEVERITIES if counts[s]}


def _record(
    d: Problem,
    names: dict[str, str],
    by_input: dict[str, list[str]],
    by_check: dict[str, list[str]],
) -> dict[str, Any]:
    if d.indicator:
        indicators = [d.indicator]
    elif d.input:
        indicators = by_input.get(d.input, [])
    elif d.check:
        indicators = by_check.get(d.check, [])
    else:
        indicators = []
    return {
        "done": False,
        "severity": d.severity,
        "code": d.code,
        "unit": d.unit,
        "unit_name": names.get(d.unit) if d.unit else None,
        "input": d.input,
        "indicator": d.indicator,
        "check": d.check,
        "indicators": indicators,
        "file": d.file,
        "line": d.line,
        "column": d.column,
        "message": d.message,
    }
