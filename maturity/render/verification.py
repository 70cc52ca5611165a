"""TODO docstring."""

from __future__ import annotations

import json
import math
from typing import Any

from maturity.analysis.verification import UnitOutcome, VerificationReport
from maturity.i18n import t
from maturity.render.grid import grid
from maturity.scoring.results import Results

VERIFY_FORMATS = ("table", "text", "json", "markdown")


def _n(x: float | None, digits: int = 2) -> str:
    """A number for people.

    >>> _n(76000.0), _n(49.53573), _n(None), _n(-0.0)
    ('76,000', '49.54', '—', '0')
    """
    if x is None or math.isnan(x):
        return "—"
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.{digits}f}".rstrip("0").rstrip(".")


def _signed(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x:+.2f}" if abs(x) > 1e-9 else "0.00"


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


def render_verification(
    report: VerificationReport, fmt: str = "table", tablefmt: str = "simple"
) -> str:
    """The report as text (``table`` or ``text``), JSON or Markdown."""
    if fmt == "json":
        return json.dumps(verification_document(report), ensure_ascii=False, indent=2) + "\n"
    md = fmt == "markdown"
    style = "github" if md else tablefmt
    h1, h2, h3 = ("# ", "## ", "### ") if md else ("", "", "")
    out = [
        h1
        + t("verify.title", framework=report.framework["id"], version=report.framework["version"]),
        "",
    ]
    if not report.units:
        out += [t("verify.none"), ""]
    for u in report.units:
        o = u.outcome
        tier = report.tier_labels.get(o.tier, o.tier)
        out += [h2 + t("verify.unit", name=o.name, id=o.id, tier=tier), ""]
        out.append(t("verify.by", by=u.verified_by, date=u.date, file=u.file))
        out.append(
            t(
                "verify.outcome",
                self_score=_n(o.self_score),
                self_level=_level(report, o.self_level),
                self_rank=o.self_rank or "—",
                score=_n(o.verified_score),
                level=_level(report, o.verified_level),
                rank=o.verified_rank or "—",
                delta=_signed(o.delta),
            )
        )
        if u.notes:
            out.append(u.notes)
        out.append("")
        vh = [t(f"verify.col.{c}") for c in ("input", "label", "self", "verified", "reason")]
        vrows = [
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
        ]
        out += [
            h3 + t("verify.values"),
            "",
            grid(vrows, headers=vh, tablefmt=style, disable_numparse=True),
            "",
        ]
        out.append(h3 + t("verify.indicators"))
        out.append("")
        if u.indicators:
            ih = [
                t(f"verify.col.{c}")
                for c in ("indicator", "name", "value", "level", "points", "delta", "reason")
            ]
            irows = [
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
            ]
            out.append(grid(irows, headers=ih, tablefmt=style, disable_numparse=True))
        else:
            out.append(t("verify.no_difference"))
        out.append("")
    if report.affected:
        ah = [t(f"verify.col.{c}") for c in ("id", "name", "tier", "score", "level", "delta")]
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
        out += [
            h2 + t("verify.affected"),
            "",
            grid(arows, headers=ah, tablefmt=style, disable_numparse=True),
            "",
        ]
    return "\n".join(out).rstrip("\n") + "\n"


def _json_with(text: str, key: str, value: Any) -> str:
    """Add one top-level key at the end of a result JSON written by ``render_json`` (which puts
    one unit per line), keeping its layout."""
    if not text.endswith("\n}\n"):  # pragma: no cover - render_json always ends so
        raise ValueError("not a result document")
    body = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n  ")
    return f"{text[:-3]},\n  {json.dumps(key)}: {body}\n}}\n"


def _csv_with_self(text: str, self_results: Results, report: VerificationReport) -> str:
    """Add whether a unit was verified, its self-assessed score and level and the change of
    its score by verification to each row of a ``render_csv`` table (keyed by ``id``)."""
    import csv
    import io

    from maturity.render.results import num

    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    id_col, score_col = header.index("id"), header.index("score")
    verified = {u.outcome.id for u in report.units}
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([*header, "verified", "self_score", "self_level", "verification_delta"])
    for row in rows[1:]:
        found = self_results.find(row[id_col])
        self_score: float | None = None
        self_level = ""
        if found is not None:
            result, i = found
            self_score = num(result.total[i])
            self_level = str(int(result.level[i]) or "")
        delta = None
        if self_score is not None and row[score_col]:
            delta = num(float(row[score_col]) - self_score)
        writer.writerow(
            [
                *row,
                "yes" if row[id_col] in verified else "",
                "" if self_score is None else str(self_score),
                self_level,
                "" if delta is None else str(delta),
            ]
        )
    return buf.getvalue()


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
    """``maturity score --verified``: the verified results in the usual format, with the
    self-assessed results beside them. JSON gains a ``verification`` key (the report); CSV
    gains the columns ``verified``, ``self_score``, ``self_level`` and ``verification_delta``;
    a table or Markdown document is followed by the verification report."""
    from maturity.render.results import render

    text = render(verified_results, fmt, sort=sort, tier=tier, tablefmt=tablefmt)
    if fmt == "json":
        return _json_with(text, "verification", verification_document(report))
    if fmt == "csv":
        return _csv_with_self(text, self_results, report)
    return text + "\n" + render_verification(report, fmt, tablefmt)


def _shown(x: float | None, boolean: bool) -> str:
    if boolean and x is not None:
        return t("diff.yes") if x else t("diff.no")
    return _n(x)


def _value(x: float | None, status: str) -> str:
    return _n(x) if status == "scored" else t(f"verify.status.{status}")
