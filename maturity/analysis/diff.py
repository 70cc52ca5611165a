"""A semantic diff of two framework versions, and its impact on the same submissions.

:func:`diff_frameworks` compares two loaded frameworks element by element: identity and
scale, tiers, level bands, pillars (weights per tier and the nominal share of the scale they
give), gates, checks, the missing-data policy, inputs, derived values and indicators
(added, removed, renamed, and for the ones kept every field that changed, old → new).

:func:`impact` compares the results of scoring the same submissions under both versions:
level moves, rank shifts, the distribution of score changes, the largest movers and the mean
change per pillar. :func:`render_diff` renders both as a table (text), JSON or Markdown.

Decisions (see ``docs/policy-tools.md``): an indicator counts as *renamed* when an id
disappears and a new id appears with the same formula and inputs, or with the same name (in
either language); formulas are compared in canonical form, so spacing and redundant
parentheses are not changes.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from maturity.analysis.explain import gate_causes
from maturity.errors import FormulaError
from maturity.framework import formula as fx
from maturity.framework.compiled import Framework
from maturity.i18n import Bilingual, pick
from maturity.inputs.periods import sort_key as period_key
from maturity.scoring.kernel import nominal_max_points, nominal_shares
from maturity.scoring.results import Results, TierResult

SECTIONS = (
    "framework",
    "tiers",
    "levels",
    "pillars",
    "gates",
    "checks",
    "inputs",
    "derived",
    "indicators",
)


TOP_MOVERS = 10


_SHOWN_LEVEL_MOVES = 30


# indicator fields in the order a policy reader cares about; the rest follow alphabetically
_INDICATOR_ORDER = (
    "pillar", "tiers", "weight", "critical", "context", "method", "direction", "floor", "target",
    "steps", "max", "map", "cutoffs", "formula", "inputs", "not_applicable",
    "effective_from", "effective_until", "name", "unit", "source",
)  # fmt: skip


_FORMULA_FIELDS = {"formula", "assert"}


@dataclass(frozen=True)
class Change:
    """One difference: ``kind`` is added, removed, renamed or changed; ``field`` is the key
    path of a changed value (``weight``, ``cutoffs.3``, ``weights.province``)."""

    section: str
    item: str
    kind: str
    field: str = ""
    old: Any = None
    new: Any = None
    derived: bool = False  # a consequence (nominal share, maximum points), not an edit


@dataclass
class FrameworkDiff:
    base: dict[str, str]
    head: dict[str, str]
    changes: list[Change] = field(default_factory=list)
    # the names people read for ids: ("gates", id) and ("tiers", id), head's over base's
    names: dict[tuple[str, str], Bilingual] = field(default_factory=dict)

    def name(self, section: str, item: str) -> Bilingual | str:
        """The name of a gate or the label of a tier, in the language it is shown in; the id
        of anything else."""
        return self.names.get((section, item), item)

    def of(self, section: str) -> list[Change]:
        return [c for c in self.changes if c.section == section]

    def counts(self) -> dict[str, dict[str, int]]:
        """Per section, how many items were added, removed, renamed and changed."""
        out: dict[str, dict[str, int]] = {}
        for section in SECTIONS:
            kinds: dict[str, set[str]] = {}
            for c in self.of(section):
                if c.derived:
                    continue
                kinds.setdefault(c.kind, set()).add(c.item)
            if kinds:
                out[section] = {
                    k: len(kinds[k])
                    for k in ("removed", "added", "renamed", "changed")
                    if k in kinds
                }
        return out


def _canonical(formula: Any) -> Any:
    if not isinstance(formula, str):
        return formula
    try:
        return fx.unparse(fx.parse(formula))
    except FormulaError:  # pragma: no cover - both frameworks loaded, so formulas parse
        return formula


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested mappings as dotted keys; lists stay values.

    >>> _flatten({"a": 1, "b": {"c": 2, "d": {"e": [3]}}})
    {'a': 1, 'b.c': 2, 'b.d.e': [3]}
    """
    out: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value and key != "map":
            out.update(_flatten(value, name + "."))
        else:
            out[name] = value
    return out


def _compare(
    section: str, item: str, old: dict[str, Any], new: dict[str, Any], order: tuple[str, ...] = ()
) -> list[Change]:
    a, b = _flatten(old), _flatten(new)
    for data in (a, b):
        for key in _FORMULA_FIELDS & set(data):
            data[key] = _canonical(data[key])
    keys = set(a) | set(b)

    def rank(key: str) -> tuple[int, str]:
        head = key.split(".", 1)[0]
        return (order.index(head) if head in order else len(order), key)

    return [
        Change(section, item, "changed", key, a.get(key), b.get(key))
        for key in sorted(keys, key=rank)
        if a.get(key) != b.get(key)
    ]


def _dump(model: Any, drop: tuple[str, ...] = ()) -> dict[str, Any]:
    data: dict[str, Any] = model.model_dump(by_alias=True)
    for key in ("id", *drop):
        data.pop(key, None)
    return data


def _by_id(
    section: str,
    base: dict[str, Any],
    head: dict[str, Any],
    order: tuple[str, ...] = (),
    drop: tuple[str, ...] = (),
) -> list[Change]:
    out: list[Change] = []
    for key in sorted(set(base) | set(head)):
        if key not in head:
            out.append(Change(section, key, "removed"))
        elif key not in base:
            out.append(Change(section, key, "added"))
        else:
            out += _compare(section, key, _dump(base[key], drop), _dump(head[key], drop), order)
    return out


def _formula_key(fw: Framework, ind_id: str) -> tuple[str, tuple[str, ...]]:
    ind = fw.indicator(ind_id)
    return (_canonical(ind.formula) or "", tuple(sorted(ind.inputs)))


def _renames(
    base: Framework, head: Framework, removed: list[str], added: list[str]
) -> dict[str, str]:
    """old id -> new id for indicators that moved to a new id: the same formula and inputs
    or the same name; when several fit, both kinds of match beat one, then the closest id."""
    pairs: dict[str, str] = {}
    free = list(added)
    for old in removed:
        oi = base.indicator(old)
        best: tuple[int, str] | None = None
        for new in free:
            ni = head.indicator(new)
            same_formula = _formula_key(base, old) == _formula_key(head, new)
            same_name = oi.name.vi == ni.name.vi or oi.name.en == ni.name.en
            strength = 2 * same_formula + same_name
            if strength and (best is None or strength > best[0]):
                best = (strength, new)
        if best is not None:
            pairs[old] = best[1]
            free.remove(best[1])
    return pairs


def _round(x: float) -> float:
    return round(x, 6) + 0.0


def diff_frameworks(base: Framework, head: Framework) -> FrameworkDiff:
    """Every difference between two frameworks, section by section."""
    d = FrameworkDiff(
        base={
            "id": base.id,
            "version": base.version,
            "digest": base.digest,
            "path": str(base.path),
        },
        head={
            "id": head.id,
            "version": head.version,
            "digest": head.digest,
            "path": str(head.path),
        },
    )
    bm, hm = base.manifest, head.manifest
    for fw in (base, head):
        d.names.update({("gates", g.id): Bilingual.of(g.name) for g in fw.manifest.gates})
        d.names.update({("tiers", tt): fw.tier_text(tt) for tt in fw.tier_ids()})
    skip = ("tiers", "levels", "pillars", "gates", "checks", "include")
    d.changes += _compare(
        "framework",
        "",
        _dump(bm, skip),
        _dump(hm, skip),
        ("version", "effective_from", "scale", "missing_policy", "units"),
    )
    if bm.id != hm.id:
        d.changes.insert(0, Change("framework", "", "changed", "id", bm.id, hm.id))
    d.changes += _by_id("tiers", {x.id: x for x in bm.tiers}, {x.id: x for x in hm.tiers})
    # levels, by number
    blv = {str(lv.level): lv for lv in bm.levels}
    hlv = {str(lv.level): lv for lv in hm.levels}
    for key in sorted(set(blv) | set(hlv), key=int):
        if key not in hlv:
            d.changes.append(Change("levels", key, "removed", "min", blv[key].min, None))
        elif key not in blv:
            d.changes.append(Change("levels", key, "added", "min", None, hlv[key].min))
        else:
            d.changes += _compare(
                "levels", key, _dump(blv[key], ("level",)), _dump(hlv[key], ("level",)), ("min",)
            )
    # pillars: the tree flattened, with the parent and the nominal share per tier
    tiers = [tt for tt in head.tier_ids() if tt in base.tier_ids()]
    b_share = {tt: nominal_shares(base, tt) for tt in tiers}
    h_share = {tt: nominal_shares(head, tt) for tt in tiers}
    for pid in sorted(
        set(base.pillars) | set(head.pillars), key=lambda p: _tree_key(base, head, p)
    ):
        if pid not in head.pillars:
            d.changes.append(Change("pillars", pid, "removed"))
            continue
        if pid not in base.pillars:
            d.changes.append(Change("pillars", pid, "added"))
            continue
        bn, hn = base.pillars[pid], head.pillars[pid]
        old = {**_dump(bn.model, ("children",)), "parent": bn.parent}
        new = {**_dump(hn.model, ("children",)), "parent": hn.parent}
        d.changes += _compare("pillars", pid, old, new, ("weights", "parent"))
        for tt in tiers:
            a, b = b_share[tt].get(pid, 0.0), h_share[tt].get(pid, 0.0)
            if not math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9):
                d.changes.append(
                    Change(
                        "pillars", pid, "changed", f"share.{tt}", _round(a), _round(b), derived=True
                    )
                )
    d.changes += _by_id(
        "gates",
        {g.id: g for g in bm.gates},
        {g.id: g for g in hm.gates},
        ("kind", "from_level", "min_indicator_level", "max_gap"),
    )
    d.changes += _by_id(
        "checks",
        {c.id: c for c in bm.checks},
        {c.id: c for c in hm.checks},
        ("assert", "tiers", "severity"),
    )
    d.changes += _by_id(
        "inputs", base.inputs, head.inputs, ("type", "tiers", "min", "max", "choices")
    )
    d.changes += _by_id("derived", base.derived, head.derived, ("formula", "tiers"))
    d.changes += _indicator_changes(base, head, tiers)
    return d


def _tree_key(base: Framework, head: Framework, pid: str) -> tuple[int, int]:
    order_h = list(head.pillars)
    order_b = list(base.pillars)
    return (
        order_h.index(pid) if pid in order_h else len(order_h),
        order_b.index(pid) if pid in order_b else 0,
    )


def _indicator_changes(base: Framework, head: Framework, tiers: list[str]) -> list[Change]:
    b_ids = [ind.id for ind in base.indicators]
    h_ids = [ind.id for ind in head.indicators]
    removed = [i for i in b_ids if i not in h_ids]
    added = [i for i in h_ids if i not in b_ids]
    renames = _renames(base, head, removed, added)
    renamed_to = set(renames.values())
    pairs = [(i, i) for i in b_ids if i in h_ids] + sorted(renames.items())
    b_max = {tt: nominal_max_points(base, tt) for tt in tiers}
    h_max = {tt: nominal_max_points(head, tt) for tt in tiers}
    out: list[Change] = []
    for i in removed:
        if i not in renames:
            out.append(Change("indicators", i, "removed", "", _summary(base, i), None))
    for i in added:
        if i not in renamed_to:
            out.append(Change("indicators", i, "added", "", None, _summary(head, i)))
    for old_id, new_id in sorted(pairs, key=lambda p: p[1]):
        if old_id != new_id:
            out.append(Change("indicators", new_id, "renamed", "id", old_id, new_id))
        out += _compare(
            "indicators",
            new_id,
            _dump(base.indicator(old_id)),
            _dump(head.indicator(new_id)),
            _INDICATOR_ORDER,
        )
        for tt in tiers:
            a, b = b_max[tt].get(old_id), h_max[tt].get(new_id)
            if (a is None) != (b is None) or (
                a is not None and b is not None and not math.isclose(a, b, abs_tol=1e-9)
            ):
                out.append(
                    Change(
                        "indicators",
                        new_id,
                        "changed",
                        f"max_points.{tt}",
                        None if a is None else _round(a),
                        None if b is None else _round(b),
                        derived=True,
                    )
                )
    order = {i: n for n, i in enumerate(sorted(set(b_ids) | set(h_ids)))}
    return sorted(out, key=lambda c: (order.get(c.item, 0), _kind_rank(c.kind)))


def _kind_rank(kind: str) -> int:
    return ("removed", "added", "renamed", "changed").index(kind)


def _summary(fw: Framework, ind_id: str) -> str:
    ind = fw.indicator(ind_id)
    return (
        f"{pick(ind.name)} [{ind.pillar}; {', '.join(ind.tiers)}; {ind.method}; w={ind.weight:g}]"
    )


@dataclass(frozen=True)
class LevelCause:
    """One reason a unit's level moved between the two versions.

    ``kind`` is ``gate`` (a gate caps the level under HEAD: ``indicators`` are the critical
    indicators below the level it needs, ``pillars`` the weakest pillars), ``released`` (a
    gate that capped it under BASE no longer does; the causes are BASE's) or ``band`` (the
    score crossed a level band: ``base_level`` → ``head_level`` are the score levels).
    """

    kind: str
    gate: str = ""
    name: Bilingual | None = None
    gate_kind: str = ""
    indicators: tuple[str, ...] = ()
    pillars: tuple[str, ...] = ()
    needed: int | None = None
    base_level: int | None = None
    head_level: int | None = None

    def as_json(self) -> dict[str, Any]:
        if self.kind == "band":
            return {
                "kind": "band",
                "score_level": {"base": self.base_level, "head": self.head_level},
            }
        out: dict[str, Any] = {
            "kind": self.kind,
            "gate": self.gate,
            "name": {"vi": self.name.vi, "en": self.name.en} if self.name else None,
            "gate_kind": self.gate_kind,
        }
        if self.gate_kind == "critical_indicators":
            out["indicators"] = list(self.indicators)
            out["needed_level"] = self.needed
        else:
            out["pillars"] = list(self.pillars)
        return out


@dataclass(frozen=True)
class UnitMove:
    id: str
    name: str
    tier: str
    parent: str | None
    base_score: float | None
    head_score: float | None
    base_level: int | None
    head_level: int | None
    base_rank: int | None
    head_rank: int | None
    period: str = ""
    cause: tuple[LevelCause, ...] = ()  # for a level change: why

    @property
    def delta(self) -> float | None:
        if self.base_score is None or self.head_score is None:
            return None
        return self.head_score - self.base_score


@dataclass
class TierImpact:
    tier: str
    compared: int  # units scored under both versions
    only_base: list[str]  # scored under BASE only
    only_head: list[str]
    level_up: int
    level_down: int
    transitions: dict[str, int]  # "2→3": count
    rank_changed: int
    mean_abs_rank_shift: float
    deltas: dict[str, float]  # min, q1, median, q3, max, mean (points)
    level_moves: list[UnitMove]
    top_up: list[UnitMove]
    top_down: list[UnitMove]
    pillars: list[dict[str, Any]]  # id, base_mean, head_mean, mean_delta
    label: Bilingual | str = ""  # the tier's name for people
    periods: list[str] = field(default_factory=list)  # the periods compared, in time order


@dataclass
class Impact:
    files: dict[str, str]
    base_policy: str
    head_policy: str
    base_diagnostics: dict[str, int]
    head_diagnostics: dict[str, int]
    tiers: list[TierImpact]


def impact(base: Results, head: Results) -> Impact:
    """Compare the results of the same submissions scored under two framework versions."""
    tiers: list[TierImpact] = []
    for tier, hr in head.tiers.items():
        br = base.tiers.get(tier)
        if br is None or (br.size == 0 and hr.size == 0):
            continue
        ti = _tier_impact(tier, br, hr, base.framework, head.framework)
        ti.label = head.framework.tier_text(tier)
        tiers.append(ti)
    return Impact(
        files=dict(sorted({**base.files, **head.files}.items())),
        base_policy=base.policy,
        head_policy=head.policy,
        base_diagnostics=dict(sorted(Counter(d.severity for d in base.diagnostics).items())),
        head_diagnostics=dict(sorted(Counter(d.severity for d in head.diagnostics).items())),
        tiers=tiers,
    )


def _opt(x: float) -> float | None:
    return None if math.isnan(x) else float(x)


def _tier_impact(
    tier: str, br: TierResult, hr: TierResult, base: Framework, head: Framework
) -> TierImpact:
    """The impact on one tier: units are matched by (unit, period), so a batch of several
    periods compares each period with itself."""
    b_row = {(u.id, br.periods[i]): i for i, u in enumerate(br.units)}
    h_row = {(u.id, hr.periods[i]): i for i, u in enumerate(hr.units)}
    periods = sorted({p for _, p in (*b_row, *h_row)}, key=period_key)
    several = len(periods) > 1
    moves: list[UnitMove] = []
    only_base: list[str] = []
    only_head: list[str] = []
    for key in sorted(set(b_row) | set(h_row), key=lambda k: (k[0], period_key(k[1]))):
        uid, period = key
        shown = f"{uid} ({period})" if several else uid
        bi, hi = b_row.get(key), h_row.get(key)
        b_scored = bi is not None and br.level[bi] > 0
        h_scored = hi is not None and hr.level[hi] > 0
        if b_scored and not h_scored:
            only_base.append(shown)
        elif h_scored and not b_scored:
            only_head.append(shown)
        if not (b_scored and h_scored):
            continue
        assert bi is not None and hi is not None
        unit = hr.units[hi]
        b_level, h_level = int(br.level[bi]), int(hr.level[hi])
        cause = _level_causes(base, br, bi, head, hr, hi) if b_level != h_level else ()
        moves.append(
            UnitMove(
                unit.id,
                unit.name,
                tier,
                unit.parent,
                _opt(br.total[bi]),
                _opt(hr.total[hi]),
                b_level,
                h_level,
                int(br.rank[bi]) or None,
                int(hr.rank[hi]) or None,
                period,
                cause,
            )
        )
    deltas = np.array([m.delta for m in moves if m.delta is not None], dtype=np.float64)
    stats: dict[str, float] = {}
    if deltas.size:
        q = np.percentile(deltas, [0, 25, 50, 75, 100])
        stats = {
            "min": q[0],
            "q1": q[1],
            "median": q[2],
            "q3": q[3],
            "max": q[4],
            "mean": float(deltas.mean()),
        }
        stats = {k: _round(float(v)) for k, v in stats.items()}
    level_moves = [m for m in moves if m.base_level != m.head_level]
    transitions = Counter(f"{m.base_level}→{m.head_level}" for m in level_moves)
    shifts = [abs((m.head_rank or 0) - (m.base_rank or 0)) for m in moves]
    by_delta = sorted(moves, key=lambda m: (-(m.delta or 0.0), m.id))
    top_up = [m for m in by_delta if (m.delta or 0.0) > 1e-9][:TOP_MOVERS]
    top_down = [
        m for m in sorted(moves, key=lambda m: (m.delta or 0.0, m.id)) if (m.delta or 0.0) < -1e-9
    ][:TOP_MOVERS]
    return TierImpact(
        tier=tier,
        compared=len(moves),
        only_base=only_base,
        only_head=only_head,
        level_up=sum(1 for m in level_moves if (m.head_level or 0) > (m.base_level or 0)),
        level_down=sum(1 for m in level_moves if (m.head_level or 0) < (m.base_level or 0)),
        transitions=dict(sorted(transitions.items())),
        rank_changed=sum(1 for s in shifts if s),
        mean_abs_rank_shift=_round(float(np.mean(shifts))) if shifts else 0.0,
        deltas=stats,
        level_moves=level_moves,
        top_up=top_up,
        top_down=top_down,
        pillars=_pillar_deltas(br, hr, [(m.id, m.period) for m in moves], b_row, h_row),
        periods=periods,
    )


def _level_causes(
    base: Framework, br: TierResult, bi: int, head: Framework, hr: TierResult, hi: int
) -> tuple[LevelCause, ...]:
    """Why a unit's level moved: the gates that cap it under HEAD, those that capped it under
    BASE and no longer do, and its score crossing a band."""
    out: list[LevelCause] = []
    head_gates = {g.id: g for g in head.manifest.gates}
    base_gates = {g.id: g for g in base.manifest.gates}
    for c in gate_causes(head, hr, hi):
        name = Bilingual.of(head_gates[c.gate].name)
        out.append(LevelCause("gate", c.gate, name, c.kind, c.indicators, c.pillars, c.needed))
    for c in gate_causes(base, br, bi):
        if c.gate in hr.capped_by[hi]:
            continue
        name = Bilingual.of(base_gates[c.gate].name)
        out.append(LevelCause("released", c.gate, name, c.kind, c.indicators, c.pillars, c.needed))
    b_band, h_band = int(br.score_level[bi]), int(hr.score_level[hi])
    if b_band != h_band:
        out.append(LevelCause("band", base_level=b_band, head_level=h_band))
    return tuple(out)


def _pillar_deltas(
    br: TierResult,
    hr: TierResult,
    keys: list[tuple[str, str]],
    b_row: dict[tuple[str, str], int],
    h_row: dict[tuple[str, str], int],
) -> list[dict[str, Any]]:
    if not keys:
        return []
    bi = np.array([b_row[k] for k in keys], dtype=np.int64)
    hi = np.array([h_row[k] for k in keys], dtype=np.int64)
    out: list[dict[str, Any]] = []
    pillar_ids = list(hr.pillar_ids) + [p for p in br.pillar_ids if p not in hr.pillar_ids]
    for pid in pillar_ids:
        b_mean = (
            float(br.pillar_points[bi, br.pillar_ids.index(pid)].mean())
            if pid in br.pillar_ids
            else None
        )
        h_mean = (
            float(hr.pillar_points[hi, hr.pillar_ids.index(pid)].mean())
            if pid in hr.pillar_ids
            else None
        )
        delta = (h_mean or 0.0) - (b_mean or 0.0)
        out.append(
            {
                "id": pid,
                "base_mean": None if b_mean is None else _round(b_mean),
                "head_mean": None if h_mean is None else _round(h_mean),
                "mean_delta": _round(delta),
            }
        )
    return out
