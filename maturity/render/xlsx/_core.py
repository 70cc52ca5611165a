"""The Excel writers' door into the layers below them: what the reader's door offers, and the
render layer's documents and template texts."""

from __future__ import annotations

from maturity.analysis.explain import Explanation
from maturity.inputs.xlsx._core import (
    ENGINE_VERSION,
    Framework,
    Indicator,
    Input,
    Registry,
    TemplateInput,
    Unit,
    UsageError,
    language,
    pick,
    t,
    template_inputs,
)
from maturity.render.explain import explanation_document
from maturity.render.results import results_document
from maturity.render.template import _checked_by_text as checked_by_text
from maturity.render.template import _choices as input_choices
from maturity.render.template import _lines as text_lines
from maturity.render.template import _pillar_heading as pillar_heading
from maturity.render.template import _tier_name as tier_name
from maturity.render.template import _used_by_text as used_by_text
from maturity.scoring.results import Results

__all__ = [
    "ENGINE_VERSION",
    "Explanation",
    "Framework",
    "Indicator",
    "Input",
    "Registry",
    "Results",
    "TemplateInput",
    "Unit",
    "UsageError",
    "checked_by_text",
    "explanation_document",
    "input_choices",
    "language",
    "pick",
    "pillar_heading",
    "results_document",
    "t",
    "template_inputs",
    "text_lines",
    "tier_name",
    "used_by_text",
]
