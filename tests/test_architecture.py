"""The import contract: each layer imports only the layers below it.

    web > cli > render > analysis > scoring > inputs > framework > (errors, i18n)

Every ``import`` of every module is read (top level, inside functions, under
``TYPE_CHECKING``): a lazy import breaks the layering just as surely as an eager one. The
checker itself is tested on a made-up package with a deliberate back-import, so that this
test cannot pass by finding nothing.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "maturity"

LAYERS = ("base", "framework", "inputs", "scoring", "analysis", "render", "cli", "web")
BASE = {"maturity.errors", "maturity.i18n"}
# the public API (``maturity/__init__``) offers the library, never the CLI or the web
API_CEILING = "analysis"


def layer_of(module: str) -> str:
    """The layer of a module of the package, by its dotted name."""
    parts = module.split(".")
    if len(parts) == 1 or parts[1] in ("__init__", "__main__"):
        return "api" if parts[-1] != "__main__" else "main"
    top = ".".join(parts[:2])
    if top in BASE:
        return "base"
    if parts[1] in LAYERS:
        return parts[1]
    raise AssertionError(f"{module} is in no layer: put it in one of {', '.join(LAYERS)}")


def imports(path: Path, module: str) -> Iterator[tuple[int, str]]:
    """Every maturity module ``path`` imports, with the line of the import."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "maturity":
                    yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if target.split(".")[0] != "maturity":
                continue
            if target == "maturity":  # from maturity import x: x may be a subpackage
                for alias in node.names:
                    sub = f"maturity.{alias.name}"
                    yield node.lineno, sub if alias.name in (*LAYERS, "i18n", "errors") else target
            else:
                yield node.lineno, target


def violations(modules: dict[str, Path]) -> list[str]:
    """``file:line: a imports b`` for every import that goes up the layers."""
    rank = {name: i for i, name in enumerate(LAYERS)}
    found: list[str] = []
    for module, path in sorted(modules.items()):
        mine = layer_of(module)
        for line, target in imports(path, module):
            theirs = layer_of(target)
            if mine == "main":
                continue  # ``python -m maturity`` runs the CLI
            if theirs == "api":
                if target == "maturity" and mine != "api":
                    # only the version number may be taken from the package itself
                    names = _names_from(path, line)
                    if names <= {"__version__"}:
                        continue
                if mine != "api":
                    found.append(f"{path}:{line}: {module} ({mine}) imports {target} (the API)")
                continue
            ceiling = rank[API_CEILING] if mine == "api" else rank[mine]
            if rank[theirs] > ceiling:
                found.append(f"{path}:{line}: {module} ({mine}) imports {target} ({theirs})")
    return found


def _names_from(path: Path, line: int) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.lineno == line:
            return {alias.name for alias in node.names}
    return set()


def package_modules(root: Path, name: str = "maturity") -> dict[str, Path]:
    out: dict[str, Path] = {}
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).with_suffix("")
        parts = [name, *rel.parts]
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def test_every_layer_imports_only_the_layers_below_it() -> None:
    modules = {m: p for m, p in package_modules(PACKAGE).items() if "_bundled" not in p.parts}
    assert len(modules) > 40
    assert violations(modules) == []


def test_every_module_is_in_a_layer() -> None:
    for module in package_modules(PACKAGE):
        layer_of(module)  # raises for a module outside every layer


@pytest.mark.parametrize(
    ("where", "source", "expected"),
    [
        ("framework/x.py", "from maturity.scoring.engine import score_batch\n", "(scoring)"),
        ("inputs/x.py", "def f():\n    from maturity.render import results\n", "(render)"),
        ("scoring/x.py", "from maturity import cli\n", "(cli)"),
        ("render/x.py", "import maturity.cli.common\n", "(cli)"),
        ("analysis/x.py", "from maturity import score_batch\n", "(the API)"),
        ("i18n/x.py", "from maturity.framework import model\n", "(framework)"),
    ],
)
def test_the_checker_catches_a_deliberate_back_import(
    tmp_path: Path, where: str, source: str, expected: str
) -> None:
    root = tmp_path / "maturity"
    for layer in LAYERS[1:]:
        (root / layer).mkdir(parents=True)
        (root / layer / "__init__.py").write_text("", encoding="utf-8")
    (root / "i18n").mkdir()
    (root / "i18n" / "__init__.py").write_text("", encoding="utf-8")
    (root / "__init__.py").write_text("", encoding="utf-8")
    (root / where).write_text(source, encoding="utf-8")
    found = violations(package_modules(root))
    assert len(found) == 1 and found[0].endswith(expected), found


def test_a_downward_import_is_allowed(tmp_path: Path) -> None:
    root = tmp_path / "maturity"
    (root / "render").mkdir(parents=True)
    (root / "render" / "x.py").write_text(
        "from maturity.scoring.results import Results\nfrom maturity.i18n import t\n"
        "from maturity import __version__\n",
        encoding="utf-8",
    )
    assert violations(package_modules(root)) == []
