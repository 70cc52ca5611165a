"""What a tier needs: the inputs its indicators read (directly or through other indicators),
for templates and for the dependency graph of explanations."""

from __future__ import annotations

from dataclasses import dataclass

from maturity.errors import UsageError
from maturity.framework import formula as fx
from maturity.framework.compiled import Framework
from maturity.framework.model import Indicator, Input
from maturity.i18n import t


@dataclass(frozen=True)
class TemplateInput:
    """One input of a tier's template and where it is used.

    Attributes:
        input: the input rule.
        pillar: leaf pillar of the first indicator that uses it (framework order), or
            ``None`` when no indicator uses it (consistency checks only).
        used_by: ``(indicator, tier)`` pairs; the tier differs from the template's when a
            parent unit's indicator aggregates this input over its children.
        checked_by: ids of the consistency checks that read it.
    """

    input: Input
    pillar: str | None
    used_by: tuple[tuple[str, str], ...]
    checked_by: tuple[str, ...]


def _check_tier(fw: Framework, tier: str) -> None:
    if tier not in fw.tier_ids():
        raise UsageError(
            t("tpl.unknown_tier", tier=tier, framework=fw.id, tiers=", ".join(fw.tier_ids()))
        )


def _dependencies(fw: Framework, expr: fx.Expr) -> tuple[set[str], set[str]]:
    """Inputs a formula reads ``(own tier, inside aggregates)``, through derived values."""
    own, inside = fx.names_used(expr)
    own_out: set[str] = set()
    inside_out: set[str] = set()
    stack: list[tuple[str, bool]] = [(n, False) for n in own] + [(n, True) for n in inside]
    seen: set[tuple[str, bool]] = set()
    while stack:
        name, in_child = stack.pop()
        if (name, in_child) in seen:
            continue
        seen.add((name, in_child))
        if name in fw.inputs:
            (inside_out if in_child else own_out).add(name)
        elif name in fw.derived and name in fw.formulas:
            d_own, d_inside = fx.names_used(fw.formulas[name])
            stack.extend((n, in_child) for n in d_own)
            stack.extend((n, True) for n in d_inside)
    return own_out, inside_out


def _indicator_expr(fw: Framework, ind: Indicator) -> fx.Expr:
    expr = fw.formulas.get(ind.id)
    if expr is None:
        expr = fx.parse(ind.formula or ind.inputs[0])
    return expr


def template_inputs(fw: Framework, tier: str) -> list[TemplateInput]:
    """Every input the units of ``tier`` submit, in template order: grouped by the leaf
    pillar (framework order) of the first indicator that uses each, then the inputs no
    indicator uses; within a group, in the order the rule files declare them."""
    _check_tier(fw, tier)
    parent = next((tt.parent for tt in fw.manifest.tiers if tt.id == tier), None)
    pillar_order = {pid: p for p, pid in enumerate(fw.pillars)}
    indicators = sorted(
        enumerate(fw.indicators),
        key=lambda pair: (pillar_order.get(pair[1].pillar, 10**6), pair[0]),
    )
    used_by: dict[str, list[tuple[str, str]]] = {}
    first_pillar: dict[str, str] = {}
    for own_tier in (tier, parent):  # this tier's indicators first, then the parent's
        if own_tier is None:
            continue
        for _, ind in indicators:
            if own_tier not in ind.tiers:
                continue
            own, inside = _dependencies(fw, _indicator_expr(fw, ind))
            names = own if own_tier == tier else inside
            for name in sorted(names):
                used_by.setdefault(name, []).append((ind.id, own_tier))
                first_pillar.setdefault(name, ind.pillar)
    checked_by: dict[str, list[str]] = {}
    for check in fw.manifest.checks:
        expr = fw.formulas.get(f"check:{check.id}")
        if expr is None:
            continue
        own, inside = _dependencies(fw, expr)
        names = (own if tier in check.tiers else set()) | (
            inside if parent is not None and parent in check.tiers else set()
        )
        for name in sorted(names):
            checked_by.setdefault(name, []).append(check.id)
    items = [
        TemplateInput(
            inp,
            first_pillar.get(inp.id),
            tuple(used_by.get(inp.id, ())),
            tuple(checked_by.get(inp.id, ())),
        )
        for inp in fw.inputs_for(tier)
    ]
    declared = {inp.id: i for i, inp in enumerate(fw.inputs_for(tier))}
    items.sort(
        key=lambda it: (
            pillar_order.get(it.pillar, 10**6) if it.pillar is not None else 10**6 + 1,
            declared[it.input.id],
        )
    )
    return items


def _derived_names(fw: Framework) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for did in fw.derived:
        expr = fw.formulas.get(did)
        if expr is not None:
            own, inside = fx.names_used(expr)
            out[did] = own | inside
    return out


def _closure(names: set[str], derived_names: dict[str, set[str]]) -> set[str]:
    """``names`` and every name the derived values among them read, transitively."""
    stack = list(names)
    while stack:
        for dep in derived_names.get(stack.pop(), set()) - names:
            names.add(dep)
            stack.append(dep)
    return names


def indicator_dependencies(fw: Framework) -> dict[str, set[str]]:
    """For each indicator, the inputs its value is computed from (through derived values)."""
    derived_names = _derived_names(fw)
    out: dict[str, set[str]] = {}
    for ind in fw.indicators:
        expr = fw.formulas.get(ind.id)
        names = set(ind.inputs)
        if expr is not None:
            own, inside = fx.names_used(expr)
            names |= own | inside
        out[ind.id] = _closure(names, derived_names)
    return out


def check_dependencies(fw: Framework) -> dict[str, set[str]]:
    """For each consistency check, the inputs and derived values its formula reads."""
    derived_names = _derived_names(fw)
    out: dict[str, set[str]] = {}
    for check in fw.manifest.checks:
        expr = fw.formulas.get(f"check:{check.id}")
        names: set[str] = set()
        if expr is not None:
            own, inside = fx.names_used(expr)
            names = own | inside
        out[check.id] = _closure(names, derived_names)
    return out


def affected_indicators(fw: Framework) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Which indicators a data problem affects: by input (the indicators computed from it)
    and by check (the indicators computed from any value the check reads), sorted."""
    deps = indicator_dependencies(fw)
    by_input: dict[str, list[str]] = {}
    for ind_id, names in deps.items():
        for name in names:
            by_input.setdefault(name, []).append(ind_id)
    by_input = {k: sorted(v) for k, v in by_input.items()}
    by_check = {
        cid: sorted({i for name in names for i in by_input.get(name, [])})
        for cid, names in check_dependencies(fw).items()
    }
    return by_input, by_check
