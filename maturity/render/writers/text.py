"""The terminal writer (``--format table``): blocks one after the other, a blank line
between them, tables drawn by tabulate in the chosen style."""

from __future__ import annotations

from typing import TYPE_CHECKING

from maturity.render.document import (
    Block,
    Bullets,
    Document,
    Heading,
    Headline,
    Only,
    Paragraph,
    Table,
    Title,
)
from maturity.render.grid import grid

if TYPE_CHECKING:
    from maturity.render.writers import Options

NAME = "table"


def shown(doc: Document, name: str) -> list[Block]:
    """The blocks a writer called ``name`` shows."""
    out: list[Block] = []
    for block in doc.blocks:
        if isinstance(block, Only):
            if name in block.formats:
                out.append(block.block)
        else:
            out.append(block)
    return out


def block_lines(block: Block, tablefmt: str) -> list[str]:
    if isinstance(block, Headline):
        return [str(block.title), *(str(f) for f in block.facts)]
    if isinstance(block, Title | Heading | Paragraph):
        return [str(block.text)]
    if isinstance(block, Bullets):
        return [str(item) for item in block.items]
    if isinstance(block, Table):
        if not block.rows and block.empty is not None:
            return [str(block.empty)]
        return [grid(block.rows, [str(h) for h in block.headers], tablefmt)]
    return list(block.lines)


def write(doc: Document, options: Options) -> str:
    parts = ["\n".join(block_lines(b, options.tablefmt)) for b in shown(doc, NAME)]
    return "\n\n".join(parts) + "\n"
