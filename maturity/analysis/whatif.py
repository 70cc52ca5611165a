"""What-if: a unit's values changed by hand (or by the path to the next level), re-scored, and
the comparison of before and after."""

from __future__ import annotations

import math
from typing import Any

from maturity.framework.compiled import Framework
from maturity.framework.model import Indicator
from maturity.i18n import pick
from maturity.scoring.results import Results, TierResult


def indicator_range(fw: Framework, ind: Indicator) -> tuple[float, float] | None:
    """The values an indicator can take, where the rules say: its input's range when the
    indicator is the input itself, 0-100 for a percentage, 0-1 for a yes/no."""
    if ind.formula is None:
        inp = fw.inputs.get(ind.inputs[0])
        if inp is not None and inp.min is not None and inp.max is not None:
            return (inp.min, inp.max)
    if ind.unit.en.strip() == "%":
        return (0.0, 100.0)
    if ind.method == "binary":
        return (0.0, 1.0)
    return None


def _round(x: float) -> float | None:
    """As computed (JSON writes the shortest round-trip form); ``None`` for NaN."""
    return None if math.isnan(x) else float(x) + 0.0


def compare(
    before: Results, after: Results, unit_id: str, changes: dict[str, float]
) -> dict[str, Any]:
    """Before and after for ``unit_id``: score, level, rank, and every indicator whose value,
    points or status changed."""
    fw = before.framework
    fb, fa = before.find(unit_id), after.find(unit_id)
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
                    "value_before": _round(vb),
                    "value_after": _round(va),
                    "level_before": int(rb.ind_level[ib, j]) or None,
                    "level_after": int(ra.ind_level[ia, j]) or None,
                    "points_before": float(pb) + 0.0,
                    "points_after": float(pa) + 0.0,
                    "max_points_after": float(ra.max_points[ia, j]) + 0.0,
                }
            )

    def side(r: TierResult, i: int) -> dict[str, Any]:
        return {
            "score": _round(r.total[i]),
            "level": int(r.level[i]) or None,
            "score_level": int(r.score_level[i]) or None,
            "capped_by": list(r.capped_by[i]),
            "rank": int(r.rank[i]) or None,
            "rank_in_parent": (int(r.rank_in_parent[i]) or None) if unit.parent else None,
        }

    return {
        "unit": unit_id,
        "name": unit.name,
        "tier": unit.tier,
        "changes": {k: changes[k] for k in sorted(changes)},
        "before": side(rb, ib),
        "after": side(ra, ia),
        "indicators": changed,
        "framework": {"id": fw.id, "version": fw.version, "digest": fw.digest},
    }


def parse_changes(
    fw: Framework, tier: str, assignments: tuple[str, ...], decimal_mark: str | None = None
) -> dict[str, float]:
    """The ``NAME=VALUE`` changes of ``whatif --set``: each an input or an indicator of the
    unit's tier, its value read by the same rule as a submitted one (an indicator's within the
    range it can take); a :class:`~maturity.errors.UsageError` names what is wrong."""
    from maturity.errors import UsageError
    from maturity.i18n import did_you_mean, msg, t
    from maturity.inputs.values import read_number, read_value

    inputs = {i.id: i for i in fw.inputs_for(tier)}
    indicators = {i.id: i for i in fw.indicators_for(tier)}
    changes: dict[str, float] = {}
    for item in assignments:
        name, sep, raw = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise UsageError(t("w.bad_set", value=item))
        if name not in inputs and name not in indicators:
            hint = did_you_mean(name, [*inputs, *indicators])
            raise UsageError(t("w.unknown_name", name=name, tier=fw.tier_label(tier), hint=hint))
        reading = (
            read_value(raw, inputs[name], decimal_mark)
            if name in inputs
            else read_number(raw, decimal_mark)
        )
        if reading.rejected is not None:
            raise UsageError(t("w.bad_value", name=name, why=reading.rejected))
        assert reading.value is not None
        changes[name] = reading.value
        if name in indicators:
            bounds = indicator_range(fw, indicators[name])
            if bounds is not None and not bounds[0] <= changes[name] <= bounds[1]:
                low, high = (f"{b:g}" for b in bounds)
                why = msg("w.out_of_range", value=raw.strip(), low=low, high=high)
                raise UsageError(t("w.bad_value", name=name, why=why))
    return changes
