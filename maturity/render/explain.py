"""Explanations and what-if comparisons as documents (the writers give text, Markdown, JSON,
CSV or a workbook), and the JSON record of an explanation."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from maturity.analysis.explain import Explanation, IndicatorExplanation, NaturalGap, PathStep
from maturity.framework.compiled import Framework
from maturity.i18n import pick, t
from maturity.i18n.numbers import number, percent
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


def _how(fw: Framework, step: PathStep) -> str:
    if step.natural is not None:
        return natural_text(fw, step.natural)
    if step.from_value is None:
        return t("x.submit", inputs=", ".join(fw.indicator(step.indicator).inputs))
    return ""


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
    lines.append(
        t(
            "x.score",
            score=_n(e.score),
            max=_n(e.max_score),
            index=number(e.index, 4, fixed=True),
            level=e.level,
            level_name=_level_name(fw, e.level),
            rank=e.rank or "—",
            peers=e.peers,
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
    for gate_id in e.capped_by:
        gate = next(g for g in fw.manifest.gates if g.id == gate_id)
        lines.append(t("x.capped", gate=gate_id, name=pick(gate.name), score_level=e.score_level))
    lines.append(t("x.coverage", coverage=percent(e.coverage)))
    return lines


def _tables(fw: Framework, e: Explanation) -> list[tuple[str, list[str], list[list[Any]], str]]:
    out: list[tuple[str, list[str], list[list[Any]], str]] = []
    prow = [
        [
            p.id,
            pick(fw.pillars[p.id].model.name),
            _n(p.score),
            _n(p.max_score),
            p.level or "—",
            f"{p.rank}/{p.peers}" if p.rank else "—",
            p.rank_in_parent or "",
        ]
        for p in e.pillars
    ]
    out.append(
        (
            t("x.pillars"),
            [
                t(f"x.col.{c}")
                for c in ("pillar", "name", "score", "max", "level", "rank", "rank_parent")
            ],
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
                    "next",
                    "remediation",
                    "legal",
                )
            ],
            grow,
            "",
        )
    )
    drow = []
    for ind in e.data_gaps():
        rule = fw.indicator(ind.id)
        labels = ", ".join(
            f"{n} ({pick(fw.inputs[n].label)})" if n in fw.inputs else n for n in rule.inputs
        )
        drow.append([ind.id, pick(rule.name), ind.status, _n(ind.max_points), labels])
    out.append(
        (
            t("x.data_gaps"),
            [t(f"x.col.{c}") for c in ("indicator", "name", "status", "at_stake", "submit")],
            drow,
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
                    _how(fw, st),
                ]
            )
        if e.path_reaches is not None and e.path_reaches >= e.path_target:
            note = t("x.path_verified", id=e.unit, level=e.path_reaches)
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


def explanation_doc(results: Results, e: Explanation) -> Document:
    """One unit's explanation as a document: its headline, then a section per table (pillars,
    performance gaps, data gaps, not applicable, the path to the next level)."""
    fw = results.framework
    found = results.find(e.unit)
    period = found[0].periods[found[1]] if found is not None else ""

    def blocks() -> list[Block | Only]:
        head = _headline(fw, e, period)
        out: list[Block | Only] = [Headline(head[0], head[1:])]
        for title, headers, rows, note in _tables(fw, e):
            out.append(Heading(title))
            if headers:
                out.append(Table(headers, rows, empty=t("x.none")))
            if note:
                out.append(Paragraph(note))
        return out

    return Document(
        blocks, data=lambda: explanation_document(results, e), source=("explanation", (results, e))
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
    if isinstance(obj, float):
        return None if math.isnan(obj) else round(obj, 6)
    return obj


def explanation_document(results: Results, e: Explanation) -> dict[str, Any]:
    fw = results.framework
    doc = _plain(e)
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
    for step in doc["path"]:
        step["how"] = _how(fw, next(s for s in e.path if s.indicator == step["indicator"])) or None
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
