"""What every command shares when it runs: reading the framework, the registry and the
submissions (every file argument checked and named), writing the output (never over a file
the command read), finding the unit ``--unit`` names, scoring with verified values."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from maturity.errors import MaturityError, UsageError
from maturity.i18n import msg, t

if TYPE_CHECKING:
    from maturity.analysis.verification import VerificationReport
    from maturity.framework.compiled import Framework
    from maturity.inputs.submissions import Batch
    from maturity.inputs.units import Registry
    from maturity.render.view import View
    from maturity.scoring.results import Results


def shown(path: Path) -> str:
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


def emit(text: str | bytes | Iterable[str], output: Path | None) -> None:
    """Write the output: to ``--output`` (never over a file the command read), else to the
    terminal; bytes (a workbook) only to a file. Text may come as chunks (a streamed writer),
    written one after the other."""
    if output is None:
        if isinstance(text, bytes):
            raise UsageError(t("cli.binary_needs_output"))
        for chunk in [text] if isinstance(text, str) else text:
            click.echo(chunk, nl=False)
        return
    ctx = click.get_current_context(silent=True)
    known: set[Path] = ctx.find_root().meta.get("maturity.inputs", set()) if ctx else set()
    if output.resolve() in known:
        raise UsageError(t("cli.output_is_input", path=shown(output)))
    try:
        if isinstance(text, bytes):
            output.write_bytes(text)
        else:
            with output.open("w", encoding="utf-8") as handle:
                handle.writelines([text] if isinstance(text, str) else text)
    except OSError as exc:
        raise MaturityError(
            t("cli.cannot_write", path=str(output), why=exc.strerror or str(exc))
        ) from None


def need_file(path: Path, what: str) -> Path:
    """``path`` must be an existing file: else a usage error naming it (and, for a folder of
    framework manifests, the manifests in it)."""
    if not path.exists():
        raise UsageError(t("cli.no_such_path", what=what, path=shown(path)))
    if path.is_dir():
        manifests = sorted(p for p in path.glob("*.yaml"))
        hint = t("cli.manifests_in", files=", ".join(shown(p) for p in manifests[:6]))
        raise UsageError(
            t("cli.folder_not_file", what=what, path=shown(path), hint=hint if manifests else "")
        )
    return path


def submission_paths(submissions: tuple[Path, ...], what: str = "") -> list[Path]:
    """The submission files and folders to read (the bundled national example when none is
    given), each checked: it exists, and a folder holds at least one submission file."""
    from maturity.framework.bundled import default_submissions
    from maturity.inputs.load import submission_files

    what = what or t("cli.the_submissions")
    paths = list(submissions) or [default_submissions()]
    for path in paths:
        if not path.exists():
            raise UsageError(t("cli.no_such_path", what=what, path=shown(path)))
        if path.is_dir():
            found, _ = submission_files(path)
            if not found:
                raise UsageError(t("cli.empty_folder", what=what, path=shown(path)))
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
    from maturity.inputs.load import load_submissions

    paths = submission_paths(submissions)
    return load_submissions(paths, fw, registry, decimal_mark=decimal_mark)


def get_framework(path: Path | None, as_of: str | None = None) -> Framework:
    """The framework of ``--framework`` (checked), or the bundled national one."""
    from maturity.framework.bundled import default_framework
    from maturity.framework.load import load_framework

    if path is not None:
        need_file(path, "'--framework'")
    fw = load_framework(path or default_framework(), as_of=as_of)
    register_inputs(*fw.files)
    return fw


def get_registry(fw: Framework, units: Path | None) -> Registry:
    """The unit registry of ``--units`` (checked), or the framework's own."""
    from maturity.inputs.units import load_registry

    if units is not None:
        registry = load_registry(need_file(units, "'--units'"))
        register_inputs(units)
        return registry
    if fw.manifest.units is None:
        raise UsageError(t("cli.no_registry", framework=fw.id))
    path = fw.path.parent / fw.manifest.units
    register_inputs(path)
    return load_registry(path, shown(path))


def run_scoring(
    framework_path: Path | None,
    submissions: tuple[Path, ...],
    units: Path | None,
    missing: str | None,
    as_of: str | None = None,
    decimal_mark: str | None = None,
) -> Results:
    from maturity.scoring.engine import score_batch

    fw = get_framework(framework_path, as_of)
    registry = get_registry(fw, units)
    batch = load_batch(submissions, fw, registry, decimal_mark)
    return score_batch(fw, batch, registry, missing_policy=missing)


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
    from maturity.scoring.engine import score_batch

    for path in verified:
        if not path.exists():
            raise UsageError(t("cli.no_such_path", what="'--verified'", path=shown(path)))
        register_inputs(*([p for p in path.rglob("*") if p.is_file()] if path.is_dir() else [path]))
    ver = load_verifications(list(verified), fw, registry)
    self_results = score_batch(fw, batch, registry, missing_policy=missing)
    verified_batch = apply_verifications(batch, ver)
    verified_results = score_batch(fw, verified_batch, registry, missing_policy=missing)
    report = compare(self_results, verified_results, ver)
    return self_results, verified_results, report, verified_batch


def find_unit(results: Results, unit_id: str) -> str:
    """The id of the unit ``--unit`` names in the scored batch: as given, or with the leading
    zeros a spreadsheet stripped put back (said on stderr); else a usage error."""
    import difflib

    if results.find(unit_id) is not None:
        return unit_id
    scored = {u.id: u for r in results.tiers.values() for u in r.units}
    widths = sorted({len(k) for k in scored if k.isdigit()})
    padded = [
        scored[unit_id.zfill(width)]
        for width in widths
        if unit_id.isdigit() and width > len(unit_id) and unit_id.zfill(width) in scored
    ]
    if len(padded) == 1:
        unit = padded[0]
        click.echo(t("cli.unit_padded", written=unit_id, id=unit.id, name=unit.name), err=True)
        return unit.id
    close = difflib.get_close_matches(unit_id, list(scored), n=1, cutoff=0.6)
    hint = msg("shape.did_you_mean", name=close[0]) if close else ""
    raise UsageError(t("cli.bad_unit", message=msg("w.unknown_unit", id=unit_id, hint=hint)))


def check_tier(results: Results, tier: str | None) -> None:
    """``--tier`` must be a tier of the framework."""
    if tier is not None and tier not in results.tiers:
        fw = results.framework
        known = ", ".join(results.tiers)
        raise UsageError(
            t(
                "cli.bad_tier",
                message=msg("tpl.unknown_tier", tier=tier, framework=fw.id, tiers=known),
            )
        )


def make_view(
    results: Results,
    tier: str | None,
    province: str | None,
    severity: str | None,
    top: int | None,
    quiet: bool,
    verbose: bool,
) -> View:
    """The view the options ask for; a province named by id (leading zeros optional) or by
    name, a usage error with the closest names otherwise."""
    from maturity.render.view import View, find_province

    check_tier(results, tier)
    found = find_province(results, province) if province is not None else None
    return View(tier=tier, province=found, severity=severity, top=top, quiet=quiet, verbose=verbose)
