"""The command line's machinery: commands and options whose help is in the catalogue (so it
is shown in the chosen language), a group that imports a command only when it is used, the
one place where the library's errors become messages and exit codes, and click's own
messages in Vietnamese.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

import click

from maturity.errors import InputError, MaturityError
from maturity.i18n import language, t
from maturity.i18n.catalogue import MESSAGES


def _text(help_text: str | None) -> str | None:
    """A help text in the current language: catalogue codes are translated, text is kept."""
    if help_text and help_text in MESSAGES:
        return t(help_text)
    return help_text


def _type_metavar(kind: click.ParamType[Any]) -> str | None:
    """The catalogue code of the placeholder click shows for a value of type ``kind``
    (``TEXT``, ``PATH``...), or None for a type that shows its own (a choice)."""
    if isinstance(kind, click.Path):
        if not kind.dir_okay:
            return "click.metavar.file"
        return "click.metavar.directory" if not kind.file_okay else "click.metavar.path"
    if isinstance(kind, click.IntRange):
        return "click.metavar.integer_range"
    if isinstance(kind, click.FloatRange):
        return "click.metavar.float_range"
    for cls, code in _TYPE_METAVARS:
        if isinstance(kind, cls):
            return code
    return None


_TYPE_METAVARS: tuple[tuple[type[click.ParamType[Any]], str], ...] = (
    (click.types.BoolParamType, "click.metavar.boolean"),
    (click.types.IntParamType, "click.metavar.integer"),
    (click.types.FloatParamType, "click.metavar.float"),
    (click.types.StringParamType, "click.metavar.text"),
)


class Option(click.Option):
    """An option whose ``help`` and ``metavar`` are catalogue codes, and whose placeholder,
    when it has none, names its type in the current language (``ĐƯỜNG_DẪN``, not ``PATH``)."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        original, shown = self.help, self.show_default
        self.help = _text(original)
        if isinstance(shown, str):  # a default described in words: a catalogue code
            self.show_default = _text(shown)
        try:
            return super().get_help_record(ctx)
        finally:
            self.help, self.show_default = original, shown

    def make_metavar(self, ctx: click.Context) -> str:
        if self.metavar is not None:
            return _text(self.metavar) or self.metavar
        code = _type_metavar(self.type)
        if code is None:
            return super().make_metavar(ctx)
        return t(code) + ("..." if self.nargs != 1 else "")


class Argument(click.Argument):
    """An argument whose placeholder is in the current language: its ``metavar`` a catalogue
    code, else the catalogue's ``click.arg.<name>`` (``BẢN_KHAI...``, not ``SUBMISSIONS...``)."""

    def make_metavar(self, ctx: click.Context) -> str:
        if self.metavar is not None:
            return _text(self.metavar) or self.metavar
        var = self.type.get_metavar(param=self, ctx=ctx)
        if not var:
            code = f"click.arg.{self.name}"
            var = t(code) if code in MESSAGES else (self.name or "").upper()
        if not self.required and not (var.startswith("[") and var.endswith("]")):
            var = f"[{var}]"
        return var + ("..." if self.nargs != 1 else "")


_USAGE_PIECES = {"[OPTIONS]": "click.metavar.options", "COMMAND [ARGS]...": "click.metavar.command"}


def _usage_pieces(pieces: list[str]) -> list[str]:
    """click's ``[OPTIONS]`` and ``COMMAND [ARGS]...`` of a usage line, in the language."""
    return [t(_USAGE_PIECES[p]) if p in _USAGE_PIECES else p for p in pieces]


def language_from(args: list[str]) -> None:
    """Set the language ``--lang`` asks for before anything is parsed, so that even a usage
    error in the same command line is in that language."""
    from maturity.i18n import LANGUAGES, set_language

    for i, arg in enumerate(args):
        value = None
        if arg == "--lang" and i + 1 < len(args):
            value = args[i + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        if value in LANGUAGES:
            set_language(value)


def _help_in_language(found: click.Option | None) -> click.Option | None:
    """click makes ``--help`` once per command, in the language of that moment."""
    if found is not None:
        found.help = t("click.help")
    return found


class Command(click.Command):
    """A command whose ``help`` is a catalogue code."""

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        return _usage_pieces(super().collect_usage_pieces(ctx))

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        language_from(args)
        return super().parse_args(ctx, args)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return _help_in_language(super().get_help_option(ctx))

    def get_short_help_str(self, limit: int = 45) -> str:
        original, self.help = self.help, _text(self.help)
        try:
            return super().get_short_help_str(limit)
        finally:
            self.help = original

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        original, self.help = self.help, _text(self.help)
        try:
            super().format_help_text(ctx, formatter)
        finally:
            self.help = original


FC = TypeVar("FC", bound=Callable[..., Any])


def command(name: str, help_code: str, **kw: Any) -> Callable[[Callable[..., Any]], Command]:
    """A command named ``name`` with help ``help_code``."""
    return click.command(name, cls=Command, help=help_code, **kw)


def option(*decls: str, **kw: Any) -> Callable[[FC], FC]:
    """An option whose ``help=`` (and ``metavar=``, when given) is a catalogue code."""
    return click.option(*decls, cls=Option, **kw)


def argument(*decls: str, **kw: Any) -> Callable[[FC], FC]:
    """An argument whose placeholder is in the current language (see :class:`Argument`)."""
    return click.argument(*decls, cls=Argument, **kw)


def fail(exc: MaturityError) -> NoReturn:
    """Every library error ends here: one message each on stderr, the exit code it carries."""
    click.echo(str(exc), err=True)
    if isinstance(exc, InputError):
        n = len(exc.problems)
        click.echo(t("cli.problem_found" if n == 1 else "cli.problems_found", n=n), err=True)
    sys.exit(exc.exit_code)


class Group(click.Group):
    """A group of commands whose ``help`` is a catalogue code (its commands are
    :class:`Command`)."""

    command_class = Command

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        return _usage_pieces(super().collect_usage_pieces(ctx))

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        language_from(args)
        return super().parse_args(ctx, args)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return _help_in_language(super().get_help_option(ctx))

    def get_short_help_str(self, limit: int = 45) -> str:
        original, self.help = self.help, _text(self.help)
        try:
            return super().get_short_help_str(limit)
        finally:
            self.help = original

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        original, self.help = self.help, _text(self.help)
        try:
            super().format_help_text(ctx, formatter)
        finally:
            self.help = original


class LazyGroup(click.Group):
    """The ``maturity`` group: commands are imported when they are asked for (``maturity
    --help`` imports only the light command modules, and a command imports the library parts
    it uses when it runs), and the library's errors are turned into messages here, once."""

    def __init__(self, *args: Any, lazy: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = lazy

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        return _usage_pieces(super().collect_usage_pieces(ctx))

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        language_from(args)
        return super().parse_args(ctx, args)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return _help_in_language(super().get_help_option(ctx))

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy and cmd_name not in self.commands:
            module, _, attr = self.lazy[cmd_name].partition(":")
            found = getattr(importlib.import_module(module), attr)
            self.add_command(found, cmd_name)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except MaturityError as exc:
            fail(exc)
        except OSError as exc:  # a file that vanished or cannot be read: name it
            name = getattr(exc, "filename", None) or "?"
            click.echo(t("cli.cannot_read", path=name, why=exc.strerror or str(exc)), err=True)
            sys.exit(1)

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        original, self.help = self.help, _text(self.help)
        try:
            super().format_help_text(ctx, formatter)
        finally:
            self.help = original


# --------------------------------------------------------------------------- click's messages


def _click_table() -> dict[str, str]:
    """click's English messages and their Vietnamese (catalogue codes ``click.*``)."""
    return {en: vi for code, (en, vi) in MESSAGES.items() if code.startswith("click.")}


def _gettext(message: str) -> str:
    if language() != "vi":
        return message
    return _click_table().get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _gettext(singular if n == 1 else plural)


def _path_name(self: click.Path) -> str:
    if not self.dir_okay:
        return t("click.file")
    return t("click.directory") if not self.file_okay else t("click.path")


_TYPE_NAMES: tuple[tuple[type[click.ParamType[Any]], str], ...] = (
    (click.types.IntParamType, "click.type.integer"),
    (click.types.FloatParamType, "click.type.float"),
    (click.IntRange, "click.type.integer_range"),
    (click.FloatRange, "click.type.float_range"),
    (click.types.BoolParamType, "click.type.boolean"),
)


def _name_in_language(code: str) -> property:
    return property(lambda _self: t(code), lambda _self, _value: None)


def translate_click() -> None:
    """Route click's own messages (usage errors, "Usage:", "Options", "Show this message and
    exit.") through the catalogue, so that ``--lang vi`` leaves no English behind; the type
    names click puts in them ("'x' is not a valid integer", "File 'a' does not exist") are
    read in the language of the moment they are shown, not of the moment click made them."""
    for cls, code in _TYPE_NAMES:
        setattr(cls, "name", _name_in_language(code))  # noqa: B010  # a class attribute of click
    setattr(click.Path, "name", property(_path_name, lambda _self, _value: None))  # noqa: B010
    for name in ("core", "exceptions", "decorators", "parser", "types", "formatting", "termui"):
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = _gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext  # type: ignore[attr-defined]
