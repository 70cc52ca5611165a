"""The report's data: everything the pages show, computed once from a scored round.

Page builders are functions of a :class:`ReportData` (and a language and links), never of
files, so the static site and the web platform (issue 16) render the same pages from the
same data.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from maturity.analysis.batch import TierAnalysis, analyse, median
from maturity.inputs.baseline import Baseline
from maturity.render.site._core import (
    Batch,
    Diagnostic,
    Framework,
    Registry,
    Results,
    TierResult,
    UnitVerification,
    VerificationReport,
)

F64 = NDArray[np.float64]


@dataclass(frozen=True)
class UnitRef:
    tier: str
    row: int


@dataclass(frozen=True)
class ReportData:
    """A scored round, analysed for the pages."""

    results: Results
    analysis: Mapping[str, TierAnalysis]
    units: Mapping[str, UnitRef]  # every scored unit
    names: Mapping[str, str]  # every known unit's name (registry, else results)
    top_tier: str
    child_tier: str | None
    top_units: tuple[str, ...]  # the top tier's units of the registry (the map), by id
    children: Mapping[str, tuple[int, ...]]  # top unit -> child rows, best first
    registry_children: Mapping[str, int]  # top unit -> its child units in the registry
    scored_children: Mapping[str, int]  # top unit -> its ranked child units
    scored_in_tier: Mapping[
        str, int
    ]  # tier -> ranked units (scored, kept by the publication rules)
    diagnostics: Mapping[str, tuple[Diagnostic, ...]]  # by unit
    batch_diagnostics: tuple[Diagnostic, ...]  # those about no unit (files, tables)
    tier_medians: Mapping[str, F64]  # tier -> median pillar share, per pillar
    group_medians: Mapping[str, Mapping[str, F64]]  # tier -> group unit -> medians
    period_list: tuple[str, ...] = ()  # the round's periods, sorted
    baseline: Baseline | None = None
    # publication flags per unit (scoring.results.FLAGS names: a failed error check, low
    # coverage), of its latest period; only units with a flag
    flags: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # the evaluators' verification of each verified unit, when the round was verified
    verification: Mapping[str, UnitVerification] = field(default_factory=dict)

    @property
    def framework(self) -> Framework:
        return self.results.framework

    def tier_result(self, tier: str) -> TierResult:
        return self.results.tiers[tier]

    def find(self, unit_id: str) -> tuple[TierAnalysis, int] | None:
        ref = self.units.get(unit_id)
        if ref is None:
            return None
        return self.analysis[ref.tier], ref.row

    def periods(self) -> list[str]:
        return list(self.period_list)


def build_report_data(
    results: Results,
    *,
    batch: Batch | None = None,
    registry: Registry | None = None,
    baseline: Baseline | None = None,
    verification: VerificationReport | None = None,
) -> ReportData:
    """Analyse ``results`` for the pages. With the ``batch`` and ``registry`` they were scored
    from, every path to the next level is verified by re-scoring (as ``explain`` does). With
    a ``verification`` (``results`` then being the verified ones), each verified unit's page
    shows what the evaluators changed and why."""
    fw = results.framework
    analysis = analyse(results, batch, registry)
    units = {
        u.id: UnitRef(tier, i) for tier, r in results.tiers.items() for i, u in enumerate(r.units)
    }
    names = {u.id: u.name for r in results.tiers.values() for u in r.units}
    tops = [tt.id for tt in fw.manifest.tiers if tt.parent is None]
    top = tops[0]
    child = fw.child_tier(top)
    registry_children: dict[str, int] = defaultdict(int)
    if registry is not None:
        for unit in registry.units.values():
            names.setdefault(unit.id, unit.name)
            if unit.tier == child and unit.parent:
                registry_children[unit.parent] += 1
        top_units = tuple(sorted(u.id for u in registry.units.values() if u.tier == top))
    else:
        top_units = tuple(sorted(u.id for u in results.tiers[top].units))
    children: dict[str, tuple[int, ...]] = {}
    scored_children: dict[str, int] = {}
    if child is not None:
        cr = results.tiers[child]
        grouped: dict[str, list[int]] = defaultdict(list)
        for i, unit in enumerate(cr.units):
            grouped[unit.parent or ""].append(i)
        for parent, rows in grouped.items():
            rows.sort(
                key=lambda i: (cr.rank_in_parent[i] == 0, cr.rank_in_parent[i], cr.units[i].id)
            )
            children[parent] = tuple(rows)
            scored_children[parent] = int((cr.rank_in_parent[rows] > 0).sum())
            if registry is None:
                registry_children[parent] = len(rows)
    diagnostics: dict[str, list[Diagnostic]] = defaultdict(list)
    loose: list[Diagnostic] = []
    for diag in results.diagnostics:
        if diag.unit is None:
            loose.append(diag)
        else:
            diagnostics[diag.unit].append(diag)
    tier_medians: dict[str, F64] = {}
    group_medians: dict[str, dict[str, F64]] = {}
    for tier, ta in analysis.items():
        share = ta.pillar_share
        tier_medians[tier] = _medians(share)
        groups: dict[str, F64] = {}
        rows_of: dict[str, list[int]] = defaultdict(list)
        for i, unit in enumerate(ta.result.units):
            if unit.parent:
                rows_of[unit.parent].append(i)
        for parent, rows in rows_of.items():
            groups[parent] = _medians(share[rows])
        group_medians[tier] = groups
    return ReportData(
        results=results,
        analysis=analysis,
        units=units,
        names=names,
        top_tier=top,
        child_tier=child,
        top_units=top_units,
        children=children,
        registry_children=dict(registry_children),
        scored_children=scored_children,
        scored_in_tier={tier: int((r.rank > 0).sum()) for tier, r in results.tiers.items()},
        diagnostics={k: tuple(v) for k, v in diagnostics.items()},
        batch_diagnostics=tuple(loose),
        tier_medians=tier_medians,
        group_medians=group_medians,
        period_list=tuple(sorted({p for r in results.tiers.values() for p in r.periods if p})),
        baseline=baseline,
        verification={v.outcome.id: v for v in verification.units} if verification else {},
        flags=_flags(results),
    )


def _flags(results: Results) -> dict[str, tuple[str, ...]]:
    """Each unit's publication flags in its latest period (later rows overwrite earlier)."""
    latest: dict[str, tuple[str, ...]] = {}
    for r in results.tiers.values():
        for i, unit in enumerate(r.units):
            latest[unit.id] = tuple(r.flags_of(i))
    return {unit_id: flags for unit_id, flags in latest.items() if flags}


def _medians(share: F64) -> F64:
    """Median of each column's finite values (NaN where a column has none)."""
    if share.ndim != 2 or share.shape[0] == 0:
        return np.full(share.shape[1] if share.ndim == 2 else 0, np.nan)
    out = np.full(share.shape[1], np.nan)
    for p in range(share.shape[1]):
        found = median(share[:, p])
        if found is not None:
            out[p] = found
    return out
