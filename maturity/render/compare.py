"""Two rounds compared (``maturity compare``) as a document: the rounds and their rules, the
national summary per tier, a summary per province, the units that moved most with their
pillars; JSON holds every unit, CSV one row per unit."""

from __future__ import annotations

from typing import Any

from maturity.analysis.compare import Comparison, IndicatorChange, RoundInfo, Tally, UnitChange
from maturity.framework.compiled import Framework
from maturity.i18n import pick, t
from maturity.i18n.numbers import number, signed
from maturity.render.document import (
    Block,
    Document,
    Heading,
    Headline,
    Only,
    Paragraph,
    Records,
    Table,
)
from maturity.render.results import num

COMPARE_VERSION = "1"
DEFAULT_TOP = 20
"""Units a person is shown when ``--top`` is not given (machine formats get every unit)."""


def _n(x: float | None) -> str:
    return number(x, 2)


def _then_now(before: Any, after: Any) -> str:
    def one(x: Any) -> str:
        if x is None:
            return "—"
        return _n(x) if isinstance(x, float) else number(x, 0) if isinstance(x, int) else str(x)

    return f"{one(before)} → {one(after)}"


def _tier(fw: Framework | None, tier: str) -> str:
    return fw.tier_label(tier) if fw is not None else tier


def _pillar(fw: Framework | None, pid: str) -> str:
    if fw is not None and pid in fw.pillars:
        return f"{pid} {pick(fw.pillars[pid].model.name)}"
    return pid


def _round_text(info: RoundInfo) -> str:
    return t(
        "cmp.round",
        period=info.period or "—",
        file=info.file,
        framework=f"{info.framework_id} {info.framework_version}".strip() or "—",
    )


def _framework_note(c: Comparison) -> str:
    if c.same_framework:
        return t("cmp.same_framework", digest=_short(c.current.digest))
    return t("cmp.different_framework", baseline=_rules(c.baseline), current=_rules(c.current))


def _rules(info: RoundInfo) -> str:
    return f"{info.framework_id} {info.framework_version} ({_short(info.digest)})"


def _short(digest: str) -> str:
    return digest.removeprefix("sha256:")[:12] or "—"


def _movers_text(movers: tuple[IndicatorChange, ...]) -> str:
    return "; ".join(f"{m.id} {signed(m.delta)}" for m in movers)


def _tally_row(x: Tally) -> list[Any]:
    counts = (x.compared, x.up, x.same, x.down, x.new, x.dropped)
    return [*(number(k, 0) for k in counts), signed(x.mean_delta)]


TALLY_COLUMNS = ("compared", "up", "same", "down", "new", "dropped", "mean_change")


def _shown(c: Comparison, top: int | None) -> list[UnitChange]:
    return c.units if not top else c.units[:top]


def compare_doc(c: Comparison, fw: Framework | None = None, top: int | None = None) -> Document:
    """The comparison as a document. ``top``: the units a person is shown (``None``: the
    :data:`DEFAULT_TOP` biggest movers; 0: all); JSON and CSV hold every unit unless ``top``
    is given."""
    people_top = DEFAULT_TOP if top is None else top
    machine_top = top

    def blocks() -> list[Block | Only]:
        out: list[Block | Only] = [
            Headline(
                t("cmp.title", before=c.baseline.period or "—", after=c.current.period or "—"),
                [
                    t("cmp.baseline", round=_round_text(c.baseline)),
                    t("cmp.current", round=_round_text(c.current)),
                    _framework_note(c),
                ],
            ),
            Heading(
                t("cmp.national")
                if c.province is None
                else t("cmp.province_summary", province=c.province)
            ),
            Table(
                [t("cmp.col.tier"), *(t(f"cmp.col.{k}") for k in TALLY_COLUMNS)],
                [[_tier(fw, x.key), *_tally_row(x)] for x in c.tiers],
                empty=t("x.none"),
            ),
            Heading(t("cmp.provinces")),
            Table(
                [
                    t("cmp.col.province"),
                    t("x.col.name"),
                    t("cmp.col.own_level"),
                    *(t(f"cmp.col.{k}") for k in TALLY_COLUMNS),
                ],
                [
                    [x.key, x.name, _then_now(x.level_before, x.level_after), *_tally_row(x)]
                    for x in c.provinces
                ],
                empty=t("x.none"),
            ),
        ]
        shown = _shown(c, people_top)
        out.append(Heading(t("cmp.units")))
        if len(shown) < len(c.units):
            out.append(
                Paragraph(
                    t("cmp.top_note", shown=number(len(shown), 0), total=number(len(c.units), 0))
                )
            )
        out.append(
            Table(
                [
                    t(f"cmp.col.{k}")
                    for k in (
                        "unit",
                        "name",
                        "tier",
                        "province",
                        "score",
                        "change",
                        "level",
                        "rank",
                        "movers",
                    )
                ],
                [
                    [
                        u.id,
                        u.name,
                        _tier(fw, u.tier),
                        u.province,
                        _then_now(u.score_before, u.score_after),
                        signed(u.delta),
                        _then_now(u.level_before, u.level_after)
                        + (f" {t('cmp.move.' + u.movement)}" if u.movement else ""),
                        _then_now(u.rank_before, u.rank_after),
                        _movers_text(u.movers)
                        if u.presence == "both"
                        else t("cmp.presence." + u.presence),
                    ]
                    for u in shown
                ],
                empty=t("x.none"),
            )
        )
        out.append(Heading(t("cmp.pillars")))
        out.append(
            Table(
                [t(f"cmp.col.{k}") for k in ("unit", "pillar", "score", "change", "level", "rank")],
                [
                    [
                        u.id,
                        _pillar(fw, p.id),
                        _then_now(p.score_before, p.score_after),
                        signed(p.delta),
                        _then_now(p.level_before, p.level_after),
                        _then_now(p.rank_before, p.rank_after),
                    ]
                    for u in shown
                    for p in u.pillars
                ],
                empty=t("x.none"),
            )
        )
        return out

    return Document(
        blocks,
        data=lambda: compare_document(c, machine_top),
        records=lambda: compare_records(c, machine_top),
        json_lines=("units", "provinces"),
    )


def _round_data(info: RoundInfo) -> dict[str, Any]:
    return {
        "file": info.file,
        "period": info.period,
        "framework": {
            "id": info.framework_id,
            "version": info.framework_version,
            "digest": info.digest,
        },
    }


def _r(x: float | None) -> float | None:
    """A machine output's number: as computed (see :func:`maturity.render.results.num`)."""
    return num(x)


def _tally_data(x: Tally) -> dict[str, Any]:
    return {
        "compared": x.compared,
        "up": x.up,
        "same": x.same,
        "down": x.down,
        "new": x.new,
        "dropped": x.dropped,
        "mean_score_change": _r(x.mean_delta),
    }


def _unit_data(u: UnitChange) -> dict[str, Any]:
    return {
        "id": u.id,
        "name": u.name,
        "tier": u.tier,
        "parent": u.parent,
        "province": u.province,
        "presence": u.presence,
        "before": {"score": _r(u.score_before), "level": u.level_before, "rank": u.rank_before},
        "after": {"score": _r(u.score_after), "level": u.level_after, "rank": u.rank_after},
        "change": {
            "score": _r(u.delta),
            "level": u.level_change,
            "rank": u.rank_change,
            "movement": u.movement,
        },
        "pillars": [
            {
                "id": p.id,
                "before": {
                    "score": _r(p.score_before),
                    "level": p.level_before,
                    "rank": p.rank_before,
                },
                "after": {"score": _r(p.score_after), "level": p.level_after, "rank": p.rank_after},
                "change": _r(p.delta),
            }
            for p in u.pillars
        ],
        "movers": [
            {
                "id": m.id,
                "points_before": _r(m.points_before),
                "points_after": _r(m.points_after),
                "change": _r(m.delta),
                "level_before": m.level_before,
                "level_after": m.level_after,
                "status_before": m.status_before or None,
                "status_after": m.status_after or None,
            }
            for m in u.movers
        ],
    }


def compare_document(c: Comparison, top: int | None = None) -> dict[str, Any]:
    """The comparison as plain data (the JSON output)."""
    return {
        "compare_version": COMPARE_VERSION,
        "baseline": _round_data(c.baseline),
        "current": _round_data(c.current),
        "same_framework": c.same_framework,
        "summary": {x.key: _tally_data(x) for x in c.tiers},
        "provinces": [
            {
                "id": x.key,
                "name": x.name,
                "level_before": x.level_before,
                "level_after": x.level_after,
                **_tally_data(x),
            }
            for x in c.provinces
        ],
        "units": [_unit_data(u) for u in _shown(c, top)],
    }


RECORD_COLUMNS = (
    "id", "name", "tier", "parent", "province", "presence", "period_before", "period_after",
    "score_before", "score_after", "score_change", "level_before", "level_after",
    "level_change", "movement", "rank_before", "rank_after", "rank_change",
)  # fmt: skip


MOVERS_COLUMN = ["movers"]  # "SVC-03:22.63;DAT-14:6.67", the indicators that moved most


def _c(x: Any) -> Any:
    return "" if x is None else x


def compare_records(c: Comparison, top: int | None = None) -> Records:
    """One row per unit (CSV): then, now and the change; each pillar's score and level."""
    header = [*RECORD_COLUMNS]
    for pid in c.pillar_ids:
        header += [f"{pid}_score_before", f"{pid}_score_after", f"{pid}_level_before",
                   f"{pid}_level_after"]  # fmt: skip
    header += MOVERS_COLUMN
    rows = []
    for u in _shown(c, top):
        row: list[Any] = [
            u.id, u.name, u.tier, _c(u.parent), u.province, u.presence, c.baseline.period,
            c.current.period, _c(_r(u.score_before)), _c(_r(u.score_after)), _c(_r(u.delta)),
            _c(u.level_before), _c(u.level_after), _c(u.level_change), _c(u.movement),
            _c(u.rank_before), _c(u.rank_after), _c(u.rank_change),
        ]  # fmt: skip
        pillars = {p.id: p for p in u.pillars}
        for pid in c.pillar_ids:
            p = pillars.get(pid)
            row += (
                [
                    _c(_r(p.score_before)),
                    _c(_r(p.score_after)),
                    _c(p.level_before),
                    _c(p.level_after),
                ]
                if p
                else ["", "", "", ""]
            )
        row.append(";".join(f"{m.id}:{_r(m.delta)}" for m in u.movers))
        rows.append(row)
    return Records(header, rows)
