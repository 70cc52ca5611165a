"""Agreement of the example frameworks of ``examples/`` with the published indices.

When ``../shared/reference/indices/`` exists next to the repository (published tables kept
outside it; nothing of them is ever copied in), each example is scored from the published
inputs and compared with the published index: the largest absolute error, how many values
equal the published ones at the published rounding, and how many ranks are equal (the
engine's own ranks, and competition ranks of the values rounded as published). Without that
folder it prints ``skipped: no reference data``.

    python benchmarks/indices_agreement.py [REFERENCE_DIR]
"""

from __future__ import annotations

import csv
import sys
import tempfile
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np

from maturity import load_framework, load_registry, load_submissions, score_batch
from maturity.scoring.kernel import competition_rank

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT.parent / "shared" / "reference" / "indices"


@dataclass(frozen=True)
class Agreement:
    index: str
    table: str
    units: int
    max_error: float
    equal_rounded: int
    ranks_equal_engine: int
    ranks_equal_rounded: int


def rounded(value: float, digits: int) -> Decimal:
    """``value`` rounded half up at ``digits`` decimals, as the tables are published."""
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def hdi_agreement(table: Path, digits: int = 3) -> Agreement:
    """Score ``examples/hdi`` from one published HDI table's inputs and compare."""
    with table.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    fw = load_framework(ROOT / "examples" / "hdi" / "framework.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        units = Path(tmp) / "units.csv"
        data = Path(tmp) / "submissions.csv"
        with units.open("w", encoding="utf-8", newline="") as fh:
            out = csv.writer(fh)
            out.writerow(["id", "name", "tier", "parent", "type"])
            out.writerows([r["id"], r["country"], "country", "", "country"] for r in rows)
        with data.open("w", encoding="utf-8", newline="") as fh:
            fh.write("# locale: en\n")  # decimal points: '767.787' is not 767787
            out = csv.writer(fh)
            out.writerow(["unit", "le", "eys", "mys", "gnipc"])
            out.writerows([r["id"], r["le"], r["eys"], r["mys"], r["gnipc"]] for r in rows)
        registry = load_registry(units)
        result = score_batch(fw, load_submissions([data], fw, registry), registry)
    tier = result.tiers["country"]
    row = {u.id: i for i, u in enumerate(tier.units)}
    ours = np.array([tier.index[row[r["id"]]] for r in rows])
    published = np.array([float(r["hdi"]) for r in rows])
    published_rank = np.array([int(r["hdi_rank"]) for r in rows])
    engine_rank = np.array([tier.rank[row[r["id"]]] for r in rows])
    ours_rounded = np.array([float(rounded(float(v), digits)) for v in ours])
    rounded_rank = competition_rank(ours_rounded, np.ones(len(rows), dtype=bool))
    equal = sum(
        rounded(float(v), digits) == Decimal(r["hdi"]) for v, r in zip(ours, rows, strict=True)
    )
    return Agreement(
        index="UNDP HDI",
        table=table.name,
        units=len(rows),
        max_error=float(np.max(np.abs(ours - published))),
        equal_rounded=int(equal),
        ranks_equal_engine=int((engine_rank == published_rank).sum()),
        ranks_equal_rounded=int((rounded_rank == published_rank).sum()),
    )


def agreements(reference: Path) -> list[Agreement]:
    found: list[Agreement] = []
    for table in sorted((reference / "undp-hdi").glob("hdi-*.csv")):
        found.append(hdi_agreement(table))
    return found


def main(argv: list[str]) -> int:
    reference = Path(argv[0]) if argv else REFERENCE
    if not reference.is_dir():
        print("skipped: no reference data")
        return 0
    results = agreements(reference)
    if not results:
        print("skipped: no reference data")
        return 0
    header = (
        "index     table          units  max error  equal at published rounding"
        "  ranks equal (engine)  ranks equal (rounded)"
    )
    print(header)
    for a in results:
        print(
            f"{a.index:<9} {a.table:<14} {a.units:>5}  {a.max_error:9.2e}"
            f"  {a.equal_rounded:>4} of {a.units:<21}  {a.ranks_equal_engine:>4} of {a.units:<13}"
            f"  {a.ranks_equal_rounded:>4} of {a.units}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
