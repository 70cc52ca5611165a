"""``maturity test``: run the YAML rule tests kept next to the rules.

Registered by :mod:`maturity.cli`. It imports :mod:`maturity._cli_common` inside the command
only, and declares ``--lang`` exactly as :func:`maturity._cli_common.lang_option` does.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from maturity.i18n import set_language, t

DEFAULT_PATH = Path("tests/rules")


def _set_lang(ctx: click.Context, param: click.Parameter, value: str) -> str:
    set_language(value)
    return value


@click.command("test")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--coverage", "show_coverage", is_flag=True,
    help="Report the indicators, indicator levels, gates and checks the tests exercised.",
)  # fmt: skip
@click.option(
    "--fail-under", type=click.FloatRange(0, 100), metavar="PERCENT",
    help="Exit 1 when a framework's indicator coverage is below PERCENT (implies --coverage).",
)  # fmt: skip
@click.option("-k", "keyword", metavar="TEXT", help="Run only the tests whose name contains TEXT.")
@click.option(
    "--format", "fmt_name", type=click.Choice(("text", "json")), default="text",
    show_default=True, help="Output format.",
)  # fmt: skip
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of standard output.",
)  # fmt: skip
@click.option(
    "--lang", type=click.Choice(["vi", "en"]), default="en", show_default=True, is_eager=True,
    callback=_set_lang, help="Language of labels and messages / ngôn ngữ.",
)  # fmt: skip
def _test(
    paths: tuple[Path, ...],
    show_coverage: bool,
    fail_under: float | None,
    keyword: str | None,
    fmt_name: str,
    output: Path | None,
    lang: str,
) -> None:
    """Run rule tests: YAML files of expected results (default folder: tests/rules).

    Exit 1 when a test fails, when no test is collected, when a test file is invalid
    (located errors) or when coverage is below --fail-under.

    Chạy các phép thử quy tắc (tệp YAML kết quả mong đợi); mã thoát 1 khi có phép thử không
    đạt, không thu được phép thử nào, tệp kiểm thử sai hoặc độ phủ thấp hơn --fail-under.
    """
    from maturity.cli.common import handle_errors

    code: int = handle_errors(_run)(paths, show_coverage, fail_under, keyword, fmt_name, output)
    if code:
        sys.exit(code)


def _run(
    paths: tuple[Path, ...],
    show_coverage: bool,
    fail_under: float | None,
    keyword: str | None,
    fmt_name: str,
    output: Path | None,
) -> int:
    """Collect, run and report; the exit code (errors become messages in ``handle_errors``)."""
    from maturity.cli.common import emit, register_inputs

    targets = list(paths) or [DEFAULT_PATH]
    for target in targets:  # --output may never overwrite a test file
        register_inputs(*(sorted(target.rglob("*")) if target.is_dir() else [target]))
    from maturity.analysis.ruletest.collect import collect
    from maturity.analysis.ruletest.run import run
    from maturity.render.ruletest import render_json, render_text

    suite = collect(targets, keyword)
    if not suite.cases:
        click.echo(t("rt.no_tests", paths=", ".join(str(p) for p in targets)), err=True)
        return 1
    report = run(suite)
    with_coverage = show_coverage or fail_under is not None
    render = render_json if fmt_name == "json" else render_text
    emit(render(report, coverage=with_coverage), output)
    code = 1 if report.failed else 0
    if fail_under is not None:
        for cov in report.below(fail_under):
            percent = cov.summary()["indicators"]["percent"]
            click.echo(
                t(
                    "rt.fail_under",
                    framework=cov.framework.id,
                    percent=percent,
                    limit=f"{fail_under:g}",
                ),
                err=True,
            )
            code = 1
    return code


test: click.Command = _test
