"""The one number policy: how a number is shown to people in each language.

English groups thousands with ``,`` and marks decimals with ``.`` (``1,234.5``); Vietnamese
the other way round (``1.234,5``), as Vietnamese documents and spreadsheets write them.
Machine outputs (JSON, CSV for machines) never go through here: they stay locale-free.
"""

from __future__ import annotations

import math

from maturity.i18n import language


def number(
    x: float | None, digits: int = 2, lang: str | None = None, *, fixed: bool = False
) -> str:
    """A number for people, grouped by thousands: whole numbers without decimals, others to
    ``digits`` decimals with trailing zeros dropped (``fixed``: always ``digits`` decimals,
    as a score column shows them); ``—`` for no number.

    >>> number(76000.0), number(49.53573), number(None), number(-0.0)
    ('76,000', '49.54', '—', '0')
    >>> number(1234.5, lang="vi"), number(76000, lang="vi"), number(858.4, fixed=True, lang="vi")
    ('1.234,5', '76.000', '858,40')
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    if fixed:
        text = f"{x:,.{digits}f}"
        return _localised(
            "0" + text[2:] if text.startswith("-0") and float(text) == 0 else text, lang
        )
    whole = float(x).is_integer()
    text = f"{int(x):,}" if whole else f"{x:,.{digits}f}".rstrip("0").rstrip(".")
    if text in ("-0", "−0"):
        text = "0"
    return _localised(text, lang)


def signed(x: float | None, digits: int = 2, lang: str | None = None) -> str:
    """A change with its sign, to ``digits`` decimals: ``+12.50``, ``-3.00``, ``0.00``.

    >>> signed(12.5), signed(-3), signed(0.0), signed(-1234.5, lang="vi"), signed(None)
    ('+12.50', '-3.00', '0.00', '-1.234,50', '—')
    """
    if x is None or math.isnan(x):
        return "—"
    text = number(abs(x), digits, lang, fixed=True)
    if not float(f"{abs(x):.{digits}f}"):
        return text
    return ("+" if x > 0 else "-") + text


def percent(share: float | None, digits: int = 0, lang: str | None = None) -> str:
    """A share in [0, 1] as a percentage: ``98%`` (``98,5%`` in Vietnamese).

    >>> percent(0.9849), percent(0.9849, 1, lang="vi"), percent(None)
    ('98%', '98,5%', '—')
    """
    if share is None or math.isnan(share):
        return "—"
    return _localised(f"{share * 100:,.{digits}f}%", lang)


def _localised(text: str, lang: str | None) -> str:
    return text.translate(_VI) if (lang or language()) == "vi" else text


_VI = str.maketrans({",": ".", ".": ","})
