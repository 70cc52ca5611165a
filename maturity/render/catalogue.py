"""TODO docstring."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from maturity.framework.compiled import Framework
from maturity.i18n import language, pick
from maturity.render.grid import grid
from maturity.render.results import label


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


def render_catalogue(fw: Framework, fmt: str, tablefmt: str = "simple") -> str:
    records = catalogue_records(fw)
    if fmt == "json":
        doc = {
            "framework": {"id": fw.id, "version": fw.version, "digest": fw.digest},
            "indicators": records,
        }
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
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
            f"{r['weight']:g}",
            label("yes") if r["critical"] else "",
        ]
        for r in records
    ]
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(headers)
        w.writerows(rows)
        return buf.getvalue()
    if fmt == "markdown":
        out = [f"# {pick(fw.manifest.title)} ({fw.version})", ""]
        for pid, node in fw.pillars.items():
            mine = [row for row, rec in zip(rows, records, strict=True) if rec["pillar"] == pid]
            if not mine:
                continue
            weights = "; ".join(
                f"{tier_names.get(k, k)}: {v:g}" for k, v in node.model.weights.items()
            )
            out += [f"## {pid} — {pick(node.model.name)} ({weights})", ""]
            out.append(grid(mine, headers=headers, tablefmt="github", disable_numparse=True))
            out.append("")
        return "\n".join(out)
    return grid(rows, headers=headers, tablefmt=tablefmt, disable_numparse=True) + "\n"
