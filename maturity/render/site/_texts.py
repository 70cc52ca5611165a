"""The framework's own texts (names, units, remediation) in one language, picked once per
framework and language: a national site shows them about half a million times."""

from __future__ import annotations

from dataclasses import dataclass

from maturity.render.site._core import Framework, pick, t
from maturity.render.site._format import DASH, h, num, value


@dataclass(frozen=True)
class FrameworkTexts:
    lang: str
    indicator_name: dict[str, str]
    indicator_unit: dict[str, str]
    remediation: dict[str, str]
    effort: dict[str, str]  # indicator id -> effort key
    binary: frozenset[str]  # yes/no indicators, shown as words
    pillar_name: dict[str, str]
    input_label: dict[str, str]
    input_unit: dict[str, str]
    legal: dict[str, str]
    # the same, as HTML ready for a table cell (escaped once here)
    indicator_cell: dict[str, str]  # '<span class="id">ID</span> name'
    remediation_cell: dict[str, str]  # the advice and its effort
    legal_cell: dict[str, str]

    def shown(self, indicator_id: str, x: float | None, yes: str, no: str) -> str:
        """An indicator's value as a person reads it: yes/no words, or the number and unit."""
        if x is None:
            return DASH
        if indicator_id in self.binary:
            return yes if x != 0 else no
        return value(x, self.lang, self.indicator_unit[indicator_id])

    def input_value(self, input_id: str, x: float) -> str:
        return value(x, self.lang, self.input_unit.get(input_id, ""))

    def points(self, x: float | None) -> str:
        return num(x, self.lang, 1)


_CACHE: dict[tuple[int, str], tuple[Framework, FrameworkTexts]] = {}


def framework_texts(fw: Framework, lang: str) -> FrameworkTexts:
    """The texts of ``fw`` in ``lang`` (kept while the framework lives; the entry holds the
    framework, so its id cannot be reused by another meanwhile)."""
    key = (id(fw), lang)
    found = _CACHE.get(key)
    if found is not None and found[0] is fw:
        return found[1]
    effort = {key: t(f"report.effort.{key}", lang=lang) for key in ("low", "medium", "high")}
    names = {i.id: pick(i.name, lang) for i in fw.indicators}
    advice = {i.id: pick(i.remediation, lang) for i in fw.indicators}
    legal = {i.id: "; ".join(i.legal_basis) for i in fw.indicators}
    texts = FrameworkTexts(
        lang=lang,
        indicator_name=names,
        indicator_unit={i.id: pick(i.unit, lang) for i in fw.indicators},
        remediation=advice,
        effort={i.id: i.remediation.effort for i in fw.indicators},
        binary=frozenset(i.id for i in fw.indicators if i.method == "binary"),
        pillar_name={pid: pick(node.model.name, lang) for pid, node in fw.pillars.items()},
        input_label={k: pick(v.label, lang) for k, v in fw.inputs.items()},
        input_unit={k: pick(v.unit, lang) if v.unit else "" for k, v in fw.inputs.items()},
        legal=legal,
        indicator_cell={k: f'<span class="id">{h(k)}</span> {h(v)}' for k, v in names.items()},
        remediation_cell={
            i.id: f'{h(advice[i.id])} <span class="effort">'
            f"({h(effort[i.remediation.effort])})</span>"
            for i in fw.indicators
        },
        legal_cell={k: h(v) for k, v in legal.items()},
    )
    _CACHE[key] = (fw, texts)
    return texts
