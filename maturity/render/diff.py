"""TODO docstring."""

from __future__ import annotations

import json
from typing import Any

from maturity.analysis.diff import (
    _SHOWN_LEVEL_MOVES,
    Change,
    FrameworkDiff,
    Impact,
    TierImpact,
    UnitMove,
    _round,
)
from maturity.i18n import t
from maturity.render.grid import grid

DIFF_FORMATS = ("table", "json", "markdown")


def _value(x: Any) -> str:
    """A changed value for people.

    >>> _value({"2": 20.0, "3": 35.0}), _value([{"at": 10.0, "score": 0.25}])
    ('2: 20, 3: 35', '10 → 0.25')
    >>> _value(None), _value(0.5)
    ('—', '0.5')
    """
    if x is None:
        return "—"
    if isinstance(x, bool):
        return t("diff.yes") if x else t("diff.no")
    if isinstance(x, float):
        return f"{x:g}" if abs(x) < 1e15 else repr(x)
    if isinstance(x, dict):
        return ", ".join(f"{k}: {_value(v)}" for k, v in x.items())
    if isinstance(x, list):
        if x and all(isinstance(s, dict) and set(s) == {"at", "score"} for s in x):
            return "; ".join(f"{_value(s['at'])} → {_value(s['score'])}" for s in x)
        return ", ".join(_value(v) for v in x) or "[]"
    return str(x)


def _json_value(x: Any) -> Any:
    if isinstance(x, float):
        return _round(x)
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


def _move_document(m: UnitMove) -> dict[str, Any]:
    return {
        "id": m.id,
        "name": m.name,
        "parent": m.parent,
        "base_score": None if m.base_score is None else _round(m.base_score),
        "head_score": None if m.head_score is None else _round(m.head_score),
        "delta": None if m.delta is None else _round(m.delta),
        "base_level": m.base_level,
        "head_level": m.head_level,
        "base_rank": m.base_rank,
        "head_rank": m.head_rank,
    }


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
        "level_changes": [_move_document(m) for m in ti.level_moves],
        "largest_gains": [_move_document(m) for m in ti.top_up],
        "largest_losses": [_move_document(m) for m in ti.top_down],
    }


def _change_rows(changes: list[Change]) -> list[list[str]]:
    """One row per change; an added or removed item has no field, and shows its summary."""
    rows = []
    for c in changes:
        rows.append(
            [
                t(f"diff.section.{c.section}"),
                c.item,
                t(f"diff.kind.{c.kind}"),
                c.field,
                _value(c.old),
                _value(c.new),
            ]
        )
    return rows


def _num(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x:+.2f}" if x else "0.00"


def _move_rows(moves: list[UnitMove]) -> list[list[Any]]:
    return [
        [
            m.id,
            m.name,
            "—" if m.base_score is None else f"{m.base_score:.2f}",
            "—" if m.head_score is None else f"{m.head_score:.2f}",
            _num(m.delta),
            f"{m.base_level} → {m.head_level}",
            f"{m.base_rank or '—'} → {m.head_rank or '—'}",
        ]
        for m in moves
    ]


def render_diff(
    d: FrameworkDiff, imp: Impact | None = None, fmt: str = "table", tablefmt: str = "simple"
) -> str:
    """The diff as a table (text), JSON or Markdown, with the impact when given."""
    if fmt == "json":
        return json.dumps(diff_document(d, imp), ensure_ascii=False, indent=2) + "\n"
    md = fmt == "markdown"
    style = "github" if md else tablefmt
    h1, h2, h3 = ("# ", "## ", "### ") if md else ("", "", "")
    out = [
        h1
        + t(
            "diff.title",
            base=f"{d.base['id']} {d.base['version']}",
            head=f"{d.head['id']} {d.head['version']}",
        ),
        "",
    ]
    counts = d.counts()
    direct = [c for c in d.changes if not c.derived]
    if not counts:
        out += [t("diff.none"), ""]
    else:
        parts = []
        for section, kinds in counts.items():
            what = ", ".join(f"{n} {t(f'diff.kind.{k}')}" for k, n in kinds.items())
            parts.append(f"{t(f'diff.section.{section}')}: {what}")
        out += [t("diff.summary"), *[f"- {p}" for p in parts], ""]
        headers = [t(f"diff.col.{c}") for c in ("section", "item", "change", "field", "old", "new")]
        out += [h2 + t("diff.changes"), ""]
        out.append(
            grid(_change_rows(direct), headers=headers, tablefmt=style, disable_numparse=True)
        )
        out.append("")
    shares = [c for c in d.changes if c.derived and c.section == "pillars"]
    points = {c.item for c in d.changes if c.derived and c.section == "indicators"}
    if shares or points:
        out += [h2 + t("diff.nominal"), ""]
        if shares:
            rows = [
                [c.item, c.field.split(".", 1)[1], _value(c.old), _value(c.new)] for c in shares
            ]
            sh = [t(f"diff.col.{k}") for k in ("pillar", "tier", "old", "new")]
            out += [grid(rows, headers=sh, tablefmt=style, disable_numparse=True), ""]
        if points:
            out += [t("diff.nominal_points", n=len(points)), ""]
    if imp is not None:
        out += _render_impact(imp, style, h2, h3)
    return "\n".join(out).rstrip("\n") + "\n"


def _render_impact(imp: Impact, style: str, h2: str, h3: str) -> list[str]:
    files = ", ".join(imp.files) or "—"
    out = [h2 + t("diff.impact", files=files), ""]
    if imp.base_policy != imp.head_policy:
        out += [t("diff.policy", base=imp.base_policy, head=imp.head_policy), ""]
    move_headers = [
        t(f"diff.col.{c}")
        for c in ("id", "name", "base_score", "head_score", "delta", "level", "rank")
    ]
    for ti in imp.tiers:
        out += [h3 + t("diff.tier", tier=ti.tier, units=ti.compared), ""]
        out.append(
            t(
                "diff.levels",
                up=ti.level_up,
                down=ti.level_down,
                same=ti.compared - ti.level_up - ti.level_down,
            )
        )
        if ti.transitions:
            out.append(
                t(
                    "diff.transitions",
                    items=", ".join(f"{k}: {v}" for k, v in ti.transitions.items()),
                )
            )
        out.append(t("diff.ranks", changed=ti.rank_changed, mean=f"{ti.mean_abs_rank_shift:.2f}"))
        if ti.deltas:
            q = ti.deltas
            out.append(
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
            out.append(t("diff.only_base", n=len(ti.only_base), ids=", ".join(ti.only_base[:10])))
        if ti.only_head:
            out.append(t("diff.only_head", n=len(ti.only_head), ids=", ".join(ti.only_head[:10])))
        out.append("")
        if ti.pillars:
            ph = [t(f"diff.col.{c}") for c in ("pillar", "base_mean", "head_mean", "mean_delta")]
            rows = [
                [
                    p["id"],
                    "—" if p["base_mean"] is None else f"{p['base_mean']:.2f}",
                    "—" if p["head_mean"] is None else f"{p['head_mean']:.2f}",
                    _num(p["mean_delta"]),
                ]
                for p in ti.pillars
            ]
            out += [
                t("diff.pillars"),
                "",
                grid(rows, headers=ph, tablefmt=style, disable_numparse=True),
                "",
            ]
        if ti.level_moves:
            shown = ti.level_moves[:_SHOWN_LEVEL_MOVES]
            out += [t("diff.level_changes", n=len(ti.level_moves)), ""]
            out += [
                grid(_move_rows(shown), headers=move_headers, tablefmt=style, disable_numparse=True)
            ]
            if len(ti.level_moves) > len(shown):
                out.append(t("diff.more", n=len(ti.level_moves) - len(shown)))
            out.append("")
        for key, moves in (("diff.gains", ti.top_up), ("diff.losses", ti.top_down)):
            if moves:
                out += [t(key, n=len(moves)), ""]
                out += [
                    grid(
                        _move_rows(moves),
                        headers=move_headers,
                        tablefmt=style,
                        disable_numparse=True,
                    ),
                    "",
                ]
    return out
