"""Generate the synthetic national submission set for the vn-2tier framework.

Writes ``examples/national/submissions.csv``: one wide row per unit (34 provinces first, then
3,321 communes, each sorted by code), header ``unit,period,<every input id, sorted>``.

The input list is read from the framework's rule files (``frameworks/vn-2tier.yaml`` and the
files it includes), so the CSV never drifts from the rules: an input this script has no
specific rule for still gets a plausible value from its type and range (and a note on stderr).
Vĩnh Long (86) and Phú Quới (29611) rows carry exactly the values of ``examples/vinh-long.yaml``
and ``examples/phu-quoi.yaml``. The deliberate defects are listed in ``DEFECTS`` below and in
the README.

Deterministic: ``numpy.random.default_rng(2025)`` draws one seed per unit, in registry order.
Standard library + numpy + PyYAML only.

    python examples/national/generate.py
"""

from __future__ import annotations

import csv
import glob
import io
import sys
from pathlib import Path
from typing import Any

import numpy as np
import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
MANIFEST = REPO / "frameworks" / "vn-2tier.yaml"
OUTPUT = HERE / "submissions.csv"
PERIOD = "2025-Q3"
WORKING_DAYS = 34  # 1 Jul - 15 Aug 2025, the window of the Vĩnh Long figures
FIXED = {"86": REPO / "examples" / "vinh-long.yaml", "29611": REPO / "examples" / "phu-quoi.yaml"}
SILENT_UNIT = "20333"  # Đặc khu Hoàng Sa: no resident population, the row is left blank

CITIES_BONUS = 0.10
MOUNTAIN = {"04", "08", "11", "12", "14", "15", "20"}  # northern mountain provinces
# Loosely follows the published DTI 2024 order where the brief has it: top Hà Nội, Huế,
# Hải Phòng, Hồ Chí Minh City; bottom three Cao Bằng, Quảng Trị, Hưng Yên.
DTI_2024 = {"01": 0.2, "46": 0.14, "31": 0.12, "79": 0.1, "04": -0.12, "44": -0.12, "33": -0.12}
TYPE_EFFECT = {"Phường": 0.05, "Xã": -0.08, "Đặc khu": -0.2}
SPECIAL_ZONE_POP = {  # approximate resident populations of the special zones
    "06994": 50000,
    "07192": 6500,
    "11914": 32000,
    "11948": 1000,
    "19742": 500,
    "21548": 22000,
    "22736": 300,
    "23272": 30000,
    "26732": 11000,
    "31078": 160000,
    "31105": 1800,
    "31108": 20000,
}
# Published figures from the domain brief §0 used for three synthetic province rows.
PUBLISHED = {
    "68": {"smartphone_pct": 90.8, "households_fibre_pct": 99, "bts_5g": 282},  # Lâm Đồng
    "08": {
        "plan02_tasks_assigned": 33,
        "plan02_tasks_done": 25,
        "hamlets_with_cdt_team": 1856,
    },  # Tuyên Quang
    "82": {"procs_total": 2050, "procs_full_eligible": 834, "ops_full_process": 578},  # Đồng Tháp
}
# Deliberate invalid values: (unit, input, cell text, what is wrong).
INVALID = [
    ("00004", "dossiers_online", "-12", "negative count"),
    ("04792", "hamlets_mobile_pct", "104", "percentage above 100"),
    ("56", "pop_5g_coverage_pct", "112.5", "percentage above 100"),
    ("14758", "dossiers_received", "n/a?", "text in a numeric cell"),
    ("16681", "officials_total", "45.5", "decimal in an integer count"),
    ("03390", "it_official_level", "3", "ordinal answer out of range (0-2)"),
    ("21553", "has_fibre", "2", "boolean that is neither 0 nor 1"),
    ("31120", "pasc_checklist_met", "9", "above the input's maximum (8)"),
    ("92", "service_index_766", "130", "score above 100"),
    ("01279", "fixed_speed_mbps", "#VALUE!", "spreadsheet error text"),
    ("22015", "dossiers_with_fee", "1,234", "ambiguous thousands separator"),
]

# Deliberate inconsistencies: (unit, input changed, what it breaks). Applied in main().
INCONSISTENT = [
    ("01", "procs_provincial", "procedure parts +15 over the total (check procedures-add-up)"),
    ("31", "procs_shared", "procedure parts 7 short of the total (check procedures-add-up)"),
    ("20195", "dossiers_in_person", "online + in person = received + 40 (check channels-add-up)"),
    (
        "25750",
        "dossiers_resolved_on_time",
        "early + on time + late = resolved + 25 (check resolution-add-up)",
    ),
    (
        "38",
        "dossiers_received_at_communes",
        "12 % above the sum of its communes (check province-dossiers-match-communes)",
    ),
    (
        "40",
        "dossiers_received",
        "all dossier counts x 0.7, a shorter window than its communes' (checks "
        "communes-within-province-total, province-online-covers-communes, "
        "province-dossiers-match-communes)",
    ),
    (
        "52",
        "communes_total",
        "3 more communes than the registry (check communes-total-matches-registry)",
    ),
    ("25", "st_dossiers_received", "9 fewer than its 7 S&T fields (check st-fields-within-total)"),
    (
        "07246",
        "dossiers_digitised",
        "57 more than dossiers received (check dossiers-digitised-le-dossiers-received)",
    ),
    (
        "31834",
        "hamlets_mobile_covered",
        "2 more than hamlets_total (check hamlets-mobile-covered-le-hamlets-total)",
    ),
]


def load_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def read_inputs() -> dict[str, dict[str, Any]]:
    manifest = load_yaml(MANIFEST)
    inputs: dict[str, dict[str, Any]] = {}
    for pattern in manifest["include"]:
        for path in sorted(glob.glob(str(MANIFEST.parent / pattern))):
            for inp in load_yaml(Path(path)).get("inputs", []) or []:
                inputs[inp["id"]] = inp
    return inputs


def read_registry() -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    manifest = load_yaml(MANIFEST)
    provinces: dict[str, dict[str, str]] = {}
    communes: dict[str, dict[str, str]] = {}
    with (MANIFEST.parent / manifest["units"]).open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            provinces.setdefault(
                row["province_code"], {"name": row["province_name"], "type": row["province_type"]}
            )
            communes[row["commune_code"]] = {
                "province": row["province_code"],
                "name": row["commune_name"],
                "type": row["commune_type"],
            }
    return provinces, communes


# ------------------------------------------------------------------ small helpers


class Gen:
    """Draws for one unit of quality ``q`` in [0, 1]."""

    def __init__(self, seed: int, q: float) -> None:
        self.rng = np.random.default_rng(seed)
        self.q = q

    def share(self, lo: float, hi: float, sd: float = 0.08) -> float:
        """A rate between lo and hi that rises with the unit's quality."""
        return float(np.clip(lo + (hi - lo) * (self.q + self.rng.normal(0, sd)), 0.0, 1.0))

    def part(self, n: int, p: float) -> int:
        return int(self.rng.binomial(max(int(n), 0), float(np.clip(p, 0.0, 1.0))))

    def of(self, n: int, lo: float, hi: float) -> int:
        return self.part(n, self.share(lo, hi))

    def uni(self, lo: float, hi: float) -> float:
        return float(self.rng.uniform(lo, hi))

    def int(self, lo: int, hi: int) -> int:
        return int(self.rng.integers(lo, hi + 1))

    def yes(self, p: float) -> int:
        return int(self.rng.random() < np.clip(p, 0.0, 1.0))

    def ordinal(self, k: int, sd: float = 0.6) -> int:
        return int(np.clip(round(self.q * k + self.rng.normal(0, sd)), 0, k))


DOSSIER_COUNTS = [
    "dossiers_received",
    "dossiers_online",
    "dossiers_in_person",
    "dossiers_resolved",
    "dossiers_resolved_early",
    "dossiers_resolved_on_time",
    "dossiers_resolved_overdue",
    "dossiers_pending",
    "dossiers_pending_overdue",
    "dossiers_with_fee",
    "dossiers_paid_online",
    "ratings_total",
    "ratings_satisfied",
    "dossiers_digitised",
    "results_electronic",
    "dossiers_reusing_data",
    "dossiers_synced_npsp",
    "dossiers_supplement_multi",
    "dossiers_online_vneid",
    "dossiers_fully_electronic",
    "results_vneid_eligible",
    "results_in_vneid",
]


def dossiers(g: Gen, received: int, online_share: float) -> dict[str, float]:
    """Internally consistent dossier counts for a volume of ``received`` dossiers."""
    v: dict[str, float] = {}
    v["dossiers_received"] = received
    v["dossiers_online"] = max(1, g.part(received, online_share))
    v["dossiers_in_person"] = received - v["dossiers_online"]
    resolved = round(received * g.uni(0.90, 0.99))
    overdue = g.part(resolved, 0.09 * (1 - g.q) + 0.003)
    early = g.part(resolved - overdue, g.uni(0.2, 0.45))
    v.update(
        dossiers_resolved=resolved,
        dossiers_resolved_overdue=overdue,
        dossiers_resolved_early=early,
        dossiers_resolved_on_time=resolved - overdue - early,
    )
    pending = received - resolved + g.int(0, 30)
    v.update(dossiers_pending=pending, dossiers_pending_overdue=g.part(pending, 0.12 * (1 - g.q)))
    statutory = round(g.uni(3.0, 7.0), 1)
    v.update(
        avg_statutory_days=statutory,
        avg_processing_days=round(
            statutory * float(np.clip(0.35 + 0.65 * (1 - g.q) + g.rng.normal(0, 0.08), 0.2, 1.4)), 1
        ),
    )
    fee = max(1, g.part(received, g.uni(0.2, 0.35)))
    v.update(dossiers_with_fee=fee, dossiers_paid_online=g.of(fee, 0.1, 0.8))
    ratings = max(1, g.part(received, g.uni(0.3, 0.6)))
    v.update(
        ratings_total=ratings,
        ratings_satisfied=g.part(
            ratings, float(np.clip(0.84 + 0.14 * g.q + g.rng.normal(0, 0.02), 0.6, 1.0))
        ),
    )
    v["dossiers_digitised"] = g.of(received, 0.5, 1.0)
    v["results_electronic"] = g.of(resolved, 0.45, 1.0)
    v["dossiers_reusing_data"] = g.of(received, 0.05, 0.6)
    v["dossiers_synced_npsp"] = g.part(
        received, float(np.clip(0.9 + 0.1 * g.q + g.rng.normal(0, 0.02), 0.7, 1.0))
    )
    v["dossiers_supplement_multi"] = g.part(received, 0.06 * (1 - g.q) + 0.004)
    v["dossiers_online_vneid"] = g.of(v["dossiers_online"], 0.6, 1.0)
    v["dossiers_fully_electronic"] = g.of(received, 0.4, 1.0)
    eligible = max(1, g.part(resolved, g.uni(0.1, 0.2)))
    v.update(results_vneid_eligible=eligible, results_in_vneid=g.of(eligible, 0.05, 0.8))
    return v


# ------------------------------------------------------------------ communes


def commune_profile(g: Gen, code: str, ctype: str) -> dict[str, float]:
    v: dict[str, float] = {}
    if ctype == "Đặc khu":
        pop = int(SPECIAL_ZONE_POP.get(code, 10000) * g.uni(0.9, 1.1))
    else:
        median = 40000 if ctype == "Phường" else 22000
        pop = int(np.clip(g.rng.lognormal(np.log(median), 0.45), 3000, 250000))
    v["population"] = pop
    v["population_15plus"] = int(pop * g.uni(0.74, 0.80))
    v["households_total"] = max(1, int(pop / g.uni(3.2, 3.8)))
    per_hamlet = g.uni(1500, 2800) if ctype == "Phường" else g.uni(700, 1300)
    v["hamlets_total"] = max(1, round(pop / per_hamlet))
    base = {"Phường": 55, "Xã": 48, "Đặc khu": 40}[ctype]
    v["officials_total"] = max(8, int(g.rng.normal(base, 7)))
    return v


def commune_values(
    g: Gen, ctype: str, profile: dict[str, float], volume: int, shared_apps: int
) -> dict[str, float]:
    v = dict(profile)
    hamlets, officials = v["hamlets_total"], v["officials_total"]
    island = ctype == "Đặc khu"
    # GOV
    p0 = 0.05 * (1 - g.q)
    p2 = 0.45 + 0.5 * g.q
    v["steering_chair"] = int(g.rng.choice(3, p=[p0, 1 - p0 - p2, p2]))
    v["steering_meetings"] = int(np.clip(round(1 + 3 * g.q + g.rng.normal(0, 0.8)), 0, 6))
    v["dx_plan_on_time"] = g.yes(0.5 + 0.45 * g.q)
    v["dx_tasks_planned"] = g.int(12, 40)
    v["dx_tasks_completed"] = g.of(v["dx_tasks_planned"], 0.35, 0.98)
    v["dx_directives_total"] = g.int(3, 15)
    v["dx_directives_by_head"] = g.of(v["dx_directives_total"], 0.2, 0.95)
    v["dx_section_exists"] = g.yes(0.6 + 0.38 * g.q)
    v["dx_section_updated"] = g.yes(0.4 + 0.55 * g.q) if v["dx_section_exists"] else 0
    # INF
    v["has_fibre"] = 1 if ctype == "Phường" else g.yes((0.7 if island else 0.93) + 0.07 * g.q)
    v["hamlets_mobile_covered"] = hamlets - g.part(hamlets, (0.15 if island else 0.04) * (1 - g.q))
    v["households_fibre"] = g.of(v["households_total"], 0.3, 0.97)
    bw = [0, 20, 50, 100, 200]
    w = np.array([0.03 * (1 - g.q), 0.15 * (1 - g.q), 0.35, 0.3 + 0.2 * g.q, 0.05 + 0.35 * g.q])
    v["tslcd_bandwidth_mbps"] = bw[int(g.rng.choice(5, p=w / w.sum()))]
    v["pasc_checklist_met"] = g.of(8, 0.3, 0.95)
    v["officials_with_pc"] = g.of(officials, 0.7, 1.0)
    v["has_vc_endpoint"] = g.yes(0.75 + 0.25 * g.q)
    speed = 0.6 if island else 1.0
    v["fixed_speed_mbps"] = round(
        float(np.clip(speed * (70 + 160 * g.q) * g.rng.lognormal(0, 0.15), 5, 600)), 1
    )
    v["mobile_speed_mbps"] = round(
        float(np.clip(speed * (40 + 120 * g.q) * g.rng.lognormal(0, 0.15), 3, 400)), 1
    )
    # SVC / DAT dossier counts
    online_share = float(np.clip(0.12 + 0.5 * g.q + g.rng.normal(0, 0.07), 0.02, 0.92))
    v.update(dossiers(g, volume, online_share))
    v["service_index_766"] = round(float(np.clip(45 + 45 * g.q + g.rng.normal(0, 5), 15, 99)), 1)
    v["ops_on_npsp"] = g.int(240, 400)
    v["ops_with_online_dossiers"] = g.of(v["ops_on_npsp"], 0.2, 0.8)
    v["working_days"] = WORKING_DAYS
    lo, hi = {"Phường": (4, 10), "Xã": (3, 8), "Đặc khu": (2, 4)}[ctype]
    v["counters_total"] = int(np.clip(round(volume / (WORKING_DAYS * 8)), lo, hi))
    # DAT
    v["db_connections_required"] = g.int(4, 6)
    v["db_connections_live"] = g.of(v["db_connections_required"], 0.5, 1.0)
    v["civil_registers_total"] = g.int(60, 800)
    v["civil_registers_digitised"] = g.of(v["civil_registers_total"], 0.5, 1.0)
    # OPS
    v["docs_out_total"] = max(1, int(officials * g.uni(8, 15)))
    v["docs_out_signed_electronic"] = g.of(v["docs_out_total"], 0.7, 1.0)
    v["officials_with_cert"] = g.of(officials, 0.4, 1.0)
    v["doc_axis_connected"] = g.yes(0.85 + 0.15 * g.q)
    v["reports_required"] = g.int(12, 24)
    v["reports_online"] = g.of(v["reports_required"], 0.4, 1.0)
    v["shared_apps_required"] = shared_apps
    v["shared_apps_used"] = shared_apps - g.part(shared_apps, 0.25 * (1 - g.q))
    v["meetings_total"] = g.int(15, 40)
    v["meetings_paperless"] = g.of(v["meetings_total"], 0.05, 0.9)
    # SEC
    v["endpoints_total"] = v["officials_with_pc"] + g.int(3, 10)
    v["endpoints_protected"] = g.of(v["endpoints_total"], 0.3, 1.0)
    v["incidents_over_sla"] = int(g.rng.poisson(2 * (1 - g.q)))
    v["officials_trained_security"] = g.of(officials, 0.2, 0.9)
    v["security_rules_current"] = g.yes(0.3 + 0.6 * g.q)
    # HRB
    norm = v["counters_total"] + g.int(1, 3)
    v["one_stop_staff_norm"] = norm
    v["one_stop_staff"] = max(1, norm - g.part(norm, 0.3 * (1 - g.q)) + g.yes(0.05))
    p0 = 0.3 * (1 - g.q)
    p2 = 0.1 + 0.45 * g.q
    v["it_official_level"] = int(g.rng.choice(3, p=[p0, 1 - p0 - p2, p2]))
    v["officials_trained_digital"] = g.of(officials, 0.3, 0.95)
    v["dx_budget_line"] = g.yes(0.35 + 0.6 * g.q)
    # ECO
    v["hamlets_with_cdt_team"] = hamlets - g.part(hamlets, 0.3 * (1 - g.q))
    v["adults_vneid_l2"] = g.of(v["population_15plus"], 0.55, 0.9)
    v["adults_esign"] = g.of(v["population_15plus"], 0.03, 0.35)
    v["households_digital_family"] = g.of(v["households_total"], 0.05, 0.6)
    v["ocop_products"] = 1 + int(g.rng.poisson(1.5 if ctype == "Phường" else 4))
    v["ocop_products_online"] = g.of(v["ocop_products"], 0.1, 0.8)
    v["residents_digital_skills"] = g.of(v["population_15plus"], 0.1, 0.7)
    v["facilities_total"] = max(2, int(v["population"] / 2500 + g.rng.normal(0, 2)))
    v["facilities_cashless"] = g.of(v["facilities_total"], 0.4, 1.0)
    return v


# ------------------------------------------------------------------ provinces

SUMMED = [
    "population",
    "population_15plus",
    "households_total",
    "hamlets_total",
    "hamlets_mobile_covered",
    "households_fibre",
    "hamlets_with_cdt_team",
    "adults_vneid_l2",
    "adults_esign",
    "residents_digital_skills",
    "ocop_products",
    "ocop_products_online",
    "facilities_total",
    "facilities_cashless",
    "civil_registers_total",
    "civil_registers_digitised",
]


def province_values(
    g: Gen, communes: list[dict[str, float]], n_communes: int, own_counts: bool
) -> dict[str, float]:
    v: dict[str, float] = {}
    for key in SUMMED:
        v[key] = int(sum(c.get(key, 0) for c in communes))
    pop = v["population"]
    # commune-count inputs (left blank in some provinces: the rules then count the communes)
    if own_counts:
        v["communes_total"] = n_communes
        v["communes_with_fibre"] = sum(int(c["has_fibre"]) for c in communes)
        v["communes_on_tslcd"] = sum(int(c["tslcd_bandwidth_mbps"] > 0) for c in communes)
        v["communes_with_vc"] = sum(int(c["has_vc_endpoint"]) for c in communes)
        v["communes_all_shared_apps"] = sum(
            int(c["shared_apps_used"] >= c["shared_apps_required"]) for c in communes
        )
        v["communes_with_it_official"] = sum(int(c["it_official_level"] >= 1) for c in communes)
    # dossiers: the communes plus the provincial PASC's own share
    at_communes = int(sum(c["dossiers_received"] for c in communes))
    extra = dossiers(
        g, max(1, int(at_communes * g.uni(0.12, 0.3))), float(np.clip(0.3 + 0.5 * g.q, 0.05, 0.95))
    )
    for key in DOSSIER_COUNTS:
        v[key] = int(sum(c[key] for c in communes) + extra[key])
    weights = [c["dossiers_resolved"] for c in communes] + [extra["dossiers_resolved"]]
    for key in ("avg_processing_days", "avg_statutory_days"):
        vals = [c[key] for c in communes] + [extra[key]]
        v[key] = round(float(np.average(vals, weights=np.maximum(weights, 1))), 2)
    v["dossiers_received_at_communes"] = at_communes
    v["service_index_766"] = round(float(np.clip(50 + 40 * g.q + g.rng.normal(0, 4), 20, 99)), 1)
    # procedures
    total = g.int(1800, 2300)
    commune_procs, shared = g.int(280, 330), g.int(60, 110)
    v.update(
        procs_total=total,
        procs_commune=commune_procs,
        procs_shared=shared,
        procs_provincial=total - commune_procs - shared,
    )
    v["ops_on_npsp"] = g.of(total, 0.6, 0.95)
    v["ops_with_online_dossiers"] = g.of(v["ops_on_npsp"], 0.4, 0.9)
    v["procs_full_eligible"] = g.part(total, g.uni(0.35, 0.45))
    v["ops_full_process"] = g.of(v["procs_full_eligible"], 0.5, 0.95)
    v["procs_standardised"] = g.of(total, 0.8, 1.0)
    v["procs_boundaryless"] = g.of(total, 0.2, 0.95)
    v["ops_mobile_ready"] = g.of(v["ops_on_npsp"], 0.4, 1.0)
    v["ops_with_ai"] = g.of(v["ops_full_process"], 0.0, 0.3)
    # S&T dossiers by field, around the national August 2025 mix (381 records)
    st_total = 0
    for code, national in (
        ("mq", 165),
        ("ip", 16),
        ("rad", 28),
        ("rf", 98),
        ("sci", 51),
        ("tel", 19),
        ("post", 4),
    ):
        received = int(g.rng.poisson(national / 34 * 3 * g.uni(0.5, 2.0)))
        resolved = received - g.part(received, 0.1)
        v[f"st_{code}_received"] = received
        v[f"st_{code}_resolved"] = resolved
        v[f"st_{code}_on_time"] = g.of(resolved, 0.75, 1.0)
        st_total += received
    v["st_dossiers_received"] = st_total + int(g.rng.poisson(3))
    # GOV
    v["steering_chair"] = 2 if g.yes(0.9) else 1
    v["steering_meetings"] = int(np.clip(round(2 + 2 * g.q + g.rng.normal(0, 0.7)), 0, 8))
    v["dx_plan_on_time"] = g.yes(0.7 + 0.3 * g.q)
    v["dx_tasks_planned"] = g.int(40, 120)
    v["dx_tasks_completed"] = g.of(v["dx_tasks_planned"], 0.5, 0.98)
    v["plan02_tasks_assigned"] = g.int(25, 40)
    v["plan02_tasks_done"] = g.of(v["plan02_tasks_assigned"], 0.55, 0.95)
    v["architecture_level"] = g.ordinal(4)
    v["st_tasks_decentralised"] = g.int(40, 90)
    v["st_tasks_implemented"] = g.of(v["st_tasks_decentralised"], 0.6, 1.0)
    v["dx_directives_total"] = g.int(10, 40)
    v["dx_directives_by_head"] = g.of(v["dx_directives_total"], 0.3, 0.95)
    v["dx_section_exists"] = 1
    v["dx_section_updated"] = g.yes(0.7 + 0.3 * g.q)
    v["dx_policies_in_force"] = int(g.rng.poisson(1 + 2 * g.q))
    # INF
    v["broadband_subs"] = int(pop * g.uni(0.75, 0.95) * (0.9 + 0.35 * g.q))
    v["mobile_subs"] = int(pop * g.uni(1.1, 1.5))
    v["smartphone_subs"] = g.of(v["mobile_subs"], 0.7, 0.95)
    v["bts_4g"] = max(1, int(pop / g.uni(800, 1400)))
    v["bts_5g"] = g.of(v["bts_4g"], 0.02, 0.35)
    v["pop_5g_coverage_pct"] = round(float(np.clip(20 + 70 * g.q + g.rng.normal(0, 6), 5, 99)), 1)
    v["systems_total"] = g.int(20, 80)
    v["systems_hosted_certified"] = g.of(v["systems_total"], 0.3, 1.0)
    median = lambda key: round(float(np.median([c[key] for c in communes])), 1)  # noqa: E731
    v["fixed_speed_mbps"] = median("fixed_speed_mbps")
    v["mobile_speed_mbps"] = median("mobile_speed_mbps")
    # DAT
    v["lgsp_level"] = g.ordinal(3)
    v["db_connections_required"] = g.int(15, 30)
    v["db_connections_live"] = g.of(v["db_connections_required"], 0.55, 1.0)
    v["land_parcels_total"] = int(v["households_total"] * g.uni(2, 4))
    v["land_parcels_in_db"] = g.of(v["land_parcels_total"], 0.3, 1.0)
    v["data_governance_level"] = 1 + g.ordinal(4)
    v["data_platform_level"] = g.ordinal(3)
    v["open_datasets"] = int(5 + 120 * g.q * g.uni(0.5, 1.5))
    v["datasets_catalogued"] = g.int(80, 400)
    v["datasets_mapped"] = g.of(v["datasets_catalogued"], 0.1, 0.9)
    # OPS
    officials = int(pop / g.uni(250, 450))
    v["officials_total"] = officials
    v["docs_out_total"] = int(officials * g.uni(15, 30))
    v["docs_out_signed_electronic"] = g.of(v["docs_out_total"], 0.75, 1.0)
    v["officials_with_cert"] = g.of(officials, 0.5, 1.0)
    v["doc_axis_connected"] = 1
    v["reports_required"] = g.int(40, 80)
    v["reports_online"] = g.of(v["reports_required"], 0.5, 1.0)
    v["ioc_level"] = g.ordinal(3)
    v["one_stop_uptime_pct"] = round(
        float(np.clip(97 + 2.8 * g.q + g.rng.normal(0, 0.6), 90, 100)), 2
    )
    v["npsp_sync_attempts"] = int(v["dossiers_received"] * g.uni(1.5, 3.0))
    v["npsp_sync_errors"] = g.part(v["npsp_sync_attempts"], 0.06 * (1 - g.q) + 0.001)
    v["meetings_total"] = g.int(150, 400)
    v["meetings_paperless"] = g.of(v["meetings_total"], 0.2, 0.95)
    # SEC
    v["systems_level_approved"] = g.of(v["systems_total"], 0.5, 1.0)
    v["systems_4layer"] = g.of(v["systems_total"], 0.3, 1.0)
    v["systems_monitored"] = g.of(v["systems_total"], 0.4, 1.0)
    v["security_drills"] = int(g.rng.poisson(1 + 2 * g.q))
    v["endpoints_total"] = int(officials * g.uni(0.8, 1.0))
    v["endpoints_protected"] = g.of(v["endpoints_total"], 0.4, 1.0)
    v["incidents_over_sla"] = int(g.rng.poisson(3 * (1 - g.q)))
    v["officials_trained_security"] = g.of(officials, 0.3, 0.95)
    v["pdp_level"] = g.ordinal(3)
    v["security_rules_current"] = g.yes(0.6 + 0.4 * g.q)
    # HRB
    v["one_stop_staff_norm"] = g.int(40, 120)
    v["one_stop_staff"] = v["one_stop_staff_norm"] - g.part(
        v["one_stop_staff_norm"], 0.25 * (1 - g.q)
    )
    v["officials_trained_digital"] = g.of(officials, 0.4, 0.95)
    v["st_posts_required"] = g.int(15, 40)
    v["st_posts_filled"] = g.of(v["st_posts_required"], 0.5, 1.0)
    v["st_staff_specialised"] = g.int(20, 60)
    v["st_staff_trained_in_depth"] = g.of(v["st_staff_specialised"], 0.2, 0.9)
    budget = round(pop * g.uni(0.015, 0.03), 1)  # billion VND
    v["budget_local_total"] = budget
    v["dx_budget_allocated"] = round(budget * g.share(0.002, 0.03), 1)
    v["dx_budget_disbursed"] = round(v["dx_budget_allocated"] * g.share(0.4, 0.98), 1)
    v["dx_budget_plan_2026_2030"] = g.yes(0.3 + 0.6 * g.q)
    # ECO
    v["adults_payment_account"] = g.of(v["population_15plus"], 0.6, 0.95)
    v["population_ehr"] = g.of(pop, 0.5, 1.0)
    v["smes_total"] = int(pop * g.uni(0.004, 0.012))
    v["smes_digital"] = g.of(v["smes_total"], 0.1, 0.5)
    v["digital_economy_grdp_pct"] = round(
        float(np.clip(4 + 22 * g.q + g.rng.normal(0, 2.5), 1, 40)), 1
    )
    return v


# ------------------------------------------------------------------ fallback and output


def generic(g: Gen, inp: dict[str, Any]) -> float:
    """A plausible value for an input this script has no specific rule for."""
    kind = inp["type"]
    if kind == "boolean":
        return g.yes(0.4 + 0.5 * g.q)
    if kind == "ordinal":
        return g.ordinal(len(inp.get("choices") or {0: 0, 1: 1}) - 1)
    lo = float(inp.get("min", 0) or 0)
    hi = float(inp.get("max", lo + 100) or lo + 100)
    hi = min(hi, lo + 100)
    value = lo + (hi - lo) * g.share(0.3, 0.95)
    return round(value) if kind == "integer" else round(value, 1)


def fmt(x: Any) -> str:
    if x is None:
        return ""
    if isinstance(x, bool):
        return "1" if x else "0"
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    if isinstance(x, (float, np.floating)):
        return str(int(x)) if float(x).is_integer() else f"{float(x):.2f}".rstrip("0").rstrip(".")
    return str(x)


def main() -> int:
    inputs = read_inputs()
    columns = sorted(inputs)
    tier_inputs = {
        t: {i for i, d in inputs.items() if t in d["tiers"]} for t in ("province", "commune")
    }
    provinces, communes = read_registry()
    fixed = {unit: load_yaml(path)["values"] for unit, path in FIXED.items()}
    for unit, vals in fixed.items():
        tier = "province" if len(unit) == 2 else "commune"
        unknown = set(vals) - tier_inputs[tier]
        if unknown:
            print(
                f"error: {FIXED[unit].name} has inputs unknown to the rules: {sorted(unknown)}",
                file=sys.stderr,
            )
            return 1

    master = np.random.default_rng(2025)
    prov_codes = sorted(provinces)
    comm_codes = sorted(communes)
    seeds = dict(
        zip(
            prov_codes + comm_codes,
            master.integers(0, 2**63 - 1, size=len(prov_codes) + len(comm_codes)),
            strict=True,
        )
    )
    quality: dict[str, float] = {}
    for code in prov_codes:
        base = (
            0.5
            + (CITIES_BONUS if provinces[code]["type"] == "city" else 0.0)
            - (0.12 if code in MOUNTAIN else 0.0)
        )
        quality[code] = float(
            np.clip(base + DTI_2024.get(code, 0.0) + master.normal(0, 0.1), 0.15, 0.92)
        )
    own_counts = {code: bool(master.random() >= 0.35) for code in prov_codes}
    shared_apps = {code: int(master.integers(5, 9)) for code in prov_codes}

    rows: dict[str, dict[str, Any]] = {}
    notes: set[str] = set()
    by_province: dict[str, list[str]] = {code: [] for code in prov_codes}
    for code in comm_codes:
        by_province[communes[code]["province"]].append(code)
    for pcode in prov_codes:
        # commune volumes first, so a province whose total is fixed (Vĩnh Long) can be matched
        gens: dict[str, Gen] = {}
        profiles: dict[str, dict[str, float]] = {}
        volumes: dict[str, int] = {}
        for code in by_province[pcode]:
            ctype = communes[code]["type"]
            q = float(
                np.clip(
                    quality[pcode]
                    + TYPE_EFFECT[ctype]
                    + np.random.default_rng(int(seeds[code]) + 1).normal(0, 0.08),
                    0.05,
                    0.98,
                )
            )
            if pcode == "86":
                q = max(q, 0.45)  # Vĩnh Long: 100 % fibre and 3G/4G coverage (MST, 28 Aug 2025)
            g = Gen(int(seeds[code]), q)
            gens[code] = g
            profiles[code] = commune_profile(g, code, ctype)
            per_capita = g.uni(0.025, 0.045) * (1.25 if ctype == "Phường" else 1.0)
            volumes[code] = max(3, int(profiles[code]["population"] * per_capita))
        result: dict[str, dict[str, float]] = {}
        if pcode in fixed:  # the communes take ~80 % of the province's fixed total
            target = 0.8 * fixed[pcode]["dossiers_received"] - sum(
                fixed.get(c, {}).get("dossiers_received", 0) for c in by_province[pcode]
            )
            free = [c for c in by_province[pcode] if c not in fixed]
            scale = target / sum(volumes[c] for c in free)
            for c in free:
                volumes[c] = max(3, int(volumes[c] * scale))
        for code in by_province[pcode]:
            vals = commune_values(
                gens[code],
                communes[code]["type"],
                profiles[code],
                volumes[code],
                shared_apps[pcode],
            )
            if pcode == "86":
                vals["has_fibre"] = 1
                vals["hamlets_mobile_covered"] = vals["hamlets_total"]
            if code in fixed:
                vals = dict(fixed[code])
            result[code] = vals
        pg = Gen(int(seeds[pcode]), quality[pcode])
        pvals = province_values(
            pg,
            [result[c] for c in by_province[pcode] if c != SILENT_UNIT],
            len(by_province[pcode]),
            own_counts[pcode],
        )
        for key, value in PUBLISHED.get(pcode, {}).items():
            pvals[key] = value
        if pcode == "82":  # Đồng Tháp: keep the procedure parts adding up to the published total
            pvals["procs_provincial"] = (
                pvals["procs_total"] - pvals["procs_commune"] - pvals["procs_shared"]
            )
            pvals["ops_on_npsp"] = min(pvals["ops_on_npsp"], pvals["procs_total"])
        if pcode == "68":  # Lâm Đồng published rates, not counts: leave the counts blank
            for key in ("smartphone_subs", "mobile_subs", "households_fibre"):
                pvals.pop(key, None)
            pvals["bts_5g"] = min(pvals["bts_5g"], pvals["bts_4g"])
        if pcode in fixed:
            pvals = dict(fixed[pcode])
        rows[pcode] = pvals
        rows.update(result)
    rows[SILENT_UNIT] = {}

    # fill inputs the script has no rule for; drop values of inputs the rules no longer have
    for unit, vals in rows.items():
        if unit in fixed or unit == SILENT_UNIT:
            continue
        tier = "province" if len(unit) == 2 else "commune"
        g = Gen(
            int(seeds[unit]) + 3,
            quality.get(unit, quality[communes[unit]["province"]] if unit in communes else 0.5),
        )
        for name in sorted(tier_inputs[tier] - set(vals)):
            if name in (
                "hamlets_mobile_pct",
                "households_fibre_pct",
                "broadband_subs_per_100",
                "smartphone_pct",
            ):
                continue  # published-rate fallbacks: only where counts are unknown
            if tier == "province" and name.startswith("communes_") and not own_counts[unit]:
                continue  # this province leaves the commune counts to the aggregates
            if unit == "68" and name in ("smartphone_subs", "mobile_subs", "households_fibre"):
                continue
            vals[name] = generic(g, inputs[name])
            notes.add(name)
        for name in sorted(set(vals) - tier_inputs[tier]):
            del vals[name]

    # deliberate inconsistencies (see README)
    def bump(unit: str, key: str, new: Any) -> None:
        rows[unit][key] = new

    bump("01", "procs_provincial", rows["01"]["procs_provincial"] + 15)
    bump("31", "procs_shared", rows["31"]["procs_shared"] - 7)
    bump("20195", "dossiers_in_person", rows["20195"]["dossiers_in_person"] + 40)
    bump("25750", "dossiers_resolved_on_time", rows["25750"]["dossiers_resolved_on_time"] + 25)
    bump(
        "38",
        "dossiers_received_at_communes",
        int(rows["38"]["dossiers_received_at_communes"] * 1.12),
    )
    for key in [*DOSSIER_COUNTS, "dossiers_received_at_communes"]:  # a shorter reporting window
        bump("40", key, int(rows["40"][key] * 0.7))
    bump(
        "40", "dossiers_in_person", rows["40"]["dossiers_received"] - rows["40"]["dossiers_online"]
    )
    bump(
        "40",
        "dossiers_resolved_on_time",
        rows["40"]["dossiers_resolved"]
        - rows["40"]["dossiers_resolved_early"]
        - rows["40"]["dossiers_resolved_overdue"],
    )
    bump("52", "communes_total", len(by_province["52"]) + 3)
    st_sum = sum(
        rows["25"][f"st_{c}_received"] for c in ("mq", "ip", "rad", "rf", "sci", "tel", "post")
    )
    bump("25", "st_dossiers_received", st_sum - 9)
    bump("07246", "dossiers_digitised", rows["07246"]["dossiers_received"] + 57)
    bump("31834", "hamlets_mobile_covered", rows["31834"]["hamlets_total"] + 2)

    # ~2 % of the cells go missing (not in the fixed rows or the deliberate defects)
    # (the defect cells, and the dossier counts the cross-tier checks add up, are kept, so that the
    # checks fire exactly on the deliberate defects)
    protected = {(u, k) for u, k, _, _ in INVALID} | {(u, k) for u, k, _ in INCONSISTENT}
    kept = {
        "dossiers_received",
        "dossiers_online",
        "dossiers_received_at_communes",
        "communes_total",
    }
    blank_rng = np.random.default_rng(int(seeds[prov_codes[0]]) ^ 0x5EED)
    for unit in prov_codes + comm_codes:
        if unit in fixed:
            continue
        for key in sorted(rows[unit]):
            if (unit, key) not in protected and key not in kept and blank_rng.random() < 0.02:
                del rows[unit][key]

    # deliberate invalid values
    for unit, key, text, _why in INVALID:
        rows[unit][key] = text

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["unit", "period", *columns])
    for unit in prov_codes + comm_codes:
        vals = rows[unit]
        writer.writerow([unit, PERIOD, *(fmt(vals.get(c)) for c in columns)])
    OUTPUT.write_text(buf.getvalue(), encoding="utf-8")
    if notes:
        print(
            f"note: generic values for inputs without a specific rule: {', '.join(sorted(notes))}",
            file=sys.stderr,
        )
    print(
        f"wrote {OUTPUT.relative_to(REPO)}: {len(rows)} units x {len(columns)} inputs",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
