"""One unit's explanation as a workbook (``explain --format xlsx``), built from the
language-neutral document behind ``explain --format json``."""

from __future__ import annotations

from maturity.render.xlsx._core import Explanation, Results, explanation_document, pick, t
from maturity.render.xlsx._sheets import (
    DECIMAL,
    INDEX,
    INTEGER,
    PERCENT,
    TITLE,
    Book,
    Column,
    Styled,
)
from maturity.render.xlsx.results import gate_names, level_name, status_text


def explanation_workbook(results: Results, explanation: Explanation) -> bytes:
    """One unit's explanation as a workbook: overview, pillars, points lost with what to do,
    data gaps, not applicable, the path to the next level, every indicator."""
    fw = results.framework
    doc = explanation_document(results, explanation)
    found = results.find(explanation.unit)
    period = found[0].periods[found[1]] if found is not None else ""
    headline = t(
        "x.headline",
        name=doc["name"],
        id=doc["unit"],
        tier=fw.tier_label(doc["tier"]),
        period=f" · {period}" if period else "",
    )
    book = Book(title=headline)
    ws = book.sheet(t("xlsx.sheet.overview"))
    ws.append([Styled(headline, TITLE)])
    ws.blank()
    level = doc["level"]
    level_text = f"{level} {level_name(fw, level)}" if level else t("xlsx.res.not_scored")
    ws.pairs(
        [
            (t("xlsx.res.framework"), f"{fw.id} {fw.version}", None),
            (t("xlsx.col.period"), period, None),
            (t("xlsx.col.score"), doc["score"], DECIMAL),
            (t("xlsx.col.max_score"), doc["max_score"], DECIMAL),
            (t("xlsx.col.index"), doc["index"], INDEX),
            (t("xlsx.col.level"), level_text, None),
            (t("xlsx.col.score_level"), doc["score_level"], INTEGER),
            (t("xlsx.exp.next_band"), doc["points_to_next_band"], DECIMAL),
            (t("xlsx.col.capped_by"), gate_names(fw, doc["capped_by"]), None),
            (t("xlsx.col.rank"), doc["rank"], INTEGER),
            (t("xlsx.col.peers"), doc["peers"], INTEGER),
            (t("xlsx.col.rank_in_parent"), doc["rank_in_parent"], INTEGER),
            (t("xlsx.col.coverage"), doc["coverage"], PERCENT),
            (t("xlsx.sheet.path"), doc["path_target"], INTEGER),
            (t("xlsx.exp.path_reaches"), doc["path_reaches"], INTEGER),
        ]
    )
    ws.widths = {1: 36, 2: 40}

    def name(ind_id: str) -> str:
        return pick(fw.indicator(ind_id).name)

    pillars = book.sheet(t("xlsx.sheet.pillars"))
    pillars.table(
        [
            Column(t("xlsx.col.pillar"), 9),
            Column(t("xlsx.col.name"), 36),
            Column(t("xlsx.col.score"), 10, DECIMAL),
            Column(t("xlsx.col.max_score"), 10, DECIMAL),
            Column(t("xlsx.col.level"), 7, INTEGER),
            Column(t("xlsx.col.rank"), 7, INTEGER),
            Column(t("xlsx.col.rank_in_parent"), 9, INTEGER),
            Column(t("xlsx.col.peers"), 9, INTEGER),
        ],
        [
            [
                p["id"],
                pick(fw.pillars[p["id"]].model.name),
                p["score"],
                p["max_score"],
                p["level"],
                p["rank"],
                p["rank_in_parent"],
                p["peers"],
            ]
            for p in doc["pillars"]
        ],
        freeze_columns=2,
    )
    gaps = book.sheet(t("xlsx.sheet.gaps"))
    gaps.table(
        [
            Column(t("xlsx.col.id"), 9),
            Column(t("xlsx.col.indicator"), 40, wrap=True),
            Column(t("xlsx.col.pillar"), 8),
            Column(t("xlsx.col.ind_value"), 12, DECIMAL),
            Column(t("xlsx.col.level"), 7, INTEGER),
            Column(t("xlsx.col.points"), 9, DECIMAL),
            Column(t("xlsx.col.max_points"), 9, DECIMAL),
            Column(t("xlsx.col.lost"), 9, DECIMAL),
            Column(t("xlsx.col.next_level"), 8, INTEGER),
            Column(t("xlsx.col.gap"), 40, wrap=True),
            Column(t("xlsx.col.remediation"), 60, wrap=True),
            Column(t("xlsx.col.effort"), 12),
            Column(t("xlsx.col.legal"), 30, wrap=True),
        ],
        [
            [
                g["id"],
                name(g["id"]),
                g["pillar"],
                g["value"],
                g["level"],
                g["points"],
                g["max_points"],
                g["lost"],
                g["next_level"],
                g["gap_text"],
                g["remediation"]["text"],
                t(f"x.effort.{g['remediation']['effort']}"),
                "; ".join(g["legal_basis"]),
            ]
            for g in doc["performance_gaps"]
        ],
        freeze_columns=2,
    )
    data_gaps = book.sheet(t("xlsx.sheet.data_gaps"))
    data_gaps.table(
        [
            Column(t("xlsx.col.id"), 9),
            Column(t("xlsx.col.indicator"), 40, wrap=True),
            Column(t("xlsx.col.pillar"), 8),
            Column(t("xlsx.col.status"), 16),
            Column(t("xlsx.col.max_points"), 10, DECIMAL),
            Column(t("xlsx.col.inputs"), 60, wrap=True),
        ],
        [
            [
                g["id"],
                name(g["id"]),
                g["pillar"],
                status_text(g["status"]),
                g["max_points"],
                ", ".join(
                    f"{n} ({pick(fw.inputs[n].label)})" if n in fw.inputs else n
                    for n in fw.indicator(g["id"]).inputs
                ),
            ]
            for g in doc["data_gaps"]
        ],
        freeze_columns=2,
    )
    if doc["not_applicable"]:
        na = book.sheet(t("xlsx.sheet.not_applicable"))
        na.table(
            [Column(t("xlsx.col.id"), 9), Column(t("xlsx.col.indicator"), 60)],
            [[i["id"], name(i["id"])] for i in doc["not_applicable"]],
        )
    path = book.sheet(t("xlsx.sheet.path"))
    path.table(
        [
            Column(t("xlsx.col.step"), 6, INTEGER),
            Column(t("xlsx.col.id"), 9),
            Column(t("xlsx.col.indicator"), 40, wrap=True),
            Column(t("xlsx.col.from"), 11, DECIMAL),
            Column(t("xlsx.col.to"), 11, DECIMAL),
            Column(t("xlsx.col.from_level"), 8, INTEGER),
            Column(t("xlsx.col.to_level"), 8, INTEGER),
            Column(t("xlsx.col.gain"), 10, DECIMAL),
            Column(t("xlsx.col.effort"), 12),
            Column(t("xlsx.col.how"), 60, wrap=True),
        ],
        [
            [
                k,
                s["indicator"],
                name(s["indicator"]),
                s["from_value"],
                s["to_value"],
                s["from_level"],
                s["to_level"],
                s["points_gained"],
                t(f"x.effort.{s['effort']}"),
                s["how"],
            ]
            for k, s in enumerate(doc["path"], start=1)
        ],
        freeze_columns=2,
    )
    every = book.sheet(t("xlsx.sheet.all_indicators"))
    every.table(
        [
            Column(t("xlsx.col.id"), 9),
            Column(t("xlsx.col.indicator"), 40, wrap=True),
            Column(t("xlsx.col.pillar"), 8),
            Column(t("xlsx.col.status"), 16),
            Column(t("xlsx.col.ind_value"), 12, DECIMAL),
            Column(t("xlsx.col.ind_score"), 9, INDEX),
            Column(t("xlsx.col.points"), 9, DECIMAL),
            Column(t("xlsx.col.max_points"), 9, DECIMAL),
            Column(t("xlsx.col.lost"), 9, DECIMAL),
            Column(t("xlsx.col.level"), 7, INTEGER),
            Column(t("xlsx.col.critical"), 9),
        ],
        [
            [
                i["id"],
                name(i["id"]),
                i["pillar"],
                status_text(i["status"]),
                i["value"],
                i["score"],
                i["points"],
                i["max_points"],
                i["lost"],
                i["level"],
                t("xlsx.yes") if i["critical"] else "",
            ]
            for i in doc["indicators"]
        ],
        freeze_columns=2,
    )
    return book.to_bytes()
