"""Every text table goes through :func:`grid`: tabulate, with each cell made safe for the
format (a ``|`` inside a Markdown cell would end it and shift the row; a line break would
break any table)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from tabulate import tabulate, tabulate_formats

TABLE_STYLES: tuple[str, ...] = tuple(tabulate_formats)


def _cell(value: Any, markdown: bool) -> Any:
    if not isinstance(value, str):
        return value
    text = " ".join(value.splitlines()) if "\n" in value or "\r" in value else value
    return text.replace("|", "\\|") if markdown else text


def grid(
    rows: Iterable[Sequence[Any]],
    headers: Sequence[str] = (),
    tablefmt: str = "simple",
    **kw: Any,
) -> str:
    """A table in ``tablefmt`` (a tabulate format; ``github`` for Markdown).

    >>> print(grid([["a|b", "c\\nd"]], ["x", "y"], "github"))
    | x    | y   |
    |------|-----|
    | a\\|b | c d |
    """
    markdown = tablefmt in ("github", "pipe")
    safe = [[_cell(v, markdown) for v in row] for row in rows]
    heads = [_cell(h, markdown) for h in headers]
    kw.setdefault("disable_numparse", True)
    return tabulate(safe, headers=heads, tablefmt=tablefmt, **kw)
