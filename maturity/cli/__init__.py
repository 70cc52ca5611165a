"""The command line: parse -> call the library -> render -> echo.

This is the only layer that prints or chooses an exit code: 0 success, 1 invalid input or
a failed check, 2 wrong usage. The library's errors become one clear message each on
stderr, in one place (:class:`maturity.cli.base.LazyGroup`), never a traceback. Commands
live in ``maturity/cli/commands/`` and are imported when they are used; help texts and
click's own messages are in the catalogue, in Vietnamese and English.
"""

from __future__ import annotations

import click

from maturity import __version__
from maturity.cli.base import LazyGroup, Option, translate_click
from maturity.cli.options import root_lang_option

COMMANDS = {
    "validate": "maturity.cli.commands.framework:validate",
    "schema": "maturity.cli.commands.framework:schema",
    "indicators": "maturity.cli.commands.framework:indicators",
    "score": "maturity.cli.commands.score:score",
    "explain": "maturity.cli.commands.explain:explain",
    "whatif": "maturity.cli.commands.explain:whatif",
    "template": "maturity.cli.commands.template:template",
    "test": "maturity.cli.commands.ruletest:test",
    "diff": "maturity.cli.commands.policy:diff",
    "sensitivity": "maturity.cli.commands.policy:sensitivity",
    "report": "maturity.cli.commands.report:report",
    "compare": "maturity.cli.commands.compare:compare",
    "problems": "maturity.cli.commands.problems:problems",
    # the platform's commands: their module imports only click (Django loads when one runs)
    "serve": "maturity.web.commands:serve",
    "users": "maturity.web.commands:users",
}
"""Every command: its name and where it is defined (``module:attribute``)."""

translate_click()


@click.group(
    cls=LazyGroup,
    lazy=COMMANDS,
    help="help.cmd.main",
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, prog_name="maturity", cls=Option, help="click.version")
@root_lang_option
def main() -> None:
    pass
