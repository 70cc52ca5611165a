"""Framework diffs as documents: what changed between two framework versions and, with
submissions, which units win or lose points, levels and ranks."""

from __future__ import annotations

from typing import Any

from maturity.analysis.diff import (
    _SHOWN_LEVEL_MOVES,
    Change,
    FrameworkDiff,
    Impact,
    LevelCause,
    TierImpact,
    UnitMove,
)
from maturity.i18n import t
from maturity.i18n.numbers import number, signed
from maturity.render.document import (
    Block,
    Document,
    Heading,
    Only,
    Paragraph,
    Preformatted,
    Table,
    Title,
)
from maturity.render.results import num
from maturity.render.writers import write

DIFF_FORMATS = ("table", "json", "markdown")


def _significant(x: float, lang: str | None = None, digits: int = 6) -> str:
    """``x`` to ``digits`` significant digits (as ``:g`` would), through the number policy."""
    whole = len(str(int(abs(x)))) if abs(x) >= 1 else 1
    return number(x, max(0, digits - whole), lang)


def _value(x: Any, lang: str | None = None) -> str:
    """A changed value for people.

    >>> _value({"2": 20.0, "3": 35.0}), _value([{"at": 10.0, "score": 0.25}])
    ('2: 20; 3: 35', '10 → 0.25')
    >>> _value(None), _value(0.5), _value(117.647059), _value(1234.5, "vi")
    ('—', '0.5', '117.647', '1.234,5')
    """
    if x is None:
        return "—"
    if isinstance(x, bool):
        return t("diff.yes") if x else t("diff.no")
    if isinstance(x, float):
        return _significant(x, lang) if abs(x) < 1e15 else repr(x)
    if isinstance(x, dict):
        return "; ".join(f"{k}: {_value(v, lang)}" for k, v in x.items())
    if isinstance(x, list):
        if x and all(isinstance(s, dict) and set(s) == {"at", "score"} for s in x):
            return "; ".join(f"{_value(s['at'], lang)} → {_value(s['score'], lang)}" for s in x)
        return "; ".join(_value(v, lang) for v in x) or "[]"
    return str(x)


def _json_value(x: Any) -> Any:
    if isinstance(x, float):
        return num(x)
    return x


def diff_document(d: FrameworkDiff, imp: Impact | None = None) -> dict[str, Any]:
    """The diff (and impact) as plain data: the JSON output."""
    doc: dict[str, Any] = {
        "base": d.base,
        "head": d.head,
        "summary": d.counts(),
        "changes": [
            {
                "section": c.section,
                "item": c.item,
                "kind": c.kind,
                "field": c.field,
                "old": _json_value(c.old),
                "new": _json_value(c.new),
            }
            for c in d.changes
            if not c.derived
        ],
        "nominal_points": [
            {"section": c.section, "item": c.item, "field": c.field, "old": c.old, "new": c.new}
            for c in d.changes
            if c.derived
        ],
    }
    if imp is not None:
        doc["impact"] = {
            "inputs": [{"file": k, "sha256": v} for k, v in imp.files.items()],
            "missing_policy": {"base": imp.base_policy, "head": imp.head_policy},
            "diagnostics": {"base": imp.base_diagnostics, "head": imp.head_diagnostics},
            "tiers": [_tier_document(ti) for ti in imp.tiers],
        }
    return doc


def _move_document(m: UnitMove, cause: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": m.id,
        "period": m.period,
        "name": m.name,
        "parent": m.parent,
        "base_score": num(m.base_score),
        "head_score": num(m.head_score),
        "delta": num(m.delta),
        "base_level": m.base_level,
        "head_level": m.head_level,
        "base_rank": m.base_rank,
        "head_rank": m.head_rank,
    }
    if cause:
        out["cause"] = [c.as_json() for c in m.cause]
    return out


def _tier_document(ti: TierImpact) -> dict[str, Any]:
    return {
        "tier": ti.tier,
        "compared": ti.compared,
        "scored_only_in_base": ti.only_base,
        "scored_only_in_head": ti.only_head,
        "levels": {
            "up": ti.level_up,
            "down": ti.level_down,
            "unchanged": ti.compared - ti.level_up - ti.level_down,
            "transitions": ti.transitions,
        },
        "ranks": {"changed": ti.rank_changed, "mean_abs_shift": ti.mean_abs_rank_shift},
        "score_delta": ti.deltas,
        "pillars": ti.pillars,
        "periods": ti.periods,
        "level_changes": [_move_document(m, cause=True) for m in ti.level_moves],
        "largest_gains": [_move_document(m) for m in ti.top_up],
        "largest_losses": [_move_document(m) for m in ti.top_down],
    }


def _change_rows(d: FrameworkDiff, changes: list[Change]) -> list[list[str]]:
    """One row per change; an added or removed item has no field, and shows its summary.
    Gates and tiers are named as people know them."""
    rows = []
    for c in changes:
        rows.append(
            [
                t(f"diff.section.{c.section}"),
                str(d.name(c.section, c.item)),
                t(f"diff.kind.{c.kind}"),
                c.field,
                _value(c.old),
                _value(c.new),
            ]
        )
    return rows


def _num(x: float | None) -> str:
    return signed(x)


def _cause_text(c: LevelCause) -> str:
    """One reason of a level change, for people.

    >>> from maturity.i18n import Bilingual
    >>> _cause_text(LevelCause("band", base_level=2, head_level=1))
    'score level 2 → 1'
    >>> name = Bilingual("Critical indicators at level 3", "Chỉ số then chốt đạt mức 3")
    >>> _cause_text(LevelCause("gate", "critical-l3", name, "critical_indicators",
    ...                        ("SVC-01",), needed=3))
    'capped by “Critical indicators at level 3”: SVC-01 below level 3'
    """
    if c.kind == "band":
        return t("diff.cause.band", base=c.base_level or "—", head=c.head_level or "—")
    if c.gate_kind == "critical_indicators":
        detail = t("diff.cause.critical", indicators=", ".join(c.indicators), level=c.needed)
    else:
        detail = t("diff.cause.weakest", pillars=", ".join(c.pillars))
    return t(f"diff.cause.{c.kind}", gate=str(c.name or c.gate), detail=detail)


def _move_id(m: UnitMove, several: bool) -> str:
    return f"{m.id} ({m.period})" if several and m.period else m.id


def _move_rows(moves: list[UnitMove], several: bool = False, why: bool = False) -> list[list[Any]]:
    return [
        [
            _move_id(m, several),
            m.name,
            number(m.base_score, 2, fixed=True),
            number(m.head_score, 2, fixed=True),
            _num(m.delta),
            f"{m.base_level} → {m.head_level}",
            f"{m.base_rank or '—'} → {m.head_rank or '—'}",
            *(["; ".join(_cause_text(c) for c in m.cause) or "—"] if why else []),
        ]
        for m in moves
    ]


def diff_doc(d: FrameworkDiff, imp: Impact | None = None) -> Document:
    """The diff, and the impact on scores when given, as a document."""

    def blocks() -> list[Block | Only]:
        out: list[Block | Only] = [
            Title(
                t(
                    "diff.title",
                    base=f"{d.base['id']} {d.base['version']}"
                    + (f" ({d.base['revision']})" if d.base.get("revision") else ""),
                    head=f"{d.head['id']} {d.head['version']}",
                )
            )
        ]
        counts = d.counts()
        direct = [c for c in d.changes if not c.derived]
        if not counts:
            out.append(Paragraph(t("diff.none")))
        else:
            parts = []
            for section, kinds in counts.items():
                what = ", ".join(f"{n} {t(f'diff.kind.{k}')}" for k, n in kinds.items())
                parts.append(f"{t(f'diff.section.{section}')}: {what}")
            columns = ("section", "item", "change", "field", "old", "new")
            out += [
                Preformatted([t("diff.summary"), *[f"- {p}" for p in parts]]),
                Heading(t("diff.changes")),
                Table([t(f"diff.col.{c}") for c in columns], _change_rows(d, direct)),
            ]
        shares = [c for c in d.changes if c.derived and c.section == "pillars"]
        points = {c.item for c in d.changes if c.derived and c.section == "indicators"}
        if shares or points:
            out.append(Heading(t("diff.nominal")))
            if shares:
                rows = [
                    [c.item, str(d.name("tiers", c.field.split(".", 1)[1])), _value(c.old),
                     _value(c.new)]
                    for c in shares
                ]  # fmt: skip
                sh = [t(f"diff.col.{k}") for k in ("pillar", "tier", "old", "new")]
                out.append(Table(sh, rows))
            if points:
                out.append(Paragraph(t("diff.nominal_points", n=len(points))))
        if imp is not None:
            out += _impact_blocks(imp)
        return out

    return Document(blocks, data=lambda: diff_document(d, imp))


def render_diff(
    d: FrameworkDiff, imp: Impact | None = None, fmt: str = "table", tablefmt: str = "simple"
) -> str:
    """The diff as a table (text), JSON or Markdown, with the impact when given."""
    return write(diff_doc(d, imp), fmt, tablefmt)


def _impact_blocks(imp: Impact) -> list[Block | Only]:
    files = ", ".join(imp.files) or "—"
    out: list[Block | Only] = [Heading(t("diff.impact", files=files))]
    if imp.base_policy != imp.head_policy:
        base, head = (t(f"lbl.policy.{p}") for p in (imp.base_policy, imp.head_policy))
        out.append(Paragraph(t("diff.policy", base=base, head=head)))
    move_headers = [
        t(f"diff.col.{c}")
        for c in ("id", "name", "base_score", "head_score", "delta", "level", "rank")
    ]
    for ti in imp.tiers:
        several = len(ti.periods) > 1
        out.append(Heading(t("diff.tier", tier=str(ti.label or ti.tier), units=ti.compared), 3))
        lines = [
            t(
                "diff.levels",
                up=ti.level_up,
                down=ti.level_down,
                same=ti.compared - ti.level_up - ti.level_down,
            )
        ]
        if ti.transitions:
            items = ", ".join(f"{k}: {v}" for k, v in ti.transitions.items())
            lines.append(t("diff.transitions", items=items))
        lines.append(
            t(
                "diff.ranks",
                changed=ti.rank_changed,
                mean=number(ti.mean_abs_rank_shift, 2, fixed=True),
            )
        )
        if ti.deltas:
            q = ti.deltas
            lines.append(
                t(
                    "diff.deltas",
                    min=_num(q["min"]),
                    q1=_num(q["q1"]),
                    median=_num(q["median"]),
                    q3=_num(q["q3"]),
                    max=_num(q["max"]),
                    mean=_num(q["mean"]),
                )
            )
        if ti.only_base:
            lines.append(t("diff.only_base", n=len(ti.only_base), ids=", ".join(ti.only_base[:10])))
        if ti.only_head:
            lines.append(t("diff.only_head", n=len(ti.only_head), ids=", ".join(ti.only_head[:10])))
        out.append(Preformatted(lines))
        if ti.pillars:
            ph = [t(f"diff.col.{c}") for c in ("pillar", "base_mean", "head_mean", "mean_delta")]
            rows = [
                [
                    p["id"],
                    number(p["base_mean"], 2, fixed=True),
                    number(p["head_mean"], 2, fixed=True),
                    _num(p["mean_delta"]),
                ]
                for p in ti.pillars
            ]
            out += [Paragraph(t("diff.pillars")), Table(ph, rows)]
        if ti.level_moves:
            shown = ti.level_moves[:_SHOWN_LEVEL_MOVES]
            out += [
                Paragraph(t("diff.level_changes", n=len(ti.level_moves))),
                Table([*move_headers, t("diff.col.why")], _move_rows(shown, several, why=True)),
            ]
            if len(ti.level_moves) > len(shown):
                out.append(Paragraph(t("diff.more", n=len(ti.level_moves) - len(shown))))
        for key, moves in (("diff.gains", ti.top_up), ("diff.losses", ti.top_down)):
            if moves:
                rows = _move_rows(moves, several)
                out += [Paragraph(t(key, n=len(moves))), Table(move_headers, rows)]
    return out
