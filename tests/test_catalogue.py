"""The methodology catalogue in docs/ is generated from the rules, never written twice; and
the message catalogue: both languages for every code with the same placeholders, every code
used defined, the glossary's forbidden words nowhere (docs/glossary.md), and no English
literal reaching a person from outside the catalogues."""

from __future__ import annotations

import ast
import json
import re
import string
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

import maturity.inputs.xlsx._messages
import maturity.render.site._messages  # noqa: F401  (registers the report.* codes)
from maturity.cli import main
from maturity.i18n.catalogue import MESSAGES

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_docs_catalogue_matches_the_rules(lang: str) -> None:
    result = CliRunner().invoke(main, ["indicators", "--format", "markdown", "--lang", lang])
    assert result.exit_code == 0, result.output
    committed = (ROOT / "docs" / f"catalogue.{lang}.md").read_text(encoding="utf-8")
    assert result.stdout == committed, (
        f"docs/catalogue.{lang}.md is stale: regenerate it with "
        f"`maturity indicators --format markdown --lang {lang} -o docs/catalogue.{lang}.md`"
    )


def test_national_catalogue_size_and_languages() -> None:
    result = CliRunner().invoke(main, ["indicators", "--format", "json"])
    doc = json.loads(result.stdout)
    indicators = doc["indicators"]
    assert len(indicators) >= 80
    assert sum("commune" in ind["tiers"] for ind in indicators) >= 40
    assert all(ind["names"]["vi"] and ind["names"]["en"] for ind in indicators)
    assert len({ind["id"] for ind in indicators}) == len(indicators)


@pytest.mark.parametrize(
    ("kind", "file"),
    [
        ("framework", "framework.schema.json"),
        ("rules", "rules.schema.json"),
        ("result", "result.schema.json"),
        ("submission", "submission.vn-2tier.schema.json"),
    ],
)
def test_committed_schemas_match_the_models(kind: str, file: str) -> None:
    result = CliRunner().invoke(main, ["schema", kind])
    assert result.exit_code == 0, result.output
    committed = (ROOT / "docs" / "schemas" / file).read_text(encoding="utf-8")
    assert result.stdout == committed, (
        f"regenerate with `maturity schema {kind} > docs/schemas/{file}`"
    )


# --------------------------------------------------------------------------- the messages
#
# The engine's one message catalogue (code -> (English, Vietnamese)), with the report's and
# the Excel package's texts registered into it. docs/glossary.md fixes the Vietnamese terms.

PACKAGE = ROOT / "maturity"
CATALOGUES = {"catalogue.py", "_messages.py"}


def _placeholders(template: str) -> list[str]:
    """The ``{name}`` fields (str.format) and ``%(name)s`` fields (click's own) of a text."""
    fields = [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
    return sorted({*fields, *re.findall(r"%\((\w+)\)[sd]", template)})


def test_every_code_has_both_languages_with_the_same_placeholders() -> None:
    wrong = []
    for code, (en, vi) in MESSAGES.items():
        if bool(en.strip()) != bool(vi.strip()):  # "lbl.no" is empty in both, on purpose
            wrong.append(f"{code}: one language is empty")
        elif _placeholders(en) != _placeholders(vi):
            wrong.append(
                f"{code}: {_placeholders(en)} in English, {_placeholders(vi)} in Vietnamese"
            )
    assert not wrong, "\n".join(wrong)


def _sources() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name not in CATALOGUES:
            yield path, ast.parse(path.read_text(encoding="utf-8"))


def _docstrings(tree: ast.Module) -> set[int]:
    kinds = (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    return {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, kinds)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }


_CODE = re.compile(r"[a-z]+(?:\.[a-z0-9_]+)+")
_NOT_CODES = {
    "report.css",  # the report's asset files
    "report.js",
    "framework.digest",  # a key path of the result JSON, named in a message about it
}


def _audit_actions(tree: ast.Module) -> set[int]:
    """The platform's audit log names each action with a dotted event name
    (``record(actor, "submission.submit", ...)``): data stored in the log, not a message."""
    return {
        id(node.args[1])
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "record"
        and len(node.args) > 1
    }


def test_every_code_the_package_uses_is_defined() -> None:
    """Every code passed to ``t()``, ``msg()``, ``Problem.at()``, a translator or a
    diagnostic (any code-shaped string constant under a catalogue prefix, in ``maturity/``),
    and every f-string prefix such as ``t(f"x.col.{c}")``, is in the catalogue."""
    prefixes = {code.split(".")[0] for code in MESSAGES}
    undefined, used = [], 0
    for path, tree in _sources():
        docs = _docstrings(tree) | _audit_actions(tree)
        in_fstring: set[int] = set()
        for node in ast.walk(tree):
            if not isinstance(node, ast.JoinedStr):
                continue
            in_fstring |= {id(part) for part in node.values}
            head = node.values[0] if node.values else None
            if (
                isinstance(head, ast.Constant)
                and isinstance(head.value, str)
                and re.fullmatch(r"[a-z]+(?:\.[a-z0-9_]+)*\.", head.value)
                and head.value.split(".")[0] in prefixes
                and not any(code.startswith(head.value) for code in MESSAGES)
            ):
                undefined.append(f"{path.relative_to(ROOT)}:{node.lineno}: {head.value}…")
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docs | in_fstring
                and _CODE.fullmatch(node.value)
                and node.value.split(".")[0] in prefixes
                and node.value not in _NOT_CODES
            ):
                used += 1
                if node.value not in MESSAGES:
                    undefined.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value}")
    assert used > 500  # the scan sees the codes (t("yaml.empty"), Problem.at(..., "rule.cycle"))
    assert not undefined, "codes used but not in the catalogue:\n" + "\n".join(undefined)


# Words docs/glossary.md forbids in Vietnamese texts, and what to write instead. A match is a
# mistake whatever the context, except where the pattern itself makes room for it.
FORBIDDEN: dict[str, tuple[str, str]] = {
    # name: (pattern, write instead)
    "cổng for a gate": (
        r"\bcổng\b(?! (?:Dịch vụ công|DVCQG|thông tin điện tử|dữ liệu mở|mạng))(?!/trang)",
        "điều kiện chặn (cổng is the portal: Cổng Dịch vụ công quốc gia)",
    ),
    "Tham lam": (r"\btham lam\b", "describe the method"),
    "hạt giống": (r"\bhạt giống\b", "giá trị khởi tạo ngẫu nhiên"),
    "lô": (r"\blô\b", "đợt chấm"),
    "bản nộp": (r"\bbản nộp\b", "bản khai"),
    "chẩn đoán": (r"\bchẩn đoán\b", "lỗi và cảnh báo"),
    "danh nghĩa": (r"\bdanh nghĩa\b", "gốc; điểm tối đa theo thiết kế"),
    "dẫn xuất": (r"\bdẫn xuất\b", "giá trị trung gian"),
    "công sức": (r"\bcông sức\b", "độ khó"),
    "chính sách thiếu dữ liệu": (r"chính sách thiếu dữ liệu", "cách xử lý thiếu dữ liệu"),
    "phép thử": (r"\bphép thử\b", "kiểm thử, ca kiểm thử"),
    "dải mức": (r"\bdải mức\b", "dải điểm"),
    "đầu vào for an input": (
        r"(?<!tệp )(?<!dữ liệu )(?<!số liệu )\bđầu vào\b",
        "chỉ tiêu (an input file stays 'tệp đầu vào')",
    ),
    "one-stop centre": (
        r"bộ phận một cửa|\bT?T?PVHCC\b",
        "Trung tâm Phục vụ hành chính công (Decree 118/2025/NĐ-CP)",
    ),
    "tài liệu kiểm chứng": (r"tài liệu kiểm chứng", "minh chứng"),
    "a ward called xã": (
        r"(?<!cấp )\bxã\b(?! hội)(?!, phường)",
        "đơn vị cấp xã; cấp xã; the types Xã, Phường, Đặc khu",
    ),
}
# In rule files "lô" may be the word's other meaning (a plot of land, "lô đất").
RULE_FILE_FORBIDDEN = [name for name in FORBIDDEN if name != "lô"]


def _offences(text: str, names: list[str]) -> list[str]:
    return [name for name in names if re.search(FORBIDDEN[name][0], text, re.IGNORECASE)]


@pytest.mark.parametrize("name", sorted(FORBIDDEN))
def test_no_vietnamese_message_uses_a_forbidden_word(name: str) -> None:
    found = [f"{code}: {vi}" for code, (_, vi) in MESSAGES.items() if _offences(vi, [name])]
    assert not found, f"write '{FORBIDDEN[name][1]}' instead:\n" + "\n".join(found)


def _vietnamese_texts(node: Any, path: str) -> Iterator[tuple[str, str]]:
    """Every ``vi`` text of a rule file or framework, with where it is."""
    if isinstance(node, dict):
        if isinstance(node.get("vi"), str):
            yield path, node["vi"]
        for key, value in node.items():
            yield from _vietnamese_texts(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            key = value.get("id", i) if isinstance(value, dict) else i
            yield from _vietnamese_texts(value, f"{path}.{key}")


RULE_FILES = sorted([*ROOT.glob("frameworks/*.yaml"), *ROOT.glob("rules/**/*.yaml")])


@pytest.mark.parametrize("file", RULE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_rule_file_text_uses_a_forbidden_word(file: Path) -> None:
    doc = yaml.safe_load(file.read_text(encoding="utf-8"))
    found = [
        f"{where}: {', '.join(names)}: {text}"
        for where, text in _vietnamese_texts(doc, file.name)
        if (names := _offences(text, RULE_FILE_FORBIDDEN))
    ]
    assert not found, "see docs/glossary.md:\n" + "\n".join(found)


def test_the_forbidden_words_are_found() -> None:
    """The patterns catch what they are meant to, and leave the portal and the types alone."""
    assert _offences("Bị giới hạn bởi cổng 'critical-l3'", ["cổng for a gate"])
    assert not _offences("đồng bộ lên Cổng DVCQG; cổng/trang TTĐT", ["cổng for a gate"])
    assert _offences("xã vẫn được chấm", ["a ward called xã"])
    assert not _offences("cấp xã; Xã, phường, đặc khu; xã hội số", ["a ward called xã"])
    assert _offences("không có đầu vào 'x'", ["đầu vào for an input"])
    assert not _offences("Tệp dữ liệu đầu vào của kỳ này", ["đầu vào for an input"])


# ----------------------------------------------------------- English outside the catalogues
#
# A heuristic: in maturity/cli and maturity/render, a string constant that reaches a person
# (click.echo, a usage error, a document block, a line of text being built) and holds an
# English word is prose that belongs in the catalogue. Markup, option names and ids are not.

SINKS = {
    "echo", "secho", "UsageError", "BadParameter", "ClickException", "MaturityError",
    "InputError", "Headline", "Title", "Heading", "Paragraph", "Bullets", "Table",
    "Preformatted", "append", "extend",
}  # fmt: skip
_WORD = re.compile(r"(?<![\w\-/.#&%])[A-Za-z]{3,}(?![\w\-/(])")

# (file, literal): why it is not prose
NOT_PROSE = {
    ("maturity/render/template.py", "# evidence:"): "a YAML key of the template",
    ("maturity/render/verification.py", "yes"): "a value of the machine CSV (locale-free)",
    **{
        ("maturity/render/xlsx/template.py", key): "a key of the template's metadata sheet"
        for key in ("list.", "cell.", "col.", "row.", "icol.", "irow.")
    },
}
# (file, literal): English a person reads in --lang vi that is known and not yet moved to the
# catalogue (none left; an entry here must come with an issue that moves it)
KNOWN_ENGLISH: dict[tuple[str, str], str] = {}


def _sink(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else None


def _reaching_texts(node: ast.AST) -> Iterator[ast.Constant]:
    """The string constants of an argument that are shown as they are: not those inside a
    call (``t(...)`` renders its own), a subscript key, a comparison or a loop's iterable."""
    if isinstance(node, ast.Call | ast.Compare):
        return
    if isinstance(node, ast.ListComp | ast.GeneratorExp | ast.SetComp):
        yield from _reaching_texts(node.elt)
    elif isinstance(node, ast.Subscript):
        yield from _reaching_texts(node.value)
    elif isinstance(node, ast.Constant):
        if isinstance(node.value, str):
            yield node
    else:
        for child in ast.iter_child_nodes(node):
            yield from _reaching_texts(child)


def _english_literals() -> dict[tuple[str, str], int]:
    found: dict[tuple[str, str], int] = {}
    for root in ("cli", "render"):
        for path in sorted((PACKAGE / root).rglob("*.py")):
            if path.name in CATALOGUES:
                continue
            rel = str(path.relative_to(ROOT))
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not (isinstance(node, ast.Call) and _sink(node.func) in SINKS):
                    continue
                for arg in [*node.args, *(k.value for k in node.keywords)]:
                    for const in _reaching_texts(arg):
                        text = str(const.value)
                        if "<" in text or '="' in text or '" ' in text:  # markup
                            continue
                        if _WORD.search(text) and (rel, text) not in NOT_PROSE:
                            found.setdefault((rel, text), const.lineno)
    return found


def test_no_english_literal_reaches_a_person_outside_the_catalogues() -> None:
    new = {k: line for k, line in _english_literals().items() if k not in KNOWN_ENGLISH}
    assert not new, "move these to the catalogue (maturity/i18n/catalogue.py):\n" + "\n".join(
        f"{file}:{line}: {text!r}" for (file, text), line in sorted(new.items())
    )


def test_the_english_scan_sees_a_literal(tmp_path: Path) -> None:
    """The heuristic flags prose passed to click.echo and leaves t() and markup alone."""
    tree = ast.parse(
        'click.echo("Nothing to do")\nclick.echo(t("x.none"))\nout.append("<p class=\\"a b\\">")'
    )
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and _sink(n.func) in SINKS]
    texts = [c.value for call in calls for a in call.args for c in _reaching_texts(a)]
    assert "Nothing to do" in texts and "x.none" not in texts
