"""The JSON Schema of a submission file for one framework (its inputs, their kinds and units),
as ``maturity schema`` prints it for editors and other tools."""

from __future__ import annotations

from typing import Any

from maturity.framework.compiled import Framework
from maturity.framework.shape import SCHEMA_DIALECT
from maturity.i18n import pick


def _text_form(kind: str) -> dict[str, Any]:
    """The text a person may type for an input of ``kind``: a number as written (grouped, with
    a decimal comma, a percent sign), or a yes/no word (both languages)."""
    if kind == "boolean":
        from maturity.framework.vocabulary import FALSE_WORDS, TRUE_WORDS

        words = sorted(TRUE_WORDS | FALSE_WORDS)
        return {"type": "string", "enum": sorted({*words, *(w.capitalize() for w in words)})}
    return {"type": "string", "pattern": r"^\s*[+-]?[0-9][0-9., \u00a0]*%?\s*$", "maxLength": 64}


def submission_schema(fw: Framework) -> dict[str, Any]:
    """The schema of one unit's submission file for ``fw``: every input with its type,
    range and label, so an editor can complete and check a submission as it is typed."""
    props: dict[str, Any] = {}
    for inp in sorted(fw.inputs.values(), key=lambda i: i.id):
        spec: dict[str, Any] = {"title": pick(inp.label, "vi") + " / " + pick(inp.label, "en")}
        if inp.type == "boolean":
            spec["type"] = ["boolean", "integer"]
            spec["enum"] = [True, False, 0, 1]
        elif inp.type in ("integer", "ordinal"):
            spec["type"] = "integer"
        else:
            spec["type"] = "number"
        if inp.type != "boolean":
            if inp.min is not None:
                spec["minimum"] = inp.min
            if inp.max is not None:
                spec["maximum"] = inp.max
            if inp.type == "ordinal" and inp.choices:
                spec["enum"] = [int(k) for k in sorted(inp.choices, key=int)]
        spec["description"] = (
            f"tiers: {', '.join(inp.tiers)}"
            + (f"; unit: {pick(inp.unit, 'en')}" if inp.unit else "")
            + "; empty (null) = not submitted"
        )
        # a blank value is allowed: it means "no data", as in the templates
        types = spec["type"] if isinstance(spec["type"], list) else [spec["type"]]
        spec["type"] = [*types, "null"]
        if "enum" in spec:
            spec["enum"] = [*spec["enum"], None]
        # or text as typed (94,5; có; 75%), which the reader judges by the stated locale
        props[inp.id] = {"anyOf": [spec, _text_form(inp.type)]}
    na_ids = sorted(ind.id for ind in fw.indicators if ind.not_applicable)
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": f"https://maturity.dev/schema/submission/{fw.id}.json",
        "title": f"maturity submission for {fw.id} {fw.version}",
        "type": "object",
        "required": ["unit"],
        "additionalProperties": False,
        "properties": {
            "unit": {"type": "string", "description": "unit id from the registry"},
            "period": {"type": "string"},
            "framework": {"type": "string", "const": fw.id},
            "name": {"type": "string"},
            "tier": {"type": "string"},
            "notes": {"type": "string"},
            "locale": {
                "type": "string",
                "description": "how numbers are written: vi (1.234,5) or en (1,234.5)",
                "enum": ["vi", "vi-VN", "en", "en-US", "en-GB"],
            },
            "decimal_mark": {"type": "string", "enum": [",", "."]},
            "values": {"type": "object", "properties": props, "additionalProperties": False},
            "not_applicable": {
                "type": "object",
                "propertyNames": {"enum": na_ids} if na_ids else {"not": {}},
                "additionalProperties": {"type": "string"},
            },
            "evidence": {"type": "object", "additionalProperties": {"type": "string"}},
        },
    }
