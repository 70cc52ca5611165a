"""The method page, generated from the rule files: the framework's identity and digest, the
round's input hashes, tiers, levels, gates, pillars and weights, every indicator with its
scoring method and cut-offs, and the consistency checks, so a reader can check any number."""

from __future__ import annotations

from maturity.render.site._core import Framework, Indicator, pick
from maturity.render.site._data import ReportData
from maturity.render.site._format import h, integer, num, table
from maturity.render.site._layout import (
    Links,
    Tr,
    collapsible,
    frame,
    section,
    severity_text,
    tier_label,
    translator,
)
from maturity.render.site._texts import framework_texts


def method_page(data: ReportData, lang: str, links: Links) -> str:
    """The HTML page of the framework and the round's inputs."""
    tr = translator(lang)
    fw = data.framework
    parts = [
        f"<h1>{h(tr('report.method.title'))}</h1>",
        f'<p class="lead">{h(pick(fw.manifest.title, lang))}</p>',
        _identity(data, lang),
        _how(fw, tr, lang),
        _levels_and_gates(fw, tr, lang),
        _pillars(fw, tr, lang),
        _indicators(fw, tr, lang),
        _checks(fw, tr, lang),
    ]
    return frame(
        data,
        lang,
        links,
        title=tr("report.method.title"),
        crumbs=[(tr("report.national.crumb"), links.national()), (tr("report.method.title"), None)],
        body="\n".join(parts),
        page_class="method",
    )


def _identity(data: ReportData, lang: str) -> str:
    tr = translator(lang)
    fw = data.framework
    m = fw.manifest
    facts = [
        (tr("report.method.id"), f"{fw.id} {fw.version}"),
        (tr("report.method.effective"), m.effective_from or "—"),
        (tr("report.method.digest"), fw.digest),
        (
            tr("report.method.scale"),
            tr("report.of_scale", scale=num(m.scale, lang, 0)).lstrip("/ "),
        ),
        (tr("report.method.policy"), tr(f"report.method.policy.{data.results.policy}")),
        (tr("report.method.engine"), f"maturity {data.results.engine_version}"),
        (tr("report.method.tiers"), "; ".join(pick(tt.name, lang) for tt in m.tiers)),
    ]
    items = "".join(
        f"<dt>{h(k)}</dt><dd><code>{h(v)}</code></dd>"
        if k == facts[2][0]
        else f"<dt>{h(k)}</dt><dd>{h(v)}</dd>"
        for k, v in facts
    )
    body = f'<dl class="facts-list">{items}</dl>'
    if m.description is not None:
        body += f"<p>{h(pick(m.description, lang))}</p>"
    files = sorted(data.results.files.items())
    rows = [[h(name), f"<code>{h(digest)}</code>"] for name, digest in files]
    body += table(
        tr("report.method.inputs"),
        [tr("report.col.file"), "SHA-256"],
        rows,
        empty=tr("report.method.no_inputs"),
    )
    return section("identity", tr("report.method.identity"), body)


def _how(fw: Framework, tr: Tr, lang: str) -> str:
    body = "".join(
        f"<p>{h(tr(code, scale=num(fw.manifest.scale, lang, 0)))}</p>"
        for code in (
            "report.method.how.score",
            "report.method.how.points",
            "report.method.how.level",
            "report.method.how.rank",
        )
    )
    return section("how", tr("report.method.how"), body)


def _levels_and_gates(fw: Framework, tr: Tr, lang: str) -> str:
    scale = fw.manifest.scale
    levels = fw.manifest.levels
    rows = []
    for n, lv in enumerate(levels):
        upper = levels[n + 1].min if n + 1 < len(levels) else None
        rows.append(
            [
                h(str(lv.level)),
                h(pick(lv.name, lang)),
                h(num(lv.min, lang, 2)),
                h(
                    num(lv.min * scale, lang, 0)
                    + (f" – {num(upper * scale, lang, 0)}" if upper is not None else "+")
                ),
                h(pick(lv.description, lang) if lv.description else ""),
            ]
        )
    headers = [
        tr("report.col.level"),
        tr("report.col.name"),
        tr("report.col.from_index"),
        tr("report.col.points_range"),
        tr("report.col.description"),
    ]
    body = table(tr("report.method.levels"), headers, rows, numeric=frozenset({0, 2, 3}))
    gate_rows = []
    for gate in fw.manifest.gates:
        if gate.kind == "critical_indicators":
            rule = tr(
                "report.method.gate.critical", level=gate.from_level, need=gate.min_indicator_level
            )
        else:
            rule = tr("report.method.gate.weakest", gap=gate.max_gap)
        gate_rows.append(
            [
                h(pick(gate.name, lang)),
                h(rule),
                h(pick(gate.description, lang) if gate.description else ""),
            ]
        )
    body += table(
        tr("report.method.gates"),
        [tr("report.col.gate"), tr("report.col.rule"), tr("report.col.description")],
        gate_rows,
        empty=tr("report.method.no_gates"),
    )
    crit = [i for i in fw.indicators if i.critical]
    if crit:
        items = ", ".join(
            f"{i.id} ({'/'.join(tier_label(fw, t, lang) for t in i.tiers)})" for i in crit
        )
        body += f"<p>{h(tr('report.method.critical', items=items))}</p>"
    return section("levels", tr("report.method.levels_gates"), body)


def _pillars(fw: Framework, tr: Tr, lang: str) -> str:
    tiers = [tt.id for tt in fw.manifest.tiers]
    rows = []
    for pid, node in fw.pillars.items():
        name = ("— " * node.depth) + f"{pid} · {pick(node.model.name, lang)}"
        counts = [
            sum(1 for i in fw.indicators if i.pillar in fw.leaf_of(pid) and t in i.tiers)
            for t in tiers
        ]
        rows.append(
            [h(name)]
            + [h(num(node.model.weights.get(t, 0.0), lang, 2, trim=True)) for t in tiers]
            + [h(" / ".join(integer(c, lang) for c in counts))]
        )
    headers = (
        [tr("report.col.pillar")]
        + [tr("report.col.weight_tier", tier=tier_label(fw, t, lang)) for t in tiers]
        + [
            tr(
                "report.col.indicator_count",
                tiers=" / ".join(tier_label(fw, t, lang) for t in tiers),
            )
        ]
    )
    body = f"<p>{h(tr('report.method.weights'))}</p>" + table(
        tr("report.method.pillars_table"), headers, rows, numeric=frozenset(range(1, len(headers)))
    )
    return section("pillars", tr("report.method.pillars"), body)


def method_text(ind: Indicator, tr: Tr, lang: str) -> str:
    """How an indicator's value becomes a score, in words."""
    if ind.method == "linear":
        assert ind.floor is not None and ind.target is not None
        return tr(
            "report.method.linear",
            floor=num(ind.floor, lang, 2, trim=True),
            target=num(ind.target, lang, 2, trim=True),
        )
    if ind.method == "steps":
        sign = "≥" if ind.direction == "higher" else "≤"
        steps = "; ".join(
            f"{sign} {num(s.at, lang, 2, trim=True)} → {num(s.score, lang, 2, trim=True)}"
            for s in ind.steps or []
        )
        return tr("report.method.steps", steps=steps)
    if ind.method == "ordinal":
        if ind.map is not None:
            pairs = "; ".join(f"{k} → {num(v, lang, 2, trim=True)}" for k, v in ind.map.items())
            return tr("report.method.ordinal_map", pairs=pairs)
        return tr("report.method.ordinal", max=ind.max)
    return tr("report.method.binary")


def _indicators(fw: Framework, tr: Tr, lang: str) -> str:
    tx = framework_texts(fw, lang)
    blocks = []
    headers = [
        tr("report.col.indicator"),
        tr("report.col.tiers"),
        tr("report.col.unit_of"),
        tr("report.col.method"),
        tr("report.col.cutoffs"),
        tr("report.col.weight"),
        tr("report.col.source"),
        tr("report.col.legal"),
    ]
    for pid, node in fw.pillars.items():
        if not node.leaf:
            continue
        inds = [i for i in fw.indicators if i.pillar == pid]
        if not inds:
            continue
        rows = []
        for ind in inds:
            tags = []
            if ind.critical:
                tags.append(tr("report.critical"))
            if ind.context:
                tags.append(tr("report.method.context"))
            if ind.not_applicable:
                tags.append(tr("report.method.may_na"))
            if ind.evidence.required:
                tags.append(tr("report.method.evidence"))
            name = f'<span class="id">{h(ind.id)}</span> {h(tx.indicator_name[ind.id])}'
            if tags:
                name += " " + "".join(f'<span class="tag">{h(tag)}</span>' for tag in tags)
            formula = ind.formula or ind.inputs[0]
            direction = tr("report.method.lower") if ind.direction == "lower" else ""
            cut = " · ".join(
                f"{lvl}: {num(v, lang, 2, trim=True)}"
                for lvl, v in zip(range(2, 6), ind.cutoffs.values(), strict=True)
            )
            rows.append(
                [
                    name + f'<br><code class="formula">{h(formula)}</code>',
                    h(", ".join(tier_label(fw, t, lang) for t in ind.tiers)),
                    h(tx.indicator_unit[ind.id]),
                    h(method_text(ind, tr, lang) + (f" ({direction})" if direction else "")),
                    h(cut),
                    h(num(ind.weight, lang, 2, trim=True)),
                    h(tr(f"report.method.source.{ind.source}")),
                    h(tx.legal[ind.id]),
                ]
            )
        title = f"{pid} · {tx.pillar_name[pid]}"
        blocks.append(
            collapsible(
                tr("report.method.pillar_indicators", pillar=title, count=integer(len(inds), lang)),
                table(title, headers, rows, numeric=frozenset({5})),
                open_=False,
            )
        )
    body = (
        f"<p>{h(tr('report.method.indicators_intro', count=integer(len(fw.indicators), lang)))}</p>"
        + "".join(blocks)
    )
    return section("indicators", tr("report.method.indicators"), body)


def _checks(fw: Framework, tr: Tr, lang: str) -> str:
    rows = [
        [
            h(c.id),
            h(", ".join(tier_label(fw, t, lang) for t in c.tiers)),
            h(severity_text(c.severity, lang)),
            h(pick(c.message, lang)) + f'<br><code class="formula">{h(c.assert_)}</code>',
        ]
        for c in fw.manifest.checks
    ]
    headers = [
        tr("report.col.check"),
        tr("report.col.tiers"),
        tr("report.col.severity"),
        tr("report.col.message"),
    ]
    body = collapsible(
        tr("report.method.checks_summary", count=integer(len(rows), lang)),
        table(tr("report.method.checks"), headers, rows, empty=tr("report.method.no_checks")),
    )
    return section("checks", tr("report.method.checks"), body)
