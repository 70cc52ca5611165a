"""``maturity template``: a blank submission a province or commune can fill in.

Registered by :mod:`maturity.cli`; shared options come from :mod:`maturity._cli_common`.
"""

from __future__ import annotations

from pathlib import Path

import click

from maturity.cli.common import emit, framework_option, get_framework, handle_errors, lang_option
from maturity.errors import UsageError
from maturity.i18n import t
from maturity.render.template import TEMPLATE_FORMATS, render_template


@click.command("template")
@click.option(
    "--tier", required=True, help="The tier whose inputs to list (e.g. province, commune)."
)
@click.option(
    "--format", "fmt_name", type=click.Choice(TEMPLATE_FORMATS), default="yaml", show_default=True,
    help="yaml: a submission file documented in comments; csv: the wide table's header and one "
    "empty row; csv-guide: one row per input describing its column.",
)  # fmt: skip
@framework_option
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of standard output.",
)  # fmt: skip
@lang_option
@handle_errors
def _template(
    tier: str, fmt_name: str, framework_path: Path | None, output: Path | None, lang: str
) -> None:
    """A blank submission to fill in: every input of the tier with its label, unit, allowed
    values and help, in the chosen language.

    Mẫu bản khai để điền: mọi chỉ tiêu đầu vào của cấp, kèm tên, đơn vị, giá trị cho phép và
    hướng dẫn.
    """
    fw = get_framework(framework_path)
    if tier not in fw.tier_ids():
        message = t("tpl.unknown_tier", tier=tier, framework=fw.id, tiers=", ".join(fw.tier_ids()))
        raise UsageError(f"Invalid value for '--tier': {message}")
    emit(render_template(fw, tier, fmt_name), output)


# Annotated so that type checkers know it without inferring the decorators through the
# import cycle with maturity.cli (which registers this command at its end).
template: click.Command = _template
