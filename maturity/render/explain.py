"""Explanations and what-if comparisons as documents (the writers give text, Markdown, JSON,
CSV or a workbook), and the JSON record of an explanation."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from maturity.analysis.compare import Since
from maturity.analysis.explain import (
    Explanation,
    GateCause,
    IndicatorExplanation,
    NaturalGap,
    PathStep,
    RejectedValue,
)
from maturity.framework.compiled import Framework
from maturity.i18n import pick, t
from maturity.i18n.numbers import number, percent, signed
from maturity.render.document import (
    Block,
    Document,
    Heading,
    Headline,
    Only,
    Paragraph,
    Table,
    Title,
)
from maturity.render.writers import write
from maturity.scoring.results import Results


def _n(x: float | None, digits: int = 2) -> str:
    return number(x, digits)


def _answer(fw: Framework, input_id: str, level: float) -> str:
    """An ordinal answer as a person reads it: ``2 (Dedicated, with an IT qualification)``."""
    inp = fw.inputs.get(input_id)
    meaning = (inp.choices or {}).get(str(int(level))) if inp is not None else None
    return f"{_n(level)} ({pick(meaning)})" if meaning is not None else _n(level)


def _suffix(unit: str) -> str:
    """What follows a number of this unit of measure: ``%`` (no space), `` dossiers``."""
    return unit if unit in ("", "%") else " " + unit


def natural_text(fw: Framework, gap: NaturalGap) -> str:
    """The gap in the lever input's own terms: a count reads as its change, a yes/no input as
    the answer it needs, an ordinal input as the level it needs (with the answer's meaning)."""
    inp = fw.inputs.get(gap.input)
    label = pick(inp.label) if inp else gap.input
    if inp is not None and inp.type == "boolean":
        out = t(
            "x.natural_yesno",
            label=label,
            current=t("x.yes" if gap.current else "x.no"),
            needed=t("x.yes" if gap.needed else "x.no"),
        )
    elif inp is not None and inp.type == "ordinal":
        out = t(
            "x.natural_level",
            label=label,
            current=_answer(fw, gap.input, gap.current),
            needed=_answer(fw, gap.input, gap.needed),
        )
    else:
        delta = gap.delta
        out = t(
            "x.natural",
            sign="+" if delta >= 0 else "−",
            delta=_n(abs(delta)),
            label=label,
            current=_n(gap.current),
            needed=_n(gap.needed),
        )
    if gap.transfer_from:
        src = fw.inputs.get(gap.transfer_from)
        out += t("x.transfer", label=pick(src.label) if src else gap.transfer_from)
    return out


def _gap_text(fw: Framework, ind: IndicatorExplanation) -> str:
    """What the indicator needs for its next level, as a sentence: a yes/no indicator the
    answer it needs, an ordinal one the level it needs ("needs level 2"), a percentage its
    gap in percentage points, anything else its gap in its own unit."""
    if ind.next_cutoff is None:
        return ""
    rule = fw.indicator(ind.id)
    if rule.method == "binary":
        if ind.natural is not None:
            return natural_text(fw, ind.natural)
        return t("x.needs", cut=t("x.yes" if ind.next_cutoff else "x.no"))
    if rule.method == "ordinal":
        if ind.natural is not None:
            return natural_text(fw, ind.natural)
        lever = rule.inputs[0] if len(rule.inputs) == 1 else ""
        return t("x.needs_level", level=_answer(fw, lever, ind.next_cutoff))
    unit = pick(rule.unit)
    cut = f"{_n(ind.next_cutoff)}{_suffix(unit)}".strip()
    if ind.natural is not None:
        return t("x.to_reach", gap=natural_text(fw, ind.natural), cut=cut)
    if ind.gap is not None:
        sign = "+" if ind.gap >= 0 else "−"
        amount = f"{sign}{_n(abs(ind.gap))}"
        gap = t("x.pp", amount=amount) if unit == "%" else f"{amount}{_suffix(unit)}".strip()
        return t("x.to_reach", gap=gap, cut=cut)
    return cut


def _input_label(fw: Framework, input_id: str) -> str:
    inp = fw.inputs.get(input_id)
    return pick(inp.label) if inp is not None else input_id


def _how(fw: Framework, step: PathStep, status: str = "missing") -> str:
    """How to take the step in the indicator's own terms; a step from no value says which
    inputs to submit, or (a rejected value) which to correct."""
    if step.natural is not None:
        return natural_text(fw, step.natural)
    if step.from_value is None:
        labels = ", ".join(_input_label(fw, n) for n in fw.indicator(step.indicator).inputs)
        return t("x.correct" if status == "invalid" else "x.submit", inputs=labels)
    return ""


def _status(status: str) -> str:
    return t(f"lbl.status.{status}")


def _rejected_text(fw: Framework, r: RejectedValue) -> str:
    return t(
        "x.rejected_value",
        label=_input_label(fw, r.input),
        written=r.written if r.written is not None else "",
        reason=r.reason,
    )


def _gate_cause(fw: Framework, cause: GateCause, e: Explanation) -> str:
    if cause.kind == "critical_indicators":
        levels = {i.id: i for i in e.indicators}
        shown = [
            t("x.gate_indicator", id=i, name=pick(fw.indicator(i).name), level=levels[i].level)
            if levels[i].level
            else t(
                "x.gate_indicator_status",
                id=i,
                name=pick(fw.indicator(i).name),
                status=_status(levels[i].status),
            )
            for i in cause.indicators
        ]
        return t("x.gate_critical", level=cause.needed, indicators="; ".join(shown))
    pillars = {p.id: p for p in e.pillars}
    shown = [f"{p} ({pick(fw.pillars[p].model.name)})" for p in cause.pillars if p in pillars]
    level = pillars[cause.pillars[0]].level if cause.pillars else None
    return t("x.gate_weakest", pillars=", ".join(shown), level=level or "—")


def _effort(effort: str) -> str:
    return t(f"x.effort.{effort}")


def _level_name(fw: Framework, level: int | None) -> str:
    return pick(fw.manifest.levels[level - 1].name) if level else ""


def _headline(fw: Framework, e: Explanation, period: str) -> list[str]:
    lines = [
        t(
            "x.headline",
            name=e.name,
            id=e.unit,
            tier=fw.tier_label(e.tier),
            period=f" · {period}" if period else "",
        )
    ]
    if e.level is None:
        return [*lines, t("x.not_scored")]
    in_parent = t("x.in_parent", rank=e.rank_in_parent) if e.rank_in_parent else ""
    if e.rank:
        rank = t("x.rank", rank=e.rank, peers=e.peers)
    elif e.flags:
        rank = t("x.not_ranked_flagged", flags=", ".join(t(f"lbl.flag.{f}") for f in e.flags))
    else:
        rank = t("x.not_ranked_alone", least=fw.manifest.publication.min_ranked, peers=e.peers)
    lines.append(
        t(
            "x.score",
            score=_n(e.score),
            max=_n(e.max_score),
            index=number(e.index, 4, fixed=True),
            level=e.level,
            level_name=_level_name(fw, e.level),
            rank=rank,
            in_parent=in_parent,
        )
    )
    lines.append(
        t(
            "x.why_band",
            index=number(e.index, 4, fixed=True),
            level=e.score_level,
            min=number(e.band_min, 2),
        )
    )
    if e.next_band_min is not None and e.score_level is not None:
        lines.append(
            t(
                "x.next_band",
                level=e.score_level + 1,
                min=number(e.next_band_min, 2),
                points=_n(e.points_to_next_band),
            )
        )
    else:
        lines.append(t("x.top_band"))
    causes = {c.gate: c for c in e.gate_causes}
    for gate_id in e.capped_by:
        gate = next(g for g in fw.manifest.gates if g.id == gate_id)
        lines.append(t("x.capped", gate=gate_id, name=pick(gate.name), score_level=e.score_level))
        if gate_id in causes:
            lines.append(_gate_cause(fw, causes[gate_id], e))
    lines.append(t("x.coverage", coverage=percent(e.coverage)))
    return lines


def _pillar_since(since: Since | None) -> dict[str, str]:
    if since is None or since.change is None:
        return {}
    return {
        p.id: f"{signed(p.delta)} ({p.level_before or '—'} → {p.level_after or '—'})"
        for p in since.change.pillars
    }


def _points_since(since: Since | None, ind: IndicatorExplanation) -> str:
    if since is None or since.change is None:
        return ""
    before = since.points_before.get(ind.id)
    return signed(ind.points - before) if before is not None else "—"


def _since_header(since: Since | None) -> list[str]:
    if since is None or since.change is None:
        return []
    return [t("x.col.since", period=since.baseline.period or "—")]


def _tables(
    fw: Framework,
    e: Explanation,
    whatif_command: str | None = None,
    since: Since | None = None,
) -> list[tuple[str, list[str], list[list[Any]], str]]:
    out: list[tuple[str, list[str], list[list[Any]], str]] = []
    extra = _since_header(since)
    pillar_since = _pillar_since(since)
    prow = [
        [
            p.id,
            pick(fw.pillars[p.id].model.name),
            _n(p.score),
            _n(p.max_score),
            p.level or "—",
            f"{p.rank}/{p.peers}" if p.rank else "—",
            p.rank_in_parent or "",
            *([pillar_since.get(p.id, "—")] if extra else []),
        ]
        for p in e.pillars
    ]
    out.append(
        (
            t("x.pillars"),
            [
                t(f"x.col.{c}")
                for c in ("pillar", "name", "score", "max", "level", "rank", "rank_parent")
            ]
            + extra,
            prow,
            "",
        )
    )
    grow = []
    for ind in e.performance_gaps():
        rule = fw.indicator(ind.id)
        grow.append(
            [
                ind.id,
                pick(rule.name),
                _n(ind.value),
                ind.level,
                _n(ind.points),
                _n(ind.max_points),
                _n(ind.lost),
                *([_points_since(since, ind)] if extra else []),
                _gap_text(fw, ind),
                f"{pick(rule.remediation)} ({_effort(rule.remediation.effort)})",
                "; ".join(rule.legal_basis),
            ]
        )
    out.append(
        (
            t("x.performance_gaps"),
            [
                t(f"x.col.{c}")
                for c in (
                    "indicator",
                    "name",
                    "value",
                    "level",
                    "points",
                    "max",
                    "lost",
                )
            ]
            + extra
            + [t(f"x.col.{c}") for c in ("next", "remediation", "legal")],
            grow,
            "",
        )
    )
    drow = []
    rejected = {r.input: r for r in e.rejected}
    for ind in e.data_gaps():
        rule = fw.indicator(ind.id)
        labels = ", ".join(
            f"{n} ({pick(fw.inputs[n].label)})" if n in fw.inputs else n for n in rule.inputs
        )
        why = "; ".join(_rejected_text(fw, rejected[n]) for n in rule.inputs if n in rejected)
        drow.append([ind.id, pick(rule.name), _status(ind.status), _n(ind.max_points), labels, why])
    out.append(
        (
            t("x.data_gaps"),
            [
                t(f"x.col.{c}")
                for c in ("indicator", "name", "status", "at_stake", "submit", "reason")
            ],
            drow,
            "",
        )
    )
    if e.rejected:
        out.append(
            (
                t("x.rejected"),
                [t(f"x.col.{c}") for c in ("input", "name", "written", "reason", "indicators")],
                [
                    [
                        r.input,
                        _input_label(fw, r.input),
                        r.written or "",
                        str(r.reason),
                        ", ".join(r.indicators),
                    ]
                    for r in e.rejected
                ],
                "",
            )
        )
    if e.failed_checks:
        out.append(
            (
                t("x.failed_checks"),
                [t(f"x.col.{c}") for c in ("check", "severity", "message", "values")],
                [
                    [c.check, t(f"lbl.severity.{c.severity}"), str(c.message), str(c.values)]
                    for c in e.failed_checks
                ],
                "",
            )
        )
    na = e.not_applicable()
    if na:
        out.append(
            (
                t("x.not_applicable"),
                [t("x.col.indicator"), t("x.col.name")],
                [[i.id, pick(fw.indicator(i.id).name)] for i in na],
                "",
            )
        )
    if e.path_target is not None:
        status = {i.id: i.status for i in e.indicators}
        srow = []
        for k, st in enumerate(e.path, start=1):
            srow.append(
                [
                    k,
                    st.indicator,
                    pick(fw.indicator(st.indicator).name),
                    f"{_n(st.from_value)} → {_n(st.to_value)}",
                    f"{st.from_level or '—'} → {st.to_level}",
                    _n(st.points_gained),
                    _effort(st.effort),
                    _how(fw, st, status.get(st.indicator, "missing")),
                ]
            )
        if e.path_reaches is not None and e.path_reaches >= e.path_target:
            command = whatif_command or f"maturity whatif --unit {e.unit} --path"
            note = t("x.path_verified", command=command, level=e.path_reaches)
        elif e.path_reaches is not None:
            note = t("x.path_unverified", level=e.path_target)
        else:
            note = ""
        note = t("x.path_method") + ("\n" + note if note else "")
        out.append(
            (
                t("x.path", level=e.path_target),
                [
                    t(f"x.col.{c}")
                    for c in (
                        "step",
                        "indicator",
                        "name",
                        "change",
                        "level",
                        "gain",
                        "effort",
                        "how",
                    )
                ],
                srow,
                note,
            )
        )
    elif e.level is not None:
        out.append((t("x.path", level=e.level), [], [], t("x.path_none")))
    return out


def _since_lines(since: Since | None) -> list[str]:
    if since is None:
        return []
    base = since.baseline
    if since.change is None:
        return [t("x.not_in_baseline", file=base.file)]
    u = since.change
    rank = f"{u.rank_before or '—'} → {u.rank_after or '—'}"
    lines = [
        t(
            "x.since",
            period=base.period or "—",
            file=base.file,
            delta=signed(u.delta),
            level=f"{u.level_before or '—'} → {u.level_after or '—'}",
            rank=rank,
        )
    ]
    if not since.same_framework:
        lines.append(
            t(
                "x.since_framework",
                baseline=f"{base.framework_id} {base.framework_version}",
                current=since.current_digest.removeprefix("sha256:")[:12],
            )
        )
    return lines


def since_document(since: Since) -> dict[str, Any]:
    """The change since the baseline, for the explanation's JSON."""
    base = since.baseline
    out: dict[str, Any] = {
        "baseline": {
            "file": base.file,
            "period": base.period,
            "framework": {
                "id": base.framework_id,
                "version": base.framework_version,
                "digest": base.digest,
            },
        },
        "same_framework": since.same_framework,
        "in_baseline": since.change is not None,
    }
    u = since.change
    if u is not None:

        def r(x: float | None) -> float | None:
            return None if x is None else x + 0.0  # as computed: the shortest round-trip form

        out |= {
            "score_before": r(u.score_before),
            "score_change": r(u.delta),
            "level_before": u.level_before,
            "rank_before": u.rank_before,
            "pillars": [
                {"id": p.id, "score_before": r(p.score_before), "change": r(p.delta),
                 "level_before": p.level_before}
                for p in u.pillars
            ],
            "indicator_points_before": {k: r(v) for k, v in since.points_before.items()},
        }  # fmt: skip
    return out


def explanation_doc(
    results: Results,
    e: Explanation,
    whatif_command: str | None = None,
    since: Since | None = None,
) -> Document:
    """One unit's explanation as a document: its headline, then a section per table (pillars,
    performance gaps, data gaps, rejected values, failed checks, not applicable, the path to
    the next level). ``whatif_command`` is the command line that applies the path, as the
    user would paste it (their own files and options)."""
    fw = results.framework
    found = results.find(e.unit)
    period = found[0].periods[found[1]] if found is not None else ""

    def blocks() -> list[Block | Only]:
        head = _headline(fw, e, period)
        head[2:2] = _since_lines(since)  # beside the score it changes
        out: list[Block | Only] = [Headline(head[0], head[1:])]
        for title, headers, rows, note in _tables(fw, e, whatif_command, since):
            out.append(Heading(title))
            if headers:
                out.append(Table(headers, rows, empty=t("x.none")))
            if note:
                out.append(Paragraph(note))
        return out

    return Document(
        blocks,
        data=lambda: explanation_document(results, e, whatif_command, since),
        source=("explanation", (results, e)),
    )


def render_explanation(
    results: Results, e: Explanation, fmt: str = "table", tablefmt: str = "simple"
) -> str:
    return write(explanation_doc(results, e), fmt, tablefmt)


def _plain(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {k: _plain(v) for k, v in dataclasses.asdict(obj).items()}
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    if isinstance(obj, float):  # as computed: JSON writes the shortest round-trip form
        return None if math.isnan(obj) else obj + 0.0
    return obj


def explanation_document(
    results: Results,
    e: Explanation,
    whatif_command: str | None = None,
    since: Since | None = None,
) -> dict[str, Any]:
    fw = results.framework
    doc = _plain(e)
    if since is not None:
        doc["since"] = since_document(since)
    doc["rejected"] = [
        {
            "input": r.input,
            "written": r.written,
            "reason": str(r.reason),
            "indicators": list(r.indicators),
        }
        for r in e.rejected
    ]
    doc["failed_checks"] = [
        {
            "check": c.check,
            "severity": c.severity,
            "code": c.code,
            "message": str(c.message),
            "values": str(c.values),
        }
        for c in e.failed_checks
    ]
    if e.path_reaches is not None:
        doc["whatif_command"] = whatif_command
    doc.pop("indicators")
    doc["framework"] = {"id": fw.id, "version": fw.version, "digest": fw.digest}
    doc["performance_gaps"] = [_plain(i) for i in e.performance_gaps()]
    doc["data_gaps"] = [_plain(i) for i in e.data_gaps()]
    doc["not_applicable"] = [_plain(i) for i in e.not_applicable()]
    doc["indicators"] = [_plain(i) for i in e.indicators]
    for item in doc["performance_gaps"]:
        rule = fw.indicator(item["id"])
        item["remediation"] = {"text": pick(rule.remediation), "effort": rule.remediation.effort}
        item["legal_basis"] = list(rule.legal_basis)
        item["gap_text"] = _gap_text(fw, next(i for i in e.indicators if i.id == item["id"]))
    status = {i.id: i.status for i in e.indicators}
    for step in doc["path"]:
        taken = next(s for s in e.path if s.indicator == step["indicator"])
        step["how"] = _how(fw, taken, status.get(taken.indicator, "missing")) or None
    if e.trace is None:
        doc.pop("trace")
    return dict(sorted(doc.items()))


def whatif_doc(comparison: dict[str, Any]) -> Document:
    """A what-if comparison (:func:`maturity.analysis.whatif.compare`) as a document."""

    def blocks() -> list[Block | Only]:
        before, after = comparison["before"], comparison["after"]
        score_before: float | None = before["score"]
        score_after: float | None = after["score"]
        delta = (score_after or 0.0) - (score_before or 0.0)
        summary = t(
            "w.summary",
            before=_n(score_before),
            after=_n(score_after),
            delta=("+" if delta >= 0 else "−") + _n(abs(delta)),
            lb=before["level"] or "—",
            la=after["level"] or "—",
            rb=before["rank"] or "—",
            ra=after["rank"] or "—",
        )
        changed = comparison["indicators"]
        rows = [
            [
                c["id"],
                c["name"],
                f"{_n(c['value_before'])} → {_n(c['value_after'])}",
                f"{c['level_before'] or '—'} → {c['level_after'] or '—'}",
                f"{_n(c['points_before'])} → {_n(c['points_after'])}",
            ]
            for c in changed
        ]
        columns = ("indicator", "name", "value", "level", "points")
        return [
            Title(t("w.title", name=comparison["name"], id=comparison["unit"])),
            Paragraph(summary),
            Heading(t("w.changes")),
            Table(
                [t("w.col.name"), t("x.col.value")],
                [[k, _n(float(v))] for k, v in comparison["changes"].items()],
            ),
            Heading(t("w.indicators")),
            Table([t(f"x.col.{c}") for c in columns], rows, empty=t("x.none")),
        ]

    return Document(blocks, data=comparison)
