"""Render explanations and what-if comparisons as text, Markdown or JSON (strings only)."""

from __future__ import annotations

import dataclasses
import json
import math
from typing import Any

from maturity.analysis.explain import Explanation, IndicatorExplanation, NaturalGap, PathStep
from maturity.framework.compiled import Framework
from maturity.i18n import pick, t
from maturity.render.grid import grid
from maturity.scoring.results import Results


def _n(x: float | None, digits: int = 2) -> str:
    """A number for people: thousands grouped, trailing zeros dropped.

    >>> _n(78077.0), _n(49.5357, 2), _n(None)
    ('78,077', '49.54', '—')
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    if float(x).is_integer():
        return f"{int(x):,}"
    text = f"{x:,.{digits}f}".rstrip("0").rstrip(".")
    return text


def natural_text(fw: Framework, gap: NaturalGap) -> str:
    inp = fw.inputs.get(gap.input)
    label = pick(inp.label) if inp else gap.input
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
    if ind.next_cutoff is None:
        return ""
    unit = pick(fw.indicator(ind.id).unit)
    cut = f"{_n(ind.next_cutoff)} {unit}".strip()
    if ind.natural is not None:
        return t("x.to_reach", gap=natural_text(fw, ind.natural), cut=cut)
    if ind.gap is not None:
        sign = "+" if ind.gap >= 0 else "−"
        return t("x.to_reach", gap=f"{sign}{_n(abs(ind.gap))} {unit}".strip(), cut=cut)
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
            index=f"{e.index:.4f}",
            level=e.level,
            level_name=_level_name(fw, e.level),
            rank=e.rank or "—",
            peers=e.peers,
            in_parent=in_parent,
        )
    )
    lines.append(t("x.why_band", index=f"{e.index:.4f}", level=e.score_level, min=e.band_min))
    if e.next_band_min is not None and e.score_level is not None:
        lines.append(
            t(
                "x.next_band",
                level=e.score_level + 1,
                min=e.next_band_min,
                points=_n(e.points_to_next_band),
            )
        )
    else:
        lines.append(t("x.top_band"))
    for gate_id in e.capped_by:
        gate = next(g for g in fw.manifest.gates if g.id == gate_id)
        lines.append(t("x.capped", gate=gate_id, name=pick(gate.name), score_level=e.score_level))
    lines.append(t("x.coverage", coverage=f"{e.coverage * 100:.0f}%"))
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


def render_explanation(
    results: Results, e: Explanation, fmt: str = "table", tablefmt: str = "simple"
) -> str:
    fw = results.framework
    period = ""
    found = results.find(e.unit)
    if found is not None:
        period = found[0].periods[found[1]]
    if fmt == "json":
        return json.dumps(explanation_document(results, e), ensure_ascii=False, indent=2) + "\n"
    md = fmt == "markdown"
    head = _headline(fw, e, period)
    lines = [f"# {head[0]}", "", *[f"- {h}" for h in head[1:]]] if md else [*head]
    for title, headers, rows, note in _tables(fw, e):
        lines += ["", f"## {title}" if md else title, ""]
        if headers:
            lines.append(
                grid(
                    rows,
                    headers=headers,
                    tablefmt="github" if md else tablefmt,
                    disable_numparse=True,
                )
                if rows
                else t("x.none")
            )
        if note:
            lines += ["", note]
    return "\n".join(lines) + "\n"


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


def render_whatif(
    results_before: Results,
    results_after: Results,
    unit_id: str,
    changes: dict[str, float],
    fmt: str = "table",
    tablefmt: str = "simple",
) -> str:
    fw = results_before.framework
    fb = results_before.find(unit_id)
    fa = results_after.find(unit_id)
    assert fb is not None and fa is not None
    rb, ib = fb
    ra, ia = fa
    unit = rb.units[ib]
    changed: list[dict[str, Any]] = []
    for j, ind in enumerate(rb.indicators):
        vb, va = rb.value[ib, j], ra.value[ia, j]
        pb, pa = rb.points[ib, j], ra.points[ia, j]
        same_value = (math.isnan(vb) and math.isnan(va)) or vb == va
        if not same_value or abs(pb - pa) > 1e-9 or rb.status[ib, j] != ra.status[ia, j]:
            changed.append(
                {
                    "id": ind.id,
                    "name": pick(ind.name),
                    "value_before": None if math.isnan(vb) else round(float(vb), 6),
                    "value_after": None if math.isnan(va) else round(float(va), 6),
                    "level_before": int(rb.ind_level[ib, j]) or None,
                    "level_after": int(ra.ind_level[ia, j]) or None,
                    "points_before": round(float(pb), 6),
                    "points_after": round(float(pa), 6),
                    "max_points_after": round(float(ra.max_points[ia, j]), 6),
                }
            )

    def side(r: Any, i: int) -> dict[str, Any]:
        total = r.total[i]
        return {
            "score": None if math.isnan(total) else round(float(total), 6),
            "level": int(r.level[i]) or None,
            "score_level": int(r.score_level[i]) or None,
            "capped_by": list(r.capped_by[i]),
            "rank": int(r.rank[i]) or None,
            "rank_in_parent": (int(r.rank_in_parent[i]) or None) if unit.parent else None,
        }

    before, after = side(rb, ib), side(ra, ia)
    doc = {
        "unit": unit_id,
        "name": unit.name,
        "tier": unit.tier,
        "changes": {k: changes[k] for k in sorted(changes)},
        "before": before,
        "after": after,
        "indicators": changed,
        "framework": {"id": fw.id, "version": fw.version, "digest": fw.digest},
    }
    if fmt == "json":
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    md = fmt == "markdown"
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
    title = t("w.title", name=unit.name, id=unit_id)
    lines = [f"# {title}" if md else title, "", summary, ""]
    lines += [f"## {t('w.changes')}" if md else t("w.changes"), ""]
    lines.append(
        grid(
            [[k, _n(float(v))] for k, v in sorted(changes.items())],
            headers=[t("w.col.name"), t("x.col.value")],
            tablefmt="github" if md else tablefmt,
            disable_numparse=True,
        )
    )
    lines += ["", f"## {t('w.indicators')}" if md else t("w.indicators"), ""]
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
    lines.append(
        grid(
            rows,
            headers=[
                t("x.col.indicator"),
                t("x.col.name"),
                t("x.col.value"),
                t("x.col.level"),
                t("x.col.points"),
            ],
            tablefmt="github" if md else tablefmt,
            disable_numparse=True,
        )
        if rows
        else t("x.none")
    )
    return "\n".join(lines) + "\n"
