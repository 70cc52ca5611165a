"""The compiled framework: the manifest, its indicators and pillars as a tree, and the parsed
formulas the engine evaluates, with the framework's digest."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from maturity.errors import Location
from maturity.framework import formula as fx
from maturity.framework.model import Derived, FrameworkManifest, Indicator, Input, Pillar
from maturity.i18n import Bilingual, pick

RESULT_NAMES = ("score", "index", "level")  # a child unit's results, usable inside aggregates


@dataclass(frozen=True)
class PillarNode:
    """A pillar of the flattened tree."""

    model: Pillar
    parent: str | None
    depth: int
    children: tuple[str, ...]

    @property
    def id(self) -> str:
        return self.model.id

    @property
    def leaf(self) -> bool:
        return not self.children


@dataclass(frozen=True)
class Framework:
    """A validated framework: everything the engine needs, formulas already parsed."""

    manifest: FrameworkManifest
    path: Path
    digest: str
    files: tuple[Path, ...]
    inputs: dict[str, Input]
    derived: dict[str, Derived]
    derived_order: tuple[str, ...]  # dependency order
    indicators: tuple[Indicator, ...]
    pillars: dict[str, PillarNode]  # tree order (parents before children)
    formulas: dict[str, fx.Expr]  # indicator id / derived id / "check:<id>" -> parsed formula
    locations: dict[str, Location] = field(default_factory=dict)
    # indicator ids, every indicator after the results its formula reads (indicator.X, pillar.P)
    indicator_order: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return self.manifest.id

    @property
    def version(self) -> str:
        return self.manifest.version

    def tier_ids(self) -> list[str]:
        return [tier.id for tier in self.manifest.tiers]

    def tier_label(self, tier_id: str) -> str:
        """The tier's short name in the current language (its ``label``), else its id."""
        for tier in self.manifest.tiers:
            if tier.id == tier_id and tier.label is not None:
                return pick(tier.label)
        return tier_id

    def tier_text(self, tier_id: str) -> Bilingual:
        """The tier's short name in both languages, shown in the language of the moment it
        is shown (for a message's arguments, rendered later)."""
        for tier in self.manifest.tiers:
            if tier.id == tier_id and tier.label is not None:
                return Bilingual.of(tier.label)
        return Bilingual(tier_id, tier_id)

    def child_tier(self, tier: str) -> str | None:
        for candidate in self.manifest.tiers:
            if candidate.parent == tier:
                return candidate.id
        return None

    def indicator(self, indicator_id: str) -> Indicator:
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise KeyError(indicator_id)

    def indicators_for(self, tier: str) -> list[Indicator]:
        return [ind for ind in self.indicators if tier in ind.tiers]

    def inputs_for(self, tier: str) -> list[Input]:
        return [inp for inp in self.inputs.values() if tier in inp.tiers]

    def leaf_of(self, pillar_id: str) -> list[str]:
        node = self.pillars[pillar_id]
        if node.leaf:
            return [pillar_id]
        return [leaf for child in node.children for leaf in self.leaf_of(child)]
