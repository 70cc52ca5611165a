"""A tier's numbers as the text of table cells, formatted once for all its units.

A national site shows about two million numbers; formatting them a whole array at a time
(one ``format`` per value, one ``translate`` per array) instead of one call chain per cell
is what keeps the build within seconds.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
from numpy.typing import NDArray

from maturity.analysis.batch import TierAnalysis
from maturity.render.site._core import SCORED, STATUS_NAMES, Framework, NaturalGap
from maturity.render.site._format import DASH, h
from maturity.render.site._layout import level_cell, status_text, translator
from maturity.render.site._texts import framework_texts

_VI = str.maketrans({",": ".", ".": ","})
_KEEP = 8  # (analysis, language) pairs kept: the tiers of a round or two, in both languages

T = TypeVar("T")


def per_analysis(
    build: Callable[[Framework, TierAnalysis, str], T],
) -> Callable[[Framework, TierAnalysis, str], T]:
    """Keep what ``build`` makes of an analysis in a language, for the last few analyses
    (every page of a tier asks for it again). An entry holds its analysis, so the analysis'
    id cannot be reused by another one while the entry lives."""
    kept: dict[tuple[int, str], tuple[TierAnalysis, T]] = {}

    @functools.wraps(build)
    def cached(fw: Framework, ta: TierAnalysis, lang: str) -> T:
        key = (id(ta), lang)
        found = kept.get(key)
        if found is not None and found[0] is ta:
            return found[1]
        made = build(fw, ta, lang)
        if len(kept) >= _KEEP:
            kept.pop(next(iter(kept)))
        kept[key] = (ta, made)
        return made

    return cached


_SEP = "\x1f"  # joins a whole array's texts for one translate; never in a number


def format_array(
    values: NDArray[np.float64], lang: str, digits: int, *, trim: bool = False
) -> list[str]:
    """Each value as :func:`maturity.render.site._format.num` writes it (NaN as a dash).

    >>> format_array(np.array([1234.5, np.nan, -0.01, 2.0]), "vi", 1)
    ['1.234,5', '—', '0,0', '2,0']
    >>> format_array(np.array([78077.0, 49.5357]), "en", 2, trim=True)
    ['78,077', '49.54']
    """
    rounded = np.round(values, digits).ravel() + 0.0  # + 0.0: no "-0.0"
    # a tier repeats many values (maxima, whole counts): format each distinct one once
    distinct, where = np.unique(rounded, return_inverse=True)
    texts = _texts(distinct.tolist(), lang, digits, trim)
    return [texts[k] for k in where.tolist()]


def _texts(values: list[float], lang: str, digits: int, trim: bool) -> list[str]:
    spec = f"{{:,.{digits}f}}".format
    out = [spec(x) if math.isfinite(x) else DASH for x in values]
    if trim:
        out = [s.rstrip("0").rstrip(".") if "." in s else s for s in out]
    out = [("−" + s[1:]) if s.startswith("-") else s for s in out]
    if lang == "vi":
        out = _SEP.join(out).translate(_VI).split(_SEP)
    return out


@dataclass(frozen=True)
class TierCells:
    """Cell texts per (unit row, indicator column), and per (row, pillar)."""

    # every text is HTML-escaped already
    value: list[list[str]]  # the value as a person reads it: number and unit, or yes/no
    points: list[list[str]]
    max_points: list[list[str]]
    lost: list[list[str]]
    level: list[list[str]]  # "3", or a dash where no value
    status: list[list[str]]


@per_analysis
def tier_cells(fw: Framework, ta: TierAnalysis, lang: str) -> TierCells:
    """The cell texts of ``ta`` in ``lang``."""
    r = ta.result
    n, k = r.value.shape
    tx = framework_texts(fw, lang)
    tr = translator(lang)
    yes, no = h(tr("report.yes")), h(tr("report.no"))

    def grid(flat: Sequence[str]) -> list[list[str]]:
        return [list(flat[i * k : (i + 1) * k]) for i in range(n)]

    numbers = format_array(r.value, lang, 2, trim=True)
    units = [h(tx.indicator_unit[ind.id]) for ind in r.indicators]
    binary = [ind.id in tx.binary for ind in r.indicators]
    raw = r.value.ravel().tolist()
    values = []
    for pos, text in enumerate(numbers):
        j = pos % k
        if text == DASH:
            values.append(DASH)
        elif binary[j]:
            values.append(yes if raw[pos] != 0 else no)
        elif units[j] == "%":
            values.append(text + "%")
        elif units[j]:
            values.append(f"{text} {units[j]}")
        else:
            values.append(text)
    names = [h(status_text(s, lang)) for s in STATUS_NAMES]
    status = [names[s] for s in r.status.ravel().tolist()]
    levels = [str(x) if x else DASH for x in r.ind_level.ravel().tolist()]
    cells = TierCells(
        value=grid(values),
        points=grid(format_array(r.points, lang, 1)),
        max_points=grid(format_array(r.max_points, lang, 1)),
        lost=grid(format_array(r.max_points - r.points, lang, 1)),
        level=grid(levels),
        status=grid(status),
    )
    return cells


def _suffix(unit: str) -> str:
    """What follows a number of this unit of measure: ``%``, `` dossiers``, or nothing."""
    return unit if unit in ("", "%") else " " + unit


def _braces(text: str) -> str:
    """Text that goes into a template as is (a label with braces stays a label)."""
    return text.replace("{", "{{").replace("}", "}}")


def _signed(numbers: list[str], deltas: list[float], plus_minus: bool = True) -> list[str]:
    """Texts of ``format_array`` with their sign: ``+725``, ``−3``, ``±0``."""
    out = []
    for text, delta in zip(numbers, deltas, strict=True):
        if text.startswith("−"):
            out.append(text)
        elif plus_minus and text.strip("0.,") == "":
            out.append("±" + text)
        else:
            out.append("+" + text if delta >= 0 else "−" + text)
    return out


def natural_texts(fw: Framework, gaps: list[NaturalGap], lang: str) -> list[str]:
    """Each gap in its input's units: ``Dossiers submitted online: 77,352 → 78,077 (+725),
    moved from …`` (plain text; escape it for HTML)."""
    if not gaps:
        return []
    tx = framework_texts(fw, lang)
    tr = translator(lang)
    current = format_array(np.array([g.current for g in gaps]), lang, 2, trim=True)
    needed = format_array(np.array([g.needed for g in gaps]), lang, 2, trim=True)
    deltas = [g.delta for g in gaps]
    delta = _signed(format_array(np.abs(np.array(deltas)), lang, 2, trim=True), deltas)
    yes_no = {k for k, inp in fw.inputs.items() if inp.type == "boolean"}
    yes, no = _braces(tr("report.yes")), _braces(tr("report.no"))
    # one template per (input, input it moves from), the label and unit already in
    templates: dict[tuple[str, str | None], str] = {}
    out = []
    for n, gap in enumerate(gaps):
        key = (gap.input, gap.transfer_from)
        template = templates.get(key)
        if template is None:
            label = _braces(tx.input_label.get(gap.input, gap.input))
            sfx = _braces(_suffix(tx.input_unit.get(gap.input, "")))
            if gap.input in yes_no:  # a yes/no input reads as words, without a difference
                template = tr("report.natural_yesno", label=label, current="{3}", needed="{4}")
            else:
                template = tr(
                    "report.natural",
                    label=label,
                    current="{0}" + sfx,
                    needed="{1}" + sfx,
                    delta="{2}",
                )
            if gap.transfer_from:
                src = tx.input_label.get(gap.transfer_from, gap.transfer_from)
                template += tr("report.transfer", label=_braces(src))
            templates[key] = template
        words = (yes if gap.current else no, yes if gap.needed else no)
        out.append(template.format(current[n], needed[n], delta[n], *words))
    return out


@per_analysis
def gap_texts(fw: Framework, ta: TierAnalysis, lang: str) -> dict[tuple[int, int], str]:
    """The text "to the next level" of every performance gap of the tier, by (row, column),
    HTML-escaped: the change in the lever input's units where the rules give one, else the
    change of the indicator's value (percentages in percentage points)."""
    r = ta.result
    tx = framework_texts(fw, lang)
    tr = translator(lang)
    lost = r.max_points - r.points
    wanted = (r.status == SCORED) & (lost > 1e-9) & np.isfinite(ta.next_cutoff)
    rows, cols = np.nonzero(wanted)
    pairs = list(zip(rows.tolist(), cols.tolist(), strict=True))
    yes, no = tr("report.yes"), tr("report.no")
    units = [tx.indicator_unit[ind.id] for ind in r.indicators]
    binary = [ind.id in tx.binary for ind in r.indicators]
    # the target of each indicator at each level, as a person reads it
    cuts = np.array([ind.cutoffs.values() for ind in r.indicators]).reshape(-1, 4)
    cut_text = format_array(cuts, lang, 2, trim=True)
    targets = [
        [
            (yes if cuts[j, c] != 0 else no)
            if binary[j]
            else cut_text[j * 4 + c] + _suffix(units[j])
            for c in range(4)
        ]
        for j in range(len(units))
    ]
    level = np.clip(ta.next_level[rows, cols].astype(np.int64) - 2, 0, 3).tolist()
    natural_keys = [p for p in pairs if p in ta.natural]
    natural = dict(
        zip(
            natural_keys,
            natural_texts(fw, [ta.natural[p] for p in natural_keys], lang),
            strict=True,
        )
    )
    deltas = (ta.next_cutoff[rows, cols] - r.value[rows, cols]).tolist()
    amounts = format_array(np.abs(np.array(deltas)), lang, 2, trim=True)
    signs = _signed(amounts, deltas, plus_minus=False)
    to_reach = tr("report.gap.to_reach", gap="{0}", cut="{1}")
    reach_only = tr("report.gap.reach_only", cut="{0}")
    pct_points = tr("report.gap.points_pct", amount="{0}")
    out: dict[tuple[int, int], str] = {}
    for m, (i, j) in enumerate(pairs):
        target = targets[j][level[m]]
        text = natural.get((i, j))
        if binary[j]:  # "no → yes" says it all; without a lever, what the value must be
            text = text if text is not None else reach_only.format(target)
        elif text is not None:
            text = to_reach.format(text, target)
        elif units[j] == "%":
            text = to_reach.format(pct_points.format(signs[m]), target)
        else:
            text = to_reach.format(f"{signs[m]} {units[j]}".strip(), target)
        out[i, j] = h(text)
    return out


@per_analysis
def path_texts(fw: Framework, ta: TierAnalysis, lang: str) -> list[list[str]]:
    """For each row, the "in the indicator's own units" text of each step of its path, in
    the path's order, HTML-escaped: the lever input's change, or what to submit."""
    tx = framework_texts(fw, lang)
    tr = translator(lang)
    submit = tr("report.path.submit", inputs="{0}")
    inputs_of = {ind.id: ind.inputs for ind in ta.result.indicators}
    wanted = [
        st.natural for path in ta.paths if path is not None for st in path.steps if st.natural
    ]
    texts = iter(natural_texts(fw, [g for g in wanted if g is not None], lang))
    out: list[list[str]] = []
    for path in ta.paths:
        row: list[str] = []
        for st in path.steps if path is not None else ():
            if st.natural is not None:
                row.append(h(next(texts)))
            elif st.from_value is None:
                names = ", ".join(tx.input_label.get(i, i) for i in inputs_of[st.indicator])
                row.append(h(submit.format(names)))
            else:
                row.append("")
        out.append(row)
    return out


@dataclass(frozen=True)
class PillarCells:
    """A tier's pillar figures as text, per (row, pillar), HTML-escaped."""

    share: list[list[str]]  # the pillar's points as a share of its maximum: ``75%``
    points: list[list[str]]  # ``75,4 / 100,0``
    level: list[list[str]]  # the level cell (swatch and name)
    rank: list[list[str]]  # ``12/3.321``, or a dash


@per_analysis
def pillar_cells(fw: Framework, ta: TierAnalysis, lang: str) -> PillarCells:
    """The pillar cells of ``ta`` in ``lang``."""
    r = ta.result
    n, m = r.pillar_points.shape

    def grid(flat: Sequence[str]) -> list[list[str]]:
        return [list(flat[i * m : (i + 1) * m]) for i in range(n)]

    share = [s + "%" if s != DASH else s for s in format_array(ta.pillar_share * 100, lang, 0)]
    points = format_array(r.pillar_points, lang, 1)
    maxima = format_array(r.pillar_max, lang, 1)
    levels = {lv: level_cell(fw, lv, lang) for lv in range(len(fw.manifest.levels) + 1)}
    peers = format_array(ta.pillar_peers.astype(np.float64), lang, 0)
    ranks = format_array(ta.pillar_rank.astype(np.float64), lang, 0)
    alone = (ta.pillar_peers <= 1).tolist()  # a rank among one reads as first place
    rank_text = [
        f"{ranks[pos]}/{peers[pos % m]}" if rank and not alone[pos % m] else DASH
        for pos, rank in enumerate(ta.pillar_rank.ravel().tolist())
    ]
    cells = PillarCells(
        share=grid(share),
        points=grid([f"{a} / {b}" for a, b in zip(points, maxima, strict=True)]),
        level=grid([levels[lv] for lv in r.pillar_level.ravel().tolist()]),
        rank=grid(rank_text),
    )
    return cells
