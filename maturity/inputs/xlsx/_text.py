"""Messages kept as a code and arguments, rendered into a language only when shown; and
numbers inside texts in the language's convention (:func:`number_text`).

An argument may itself be a :class:`Text` (a part of a sentence that has its own code), so
the whole message renders in one language, whichever is chosen at the edge.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from maturity.inputs.xlsx._core import language, t


@dataclass(frozen=True)
class Text:
    """A message code and its arguments.

    >>> import maturity.inputs.xlsx
    >>> Text("xlsx.merged", {"range": "F14:G14", "cell": "Inputs!F14"}).render("en")
    'cells F14:G14 are merged: only Inputs!F14 is read. Unmerge them.'
    """

    code: str
    args: Mapping[str, Any] = field(default_factory=dict)

    def render(self, lang: str | None = None) -> str:
        return render(self.code, self.args, lang)

    def __format__(self, spec: str) -> str:  # inside another message: the current language
        return format(self.render(), spec)


@dataclass(frozen=True)
class Words:
    """A text of the rule files (a label, a name) as a message argument, in both languages."""

    vi: str
    en: str

    def render(self, lang: str | None = None) -> str:
        return self.vi if (lang or language()) == "vi" else self.en

    def __format__(self, spec: str) -> str:
        return format(self.render(), spec)


def render(code: str, args: Mapping[str, Any], lang: str | None = None) -> str:
    """Message ``code`` in ``lang`` (default: the current language), nested texts first."""
    plain = {k: v.render(lang) if isinstance(v, (Text, Words)) else v for k, v in args.items()}
    return t(code, lang, **plain)


def number_text(x: float | None, digits: int = 2) -> str:
    """A number inside a sentence, in the current language's convention, trailing zeros
    dropped (vi: ``1.234,5``; en: ``1,234.5``).

    >>> number_text(1234.5)
    '1,234.5'
    >>> from maturity.inputs.xlsx._core import set_language
    >>> set_language("vi"); number_text(1234.5), number_text(1000.0); set_language("en")
    ('1.234,5', '1.000')
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    text = f"{x:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if language() == "vi":
        text = text.translate(str.maketrans(",.", ".,"))
    return text
