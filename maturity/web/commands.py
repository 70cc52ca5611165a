"""``maturity serve`` and ``maturity users``: the platform's commands.

They are registered in :mod:`maturity.cli` lazily, so ``maturity --help`` does not import
Django. Both read the same data folder and database options (and environment variables).
"""

from __future__ import annotations

import functools
import os
import secrets
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from maturity.cli.base import Argument, Command, Group, Option
from maturity.i18n import LANGUAGES, language

F = TypeVar("F", bound=Callable[..., Any])

NO_DJANGO = (
    "the platform needs the web extra: pip install 'maturity[web]'",
    "nền tảng cần gói bổ sung web: pip install 'maturity[web]'",
)
ROLES = ("commune_officer", "province_officer", "evaluator", "policy_author")


def _data_default() -> str:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(base) / "maturity")


def _lang_of(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    """The language of the messages: ``--lang`` if given, else the one ``maturity --lang`` or
    ``MATURITY_LANG`` chose, as for every other command."""
    return value or language()


def platform_options(func: F) -> F:
    """--data, --database, --lang: shared by every platform command."""
    func = click.option(
        "--lang",
        cls=Option,
        type=click.Choice(LANGUAGES),
        default=None,
        callback=_lang_of,
        help="help.opt.lang",
    )(func)
    func = click.option(
        "--database",
        cls=Option,
        envvar="MATURITY_DATABASE_URL",
        metavar="click.metavar.url",
        help="help.opt.web_database",
    )(func)
    func = click.option(
        "--data",
        "data_dir",
        cls=Option,
        envvar="MATURITY_DATA_DIR",
        type=click.Path(file_okay=False, path_type=Path),
        default=_data_default,
        show_default="help.default.web_data",
        help="help.opt.web_data",
    )(func)
    return func


def _fail(text: str, code: int = 1) -> None:
    click.echo(text, err=True)
    sys.exit(code)


def handle_platform_errors(func: F) -> F:
    """The platform's errors as one message each, in the chosen language; never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from maturity.web.engine import EngineError
        from maturity.web.errors import PlatformError
        from maturity.web.messages import msg

        lang = kwargs.get("lang") or language()
        try:
            return func(*args, **kwargs)
        except PlatformError as exc:
            for p in exc.problems:
                text = p.message or msg(p.code, lang=lang, **p.args)
                click.echo(f"{p.field}: {text}" if p.field else text, err=True)
            sys.exit(1)
        except EngineError as exc:
            _fail(str(exc))
        return None

    return wrapper  # type: ignore[return-value]


def setup(data_dir: Path, database: str | None, lang: str, *, create: bool = True) -> None:
    """Point Django at the data folder and database, create and migrate them (first start),
    and store the bundled framework and its unit registry."""
    try:
        import django
    except ImportError:  # without Django, the platform's catalogue cannot load either
        _fail(NO_DJANGO[0] if lang == "en" else NO_DJANGO[1])
    data_dir = data_dir.expanduser().resolve()
    if database:
        from maturity.web.dburl import parse_database_url

        try:
            parse_database_url(database)
        except ValueError:
            from maturity.web.messages import msg

            _fail(msg("serve.database", lang=lang, url=database.split("@")[-1]), 2)
        os.environ["MATURITY_DATABASE_URL"] = database
    if create:
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        key = data_dir / "secret.key"
        if not key.exists():
            key.write_text(secrets.token_urlsafe(50), encoding="utf-8")
            key.chmod(0o600)
    os.environ["MATURITY_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maturity.web.settings")
    import django
    from django.core.management import call_command
    from django.db import DatabaseError, connections

    django.setup()
    try:
        call_command("migrate", verbosity=0, interactive=False)
    except DatabaseError as exc:
        from maturity.web.messages import msg

        _fail(msg("serve.database_down", lang=lang, why=str(exc).strip().splitlines()[0]))
    from maturity.web.evaluation.frameworks import handle_for, register_bundled

    handle_for(register_bundled().digest)  # loaded before the workers fork: they share it
    connections.close_all()  # never share a connection with forked workers


@click.command(cls=Command, help="help.cmd.serve")
@click.option(
    "--host", cls=Option, default="127.0.0.1", show_default=True, help="help.opt.web_host"
)
@click.option(
    "--port",
    cls=Option,
    default=8000,
    show_default=True,
    type=click.IntRange(1, 65535),
    help="help.opt.web_port",
)
@click.option(
    "--workers",
    cls=Option,
    default=2,
    show_default=True,
    type=click.IntRange(1, 64),
    help="help.opt.web_workers",
)
@click.option(
    "--threads",
    cls=Option,
    default=8,
    show_default=True,
    type=click.IntRange(1, 256),
    help="help.opt.web_threads",
)
@click.option(
    "--allowed-host",
    "allowed_hosts",
    cls=Option,
    multiple=True,
    metavar="click.metavar.name",
    help="help.opt.web_allowed_host",
)
@click.option(
    "--access-log/--no-access-log",
    cls=Option,
    default=True,
    show_default=True,
    help="help.opt.web_access_log",
)
@platform_options
@handle_platform_errors
def serve(
    host: str,
    port: int,
    workers: int,
    threads: int,
    allowed_hosts: tuple[str, ...],
    access_log: bool,
    data_dir: Path,
    database: str | None,
    lang: str,
) -> None:
    hosts = ["127.0.0.1", "localhost", "[::1]", host, *allowed_hosts]
    os.environ["MATURITY_ALLOWED_HOSTS"] = ",".join(dict.fromkeys(hosts))
    setup(data_dir, database, lang)
    from maturity.web.messages import msg
    from maturity.web.server import run

    where = "postgresql" if database else "sqlite"

    def ready() -> None:
        click.echo(
            msg(
                "serve.ready",
                lang=lang,
                host=host,
                port=port,
                data=data_dir,
                database=where,
                workers=workers,
            ),
            err=True,
        )

    run(host, port, workers, threads, access_log, ready)


@click.group(cls=Group, help="help.cmd.users")
def users() -> None:
    pass


def _unit_text(unit: str | None) -> str:
    return f", {unit}" if unit else ""


def _role_text(role: str, lang: str) -> str:
    from maturity.web.messages import msg

    return msg(f"role.{role}", lang=lang)


@users.command("add", help="help.cmd.users_add")
@click.argument("name", cls=Argument)
@click.option(
    "--role", cls=Option, type=click.Choice(ROLES), required=True, help="help.opt.web_role"
)
@click.option("--unit", "unit_id", cls=Option, metavar="click.metavar.id", help="help.opt.web_unit")
@click.option("--admin", cls=Option, is_flag=True, help="help.opt.web_admin")
@click.option("--password-stdin", cls=Option, is_flag=True, help="help.opt.web_password_stdin")
@platform_options
@handle_platform_errors
def users_add(
    name: str,
    role: str,
    unit_id: str | None,
    admin: bool,
    password_stdin: bool,
    data_dir: Path,
    database: str | None,
    lang: str,
) -> None:
    from maturity.web.messages import msg

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt(
            msg("user.password_prompt", lang=lang), hide_input=True, confirmation_prompt=True
        )
    setup(data_dir, database, lang)
    from maturity.web.accounts.services import add_user

    add_user(name, password, role, unit_id, admin=admin)
    click.echo(
        msg(
            "user.added",
            lang=lang,
            name=name,
            role=_role_text(role, lang),
            unit=_unit_text(unit_id),
        )
    )


@users.command("list", help="help.cmd.users_list")
@click.option(
    "--format",
    "fmt",
    cls=Option,
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="help.opt.users_format",
)
@platform_options
@handle_platform_errors
def users_list(fmt: str, data_dir: Path, database: str | None, lang: str) -> None:
    setup(data_dir, database, lang)
    from django.contrib.auth.models import User

    from maturity.render.document import Document, Table
    from maturity.render.writers import write
    from maturity.web.messages import msg

    rows: list[dict[str, Any]] = [
        {
            "name": u.username,
            "role": getattr(getattr(u, "profile", None), "role", None),
            "unit": getattr(getattr(u, "profile", None), "unit_id", None),
            "active": u.is_active,
        }
        for u in User.objects.select_related("profile").order_by("username")
    ]
    headers = [msg(f"user.col.{k}", lang=lang) for k in ("name", "role", "unit", "active")]
    table = [
        [
            r["name"],
            _role_text(r["role"], lang) if r["role"] else "",
            r["unit"] or "",
            msg("user.yes" if r["active"] else "user.no", lang=lang),
        ]
        for r in rows
    ]
    doc = Document([Table(headers, table, empty=msg("user.none", lang=lang))], data=rows)
    click.echo(write(doc, fmt), nl=False)


@users.command("disable", help="help.cmd.users_disable")
@click.argument("name", cls=Argument)
@platform_options
@handle_platform_errors
def users_disable(name: str, data_dir: Path, database: str | None, lang: str) -> None:
    setup(data_dir, database, lang)
    from maturity.web.accounts.services import disable_user
    from maturity.web.messages import msg

    disable_user(name)
    click.echo(msg("user.disabled", lang=lang, name=name))


@users.command("set-role", help="help.cmd.users_set_role")
@click.argument("name", cls=Argument)
@click.option(
    "--role", cls=Option, type=click.Choice(ROLES), required=True, help="help.opt.web_role"
)
@click.option("--unit", "unit_id", cls=Option, metavar="click.metavar.id", help="help.opt.web_unit")
@platform_options
@handle_platform_errors
def users_set_role(
    name: str, role: str, unit_id: str | None, data_dir: Path, database: str | None, lang: str
) -> None:
    setup(data_dir, database, lang)
    from maturity.web.accounts.services import set_role
    from maturity.web.messages import msg

    set_role(name, role, unit_id)
    click.echo(
        msg(
            "user.role_set",
            lang=lang,
            name=name,
            role=_role_text(role, lang),
            unit=_unit_text(unit_id),
        )
    )
