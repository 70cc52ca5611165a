"""A hardened YAML loader that keeps every node's position.

Safe YAML only: no tags beyond the core schema, duplicate keys rejected, dates kept as text,
alias expansion and file size bounded. The result is plain Python data plus a map from each
key path to its ``line:col`` so any later error (shape or meaning) can be located.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from maturity.errors import InputError, Location, Problem

try:  # the C composer is several times faster; both give the same nodes and marks
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _BaseLoader = yaml.SafeLoader


MAX_FILE_BYTES = 5 * 1024 * 1024


MAX_NODES = 200_000


MAX_DEPTH = 64


PathKey = tuple[str | int, ...]


_CORE = "tag:yaml.org,2002:"


_SCALAR_TAGS = {f"{_CORE}{n}" for n in ("str", "int", "float", "bool", "null", "timestamp")}


_ALLOWED_TAGS = _SCALAR_TAGS | {f"{_CORE}map", f"{_CORE}seq"}


@dataclass
class Document:
    """Parsed YAML data with the position of every value and key."""

    file: str
    data: Any
    text: str = ""
    marks: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    # each scalar as written in the source (YAML: before any type was inferred; JSON: a
    # number's digits), so that ``00070`` stays a code and ``1.000`` is not read as 1
    texts: dict[PathKey, Any] = field(default_factory=dict)

    def written(self, path: PathKey) -> Any:
        r"""The scalar at ``path`` as the author wrote it: its source text (a YAML plain
        scalar before YAML 1.1 reads ``00070`` as octal 56, ``1:30`` as 90 or ``yes`` as
        true; a JSON number's digits), a JSON ``true``/``false`` as a bool, ``None`` for an
        empty or null value. Containers and unknown paths give the parsed data.

        >>> doc = load_yaml_text("unit: 00070\nv: {a: 1.000, b: yes, c: ~, d: 'x'}", "f")
        >>> doc.data["unit"], doc.written(("unit",))
        (56, '00070')
        >>> [doc.written(("v", k)) for k in "abcd"]
        ['1.000', 'yes', None, 'x']
        """
        if path in self.texts:
            return self.texts[path]
        node: Any = self.data
        for part in path:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return None
        return node

    def locate(self, path: PathKey, *, key: bool = False) -> Location:
        """The location of ``path``, falling back to its nearest located ancestor."""
        probe = tuple(path)
        while True:
            table = self.key_marks if key and probe in self.key_marks else self.marks
            if probe in table:
                line, col = table[probe]
                return Location(self.file, line, col, dotted(path))
            if not probe:
                return Location(self.file, 1, 1, dotted(path))
            probe = probe[:-1]


def dotted(path: PathKey) -> str:
    """Render a key path as ``a.b[2].c``.

    >>> dotted(("indicators", 3, "cutoffs", "2"))
    'indicators[3].cutoffs.2'
    """
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


class _Converter:
    def __init__(self, file: str, loader: yaml.SafeLoader) -> None:
        self.file = file
        self.loader = loader
        self.count = 0
        self.doc = Document(file, None)
        self.problems: list[Problem] = []

    def problem(self, node: yaml.Node, code: str, **kw: Any) -> None:
        mark = node.start_mark
        self.problems.append(
            Problem.at(Location(self.file, mark.line + 1, mark.column + 1), code, **kw)
        )

    def convert(self, node: yaml.Node, path: PathKey, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooBigError(node)
        if depth > MAX_DEPTH:
            raise _TooDeepError(node)
        self.doc.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if node.tag not in _ALLOWED_TAGS:
            self.problem(node, "yaml.tag", tag=node.tag)
            return None
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == f"{_CORE}null":
                    self.problem(key_node, "yaml.key_type")
                    continue
                key = str(self.scalar(key_node))
                if key == "<<":
                    self.problem(key_node, "yaml.merge_key")
                    continue
                if key in out:
                    first = self.doc.key_marks.get((*path, key), (0, 0))
                    self.problem(key_node, "yaml.duplicate_key", key=key, line=first[0])
                    continue
                self.doc.key_marks[(*path, key)] = (
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                )
                out[key] = self.convert(value_node, (*path, key), depth + 1)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(v, (*path, i), depth + 1) for i, v in enumerate(node.value)]
        value = self.scalar(node)
        self.doc.texts[path] = None if value is None else node.value
        return value

    def scalar(self, node: yaml.Node) -> Any:
        if node.tag == f"{_CORE}timestamp":
            return str(node.value)  # dates stay text: the rule language compares them as ISO text
        if node.tag == f"{_CORE}float" and str(node.value).lower() in {
            ".nan",
            ".inf",
            "-.inf",
            "+.inf",
        }:
            return str(node.value)  # non-finite numbers are text, so schema checks reject them
        return self.loader.construct_object(node, deep=True)


class _TooBigError(Exception):
    def __init__(self, node: yaml.Node) -> None:
        self.node = node


class _TooDeepError(_TooBigError):
    pass


def load_yaml_text(text: str, file: str) -> Document:
    """Parse YAML text into a :class:`Document`; raise :class:`InputError` on any problem."""
    loader = _BaseLoader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
            what = " ".join(p for p in (exc.context, exc.problem) if p)
            source_lines = text.splitlines()
            at = source_lines[line - 1] if 0 < line <= len(source_lines) else ""
            if (
                "'\\t'" in what
                or "\t" in what
                or ("cannot start any token" in what and "\t" in at[: max(col, 1)])
            ):
                raise InputError([Problem.at(Location(file, line, col), "yaml.tab")]) from None
            if "found undefined tag" in what or "could not determine a constructor" in what:
                raise InputError(
                    [Problem.at(Location(file, line, col), "yaml.tag", tag=what)]
                ) from None
            raise InputError(
                [Problem.at(Location(file, line, col), "yaml.syntax", what=what)]
            ) from None
        except yaml.YAMLError as exc:
            raise InputError(
                [Problem.at(Location(file, 1, 1), "yaml.syntax", what=str(exc))]
            ) from None
        conv = _Converter(file, loader)
        conv.doc.text = text
        if node is None:
            raise InputError([Problem.at(Location(file, 1, 1), "yaml.empty")])
        try:
            conv.doc.data = conv.convert(node, (), 0)
        except _TooDeepError as exc:
            m = exc.node.start_mark
            raise InputError(
                [
                    Problem.at(
                        Location(file, m.line + 1, m.column + 1), "yaml.too_deep", limit=MAX_DEPTH
                    )
                ]
            ) from None
        except _TooBigError as exc:
            m = exc.node.start_mark
            raise InputError(
                [
                    Problem.at(
                        Location(file, m.line + 1, m.column + 1), "yaml.alias_bomb", limit=MAX_NODES
                    )
                ]
            ) from None
        except (yaml.YAMLError, ValueError, TypeError) as exc:
            raise InputError(
                [Problem.at(Location(file, 1, 1), "yaml.syntax", what=str(exc))]
            ) from None
        if conv.problems:
            raise InputError(conv.problems)
        return conv.doc
    finally:
        loader.dispose()


def read_text(path: Path, display: str, max_bytes: int = MAX_FILE_BYTES) -> str:
    """Read a UTF-8 text file (byte-order mark allowed) with a size bound and located errors."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(
            [Problem.at(Location(display), "file.unreadable", why=exc.strerror or str(exc))]
        ) from None
    if size > max_bytes:
        raise InputError(
            [Problem.at(Location(display), "file.too_big", size=size, limit=max_bytes)]
        )
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError([Problem.at(Location(display, line, 1), "file.encoding")]) from None
    return text


def load_yaml_file(
    path: Path, display: str | None = None, max_bytes: int = MAX_FILE_BYTES
) -> Document:
    """Read and parse one YAML file."""
    name = display if display is not None else str(path)
    return load_yaml_text(read_text(path, name, max_bytes), name)
