"""Blank submissions a province or commune can fill in (``maturity template``).

Three shapes, all generated from the rule files in the current language:

- ``yaml``: a valid per-unit submission file (``unit``, ``period``, ``framework``, ``values``)
  with every input of the tier left empty (``null`` = missing) and, above each, comment lines
  with its label, unit, allowed range or answers, help text and the indicators that use it,
  grouped by the pillar of those indicators; then commented ``not_applicable`` and
  ``evidence`` sections listing the indicators that allow or ask for them.
- ``csv``: the wide table the CSV reader accepts: the header ``unit,period,<inputs>`` (plus
  ``not_applicable`` when the tier has indicators that allow it), four guide rows starting
  with ``#`` (label, unit, allowed values, how to count; the reader skips them) and one empty
  row. A spreadsheet-friendly description of the columns, one row per input, is also offered:
- ``csv-guide``: one row per input: ``input,label,unit,type,min,max,help,tiers,used_by``,
  then ``pillar,choices,source``.

Filled in without changing its structure, each template loads and scores (tests prove it for
both tiers of the mini and the national framework). This module only builds text.
"""

from __future__ import annotations

import csv
import functools
import io

from maturity.errors import UsageError
from maturity.framework.compiled import Framework
from maturity.framework.model import Input
from maturity.framework.needs import TemplateInput, _check_tier, template_inputs
from maturity.i18n import language, pick, t

TEMPLATE_FORMATS = ("yaml", "csv", "csv-guide")


GUIDE_COLUMNS = (
    "input", "label", "unit", "type", "min", "max", "help", "tiers", "used_by",
    "pillar", "choices", "source",
)  # fmt: skip


def _num(x: float) -> str:
    """Numbers as people write them: no trailing ``.0``.

    >>> _num(100.0), _num(0.5)
    ('100', '0.5')
    """
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _bounds(inp: Input) -> tuple[float | None, float | None]:
    """The allowed range, with an ordinal's answers giving it when ``min``/``max`` do not."""
    low, high = inp.min, inp.max
    if inp.type == "ordinal" and inp.choices:
        answers = [int(k) for k in inp.choices]
        low = min(answers) if low is None else low
        high = max(answers) if high is None else high
    elif inp.type == "boolean":
        low, high = 0.0, 1.0
    return low, high


def _range_text(inp: Input) -> str:
    if inp.type == "boolean":
        return t("tpl.boolean")
    low, high = _bounds(inp)
    if low is not None and high is not None:
        return t("tpl.range.between", min=_num(low), max=_num(high))
    if low is not None:
        return t("tpl.range.min", min=_num(low))
    if high is not None:
        return t("tpl.range.max", max=_num(high))
    return t("tpl.range.any")


def _choices(inp: Input) -> list[tuple[str, str]]:
    if inp.type != "ordinal" or not inp.choices:
        return []
    return [(k, pick(inp.choices[k])) for k in sorted(inp.choices, key=int)]


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.strip().splitlines() if line.strip()]


def _used_by_text(fw: Framework, item: TemplateInput, tier: str) -> str:
    names = {ind.id: ind for ind in fw.indicators}
    tier_names = {tt.id: pick(tt.name) for tt in fw.manifest.tiers}
    parts = []
    for ind_id, ind_tier in item.used_by:
        label = f"{ind_id} {pick(names[ind_id].name)}"
        if ind_tier != tier:
            label += f" ({tier_names.get(ind_tier, ind_tier)})"
        parts.append(label)
    return "; ".join(parts)


def _pillar_heading(fw: Framework, pillar: str | None) -> str:
    if pillar is None:
        return t("tpl.group.other")
    node = fw.pillars[pillar]
    chain = [pick(node.model.name)]
    parent = node.parent
    while parent is not None:
        chain.append(pick(fw.pillars[parent].model.name))
        parent = fw.pillars[parent].parent
    return t("tpl.group.pillar", id=pillar, name=" › ".join(reversed(chain)))


def _comment(lines: list[str], indent: str) -> list[str]:
    return [f"{indent}# {line}".rstrip() for line in lines]


def _input_comment(fw: Framework, item: TemplateInput, tier: str) -> list[str]:
    inp = item.input
    head = pick(inp.label)
    if inp.unit is not None:
        head += f" [{pick(inp.unit)}]"
    head += f" — {t('tpl.type.' + inp.type)}, {_range_text(inp)}"
    lines = [head]
    lines += [f"  {key} = {text}" for key, text in _choices(inp)]
    if inp.help is not None:
        help_lines = _lines(pick(inp.help))
        if help_lines:
            lines.append(t("tpl.help", help=help_lines[0]))
            lines += [f"  {line}" for line in help_lines[1:]]
    if inp.source == "automatic":
        lines.append(t("tpl.source.automatic"))
    if item.used_by:
        lines.append(t("tpl.used_by", items=_used_by_text(fw, item, tier)))
    if item.checked_by:
        lines.append(t("tpl.checked_by", items=_checked_by_text(fw, item)))
    return lines


def _checked_by_text(fw: Framework, item: TemplateInput) -> str:
    """The checks that read an input, by their messages (what a person is told when one
    fails), not their ids."""
    messages = {c.id: pick(c.message).strip() for c in fw.manifest.checks}
    shown = [messages.get(cid) or cid for cid in item.checked_by]
    return " ".join(m if m.endswith((".", "?", "!")) else m + "." for m in shown)


def _tier_name(fw: Framework, tier: str) -> str:
    return next(pick(tt.name) for tt in fw.manifest.tiers if tt.id == tier)


def template_yaml(fw: Framework, tier: str) -> str:
    """A per-unit submission file with every input of ``tier`` empty, documented in comments."""
    items = template_inputs(fw, tier)
    out: list[str] = []
    out += _comment(
        [
            t("tpl.title", title=pick(fw.manifest.title), framework=fw.id, version=fw.version,
              tier=_tier_name(fw, tier)),
            "",
            *_lines(t("tpl.intro.yaml")),
        ],
        "",
    )  # fmt: skip
    out += ['unit: ""', 'period: ""', f"framework: {fw.id}"]
    out += _comment(_lines(t("tpl.locale")), "")
    out += [f"locale: {language()}", "values:"]
    if not items:
        out[-1] = "values: {}"
    group: object = object()
    for item in items:
        if item.pillar != group:
            group = item.pillar
            out.append("")
            out.append(f"  # ── {_pillar_heading(fw, item.pillar)} ──")
        out += _comment(_input_comment(fw, item, tier), "  ")
        out.append(f"  {item.input.id}:")
    inds = fw.indicators_for(tier)
    na = [ind for ind in inds if ind.not_applicable]
    out.append("")
    if na:
        out += _comment(_lines(t("tpl.na.header")), "")
        out.append("# not_applicable:")
        out += [f'#   {ind.id}: ""  # {pick(ind.name)}' for ind in na]
    else:
        out.append(f"# {t('tpl.na.none')}")
    evidence = [ind for ind in inds if ind.evidence.required]
    if evidence:
        out.append("")
        out += _comment(_lines(t("tpl.evidence.header")), "")
        out.append("# evidence:")
        for ind in evidence:
            what = f" — {pick(ind.evidence.what)}" if ind.evidence.what is not None else ""
            out.append(f'#   {ind.id}: ""  # {pick(ind.name)}{what}')
    return "\n".join(out) + "\n"


def _csv(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerows(rows)
    return buf.getvalue()


def template_csv(fw: Framework, tier: str) -> str:
    """The wide CSV: the header ``unit,period,<inputs>[,not_applicable]``, four guide rows
    (label, unit, allowed values, how to count) whose first cell starts with ``#`` (the CSV
    reader skips such rows), then one empty row to fill in, copied once per unit."""
    items = template_inputs(fw, tier)
    header = ["unit", "period", *(item.input.id for item in items)]
    guides: list[tuple[str, list[str]]] = [
        ("label", [pick(item.input.label) for item in items]),
        ("unit", [pick(item.input.unit) if item.input.unit else "" for item in items]),
        ("allowed", [_allowed_cell(item.input) for item in items]),
        (
            "help",
            [" ".join(_lines(pick(item.input.help))) if item.input.help else "" for item in items],
        ),
    ]
    rows = [header]
    for key, cells in guides:
        rows.append([f"# {t('tpl.csv.' + key)}", "", *cells])
    rows[1][1] = t("tpl.csv.period")
    na = [ind.id for ind in fw.indicators_for(tier) if ind.not_applicable]
    if na:
        header.append("not_applicable")
        for row in rows[1:]:
            row.append("")
        rows[1][-1] = t("tpl.csv.na", ids=" ".join(na))
    # the number convention, stated above the header (the reader reads it from there)
    stated = [f"# locale: {language()}", *[""] * (len(header) - 1)]
    return _csv([stated, *rows, [""] * len(header)])


def _allowed_cell(inp: Input) -> str:
    choices = _choices(inp)
    if choices:
        return "; ".join(f"{k} = {text}" for k, text in choices)
    return _range_text(inp)


def template_guide(fw: Framework, tier: str) -> str:
    """One CSV row per input of ``tier`` describing what to enter in its column; headers,
    types, tiers and sources in the language (in English they are the ids)."""
    rows = [[t(f"tpl.guide.{col}") for col in GUIDE_COLUMNS]]
    for item in template_inputs(fw, tier):
        inp = item.input
        low, high = _bounds(inp)
        rows.append(
            [
                inp.id,
                pick(inp.label),
                pick(inp.unit) if inp.unit is not None else "",
                t(f"tpl.guide.type.{inp.type}"),
                _num(low) if low is not None else "",
                _num(high) if high is not None else "",
                " ".join(_lines(pick(inp.help))) if inp.help is not None else "",
                functools.reduce(
                    lambda a, b: t("tpl.guide.list", a=a, b=b), map(fw.tier_label, inp.tiers)
                ),
                " ".join(ind_id for ind_id, _ in item.used_by),
                item.pillar or "",
                "; ".join(f"{k} = {text}" for k, text in _choices(inp)),
                t(f"tpl.guide.source.{inp.source}"),
            ]
        )
    return _csv(rows)


def render_template(fw: Framework, tier: str, fmt: str = "yaml") -> str:
    """The template of ``tier`` in ``fmt`` (one of :data:`TEMPLATE_FORMATS`), texts in the
    current language."""
    _check_tier(fw, tier)
    if fmt == "yaml":
        return template_yaml(fw, tier)
    if fmt == "csv":
        return template_csv(fw, tier)
    if fmt == "csv-guide":
        return template_guide(fw, tier)
    raise UsageError(t("tpl.unknown_format", format=fmt, formats=", ".join(TEMPLATE_FORMATS)))
