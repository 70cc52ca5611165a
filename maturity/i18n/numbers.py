"""The one number policy: how a number is shown to people in each language.

English groups thousands with ``,`` and marks decimals with ``.`` (``1,234.5``); Vietnamese
the other way round (``1.234,5``), as Vietnamese documents and spreadsheets write them.
Machine outputs (JSON, CSV for machines) never go through here: they stay locale-free.
"""

from __future__ import annotations

import math

from maturity.i18n import language


def number(x: float | None, digits: int = 2, lang: str | None = None) -> str:
    """A number for people: whole numbers without decimals, others to ``digits`` decimals
    with trailing zeros dropped, grouped by thousands; ``—`` for no number.

    >>> number(76000.0), number(49.53573), number(None), number(-0.0)
    ('76,000', '49.54', '—', '0')
    >>> number(1234.5, lang="vi"), number(76000, lang="vi")
    ('1.234,5', '76.000')
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    whole = float(x).is_integer()
    text = f"{int(x):,}" if whole else f"{x:,.{digits}f}".rstrip("0").rstrip(".")
    if text in ("-0", "−0"):
        text = "0"
    if (lang or language()) == "vi":
        text = text.translate(_VI)
    return text


_VI = str.maketrans({",": ".", ".": ","})
