"""The indicator catalogue as a document: every indicator with its pillar, tier, weight,
formula and bands, as ``maturity indicators`` lists it."""

from __future__ import annotations

from typing import Any

from maturity.framework.compiled import Framework
from maturity.i18n import language, pick
from maturity.i18n.numbers import number
from maturity.render.document import Block, Document, Heading, Only, Records, Table, Title
from maturity.render.results import label
from maturity.render.writers import write


def catalogue_records(fw: Framework) -> list[dict[str, Any]]:
    return [
        {
            "id": ind.id,
            "pillar": ind.pillar,
            "tiers": list(ind.tiers),
            "names": {"vi": ind.name.vi, "en": ind.name.en},
            "unit": {"vi": ind.unit.vi, "en": ind.unit.en},
            "direction": ind.direction,
            "method": ind.method,
            "cutoffs": list(ind.cutoffs.values()),
            "weight": ind.weight,
            "critical": ind.critical,
            "context": ind.context,
            "source": ind.source,
            "inputs": list(ind.inputs),
            "formula": ind.formula,
            "legal_basis": list(ind.legal_basis),
        }
        for ind in fw.indicators
    ]


def catalogue_doc(fw: Framework) -> Document:
    """The framework's indicator catalogue: one table in a terminal, a section per pillar in
    Markdown, the records in JSON and CSV."""
    records = catalogue_records(fw)
    lang = language()
    headers = [
        label(k)
        for k in ("id", "pillar", "name", "tiers", "unit_of", "method", "weight", "critical")
    ]
    tier_names = {tt.id: pick(tt.name) for tt in fw.manifest.tiers}
    rows = [
        [
            r["id"],
            r["pillar"],
            r["names"][lang],
            "; ".join(tier_names[x] for x in r["tiers"]),
            r["unit"][lang],
            label(f"method.{r['method']}"),
            number(r["weight"], 6),
            label("yes") if r["critical"] else "",
        ]
        for r in records
    ]
    md = frozenset({"markdown"})
    blocks: list[Block | Only] = [
        Only(frozenset({"table"}), Table(headers, rows)),
        Only(md, Title(f"{pick(fw.manifest.title)} ({fw.version})")),
    ]
    for pid, node in fw.pillars.items():
        mine = [row for row, rec in zip(rows, records, strict=True) if rec["pillar"] == pid]
        if mine:
            weights = "; ".join(
                f"{tier_names.get(k, k)}: {number(v, 6)}" for k, v in node.model.weights.items()
            )
            blocks += [
                Only(md, Heading(f"{pid} — {pick(node.model.name)} ({weights})")),
                Only(md, Table(headers, mine)),
            ]
    data = {
        "framework": {"id": fw.id, "version": fw.version, "digest": fw.digest},
        "indicators": records,
    }
    return Document(blocks, data=data, records=Records(headers, rows))


def render_catalogue(fw: Framework, fmt: str, tablefmt: str = "simple") -> str:
    return write(catalogue_doc(fw), fmt, tablefmt)
