"""Template tags of the pages: ``{% t "page.save" %}`` renders a catalogue text in the
page's language; ``{{ x|num }}`` a number as people of that language write it."""

from __future__ import annotations

from typing import Any

from django import template

from maturity.web import engine
from maturity.web.messages import msg, request_language

register = template.Library()


@register.simple_tag
def t(code: str, /, **kw: Any) -> str:
    return msg(code, **kw)


@register.filter
def num(x: Any) -> str:
    if isinstance(x, bool) or not isinstance(x, int | float):
        return "" if x is None else str(x)
    return engine.shown_number(float(x), request_language())


@register.filter
def get(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def score(x: Any) -> str:
    if isinstance(x, bool) or not isinstance(x, int | float):
        return ""
    return engine.shown_score(float(x), request_language())


@register.filter
def get_done(steps: Any, index: int) -> int:
    return int(steps[index]["done"])


@register.filter
def get_total(steps: Any, index: int) -> int:
    return int(steps[index]["total"])
