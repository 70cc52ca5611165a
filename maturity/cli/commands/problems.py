"""``maturity problems``: a batch's data problems per province, as a checklist to send back."""

from __future__ import annotations

from pathlib import Path

import click

from maturity.cli.base import command, option
from maturity.cli.context import emit, make_view, run_scoring
from maturity.cli.options import (
    as_of_option,
    decimal_mark_option,
    framework_option,
    lang_option,
    missing_option,
    output_options,
    submissions_argument,
    units_option,
)


@command("problems", "help.cmd.problems")
@submissions_argument
@framework_option
@units_option
@missing_option()
@as_of_option
@decimal_mark_option
@option("--province", help="help.opt.province")
@option("--severity", type=click.Choice(["error", "warning", "info"]), help="help.opt.severity")
@option("--verbose", "-v", is_flag=True, help="help.opt.verbose")
@output_options(exclude=("xlsx",))
@lang_option
def problems(
    submissions: tuple[Path, ...],
    framework_path: Path | None,
    units: Path | None,
    missing: str | None,
    as_of: str | None,
    decimal_mark: str | None,
    province: str | None,
    severity: str | None,
    verbose: bool,
    fmt_name: str,
    fmt: str,
    output: Path | None,
) -> None:
    from maturity.render.problems import problems_doc
    from maturity.render.writers import write_any

    results = run_scoring(framework_path, submissions, units, missing, as_of, decimal_mark)
    view = make_view(results, None, province, severity, None, False, verbose)
    emit(write_any(problems_doc(results, view), fmt_name, fmt), output)
