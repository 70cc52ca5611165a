"""``maturity test``: run the YAML rule tests kept next to the rules."""

from __future__ import annotations

from pathlib import Path

import click

from maturity.cli.base import argument, command, option
from maturity.cli.context import emit, register_inputs
from maturity.cli.options import lang_option
from maturity.errors import UsageError

DEFAULT_PATH = Path("tests/rules")


@command("test", "help.cmd.test")
@argument("paths", nargs=-1, type=click.Path(path_type=Path))
@option("--coverage", "show_coverage", is_flag=True, help="help.opt.coverage")
@option(
    "--fail-under",
    type=click.FloatRange(0, 100),
    metavar="click.metavar.percent",
    help="help.opt.fail_under",
)
@option("-k", "keyword", metavar="click.metavar.keyword", help="help.opt.keyword")
@option(
    "--format",
    "fmt_name",
    type=click.Choice(("text", "json")),
    default="text",
    show_default=True,
    help="help.opt.format",
)
@option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="help.opt.output")
@option("--update", is_flag=True, help="help.opt.rt_update")
@lang_option
def test(
    paths: tuple[Path, ...],
    show_coverage: bool,
    fail_under: float | None,
    keyword: str | None,
    fmt_name: str,
    output: Path | None,
    update: bool,
) -> None:
    from maturity.analysis.ruletest.collect import collect
    from maturity.analysis.ruletest.run import run
    from maturity.analysis.ruletest.update import plan_update, write_update
    from maturity.i18n import t
    from maturity.render.ruletest import ruletest_doc, update_doc
    from maturity.render.writers import write

    if update and not paths:  # rewriting files needs them named, never a default folder
        raise UsageError(t("rt.update.needs_path"))
    targets = list(paths) or [DEFAULT_PATH]
    for target in targets:  # --output may never overwrite a test file
        register_inputs(*(sorted(target.rglob("*")) if target.is_dir() else [target]))
    suite = collect(targets, keyword)
    if not suite.cases:
        click.echo(t("rt.no_tests", paths=", ".join(str(p) for p in targets)), err=True)
        raise SystemExit(1)
    report = run(suite)
    if update:
        plan = plan_update(report)
        write_update(plan)
        # the diff on the terminal; beside a JSON report, on stderr so the JSON stays whole
        click.echo(write(update_doc(plan), "table"), nl=False, err=fmt_name == "json")
        if plan.files:
            click.echo(t("rt.update.after"), err=fmt_name == "json")
            report = run(collect(targets, keyword))
    with_coverage = show_coverage or fail_under is not None
    doc = ruletest_doc(report, coverage=with_coverage)
    emit(write(doc, "json" if fmt_name == "json" else "table"), output)
    code = 1 if report.failed else 0
    if fail_under is not None:
        for cov in report.below(fail_under):
            percent = cov.summary()["indicators"]["percent"]
            limit = f"{fail_under:g}"
            message = t("rt.fail_under", framework=cov.framework.id, percent=percent, limit=limit)
            click.echo(message, err=True)
            code = 1
    if code:
        raise SystemExit(code)
