"""Numbers for people, in the convention of the page's language (vi ``1.234,5``; en
``1,234.5``), and the few HTML helpers every page uses.

The core library will get one number policy (issue 10); until then this is the report's own,
and the only place a page turns a number into text.
"""

from __future__ import annotations

import math
from html import escape
from typing import Any

_VI = str.maketrans({",": ".", ".": ","})
DASH = "—"


def num(x: float | None, lang: str, digits: int = 1, *, trim: bool = False) -> str:
    """``x`` grouped by thousands with ``digits`` decimals; ``trim`` drops trailing zeros.

    >>> num(1234.5, "vi"), num(1234.5, "en"), num(-0.04, "en"), num(None, "vi")
    ('1.234,5', '1,234.5', '0.0', '—')
    >>> num(78077.0, "vi", 2, trim=True), num(49.5357, "en", 2, trim=True)
    ('78.077', '49.54')
    """
    if x is None or not math.isfinite(x):
        return DASH
    value = round(float(x), digits) + 0.0  # + 0.0: no "-0.0"
    text = f"{value:,.{digits}f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    if value < 0:
        text = "−" + text[1:]  # a real minus sign
    return text.translate(_VI) if lang == "vi" else text


def integer(x: float | int | None, lang: str) -> str:
    """A count: ``3.321`` (vi), ``3,321`` (en)."""
    return num(None if x is None else float(x), lang, 0)


def pct(share: float | None, lang: str, digits: int = 0) -> str:
    """A share of 1 as a percentage: ``61,2%`` (vi), ``61.2%`` (en).

    >>> pct(0.6123, "vi", 1), pct(None, "en")
    ('61,2%', '—')
    """
    if share is None or not math.isfinite(share):
        return DASH
    return num(share * 100, lang, digits) + "%"


def signed(x: float | None, lang: str, digits: int = 1, *, trim: bool = False) -> str:
    """A change with its sign: ``+3,2``, ``−1,0``, ``±0``.

    >>> signed(3.24, "vi"), signed(-1.0, "en", 0), signed(0.01, "en")
    ('+3,2', '−1', '±0.0')
    >>> signed(725.0, "vi", 2, trim=True)
    '+725'

    """
    if x is None or not math.isfinite(x):
        return DASH
    text = num(x, lang, digits, trim=trim)
    if round(x, digits) == 0:
        return "±" + text
    return text if text.startswith("−") else "+" + text


def value(x: float | None, lang: str, unit: str = "") -> str:
    """An indicator or input value with up to two decimals and its unit.

    >>> value(49.5357, "vi", "%"), value(1713.0, "en", "services"), value(None, "en", "%")
    ('49,54%', '1,713 services', '—')
    """
    text = num(x, lang, 2, trim=True)
    if text == DASH or not unit:
        return text
    return text + unit if unit == "%" else f"{text} {unit}"


def h(text: Any) -> str:
    """Escape text for HTML (quotes too, so it is safe inside attributes)."""
    return escape(str(text), quote=True)


def attrs(**items: str | int | float | None) -> str:
    """HTML attributes from keywords (``class_`` for ``class``, ``_`` for ``-``); ``None``
    leaves an attribute out.

    >>> attrs(class_="bar", aria_label="a < b", hidden=None)
    ' class="bar" aria-label="a &lt; b"'
    """
    out = []
    for key, val in items.items():
        if val is None:
            continue
        name = key.rstrip("_").replace("_", "-")
        out.append(f' {name}="{h(val)}"')
    return "".join(out)


def table(
    caption: str,
    headers: list[str],
    rows: list[list[str]],
    *,
    numeric: frozenset[int] = frozenset(),
    wide: frozenset[int] = frozenset(),
    row_header: int | None = 0,
    class_: str = "",
    empty: str = "",
) -> str:
    """A data table: a caption, column headers (``th scope=col``), and the cells of each row
    (already HTML); column ``row_header`` holds the row's header cell (``th scope=row``).
    Columns in ``numeric`` are right-aligned, those in ``wide`` (long texts) get room. With
    no rows, the ``empty`` note instead."""
    if not rows:
        return f'<p class="empty">{h(empty)}</p>' if empty else ""
    cls = " ".join(c for c in ("data", class_) if c)

    def cls_of(i: int) -> str:
        return " class=num" if i in numeric else " class=wide" if i in wide else ""

    head = "".join(f"<th scope=col{cls_of(i)}>{h(text)}</th>" for i, text in enumerate(headers))
    # one template per table, one format call per row: a national site has 200,000 rows
    width = max(len(headers), *(len(row) for row in rows))
    cells = "".join(
        (
            f"<th scope=row{cls_of(i)}>{{{i}}}</th>"
            if i == row_header
            else f"<td{cls_of(i)}>{{{i}}}</td>"
        )
        for i in range(width)
    )
    row_template = f"<tr>{cells}</tr>".format
    body = "".join([row_template(*row, *[""] * (width - len(row))) for row in rows])
    label = h(caption)
    return (
        f'<div class="scroll" role="region" aria-label="{label}" tabindex="0">'
        f'<table class="{cls}"><caption>{label}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )
