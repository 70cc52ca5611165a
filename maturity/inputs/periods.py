"""Reporting periods: one sortable form, read from the ways people write them.

The canonical forms (``docs/rounds.md``) sort as text within a year and by :func:`sort_key`
across kinds:

==========  =============================  ======================================
form        meaning                        also read from
==========  =============================  ======================================
``2025``    the year                       ``Năm 2025``, ``năm 2025``, ``FY2025``
``2025-H1`` first half                     ``6 tháng đầu năm 2025``, ``H1/2025``, ``2025H1``
``2025-H2`` second half                    ``6 tháng cuối năm 2025``, ``H2 2025``
``2025-Q3`` third quarter                  ``Quý III/2025``, ``Quý 3 năm 2025``, ``Q3/2025``
``2025-07`` July                           ``Tháng 7/2025``, ``07/2025``, ``2025/07``
==========  =============================  ======================================

A period in no known form is kept exactly as written (and said once); an empty period is
"unspecified".
"""

from __future__ import annotations

import re

_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
_YEAR = r"((?:19|20)\d{2})"
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"^(?:năm|nam|fy|year)?\s*{_YEAR}$"), "year"),
    (re.compile(rf"^{_YEAR}\s*[-/ ]?\s*h([12])$"), "half_yh"),
    (re.compile(rf"^h([12])\s*[-/ ]?\s*{_YEAR}$"), "half_hy"),
    (re.compile(rf"^6\s*tháng\s*(đầu|cuối|dau|cuoi)\s*(?:năm|nam)?\s*{_YEAR}$"), "half_vi"),
    (re.compile(rf"^{_YEAR}\s*[-/ ]?\s*q([1-4])$"), "quarter_yq"),
    (re.compile(rf"^q([1-4])\s*[-/ ]?\s*{_YEAR}$"), "quarter_qy"),
    (
        re.compile(rf"^(?:quý|quy)\s*(iv|iii|ii|i|[1-4])\s*(?:/|-|năm|nam|\s)\s*{_YEAR}$"),
        "quarter_vi",
    ),
    (re.compile(rf"^{_YEAR}\s*[-/]\s*(0?[1-9]|1[0-2])$"), "month_ym"),
    (
        re.compile(rf"^(?:tháng|thang)?\s*(0?[1-9]|1[0-2])\s*(?:/|-|năm|nam)\s*{_YEAR}$"),
        "month_my",
    ),
)
CANONICAL = re.compile(r"^(?:19|20)\d{2}(?:-(?:H[12]|Q[1-4]|0[1-9]|1[0-2]))?$")


def normalise(text: str) -> tuple[str, bool]:
    """The canonical form of a period, and whether it was recognised.

    >>> normalise("Quý III/2025"), normalise("6 tháng đầu năm 2025"), normalise("2025")
    (('2025-Q3', True), ('2025-H1', True), ('2025', True))
    >>> normalise("Tháng 7/2025"), normalise("q4 2024"), normalise("round one")
    (('2025-07', True), ('2024-Q4', True), ('round one', False))
    """
    raw = " ".join(text.strip().split())
    if not raw or CANONICAL.match(raw):
        return raw, True
    low = raw.lower()
    for pattern, kind in _PATTERNS:
        m = pattern.match(low)
        if m is None:
            continue
        g = m.groups()
        if kind == "year":
            return g[0], True
        if kind == "half_yh":
            return f"{g[0]}-H{g[1]}", True
        if kind == "half_hy":
            return f"{g[1]}-H{g[0]}", True
        if kind == "half_vi":
            return f"{g[1]}-H{1 if g[0] in ('đầu', 'dau') else 2}", True
        if kind == "quarter_yq":
            return f"{g[0]}-Q{g[1]}", True
        if kind == "quarter_qy":
            return f"{g[1]}-Q{g[0]}", True
        if kind == "quarter_vi":
            quarter = _ROMAN.get(g[0].upper()) or int(g[0])
            return f"{g[1]}-Q{quarter}", True
        if kind == "month_ym":
            return f"{g[0]}-{int(g[1]):02d}", True
        return f"{g[1]}-{int(g[0]):02d}", True
    return raw, False


def sort_key(period: str) -> tuple[int, int, int, str]:
    """Periods in time order: by year, then by when the period ends (a year after its
    quarters), unknown forms last, in text order.

    >>> sorted(["2025", "2025-Q3", "2024-H2", "2025-H1", "2025-07", "x"], key=sort_key)
    ['2024-H2', '2025-H1', '2025-07', '2025-Q3', '2025', 'x']
    """
    if not CANONICAL.match(period):
        return (9999, 99, 99, period)
    year = int(period[:4])
    rest = period[5:]
    if not rest:
        return (year, 12, 3, period)
    if rest[0] == "H":
        return (year, 6 * int(rest[1]), 2, period)
    if rest[0] == "Q":
        return (year, 3 * int(rest[1]), 1, period)
    return (year, int(rest), 0, period)
