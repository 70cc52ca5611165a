"""The options several commands share, declared once; their help is in the catalogue."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from maturity.cli.base import argument, option
from maturity.i18n import LANGUAGES, set_language, t

F = TypeVar("F", bound=Callable[..., Any])

TABLE_STYLES = (
    "simple", "plain", "grid", "simple_grid", "rounded_grid", "fancy_grid", "github", "pipe",
    "orgtbl", "rst", "psql", "pretty", "presto", "outline", "simple_outline", "tsv",
)  # fmt: skip
"""The table styles of ``--fmt`` (tabulate formats that are plain text)."""


def default_language() -> str:
    """``MATURITY_LANG`` when it names a language, else English."""
    lang = os.environ.get("MATURITY_LANG", "en").strip().lower()[:2]
    return lang if lang in LANGUAGES else "en"


def _set_lang(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None:
        set_language(value)
    return value


def lang_option(func: F) -> F:
    """``--lang`` of a command: given, it sets the language; not given, the language the
    ``maturity`` group chose stays (its own ``--lang``, or ``MATURITY_LANG``, or English)."""
    return option(
        "--lang",
        type=click.Choice(LANGUAGES),
        default=None,
        is_eager=True,
        expose_value=False,
        callback=_set_lang,
        help="help.opt.lang",
    )(func)


def root_lang_option(func: F) -> F:
    """``maturity --lang``: the language of everything that follows."""
    return option(
        "--lang",
        type=click.Choice(LANGUAGES),
        default=default_language,
        is_eager=True,
        expose_value=False,
        callback=_set_lang,
        help="help.opt.lang",
    )(func)


class FormatChoice(click.Choice):  # type: ignore[type-arg]  # click 8.2 made Choice generic
    """The formats of the render layer's writer registry (those a command's documents have the
    parts for): a writer registered later is a format at once."""

    def __init__(self, exclude: tuple[str, ...] = ()) -> None:
        self.exclude = exclude
        super().__init__([])

    @property  # type: ignore[override]
    def choices(self) -> list[str]:
        from maturity.render.writers import WRITERS

        return [name for name in WRITERS if name not in self.exclude]

    @choices.setter
    def choices(self, value: object) -> None:
        pass  # the registry decides


def output_options(exclude: tuple[str, ...] = ()) -> Callable[[F], F]:
    """--format (any writer but ``exclude``), --fmt, --output."""

    def decorate(func: F) -> F:
        func = option(
            "--output",
            "-o",
            type=click.Path(dir_okay=False, path_type=Path),
            help="help.opt.output",
        )(func)
        func = option(
            "--fmt",
            type=click.Choice(TABLE_STYLES),
            default="simple",
            show_default=True,
            help="help.opt.fmt",
        )(func)
        func = option(
            "--format",
            "fmt_name",
            type=FormatChoice(exclude),
            default="table",
            show_default=True,
            help="help.opt.format",
        )(func)
        return func

    return decorate


def view_options(func: F) -> F:
    """--province, --severity, --top, --quiet, --verbose: what part of a result is shown."""
    func = option("--verbose", "-v", is_flag=True, help="help.opt.verbose")(func)
    func = option("--quiet", "-q", is_flag=True, help="help.opt.quiet")(func)
    func = option("--top", type=click.IntRange(min=1), help="help.opt.top")(func)
    func = option(
        "--severity", type=click.Choice(["error", "warning", "info"]), help="help.opt.severity"
    )(func)
    func = option("--province", help="help.opt.province")(func)
    return func


def verified_option(func: F) -> F:
    return option(
        "--verified",
        "verified",
        multiple=True,
        type=click.Path(path_type=Path),
        help="help.opt.verified",
    )(func)


def units_option(func: F) -> F:
    return option("--units", type=click.Path(path_type=Path), help="help.opt.units")(func)


def missing_option(help_code: str = "help.opt.missing") -> Callable[[F], F]:
    def decorate(func: F) -> F:
        return option("--missing", type=click.Choice(["zero", "exclude"]), help=help_code)(func)

    return decorate


def framework_option(func: F) -> F:
    return option(
        "--framework",
        "-f",
        "framework_path",
        type=click.Path(path_type=Path),
        help="help.opt.framework",
    )(func)


def decimal_mark_option(func: F) -> F:
    return option(
        "--decimal-mark",
        "decimal_mark",
        type=click.Choice([",", "."]),
        help="help.opt.decimal_mark",
    )(func)


def submissions_argument(func: F) -> F:
    return argument("submissions", nargs=-1, type=click.Path(path_type=Path))(func)


def check_as_of(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``--as-of`` must be an ISO date: which rules are in force is otherwise undefined."""
    if value is None:
        return None
    text = value.strip()
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(text)
        date.fromisoformat(text)
    except ValueError:
        raise click.UsageError(t("cli.as_of", value=value), ctx) from None
    return text


def as_of_option(func: F) -> F:
    return option("--as-of", callback=check_as_of, help="help.opt.as_of")(func)
