"""The page of one unit: its score and level and why, the gap to the next band, its pillar
profile against its peers, the path to the next level, its gaps ranked, its data gaps, its
data problems and failed checks, the change since the baseline, and every indicator."""

from __future__ import annotations

import math

import numpy as np

from maturity.analysis.batch import TierAnalysis
from maturity.render.site._cells import (
    gap_texts,
    natural_texts,
    path_texts,
    per_analysis,
    pillar_cells,
    tier_cells,
)
from maturity.render.site._core import STATUS_NAMES, Framework, NaturalGap, TierResult, pick
from maturity.render.site._data import ReportData
from maturity.render.site._format import DASH, h, integer, num, pct, signed, table
from maturity.render.site._layout import (
    Links,
    Tr,
    collapsible,
    frame,
    level_badge,
    level_text,
    problems_of,
    section,
    severity_cell,
    status_text,
    tier_label,
    tier_name,
    translator,
)
from maturity.render.site._svg import Band, ProfileBar, band_ruler, legend_icon, pillar_profile
from maturity.render.site._texts import FrameworkTexts, framework_texts


def unit_page(data: ReportData, unit_id: str, lang: str, links: Links) -> str:
    """The HTML page of ``unit_id`` (a scored unit of ``data``)."""
    found = data.find(unit_id)
    if found is None:
        raise KeyError(unit_id)
    ta, row = found
    r = ta.result
    unit = r.units[row]
    fw = data.framework
    tr = translator(lang)
    tx = framework_texts(fw, lang)
    crumbs: list[tuple[str, str | None]] = [(tr("report.national.crumb"), links.national())]
    if unit.parent:
        crumbs.append((data.names.get(unit.parent, unit.parent), links.province(unit.parent)))
    elif unit.tier == data.top_tier and data.child_tier is not None:
        crumbs.append((unit.name, links.province(unit.id)))
    crumbs.append((unit.name if unit.parent else tr("report.unit.own_result"), None))
    parts = [
        _heading(data, ta, row, lang, links),
        _headline(data, ta, row, lang),
        _verification(data, unit_id, lang),
        _profile(data, ta, row, lang),
        _path(fw, ta, row, tx, tr),
        _gaps(fw, ta, row, tx, tr),
        _data_gaps(fw, ta, row, tx, tr),
        _problems(data, unit_id, lang),
        _change(data, ta, row, lang),
        _indicators(fw, ta, row, tx, tr),
    ]
    return frame(
        data,
        lang,
        links,
        title=unit.name,
        crumbs=crumbs,
        body="\n".join(p for p in parts if p),
        page_class="unit",
    )


def _heading(data: ReportData, ta: TierAnalysis, row: int, lang: str, links: Links) -> str:
    """The unit's name and facts (as HTML): tier, code, its province or its province page,
    the round, and the publication flags where there are any."""
    tr = translator(lang)
    r = ta.result
    unit = r.units[row]
    fw = data.framework
    facts = [
        h(tr("report.unit.tier", tier=tier_name(fw, unit.tier, lang))),
        h(tr("report.code", id=unit.id)),
    ]
    if unit.parent:
        name = data.names.get(unit.parent, unit.parent)
        link = f'<a href="{h(links.province(unit.parent))}">{h(name)}</a>'
        facts.append(h(tr("report.unit.in_province", name="{link}")).replace("{link}", link))
    elif unit.tier == data.top_tier and data.child_tier is not None:
        text = h(tr("report.unit.to_province_page"))
        facts.append(f'<a href="{h(links.province(unit.id))}">{text}</a>')
    if r.periods[row]:
        facts.append(h(tr("report.period", period=r.periods[row])))
    flags = data.flags.get(unit.id, ())
    items = "".join(f"<li>{h(tr('lbl.flag.' + f))}</li>" for f in flags)
    flag_html = f'<ul class="flags">{items}</ul>' if flags else ""
    return f'<h1>{h(unit.name)}</h1><p class="facts">{" · ".join(facts)}</p>{flag_html}'


def _headline(data: ReportData, ta: TierAnalysis, row: int, lang: str) -> str:
    tr = translator(lang)
    fw = data.framework
    r = ta.result
    unit = r.units[row]
    level = int(r.level[row])
    scale = fw.manifest.scale
    if level <= 0:
        body = f'<p class="lead">{h(tr("report.unit.not_scored"))}</p>'
        return section("result", tr("report.unit.result"), body)
    total = float(r.total[row])
    score_level = int(r.score_level[row])
    ranks = rank_texts(data, r, row, lang)
    coverage = tr("report.coverage", coverage=pct(float(r.coverage[row]), lang))
    figures = (
        '<div class="figures">'
        f'<p class="score"><span class="big">{h(num(total, lang, 1))}</span>'
        f' <span class="of">{h(tr("report.of_scale", scale=num(scale, lang, 0)))}</span></p>'
        f'<p class="level">{level_badge(fw, level, lang)}</p>'
        f'<p class="rank">{h(" · ".join(ranks))}</p>'
        f'<p class="coverage">{h(coverage)}</p>'
        "</div>"
    )
    mins = [lv.min for lv in fw.manifest.levels]
    lv_model = fw.manifest.levels[level - 1]
    upper = mins[level] if level < len(mins) else None
    if upper is None:
        meaning = tr(
            "report.meaning.top",
            level=level,
            name=pick(lv_model.name, lang),
            low=num(mins[level - 1] * scale, lang, 0),
        )
    else:
        meaning = tr(
            "report.meaning",
            level=level,
            name=pick(lv_model.name, lang),
            low=num(mins[level - 1] * scale, lang, 0),
            high=num(upper * scale, lang, 0),
        )
    lines = [meaning]
    if lv_model.description is not None:
        lines.append(pick(lv_model.description, lang))
    gaps = ta.data_gaps(row)
    if gaps:
        stake = float(r.max_points[row, gaps].sum())
        lines.append(
            tr("report.why.data_gaps", count=integer(len(gaps), lang), points=num(stake, lang, 1))
        )
    for gate_id in r.capped_by[row]:
        lines.append(_gate_sentence(data, ta, row, gate_id, score_level, level, lang))
    if r.capped_by[row]:
        pass  # the gate, not the next band, is what the unit needs: the sentence above
    elif score_level < len(mins):
        needed = mins[score_level] * scale - total
        lines.append(
            tr(
                "report.next_band",
                level=score_level + 1,
                start=num(mins[score_level] * scale, lang, 0),
                points=num(needed, lang, 1),
            )
        )
    else:
        lines.append(tr("report.top_band"))
    bands = [
        Band(lv.level, lv.min * scale, num(lv.min * scale, lang, 0)) for lv in fw.manifest.levels
    ]
    ruler = band_ruler(
        f"ruler-{unit.id}",
        bands,
        scale,
        total,
        num(total, lang, 1),
        tr("report.ruler.title"),
        tr("report.ruler.desc", score=num(total, lang, 1), level=score_level),
    )
    why = "".join(f"<p>{h(line)}</p>" for line in lines)
    body = figures + f'<div class="why">{why}</div><figure class="ruler">{ruler}</figure>'
    return section("result", tr("report.unit.result"), body)


def rank_texts(data: ReportData, r: TierResult, row: int, lang: str) -> list[str]:
    """A scored unit's ranks as sentences: in its tier (or why it has none: flagged by the
    publication rules, or alone, since "1 of 1" reads as first place), and in its province."""
    fw = data.framework
    tr = translator(lang)
    unit = r.units[row]
    tier = tier_label(fw, unit.tier, lang)
    flags = r.flags_of(row)
    if r.rank[row]:
        of = integer(data.scored_in_tier[unit.tier], lang)
        ranks = [tr("report.rank.tier", rank=integer(int(r.rank[row]), lang), of=of, tier=tier)]
    elif flags:
        names = ", ".join(tr(f"lbl.flag.{f}") for f in flags)
        ranks = [tr("report.rank.flagged", flags=names)]
    else:
        ranks = [tr("report.rank.alone", tier=tier)]
    siblings = data.scored_children.get(unit.parent, 0) if unit.parent else 0
    if r.rank_in_parent[row]:
        of = integer(siblings, lang)
        ranks.append(
            tr("report.rank.parent", rank=integer(int(r.rank_in_parent[row]), lang), of=of)
        )
    return ranks


def _verification(data: ReportData, unit_id: str, lang: str) -> str:
    """What the evaluators checked and changed (the pages show the verified result)."""
    found = data.verification.get(unit_id)
    if found is None:
        return ""
    tr = translator(lang)
    fw = data.framework
    tx = framework_texts(fw, lang)
    o = found.outcome
    lines = [tr("report.verified.by", who=found.verified_by or DASH, date=found.date or DASH)]
    if found.notes:
        lines.append(found.notes)
    lines.append(
        tr(
            "report.verified.outcome",
            before=num(o.self_score, lang, 1),
            after=num(o.verified_score, lang, 1),
            level_before=level_text(fw, o.self_level or 0, lang),
            level_after=level_text(fw, o.verified_level or 0, lang),
        )
    )
    yes, no = tr("report.yes"), tr("report.no")

    def shown(check_input: str, x: float | None, boolean: bool) -> str:
        if x is None:
            return tr("report.status.missing")
        if boolean:
            return yes if x else no
        return tx.input_value(check_input, x)

    rows = [
        [
            h(f"{tx.input_label.get(c.input, c.input)} ({c.input})"),
            h(shown(c.input, c.self_value, c.boolean)),
            h(shown(c.input, c.verified_value, c.boolean)),
            h(c.reason or (tr("report.verified.confirmed") if not c.changed else "")),
            h(c.evidence),
        ]
        for c in found.values
    ]
    headers = [
        tr("report.verified.col.input"),
        tr("report.verified.col.self"),
        tr("report.verified.col.verified"),
        tr("report.col.reason"),
        tr("report.verified.col.evidence"),
    ]
    body = "".join(f"<p>{h(line)}</p>" for line in lines) + table(
        tr("report.verified.table"), headers, rows, wide=frozenset({3})
    )
    return section("verification", tr("report.verified.heading"), body)


def _gate_sentence(
    data: ReportData,
    ta: TierAnalysis,
    row: int,
    gate_id: str,
    score_level: int,
    level: int,
    lang: str,
) -> str:
    """Which gate capped the level, and what it found: the critical indicators below the
    gate's level, or the weakest pillar."""
    tr = translator(lang)
    fw = data.framework
    tx = framework_texts(fw, lang)
    r = ta.result
    gate = next(g for g in fw.manifest.gates if g.id == gate_id)
    head = tr("report.capped", gate=pick(gate.name, lang), score_level=score_level, level=level)
    if gate.kind == "critical_indicators" and gate.min_indicator_level is not None:
        short = []
        for j, ind in enumerate(r.indicators):
            status = STATUS_NAMES[int(r.status[row, j])]
            if (
                ind.critical
                and status != "not_applicable"
                and r.ind_level[row, j] < gate.min_indicator_level
            ):
                if status == "scored":
                    short.append(
                        tr(
                            "report.capped.indicator",
                            id=ind.id,
                            name=tx.indicator_name[ind.id],
                            level=int(r.ind_level[row, j]),
                        )
                    )
                else:
                    short.append(
                        tr(
                            "report.capped.no_value",
                            id=ind.id,
                            name=tx.indicator_name[ind.id],
                            status=status_text(status, lang),
                        )
                    )
        if short:
            return (
                head
                + " "
                + tr(
                    "report.capped.critical", need=gate.min_indicator_level, items="; ".join(short)
                )
            )
    if gate.kind == "weakest_pillar":
        top = [p for p, pid in enumerate(r.pillar_ids) if fw.pillars[pid].parent is None]
        counted = [p for p in top if r.pillar_max[row, p] > 0]
        if counted:
            weakest = min(counted, key=lambda p: int(r.pillar_level[row, p]))
            pid = r.pillar_ids[weakest]
            return (
                head
                + " "
                + tr(
                    "report.capped.pillar",
                    name=tx.pillar_name[pid],
                    level=int(r.pillar_level[row, weakest]),
                )
            )
    return head


def _profile(data: ReportData, ta: TierAnalysis, row: int, lang: str) -> str:
    tr = translator(lang)
    fw = data.framework
    tx = framework_texts(fw, lang)
    r = ta.result
    unit = r.units[row]
    if r.level[row] <= 0:
        return ""
    top = [p for p, pid in enumerate(r.pillar_ids) if fw.pillars[pid].parent is None]
    tier_med = data.tier_medians[unit.tier]
    if unit.parent:
        group = data.group_medians[unit.tier].get(unit.parent)
        group_label = tr("report.profile.province_median")
    else:  # a province: beside its own pillars, the median of its communes
        child = data.child_tier
        group = data.group_medians[child].get(unit.id) if child else None
        group_label = tr("report.profile.children_median")
    cells = pillar_cells(fw, ta, lang)
    shares, points, levels, ranks = (
        cells.share[row],
        cells.points[row],
        cells.level[row],
        cells.rank[row],
    )
    bars = []
    rows = []
    for p in top:
        pid = r.pillar_ids[p]
        share = ta.pillar_share[row, p]
        tm = _finite(tier_med[p])
        gm = _finite(group[p]) if group is not None else None
        label = f"{pid} · {tx.pillar_name[pid]}"
        s = None if math.isnan(share) else float(share)
        bars.append(ProfileBar(label, s, shares[p], tm, gm))
        tm_text, gm_text = pct(tm, lang), pct(gm, lang)
        rows.append([h(label), points[p], shares[p], levels[p], tm_text, gm_text, ranks[p]])
    tier_median = tr("report.profile.tier_median", tier=tier_label(fw, unit.tier, lang))
    weakest = min(bars, key=lambda b: b.share if b.share is not None else 2.0)
    strongest = max(bars, key=lambda b: b.share if b.share is not None else -1.0)
    chart = pillar_profile(
        f"profile-{unit.id}",
        bars,
        tr("report.profile.title", name=unit.name),
        tr(
            "report.profile.desc",
            strongest=strongest.label,
            strongest_share=strongest.value_text,
            weakest=weakest.label,
            weakest_share=weakest.value_text,
        ),
    )
    legend = (
        f'<ul class="legend"><li>{legend_icon("bar")} {h(tr("report.profile.this_unit"))}</li>'
        f"<li>{legend_icon('median')} {h(tier_median)}</li>"
        + (f"<li>{legend_icon('group')} {h(group_label)}</li>" if group is not None else "")
        + "</ul>"
    )
    headers = [
        tr("report.col.pillar"),
        tr("report.col.points_of_max"),
        tr("report.col.share"),
        tr("report.col.level"),
        _capital(tier_median),
        _capital(group_label),
        tr("report.col.rank_tier"),
    ]
    tbl = table(tr("report.profile.table"), headers, rows, numeric=frozenset({1, 2, 4, 5, 6}))
    body = f'<figure class="profile">{legend}{chart}</figure>' + tbl
    return section("pillars", tr("report.profile.heading"), body)


def _capital(text: str) -> str:
    """A label as a column header: its first letter in capitals."""
    return text[:1].upper() + text[1:]


def _finite(x: float) -> float | None:
    return None if math.isnan(x) else float(x)


def natural_text(fw: Framework, lang: str, gap: NaturalGap) -> str:
    """``Dossiers submitted online: 77,352 → 78,077 (+725), moved from …``."""
    return natural_texts(fw, [gap], lang)[0]


def _indicator_cell(tx: FrameworkTexts, indicator_id: str) -> str:
    return tx.indicator_cell[indicator_id]


def _path(fw: Framework, ta: TierAnalysis, row: int, tx: FrameworkTexts, tr: Tr) -> str:
    r = ta.result
    level = int(r.level[row])
    if level <= 0:
        return ""
    path = ta.paths[row]
    if path is None:
        return section("path", tr("report.path.heading_top"), f"<p>{h(tr('report.path.top'))}</p>")
    lang = tx.lang
    hows = path_texts(fw, ta, lang)[row]
    yes, no = tr("report.yes"), tr("report.no")
    effort = {key: h(tr(f"report.effort.{key}")) for key in ("low", "medium", "high")}
    rows = []
    for n, st in enumerate(path.steps, start=1):
        before = tx.shown(st.indicator, st.from_value, yes, no)
        change = f"{before} → {tx.shown(st.indicator, st.to_value, yes, no)}"
        rows.append(
            [
                str(n),
                tx.indicator_cell[st.indicator],
                h(change),
                f"{st.from_level or DASH} → {st.to_level}",
                signed(st.points_gained, lang),
                effort[st.effort],
                hows[n - 1],
            ]
        )
    headers = [
        tr("report.col.step"),
        tr("report.col.indicator"),
        tr("report.col.change"),
        tr("report.col.level"),
        tr("report.col.gain"),
        tr("report.col.effort"),
        tr("report.col.how"),
    ]
    gained = sum(st.points_gained for st in path.steps)
    intro = tr(
        "report.path.intro",
        steps=integer(len(path.steps), lang),
        points=num(gained, lang, 1),
        level=path.target,
    )
    notes = [tr("report.path.method")]
    if path.reaches is not None and path.reaches >= path.target:
        notes.append(tr("report.path.verified", level=path.reaches))
    elif path.reaches is not None:
        notes.append(tr("report.path.unverified", level=path.target))
    body = (
        f"<p>{h(intro)}</p>"
        + table(
            tr("report.path.table", level=path.target),
            headers,
            rows,
            numeric=frozenset({0, 4}),
            wide=frozenset({6}),
            row_header=1,
        )
        + "".join(f'<p class="note">{h(n)}</p>' for n in notes)
    )
    return section("path", tr("report.path.heading", level=path.target), body)


def _gaps(fw: Framework, ta: TierAnalysis, row: int, tx: FrameworkTexts, tr: Tr) -> str:
    r = ta.result
    if r.level[row] <= 0:
        return ""
    lang = tx.lang
    cells = tier_cells(fw, ta, lang)
    value, level = cells.value[row], cells.level[row]
    points, maxes, lost = cells.points[row], cells.max_points[row], cells.lost[row]
    cols = ta.performance_gaps(row)
    gaps = gap_texts(fw, ta, lang)
    rows = []
    for j in cols:
        ind_id = r.indicators[j].id
        rows.append(
            [
                tx.indicator_cell[ind_id],
                value[j],
                level[j],
                f"{points[j]} / {maxes[j]}",
                lost[j],
                gaps.get((row, j), ""),
                tx.remediation_cell[ind_id],
                tx.legal_cell[ind_id],
            ]
        )
    headers = [
        tr("report.col.indicator"),
        tr("report.col.value"),
        tr("report.col.level"),
        tr("report.col.points_of_max"),
        tr("report.col.lost"),
        tr("report.col.next"),
        tr("report.col.remediation"),
        tr("report.col.legal"),
    ]
    total_lost = float(np.sum(r.max_points[row, cols] - r.points[row, cols])) if cols else 0.0
    intro = tr("report.gaps.intro", count=integer(len(cols), lang), points=num(total_lost, lang, 1))
    body = f"<p>{h(intro)}</p>" + table(
        tr("report.gaps.table"),
        headers,
        rows,
        numeric=frozenset({2, 3, 4}),
        wide=frozenset({5, 6}),
        empty=tr("report.gaps.none"),
    )
    return section("gaps", tr("report.gaps.heading"), body)


def _data_gaps(fw: Framework, ta: TierAnalysis, row: int, tx: FrameworkTexts, tr: Tr) -> str:
    r = ta.result
    lang = tx.lang
    sub = r.submissions[row]
    cols = ta.data_gaps(row)
    rows = []
    for j in cols:
        ind = r.indicators[j]
        status = STATUS_NAMES[int(r.status[row, j])]
        inputs = []
        for name in ind.inputs:
            label = tx.input_label.get(name, name)
            if name in sub.invalid:
                inputs.append(
                    tr("report.data_gaps.rejected", label=label, input=name, why=sub.invalid[name])
                )
            else:
                inputs.append(f"{label} ({name})")
        rows.append(
            [
                _indicator_cell(tx, ind.id),
                h(status_text(status, lang)),
                h(num(float(r.max_points[row, j]), lang, 1)),
                h("; ".join(inputs)),
            ]
        )
    headers = [
        tr("report.col.indicator"),
        tr("report.col.status"),
        tr("report.col.at_stake"),
        tr("report.col.submit"),
    ]
    stake = sum(float(r.max_points[row, j]) for j in cols)
    intro = tr("report.data_gaps.intro", count=integer(len(cols), lang), points=num(stake, lang, 1))
    body = (f"<p>{h(intro)}</p>" if cols else "") + table(
        tr("report.data_gaps.table"),
        headers,
        rows,
        numeric=frozenset({2}),
        empty=tr("report.data_gaps.none"),
    )
    na = [
        j
        for j in range(len(r.indicators))
        if STATUS_NAMES[int(r.status[row, j])] == "not_applicable"
    ]
    if na:
        ids = [r.indicators[j].id for j in na]
        items = "".join(
            f"<li>{tx.indicator_cell[i]}{_reason(sub.not_applicable, i)}</li>" for i in ids
        )
        body += f'<p>{h(tr("report.data_gaps.not_applicable"))}</p><ul class="na">{items}</ul>'
    return section("data-gaps", tr("report.data_gaps.heading"), body)


def _reason(reasons: dict[str, str], indicator_id: str) -> str:
    """``: the reason`` a unit gave for declaring an indicator not applicable, if any."""
    reason = reasons.get(indicator_id)
    return f": {h(reason)}" if reason else ""


def _problems(data: ReportData, unit_id: str, lang: str) -> str:
    tr = translator(lang)
    shown, info = problems_of(data, unit_id)
    rows = [
        [
            severity_cell(d.severity, lang),
            h(d.check or d.indicator or d.code),
            h(d.message),
            h(f"{d.file}:{d.line}" if d.file and d.line else d.file or ""),
        ]
        for d in shown
    ]
    headers = [
        tr("report.col.severity"),
        tr("report.col.about"),
        tr("report.col.message"),
        tr("report.col.where"),
    ]
    body = table(
        tr("report.problems.table"),
        headers,
        rows,
        row_header=None,
        empty=tr("report.problems.none"),
    )
    if info:
        body += f'<p class="note">{h(tr("report.problems.info", count=integer(info, lang)))}</p>'
    return section("problems", tr("report.problems.heading"), body)


def _change(data: ReportData, ta: TierAnalysis, row: int, lang: str) -> str:
    tr = translator(lang)
    fw = data.framework
    tx = framework_texts(fw, lang)
    r = ta.result
    unit = r.units[row]
    base = data.baseline
    if base is None:
        return section(
            "change",
            tr("report.change.heading"),
            f'<p class="empty">{h(tr("report.change.no_baseline"))}</p>',
        )
    then = base.units.get(unit.id)
    if then is None:
        return section(
            "change",
            tr("report.change.heading"),
            f'<p class="empty">{h(tr("report.change.not_in_baseline"))}</p>',
        )
    now_score = _finite(float(r.total[row]))
    now_level = int(r.level[row])
    now_rank = int(r.rank[row]) or None
    delta = None if now_score is None or then.score is None else now_score - then.score
    rows = [
        [
            h(tr("report.change.score")),
            h(num(then.score, lang, 1)),
            h(num(now_score, lang, 1)),
            h(signed(delta, lang)),
        ],
        [
            h(tr("report.change.level")),
            h(level_text(fw, then.level or 0, lang)),
            h(level_text(fw, now_level, lang)),
            h(signed(float(now_level - then.level), lang, 0) if then.level and now_level else DASH),
        ],
        [
            h(tr("report.change.rank")),
            h(integer(then.rank, lang) if then.rank else DASH),
            h(integer(now_rank, lang) if now_rank else DASH),
            # a smaller rank is better: moving from 12th to 9th is +3
            h(signed(float(then.rank - now_rank), lang, 0) if then.rank and now_rank else DASH),
        ],
    ]
    top = [p for p, pid in enumerate(r.pillar_ids) if fw.pillars[pid].parent is None]
    for p in top:
        pid = r.pillar_ids[p]
        before = then.pillars.get(pid)
        now = float(r.pillar_points[row, p])
        rows.append(
            [
                h(f"{pid} · {tx.pillar_name[pid]}"),
                h(num(before, lang, 1)),
                h(num(now, lang, 1)),
                h(signed(None if before is None else now - before, lang)),
            ]
        )
    headers = [
        tr("report.change.what"),
        tr("report.change.then", period=then.period or DASH),
        tr("report.change.now"),
        tr("report.change.delta"),
    ]
    body = table(tr("report.change.table"), headers, rows, numeric=frozenset({1, 2, 3}))
    if base.digest and base.digest != fw.digest:
        warning = tr(
            "report.change.other_framework",
            baseline=f"{base.framework_id} {base.framework_version}",
            current=f"{fw.id} {fw.version}",
        )
        body = f'<p class="warn">{h(warning)}</p>' + body
    return section("change", tr("report.change.heading"), body)


def _indicators(fw: Framework, ta: TierAnalysis, row: int, tx: FrameworkTexts, tr: Tr) -> str:
    """Every indicator of the unit, by pillar, in a section a reader opens. The hottest
    code of a national build: rows are joined from texts formatted once per tier."""
    r = ta.result
    cells = tier_cells(fw, ta, tx.lang)
    value, status, level = cells.value[row], cells.status[row], cells.level[row]
    points, maxes, lost = cells.points[row], cells.max_points[row], cells.lost[row]
    head = "".join(
        f"<th scope=col{' class=num' if n >= 3 else ''}>{h(tr(code))}</th>"
        for n, code in enumerate(
            (
                "report.col.indicator",
                "report.col.value",
                "report.col.status",
                "report.col.level",
                "report.col.points",
                "report.col.max",
                "report.col.lost",
            )
        )
    )
    critical = f' <span class="critical">{h(tr("report.critical"))}</span>'
    blocks = []
    for pid, cols in _by_pillar(fw, ta, tx.lang):
        rows = "".join(
            f"<tr><th scope=row>{tx.indicator_cell[r.indicators[j].id]}"
            f"{critical if r.indicators[j].critical else ''}</th><td>{value[j]}</td>"
            f"<td>{status[j]}</td><td class=num>{level[j]}</td><td class=num>{points[j]}</td>"
            f"<td class=num>{maxes[j]}</td><td class=num>{lost[j]}</td></tr>"
            for j in cols
        )
        caption = h(f"{pid} · {tx.pillar_name[pid]}")
        blocks.append(
            f'<div class="scroll" role="region" aria-label="{caption}" tabindex="0">'
            f'<table class="data"><caption>{caption}</caption><thead><tr>{head}</tr></thead>'
            f"<tbody>{rows}</tbody></table></div>"
        )
    count = len(r.indicators)
    body = collapsible(
        tr("report.indicators.summary", count=integer(count, tx.lang)), "".join(blocks)
    )
    return section("indicators", tr("report.indicators.heading"), body)


@per_analysis
def _by_pillar(fw: Framework, ta: TierAnalysis, lang: str) -> list[tuple[str, list[int]]]:
    """The tier's indicator columns grouped by (leaf) pillar, in pillar order."""
    r = ta.result
    groups: dict[str, list[int]] = {}
    for j, ind in enumerate(r.indicators):
        groups.setdefault(ind.pillar, []).append(j)
    return [(pid, groups[pid]) for pid in r.pillar_ids if pid in groups]


__all__ = ["natural_text", "unit_page"]
