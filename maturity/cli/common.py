"""What every command shares: error handling, common options, output, loading the framework,
the registry and the submissions. Kept apart from :mod:`maturity.cli` so that the command
modules (``_cmd_*``) and the CLI can import it without a cycle."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from maturity.errors import InputError, MaturityError, UsageError
from maturity.framework.bundled import default_framework, default_submissions
from maturity.framework.compiled import Framework
from maturity.framework.load import load_framework
from maturity.i18n import set_language, t
from maturity.inputs.load import load_submissions
from maturity.inputs.submissions import Batch
from maturity.inputs.units import Registry, load_registry
from maturity.render.grid import TABLE_STYLES
from maturity.scoring.engine import score_batch
from maturity.scoring.results import Results

if TYPE_CHECKING:
    from maturity.analysis.verification import VerificationReport


F = TypeVar("F", bound=Callable[..., Any])


def _fail(exc: MaturityError) -> None:
    click.echo(str(exc), err=True)
    if isinstance(exc, InputError):
        n = len(exc.problems)
        click.echo(f"{n} problem{'s' if n != 1 else ''} found.", err=True)
    sys.exit(exc.exit_code)


def handle_errors(func: F) -> F:
    """Turn the library's errors into messages and exit codes, in exactly one place."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except MaturityError as exc:
            _fail(exc)
        except OSError as exc:  # a file that vanished or cannot be read: name it
            name = getattr(exc, "filename", None) or "?"
            click.echo(t("cli.cannot_read", path=name, why=exc.strerror or str(exc)), err=True)
            sys.exit(1)
        return None

    return wrapper  # type: ignore[return-value]


def lang_option(func: F) -> F:
    def set_lang(ctx: click.Context, param: click.Parameter, value: str) -> str:
        set_language(value)
        return value

    return click.option(
        "--lang",
        type=click.Choice(["vi", "en"]),
        default="en",
        show_default=True,
        expose_value=True,
        is_eager=True,
        callback=set_lang,
        help="Language of labels and messages / ngôn ngữ.",
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
    """The shared output options: --format (any writer but ``exclude``), --fmt, --output."""

    def decorate(func: F) -> F:
        func = click.option(
            "--output",
            "-o",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Write to this file instead of standard output.",
        )(func)
        func = click.option(
            "--fmt",
            type=click.Choice(TABLE_STYLES),
            default="simple",
            show_default=True,
            help="Table style for --format table (simple, grid, github, ...).",
        )(func)
        func = click.option(
            "--format",
            "fmt_name",
            type=FormatChoice(exclude),
            default="table",
            show_default=True,
            help="Output format.",
        )(func)
        return func

    return decorate


def verified_option(func: F) -> F:
    return click.option(
        "--verified",
        "verified",
        multiple=True,
        type=click.Path(path_type=Path),
        help="An evaluator's verification file (or folder of them; repeatable): verified "
        "values replace self-assessed ones, and both results are shown.",
    )(func)


def units_option(func: F) -> F:
    return click.option(
        "--units",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Unit registry CSV (default: the framework's).",
    )(func)


def missing_option(
    help_text: str = "Override the framework's missing-data policy.",
) -> Callable[[F], F]:
    def decorate(func: F) -> F:
        return click.option("--missing", type=click.Choice(["zero", "exclude"]), help=help_text)(
            func
        )

    return decorate


def framework_option(func: F) -> F:
    return click.option(
        "--framework",
        "-f",
        "framework_path",
        type=click.Path(path_type=Path),
        help="Framework manifest (default: the bundled national framework).",
    )(func)


def _shown(path: Path) -> str:
    """A path as the user would write it: relative to the working folder when it can be."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def register_inputs(*paths: Path) -> None:
    """Remember the files this command reads, so ``--output`` can never overwrite one."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        known: set[Path] = ctx.find_root().meta.setdefault("maturity.inputs", set())
        known.update(p.resolve() for p in paths)


def emit(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    ctx = click.get_current_context(silent=True)
    known: set[Path] = ctx.find_root().meta.get("maturity.inputs", set()) if ctx else set()
    if output.resolve() in known:
        raise UsageError(t("cli.output_is_input", path=_shown(output)))
    try:
        with output.open("w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        raise MaturityError(
            t("cli.cannot_write", path=str(output), why=exc.strerror or str(exc))
        ) from None


def need_file(path: Path, what: str) -> Path:
    """``path`` must be an existing file: else a usage error naming it (and, for a folder of
    framework manifests, the manifests in it)."""
    if not path.exists():
        raise UsageError(t("cli.no_such_path", what=what, path=_shown(path)))
    if path.is_dir():
        manifests = sorted(p for p in path.glob("*.yaml"))
        hint = t("cli.manifests_in", files=", ".join(_shown(p) for p in manifests[:6]))
        raise UsageError(
            t("cli.folder_not_file", what=what, path=_shown(path), hint=hint if manifests else "")
        )
    return path


def submission_paths(submissions: tuple[Path, ...], what: str = "") -> list[Path]:
    """The submission files and folders to read (the bundled national example when none is
    given), each checked: it exists, and a folder holds at least one submission file."""
    from maturity.inputs.load import submission_files

    what = what or t("cli.the_submissions")
    paths = list(submissions) or [default_submissions()]
    for path in paths:
        if not path.exists():
            raise UsageError(t("cli.no_such_path", what=what, path=_shown(path)))
        if path.is_dir():
            found, _ = submission_files(path)
            if not found:
                raise UsageError(t("cli.empty_folder", what=what, path=_shown(path)))
            register_inputs(*found)
        else:
            register_inputs(path)
    return paths


def load_batch(
    submissions: tuple[Path, ...],
    fw: Framework,
    registry: Registry,
    decimal_mark: str | None = None,
) -> Batch:
    """Read the command's submissions (checked first, see :func:`submission_paths`)."""
    return load_submissions(submission_paths(submissions), fw, registry, decimal_mark=decimal_mark)


def get_framework(path: Path | None, as_of: str | None = None) -> Framework:
    if path is not None:
        need_file(path, "'--framework'")
    fw = load_framework(path or default_framework(), as_of=as_of)
    register_inputs(*fw.files)
    return fw


def get_registry(fw: Framework, units: Path | None) -> Registry:
    if units is not None:
        registry = load_registry(need_file(units, "'--units'"))
        register_inputs(units)
        return registry
    if fw.manifest.units is None:
        raise UsageError(t("cli.no_registry", framework=fw.id))
    path = fw.path.parent / fw.manifest.units
    register_inputs(path)
    return load_registry(path, _shown(path))


def run_scoring(
    framework_path: Path | None,
    submissions: tuple[Path, ...],
    units: Path | None,
    missing: str | None,
    as_of: str | None = None,
    decimal_mark: str | None = None,
) -> Results:
    fw = get_framework(framework_path, as_of)
    registry = get_registry(fw, units)
    batch = load_batch(submissions, fw, registry, decimal_mark)
    return score_batch(fw, batch, registry, missing_policy=missing)


def check_as_of(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``--as-of`` must be an ISO date: which rules are in force is otherwise undefined."""
    import re
    from datetime import date

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


def decimal_mark_option(func: F) -> F:
    return click.option(
        "--decimal-mark",
        "decimal_mark",
        type=click.Choice([",", "."]),
        help="The decimal mark of submissions that do not state their own (locale: vi|en, or "
        "a first line '# locale: vi' in a table). Without it, a value like 1.000 is rejected "
        "as ambiguous.",
    )(func)


def score_verified(
    fw: Framework,
    batch: Batch,
    registry: Registry,
    missing: str | None,
    verified: tuple[Path, ...],
) -> tuple[Results, Results, VerificationReport, Batch]:
    """Score the batch as submitted and with the evaluators' verified values in place:
    (self-assessed results, verified results, the comparison, the verified batch)."""
    from maturity.analysis.verification import apply_verifications, compare
    from maturity.inputs.verification import load_verifications

    for path in verified:
        if not path.exists():
            raise UsageError(t("cli.no_such_path", what="'--verified'", path=_shown(path)))
        register_inputs(*([p for p in path.rglob("*") if p.is_file()] if path.is_dir() else [path]))
    ver = load_verifications(list(verified), fw, registry)
    self_results = score_batch(fw, batch, registry, missing_policy=missing)
    verified_batch = apply_verifications(batch, ver)
    verified_results = score_batch(fw, verified_batch, registry, missing_policy=missing)
    report = compare(self_results, verified_results, ver)
    return self_results, verified_results, report, verified_batch
