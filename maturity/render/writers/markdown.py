"""The Markdown writer: ``#`` for the title, ``##`` for headings, GitHub tables (cells made
safe for Markdown), bullets for a headline's facts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from maturity.render.document import Block, Bullets, Document, Heading, Headline, Table, Title
from maturity.render.grid import grid
from maturity.render.writers.text import block_lines, shown

if TYPE_CHECKING:
    from maturity.render.writers import Options

NAME = "markdown"


def _block(block: Block) -> str:
    if isinstance(block, Headline):
        facts = "\n".join(f"- {f}" for f in block.facts)
        return f"# {block.title}" + (f"\n\n{facts}" if facts else "")
    if isinstance(block, Title):
        return f"# {block.text}"
    if isinstance(block, Heading):
        return f"{'#' * block.level} {block.text}"
    if isinstance(block, Bullets):
        return "\n".join(f"- {item}" for item in block.items)
    if isinstance(block, Table) and (block.rows or block.empty is None):
        return grid(block.rows, [str(h) for h in block.headers], "github")
    return "\n".join(block_lines(block, "github"))


def write(doc: Document, options: Options) -> str:
    return "\n\n".join(_block(b) for b in shown(doc, NAME)) + "\n"
