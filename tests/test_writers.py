"""The output layer: a new format is one writer and one registry entry, and every command
whose documents it can write offers it at once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from maturity.cli import main
from maturity.render.document import (
    Block,
    Bullets,
    Document,
    Heading,
    Headline,
    Only,
    Paragraph,
    Preformatted,
    Table,
    Title,
)
from maturity.render.writers import WRITERS, Options, register, write
from maturity.render.writers.text import shown

MINI = ["-f", "tests/fixtures/mini/framework.yaml", "tests/fixtures/mini/submissions/batch.csv"]


def plain_lines(doc: Document, options: Options) -> str:
    """A trivial writer: every text of the document on a line of its own, tables as cells
    joined by ' | '."""
    out: list[str] = []
    for block in shown(doc, "lines"):
        if isinstance(block, Headline):
            out += [str(block.title), *map(str, block.facts)]
        elif isinstance(block, Title | Heading | Paragraph):
            out.append(str(block.text))
        elif isinstance(block, Bullets):
            out += map(str, block.items)
        elif isinstance(block, Table):
            out.append(" | ".join(map(str, block.headers)))
            out += [" | ".join(map(str, row)) for row in block.rows]
        else:
            out += block.lines
    return "\n".join(out) + "\n"


@pytest.fixture
def lines_format() -> Iterator[None]:
    register("lines", plain_lines)
    yield
    del WRITERS["lines"]


def test_a_writer_registered_is_a_format_of_the_library(lines_format: None) -> None:
    doc = Document([Headline("t", ["a", "b"]), Table(["x", "y"], [[1, 2]])], data={"k": 1})
    assert write(doc, "lines") == "t\na\nb\nx | y\n1 | 2\n"
    assert write(doc, "json") == '{\n  "k": 1\n}\n'


def test_a_writer_registered_is_a_format_of_the_command_line(lines_format: None) -> None:
    result = CliRunner().invoke(main, ["score", *MINI, "--format", "lines"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:2] == [
        "Small test framework (1.0)",
        "5 units scored with mini 1.0; missing-data policy: zero.",
    ]
    assert any(line.startswith("Tier | Rank | Id | Name") for line in lines)
    assert any(line.startswith("province | 1 | P1 | Tỉnh Một") for line in lines)
    help_text = CliRunner().invoke(main, ["score", "--help"]).stdout
    assert "lines" in help_text


def test_blocks_only_some_formats_show() -> None:
    doc = Document([Only(frozenset({"markdown"}), Title("T")), Paragraph("p")])
    assert write(doc, "table") == "p\n"
    assert write(doc, "markdown") == "# T\n\np\n"


def test_every_block_in_text_and_markdown() -> None:
    doc = Document(
        [
            Headline("Head", ["fact"]),
            Heading("Sub", 3),
            Bullets(["one", "two"]),
            Table(["a|b"], [["x|y"]], empty="none"),
            Table(["a"], [], empty="none"),
            Preformatted(["  kept  "]),
        ]
    )
    assert write(doc, "markdown") == (
        "# Head\n\n- fact\n\n### Sub\n\n- one\n- two\n\n| a\\|b   |\n|--------|\n| x\\|y   |"
        "\n\nnone\n\n  kept  \n"
    )
    assert (
        write(doc, "table")
        == "Head\nfact\n\nSub\n\none\ntwo\n\na|b\n-----\nx|y\n\nnone\n\n  kept  \n"
    )


def test_a_document_is_built_only_as_far_as_a_writer_asks() -> None:
    calls: list[str] = []

    def data() -> dict[str, int]:
        calls.append("data")
        return {"n": 1}

    def blocks() -> list[Block | Only]:
        calls.append("blocks")
        return [Paragraph("p")]

    doc = Document(blocks, data=data)
    write(doc, "table")
    assert calls == ["blocks"]
    write(doc, "json")
    write(doc, "json")
    assert calls == ["blocks", "data"]


def test_json_lines_are_streamed_with_the_same_text() -> None:
    """The JSON writer's chunks make the text it always wrote: an empty list as ``[]``,
    items one per line, a generator of items as a list."""
    from maturity.render.document import Document
    from maturity.render.writers import stream, write

    items = [{"id": str(i), "score": i / 3} for i in range(600)]
    doc = Document(
        data={"units": items, "diagnostics": [], "n": {"a": 1}}, json_lines=("units", "diagnostics")
    )
    text = write(doc, "json")
    assert text.startswith('{\n  "units": [\n    {"id":"0","score":0.0},\n    {"id":"1",')
    assert '  ],\n  "diagnostics": [],\n  "n": {\n    "a": 1\n  }\n}\n' in text
    chunks = stream(doc, "json")
    assert not isinstance(chunks, bytes)
    assert "".join(chunks) == text
    lazy = Document(
        data={"units": iter(items), "diagnostics": [], "n": {"a": 1}},
        json_lines=("units", "diagnostics"),
    )
    assert write(lazy, "json") == text
    assert write(Document(data={}, json_lines=("units",)), "json") == "{\n\n}\n"


def test_csv_is_streamed_in_chunks_with_the_same_text() -> None:
    from maturity.render.document import Document, Records
    from maturity.render.writers import stream, write

    rows = [[str(i), f"a,{i}", ""] for i in range(1500)]
    doc = Document(records=Records(["id", "name", "x"], rows))
    chunks = stream(doc, "csv")
    assert not isinstance(chunks, bytes)
    parts = list(chunks)
    assert len(parts) == 3
    assert "".join(parts) == write(doc, "csv")
    assert parts[0].startswith('id,name,x\n0,"a,0",\n1,"a,1",\n')
    assert write(Document(records=Records(["id"], [])), "csv") == "id\n"
