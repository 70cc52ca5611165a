"""``maturity validate``, ``maturity schema``, ``maturity indicators``: the framework itself."""

from __future__ import annotations

from pathlib import Path

import click

from maturity.cli.base import argument, command
from maturity.cli.context import emit, get_framework, shown
from maturity.cli.options import framework_option, lang_option, output_options

SCHEMAS = ("framework", "rules", "submission", "result")


@command("validate", "help.cmd.validate")
@argument("paths", nargs=-1, type=click.Path(path_type=Path))
@lang_option
def validate(paths: tuple[Path, ...]) -> None:
    from maturity.errors import InputError
    from maturity.framework.bundled import bundled_frameworks
    from maturity.framework.load import load_framework
    from maturity.i18n import t
    from maturity.inputs.units import load_registry

    targets: list[Path] = []
    for path in paths or tuple(bundled_frameworks()):
        targets.extend(sorted(path.glob("*.yaml")) if path.is_dir() else [path])
    problems = []
    for target in targets:
        try:
            fw = load_framework(target)
            if fw.manifest.units is not None:  # the registry is part of the framework
                registry = fw.path.parent / fw.manifest.units
                load_registry(registry, shown(registry))
            click.echo(
                t(
                    "cli.validated",
                    file=shown(target),
                    framework=fw.id,
                    version=fw.version,
                    indicators=len(fw.indicators),
                    inputs=len(fw.inputs),
                )
            )
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)


@command("schema", "help.cmd.schema")
@argument("kind", type=click.Choice(SCHEMAS))
@framework_option
@lang_option
def schema(kind: str, framework_path: Path | None) -> None:
    from maturity.render.schema import schema_doc
    from maturity.render.writers import write

    fw = get_framework(framework_path) if kind == "submission" else None
    click.echo(write(schema_doc(kind, fw), "json"), nl=False)


@command("indicators", "help.cmd.indicators")
@framework_option
@output_options(exclude=("xlsx",))
@lang_option
def indicators(framework_path: Path | None, fmt_name: str, fmt: str, output: Path | None) -> None:
    from maturity.render.catalogue import catalogue_doc
    from maturity.render.writers import write

    emit(write(catalogue_doc(get_framework(framework_path)), fmt_name, fmt), output)
