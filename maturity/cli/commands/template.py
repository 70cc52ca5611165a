"""``maturity template``: a blank submission a province or commune can fill in."""

from __future__ import annotations

from pathlib import Path

import click

from maturity.cli.base import command, option
from maturity.cli.context import emit, get_framework
from maturity.cli.options import framework_option, lang_option

TEMPLATE_FORMATS = ("yaml", "csv", "csv-guide")


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
@framework_option
@option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="help.opt.output")
@lang_option
def template(tier: str, fmt_name: str, framework_path: Path | None, output: Path | None) -> None:
    from maturity.errors import UsageError
    from maturity.i18n import msg, t
    from maturity.render.template import render_template

    fw = get_framework(framework_path)
    if tier not in fw.tier_ids():
        known = ", ".join(fw.tier_ids())
        message = msg("tpl.unknown_tier", tier=tier, framework=fw.id, tiers=known)
        raise UsageError(t("cli.bad_tier", message=message))
    emit(render_template(fw, tier, fmt_name), output)
