"""Results as a workbook (``score --format xlsx``).

Built from the language-neutral document the engine already writes as JSON
(:func:`results_document`) and the framework for names, so a workbook says exactly what the
JSON says: a summary (round, level distribution, coverage), the ranking, pillar scores,
indicator points and statuses, the indicator catalogue, and the diagnostics. Every table has
its header frozen, a filter and set column widths; numbers are numbers with number formats
(shown by Excel in the reader's own convention), texts are in the chosen language.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from maturity.render.xlsx._core import (
    Framework,
    Results,
    pick,
    results_document,
    t,
)
from maturity.render.xlsx._sheets import (
    BOLD,
    DECIMAL,
    INDEX,
    INTEGER,
    PERCENT,
    TITLE,
    Book,
    Cell,
    Column,
    Sheet,
    Styled,
)

_GAPS = ("missing", "invalid", "error")


def status_text(name: str) -> str:
    return t(f"xlsx.status.{name}")


def level_name(fw: Framework, level: int | None) -> str:
    return pick(fw.manifest.levels[level - 1].name) if level else ""


def gate_names(fw: Framework, ids: Sequence[str]) -> str:
    names = {g.id: pick(g.name) for g in fw.manifest.gates}
    return "; ".join(names.get(i, i) for i in ids)


class _Results:
    def __init__(self, results: Results, sort: str, tier: str | None) -> None:
        self.fw = results.framework
        self.doc = results_document(results, sort=sort, tier=tier)
        self.units: list[dict[str, Any]] = self.doc["units"]
        self.names = {u.id: u.name for r in results.tiers.values() for u in r.units}
        self.tier_order = [
            tt for tt in self.fw.tier_ids() if any(u["tier"] == tt for u in self.units)
        ]
        self.flags: dict[str | None, Counter[str]] = {}
        for d in self.doc["diagnostics"]:
            self.flags.setdefault(d["unit"], Counter())[d["severity"]] += 1
        self.book = Book(
            title=t("xlsx.res.title", title=pick(self.fw.manifest.title), version=self.fw.version)
        )

    def build(self) -> bytes:
        book = self.book
        self.summary(book.sheet(t("xlsx.sheet.summary")))
        self.ranking(book.sheet(t("xlsx.sheet.ranking")))
        self.pillars(book.sheet(t("xlsx.sheet.pillars")))
        self.points(book.sheet(t("xlsx.sheet.points")))
        self.statuses(book.sheet(t("xlsx.sheet.statuses")))
        self.catalogue(book.sheet(t("xlsx.sheet.catalogue")))
        self.diagnostics(book.sheet(t("xlsx.sheet.diagnostics")))
        return book.to_bytes()

    def unit_columns(self, u: Mapping[str, Any]) -> list[Cell]:
        parent = u["parent"]
        return [
            self.fw.tier_label(u["tier"]),
            u["id"],
            u["name"],
            parent,
            self.names.get(parent, "") if parent else "",
        ]

    def unit_headers(self) -> list[Column]:
        return [
            Column(t("xlsx.col.tier"), 10),
            Column(t("xlsx.col.id"), 9),
            Column(t("xlsx.col.name"), 28),
            Column(t("xlsx.col.province"), 9),
            Column(t("xlsx.col.province_name"), 20),
        ]

    # -- sheets ------------------------------------------------------------------
    def summary(self, ws: Sheet) -> None:
        fw, doc = self.fw, self.doc
        ws.append([Styled(self.book.title, TITLE)])
        ws.blank()
        periods = sorted({u["period"] for u in self.units if u["period"]})
        errors = sum(c["error"] for c in self.flags.values())
        warnings = sum(c["warning"] for c in self.flags.values())
        infos = sum(c["info"] for c in self.flags.values())
        ws.pairs(
            [
                (t("xlsx.res.framework"), f"{fw.id} {fw.version}", None),
                (t("xlsx.res.digest"), fw.digest, None),
                (t("xlsx.res.engine"), f"maturity {doc['engine']['version']}", None),
                (t("xlsx.res.round"), ", ".join(periods), None),
                (t("xlsx.res.policy"), t(f"xlsx.policy.{doc['missing_policy']}"), None),
                (t("xlsx.res.files"), "; ".join(f["file"] for f in doc["inputs"]), None),
                (
                    t("xlsx.sheet.diagnostics"),
                    t("xlsx.res.diagnostics", errors=errors, warnings=warnings, infos=infos),
                    None,
                ),
            ]
        )
        ws.blank()
        ws.append([Styled(t("xlsx.res.by_level"), BOLD)])
        levels = fw.manifest.levels
        headers = [
            t("xlsx.col.tier"),
            t("xlsx.res.units"),
            t("xlsx.res.scored"),
            t("xlsx.res.mean_score"),
            t("xlsx.res.mean_coverage"),
            *(f"{band.level} {pick(band.name)}" for band in levels),
            t("xlsx.res.not_scored"),
        ]
        rows: list[list[Cell]] = []
        for tier in self.tier_order:
            mine = [u for u in self.units if u["tier"] == tier]
            scored = [u for u in mine if u["level"]]
            counts = Counter(u["level"] for u in scored)
            mean = sum(u["score"] for u in scored) / len(scored) if scored else None
            coverage = sum(u["coverage"] or 0 for u in mine) / len(mine) if mine else None
            rows.append(
                [
                    self.fw.tier_label(tier),
                    len(mine),
                    len(scored),
                    mean,
                    coverage,
                    *(counts.get(band.level, 0) for band in levels),
                    len(mine) - len(scored),
                ]
            )
        formats = [None, INTEGER, INTEGER, DECIMAL, PERCENT, *([INTEGER] * (len(levels) + 1))]
        ws.widths = {1: 30, 2: 16, **{c: 14 for c in range(3, len(headers) + 1)}}
        ws.block(headers, rows, formats)
        ws.append([Styled(t("xlsx.res.by_status"), BOLD)])
        by_status = [[status_text(k), v] for k, v in doc["summary"]["by_status"].items()]
        ws.block([t("xlsx.col.status"), t("xlsx.col.count")], by_status, [None, INTEGER])

    def ranking(self, ws: Sheet) -> None:
        columns = [
            Column(t("xlsx.col.tier"), 10),
            Column(t("xlsx.col.rank"), 7, INTEGER),
            Column(t("xlsx.col.rank_in_parent"), 9, INTEGER),
            *self.unit_headers()[1:],
            Column(t("xlsx.col.period"), 10),
            Column(t("xlsx.col.score"), 10, DECIMAL),
            Column(t("xlsx.col.max_score"), 10, DECIMAL),
            Column(t("xlsx.col.index"), 10, INDEX),
            Column(t("xlsx.col.level"), 7, INTEGER),
            Column(t("xlsx.col.level_name"), 16),
            Column(t("xlsx.col.score_level"), 9, INTEGER),
            Column(t("xlsx.col.capped_by"), 30, wrap=True),
            Column(t("xlsx.col.coverage"), 10, PERCENT),
            Column(t("xlsx.col.data_gaps"), 9, INTEGER),
            Column(t("xlsx.col.errors"), 7, INTEGER),
            Column(t("xlsx.col.warnings"), 9, INTEGER),
        ]
        rows: list[list[Cell]] = []
        for u in self.units:
            gaps = sum(
                1 for i in u["indicators"] if i["status"] in _GAPS and (i["max_points"] or 0) > 0
            )
            flags = self.flags.get(u["id"], Counter())
            parent = u["parent"]
            rows.append(
                [
                    self.fw.tier_label(u["tier"]),
                    u["rank"],
                    u["rank_in_parent"],
                    u["id"],
                    u["name"],
                    parent,
                    self.names.get(parent, "") if parent else "",
                    u["period"],
                    u["score"],
                    u["max_score"],
                    u["index"],
                    u["level"],
                    u["level_name"],
                    u["score_level"],
                    gate_names(self.fw, u["capped_by"]),
                    u["coverage"],
                    gaps,
                    flags["error"],
                    flags["warning"],
                ]
            )
        ws.table(columns, rows, freeze_columns=5)

    def pillars(self, ws: Sheet) -> None:
        fw = self.fw
        ids = list(fw.pillars)
        columns = [
            *self.unit_headers(),
            Column(t("xlsx.col.score"), 10, DECIMAL),
            *(
                Column(f"{pid} {pick(fw.pillars[pid].model.name)}", 14, DECIMAL, wrap=True)
                for pid in ids
            ),
        ]
        rows = []
        for u in self.units:
            by_id = {p["id"]: p["score"] for p in u["pillars"]}
            rows.append([*self.unit_columns(u), u["score"], *(by_id.get(pid) for pid in ids)])
        ws.table(columns, rows, freeze_columns=3)

    def indicator_sheet(self, ws: Sheet, key: str, fmt: str | None) -> None:
        ids = [ind.id for ind in self.fw.indicators]
        columns = [*self.unit_headers(), *(Column(i, 9, fmt) for i in ids)]
        rows = []
        for u in self.units:
            by_id = {i["id"]: i for i in u["indicators"]}
            cells: list[Cell] = []
            for ind_id in ids:
                item = by_id.get(ind_id)
                if item is None:
                    cells.append(None)
                elif key == "status":
                    cells.append(status_text(item["status"]))
                else:
                    cells.append(item[key])
            rows.append([*self.unit_columns(u), *cells])
        ws.table(columns, rows, freeze_columns=3)

    def points(self, ws: Sheet) -> None:
        self.indicator_sheet(ws, "points", DECIMAL)

    def statuses(self, ws: Sheet) -> None:
        self.indicator_sheet(ws, "status", None)

    def catalogue(self, ws: Sheet) -> None:
        fw = self.fw
        columns = [
            Column(t("xlsx.col.id"), 10),
            Column(t("xlsx.col.indicator"), 50, wrap=True),
            Column(t("xlsx.col.pillar"), 8),
            Column(t("xlsx.col.pillar_name"), 30),
            Column(t("xlsx.col.tier"), 16),
            Column(t("xlsx.col.unit"), 12),
            Column(t("xlsx.col.weight"), 8, DECIMAL),
            Column(t("xlsx.col.critical"), 9),
        ]
        rows: list[list[Cell]] = [
            [
                ind.id,
                pick(ind.name),
                ind.pillar,
                pick(fw.pillars[ind.pillar].model.name),
                ", ".join(fw.tier_label(x) for x in ind.tiers),
                pick(ind.unit),
                ind.weight,
                t("xlsx.yes") if ind.critical else "",
            ]
            for ind in fw.indicators
        ]
        ws.table(columns, rows, freeze_columns=1)

    def diagnostics(self, ws: Sheet) -> None:
        columns = [
            Column(t("xlsx.col.severity"), 10),
            Column(t("xlsx.col.diag_code"), 20),
            Column(t("xlsx.col.unit_id"), 9),
            Column(t("xlsx.col.unit_name"), 24),
            Column(t("xlsx.col.province"), 9),
            Column(t("xlsx.col.input_or_indicator"), 24),
            Column(t("xlsx.col.check"), 18),
            Column(t("xlsx.col.file"), 24),
            Column(t("xlsx.col.where"), 18),
            Column(t("xlsx.col.message"), 90, wrap=True),
        ]
        units = {u["id"]: u for u in self.units}
        rows: list[list[Cell]] = []
        for d in self.doc["diagnostics"]:
            unit = units.get(d["unit"] or "")
            where = d["column"] or (t("xlsx.where.line", line=d["line"]) if d["line"] else "")
            rows.append(
                [
                    t(f"xlsx.severity.{d['severity']}"),
                    d["code"],
                    d["unit"],
                    unit["name"] if unit else self.names.get(d["unit"] or "", ""),
                    unit["parent"] if unit else None,
                    d["indicator"],
                    d["check"],
                    d["file"],
                    where,
                    d["message"],
                ]
            )
        ws.table(columns, rows, freeze_columns=1)


def results_workbook(results: Results, *, sort: str = "rank", tier: str | None = None) -> bytes:
    """The results of a batch as a workbook, texts in the current language."""
    return _Results(results, sort, tier).build()
