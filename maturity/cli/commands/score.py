"""``maturity score``: score a batch of submissions."""

from __future__ import annotations

from pathlib import Path

import click

from maturity.cli.base import command, option
from maturity.cli.context import (
    emit,
    get_framework,
    get_registry,
    load_batch,
    make_view,
    need_file,
    register_inputs,
    run_scoring,
    score_verified,
    shown,
)
from maturity.cli.options import (
    as_of_option,
    decimal_mark_option,
    framework_option,
    lang_option,
    missing_option,
    output_options,
    submissions_argument,
    units_option,
    verified_option,
    view_options,
)


@command("score", "help.cmd.score")
@submissions_argument
@framework_option
@units_option
@option("--tier", help="help.opt.tier")
@missing_option()
@option(
    "--sort",
    type=click.Choice(["rank", "score", "id"]),
    default="rank",
    show_default=True,
    help="help.opt.sort",
)
@as_of_option
@option("--strict", is_flag=True, help="help.opt.strict")
@decimal_mark_option
@verified_option
@view_options
@option(
    "--baseline", type=click.Path(dir_okay=False, path_type=Path), help="help.opt.explain_baseline"
)
@output_options()
@lang_option
def score(
    submissions: tuple[Path, ...],
    framework_path: Path | None,
    units: Path | None,
    tier: str | None,
    missing: str | None,
    sort: str,
    as_of: str | None,
    strict: bool,
    decimal_mark: str | None,
    verified: tuple[Path, ...],
    province: str | None,
    severity: str | None,
    top: int | None,
    quiet: bool,
    verbose: bool,
    baseline: Path | None,
    fmt_name: str,
    fmt: str,
    output: Path | None,
) -> None:
    from dataclasses import replace

    from maturity.i18n import t
    from maturity.inputs.baseline import read_baseline
    from maturity.render.results import results_doc
    from maturity.render.writers import stream

    base = None
    if baseline is not None:
        need_file(baseline, "'--baseline'")
        register_inputs(baseline)
        base = read_baseline(baseline, shown(baseline))
    if verified:
        from maturity.render.verification import scores_doc

        fw = get_framework(framework_path, as_of)
        registry = get_registry(fw, units)
        batch = load_batch(submissions, fw, registry, decimal_mark)
        self_results, results, report, _ = score_verified(fw, batch, registry, missing, verified)
        view = replace(
            make_view(results, tier, province, severity, top, quiet, verbose), baseline=base
        )
        doc = scores_doc(self_results, results, report, sort=sort, view=view)
    else:
        results = run_scoring(framework_path, submissions, units, missing, as_of, decimal_mark)
        view = replace(
            make_view(results, tier, province, severity, top, quiet, verbose), baseline=base
        )
        doc = results_doc(results, sort=sort, view=view)
    emit(stream(doc, fmt_name, fmt), output)
    if results.scored_count() == 0:
        click.echo(t("score.nothing_batch"), err=True)
        raise SystemExit(1)
    if strict and any(d.severity == "error" for d in results.diagnostics):
        raise SystemExit(1)
