"""``maturity template``: a blank submission a province or commune can fill in."""

from __future__ import annotations

from pathlib import Path

import click

from maturity.cli.base import command, option
from maturity.cli.context import emit, get_framework
from maturity.cli.options import framework_option, lang_option

TEMPLATE_FORMATS = ("yaml", "csv", "csv-guide", "xlsx")


@command("template", "help.cmd.template")
@option("--tier", required=True, help="help.opt.tier_template")
@option(
    "--format",
    "fmt_name",
    type=click.Choice(TEMPLATE_FORMATS),
    default="yaml",
    show_default=True,
    help="help.opt.template_format",
)
@option("--unit", "unit_id", help="help.opt.template_unit")
@option("--all-units-of", "all_units_of", help="help.opt.template_all_units")
@option("--period", default="", help="help.opt.template_period")
@framework_option
@option("--output", "-o", type=click.Path(path_type=Path), help="help.opt.template_output")
@lang_option
def template(
    tier: str,
    fmt_name: str,
    unit_id: str | None,
    all_units_of: str | None,
    period: str,
    framework_path: Path | None,
    output: Path | None,
) -> None:
    from maturity.errors import UsageError
    from maturity.i18n import msg, t
    from maturity.render.template import render_template

    fw = get_framework(framework_path)
    if tier not in fw.tier_ids():
        known = ", ".join(fw.tier_ids())
        message = msg("tpl.unknown_tier", tier=tier, framework=fw.id, tiers=known)
        raise UsageError(t("cli.bad_tier", message=message))
    if fmt_name == "xlsx":
        from maturity.cli.context import get_registry
        from maturity.render.xlsx import template_files

        if output is None:
            raise UsageError(t("cli.binary_needs_output"))
        registry = get_registry(fw, None)
        files = template_files(
            fw, registry, tier, output, unit_id=unit_id, all_units_of=all_units_of, period=period
        )
        if all_units_of is None and output.is_dir():
            raise UsageError(t("xlsx.output_is_folder", path=output))
        for path, data in files:
            path.parent.mkdir(parents=True, exist_ok=True)
            emit(data, path)
        if all_units_of is not None:
            click.echo(t("xlsx.written", count=len(files), path=output), err=True)
        return
    if unit_id or all_units_of or period:
        raise UsageError(t("xlsx.needs_xlsx"))
    if output is not None and output.is_dir():
        raise UsageError(t("xlsx.output_is_folder", path=output))
    emit(render_template(fw, tier, fmt_name), output)
