"""Verification reports (an evaluator's verified values beside the self-assessed ones) as
documents; and ``score --verified``: the verified results with the report after them."""

from __future__ import annotations

from typing import Any

from maturity.analysis.verification import UnitOutcome, VerificationReport
from maturity.i18n import t
from maturity.i18n.numbers import number, signed
from maturity.render.document import (
    Block,
    Document,
    Heading,
    Only,
    Paragraph,
    Preformatted,
    Records,
    Table,
    Title,
)
from maturity.render.results import num, results_doc
from maturity.render.view import View
from maturity.render.writers import write
from maturity.scoring.results import Results

VERIFY_FORMATS = ("table", "text", "json", "markdown")


def _n(x: float | None, digits: int = 2) -> str:
    return number(x, digits)


def _signed(x: float | None) -> str:
    return signed(x)


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 6) + 0.0


def _outcome_doc(o: UnitOutcome) -> dict[str, Any]:
    return {
        "id": o.id,
        "name": o.name,
        "tier": o.tier,
        "self_assessed": {"score": _r(o.self_score), "level": o.self_level, "rank": o.self_rank},
        "verified": {
            "score": _r(o.verified_score),
            "level": o.verified_level,
            "rank": o.verified_rank,
        },
        "delta": _r(o.delta),
    }


def verification_document(report: VerificationReport) -> dict[str, Any]:
    """The report as plain data: the JSON output."""
    return {
        "framework": report.framework,
        "units": [
            {
                **_outcome_doc(u.outcome),
                "verified_by": u.verified_by,
                "date": u.date,
                "file": u.file,
                "notes": u.notes or None,
                "values": [
                    {
                        "input": v.input,
                        "self_assessed": v.self_value,
                        "self_status": v.self_status,
                        "verified": v.verified_value,
                        "changed": v.changed,
                        "reason": v.reason,
                        "evidence": v.evidence or None,
                    }
                    for v in u.values
                ],
                "indicators": [
                    {
                        "id": d.id,
                        "self_value": _r(d.self_value),
                        "verified_value": _r(d.verified_value),
                        "self_status": d.self_status,
                        "verified_status": d.verified_status,
                        "self_points": _r(d.self_points),
                        "verified_points": _r(d.verified_points),
                        "delta_points": _r(d.delta),
                        "self_level": d.self_level,
                        "verified_level": d.verified_level,
                        "reasons": list(d.reasons),
                    }
                    for d in u.indicators
                ],
            }
            for u in report.units
        ],
        "affected": [_outcome_doc(o) for o in report.affected],
    }


def _level(report: VerificationReport, level: int | None) -> str:
    return f"{level} {report.level_names.get(level, '')}".strip() if level else "—"


_VALUE_COLUMNS = ("input", "label", "self", "verified", "reason")
_INDICATOR_COLUMNS = ("indicator", "name", "value", "level", "points", "delta", "reason")


def explained_doc(explanation: Document, report: VerificationReport) -> Document:
    """``explain --verified``: the explanation, then the unit's verification report (in JSON,
    under a ``verification`` key)."""
    report_doc = verification_doc(report)
    return Document(
        lambda: [*explanation.blocks, *report_doc.blocks],
        data=lambda: dict(sorted({**explanation.data, "verification": report_doc.data}.items())),
        source=("verified", None),
    )


def verification_doc(report: VerificationReport) -> Document:
    """The report: per verified unit, who verified it, self-assessed and verified outcome,
    each value with its reason, each indicator that differs; then the units it moved."""

    def blocks() -> list[Block | Only]:
        fw = report.framework
        out: list[Block | Only] = [
            Title(t("verify.title", framework=fw["id"], version=fw["version"]))
        ]
        if not report.units:
            out.append(Paragraph(t("verify.none")))
        for u in report.units:
            o = u.outcome
            tier = report.tier_labels.get(o.tier, o.tier)
            outcome = t(
                "verify.outcome",
                self_score=_n(o.self_score),
                self_level=_level(report, o.self_level),
                self_rank=o.self_rank or "—",
                score=_n(o.verified_score),
                level=_level(report, o.verified_level),
                rank=o.verified_rank or "—",
                delta=_signed(o.delta),
            )
            by = t("verify.by", by=u.verified_by, date=u.date, file=u.file)
            out += [
                Heading(t("verify.unit", name=o.name, id=o.id, tier=tier)),
                Preformatted([by, outcome, *([u.notes] if u.notes else [])]),
                Heading(t("verify.values"), 3),
                Table(
                    [
                        t(f"verify.col.{c}")
                        for c in ("input", "label", "self", "verified", "reason")
                    ],
                    [
                        [
                            v.input,
                            v.label,
                            _shown(v.self_value, v.boolean)
                            if v.self_status == "ok"
                            else t(f"verify.status.{v.self_status}"),
                            _shown(v.verified_value, v.boolean)
                            if v.verified_value is not None
                            else t("verify.not_accepted"),
                            v.reason + (f" ({v.evidence})" if v.evidence else ""),
                        ]
                        for v in u.values
                    ],
                ),
                Heading(t("verify.indicators"), 3),
                Table(
                    [
                        t(f"verify.col.{c}")
                        for c in (
                            "indicator",
                            "name",
                            "value",
                            "level",
                            "points",
                            "delta",
                            "reason",
                        )
                    ],
                    [
                        [
                            d.id,
                            d.name,
                            f"{_value(d.self_value, d.self_status)} → "
                            f"{_value(d.verified_value, d.verified_status)}",
                            f"{d.self_level or '—'} → {d.verified_level or '—'}",
                            f"{_n(d.self_points)} → {_n(d.verified_points)}",
                            _signed(d.delta),
                            "; ".join(d.reasons),
                        ]
                        for d in u.indicators
                    ],
                    empty=t("verify.no_difference"),
                ),
            ]
        if report.affected:
            arows = [
                [
                    o.id,
                    o.name,
                    report.tier_labels.get(o.tier, o.tier),
                    f"{_n(o.self_score)} → {_n(o.verified_score)}",
                    f"{o.self_level or '—'} → {o.verified_level or '—'}",
                    _signed(o.delta),
                ]
                for o in report.affected
            ]
            columns = ("id", "name", "tier", "score", "level", "delta")
            out += [
                Heading(t("verify.affected")),
                Table([t(f"verify.col.{c}") for c in columns], arows),
            ]
        return out

    return Document(blocks, data=lambda: verification_document(report))


def render_verification(
    report: VerificationReport, fmt: str = "table", tablefmt: str = "simple"
) -> str:
    """The report in a format (``text`` is ``table``)."""
    return write(verification_doc(report), "table" if fmt == "text" else fmt, tablefmt)


def _self_records(records: Records, self_results: Results, report: VerificationReport) -> Records:
    """The score CSV rows with whether a unit was verified, its self-assessed score and level
    and the change of its score by verification."""
    header = list(records.header)
    id_col, score_col = header.index("id"), header.index("score")
    verified = {u.outcome.id for u in report.units}
    rows = []
    for row in records.rows:
        found = self_results.find(row[id_col])
        self_score: float | None = None
        self_level = ""
        if found is not None:
            result, i = found
            self_score = num(result.total[i], 6)
            self_level = str(int(result.level[i]) or "")
        delta = None
        if self_score is not None and row[score_col]:
            delta = num(float(row[score_col]) - self_score, 6)
        rows.append(
            [
                *row,
                "yes" if row[id_col] in verified else "",
                "" if self_score is None else str(self_score),
                self_level,
                "" if delta is None else str(delta),
            ]
        )
    return Records([*header, "verified", "self_score", "self_level", "verification_delta"], rows)


def scores_doc(
    self_results: Results,
    verified_results: Results,
    report: VerificationReport,
    *,
    sort: str = "rank",
    tier: str | None = None,
    view: View | None = None,
) -> Document:
    """``maturity score --verified``: the verified results, with the self-assessed results
    beside them. JSON gains a ``verification`` key (the report); CSV gains the columns
    ``verified``, ``self_score``, ``self_level`` and ``verification_delta``; a table or
    Markdown document is followed by the verification report."""
    scores = results_doc(verified_results, sort=sort, tier=tier, view=view)
    report_doc = verification_doc(report)

    def records() -> Records:
        assert scores.records is not None
        return _self_records(scores.records, self_results, report)

    return Document(
        lambda: [*scores.blocks, *report_doc.blocks],
        data=lambda: {**scores.data, "verification": report_doc.data},
        records=records,
        json_lines=scores.json_lines,
        source=("verified", None),
    )


def render_scores(
    self_results: Results,
    verified_results: Results,
    report: VerificationReport,
    fmt: str,
    *,
    sort: str = "rank",
    tier: str | None = None,
    tablefmt: str = "simple",
) -> str:
    doc = scores_doc(self_results, verified_results, report, sort=sort, tier=tier)
    return write(doc, fmt, tablefmt)


def _shown(x: float | None, boolean: bool) -> str:
    if boolean and x is not None:
        return t("diff.yes") if x else t("diff.no")
    return _n(x)


def _value(x: float | None, status: str) -> str:
    return _n(x) if status == "scored" else t(f"verify.status.{status}")
