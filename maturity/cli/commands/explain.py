"""``maturity explain`` and ``maturity whatif``: one unit, why it has its level and what would
change it."""

from __future__ import annotations

from pathlib import Path

import click

from maturity.cli.base import command, option
from maturity.cli.context import (
    emit,
    find_unit,
    get_framework,
    get_registry,
    load_batch,
    need_file,
    register_inputs,
    score_verified,
    shown,
)
from maturity.cli.options import (
    decimal_mark_option,
    framework_option,
    lang_option,
    missing_option,
    output_options,
    submissions_argument,
    units_option,
    verified_option,
)


def whatif_command(
    submissions: tuple[Path, ...],
    unit_id: str,
    framework_path: Path | None,
    units: Path | None,
    missing: str | None,
    decimal_mark: str | None,
    verified: tuple[Path, ...],
) -> str:
    """The ``maturity whatif --path`` command that applies the explained path to the user's own
    files with their own options, to be pasted as printed (quoted for a POSIX shell)."""
    import shlex

    from maturity.i18n import language

    parts = ["maturity", "whatif", *(str(p) for p in submissions), "--unit", unit_id, "--path"]
    for flag, value in (
        ("--framework", framework_path),
        ("--units", units),
        ("--missing", missing),
        ("--decimal-mark", decimal_mark),
    ):
        if value is not None:
            parts += [flag, str(value)]
    for path in verified:
        parts += ["--verified", str(path)]
    if language() != "en":
        parts += ["--lang", language()]
    return shlex.join(parts)


@command("explain", "help.cmd.explain")
@submissions_argument
@option("--unit", "unit_id", required=True, help="help.opt.unit_explain")
@framework_option
@units_option
@missing_option()
@option("--trace", "with_trace", is_flag=True, help="help.opt.trace")
@decimal_mark_option
@verified_option
@option(
    "--baseline", type=click.Path(dir_okay=False, path_type=Path), help="help.opt.explain_baseline"
)
@output_options(exclude=("csv",))
@lang_option
def explain(
    submissions: tuple[Path, ...],
    unit_id: str,
    framework_path: Path | None,
    units: Path | None,
    missing: str | None,
    with_trace: bool,
    decimal_mark: str | None,
    verified: tuple[Path, ...],
    baseline: Path | None,
    fmt_name: str,
    fmt: str,
    output: Path | None,
) -> None:
    from maturity.analysis.compare import since_baseline
    from maturity.analysis.explain import explain_unit
    from maturity.inputs.baseline import read_baseline
    from maturity.render.explain import explanation_doc
    from maturity.render.writers import write_any
    from maturity.scoring.engine import score_batch

    fw = get_framework(framework_path)
    registry = get_registry(fw, units)
    base = None
    if baseline is not None:
        need_file(baseline, "'--baseline'")
        register_inputs(baseline)
        base = read_baseline(baseline, shown(baseline))
    batch = load_batch(submissions, fw, registry, decimal_mark)
    report = None
    if verified:
        _, results, report, batch = score_verified(fw, batch, registry, missing, verified)
    else:
        results = score_batch(fw, batch, registry, missing_policy=missing)
    unit_id = find_unit(results, unit_id)
    exp = explain_unit(results, unit_id, with_trace=with_trace, batch=batch, registry=registry)
    if with_trace and fmt_name != "json":
        fmt_name = "json"  # the trace is machine-readable
    command = whatif_command(
        submissions, unit_id, framework_path, units, missing, decimal_mark, verified
    )
    since = since_baseline(exp, base, fw.digest) if base is not None else None
    doc = explanation_doc(results, exp, command, since)
    if report is not None:
        from maturity.analysis.verification import for_unit
        from maturity.render.verification import explained_doc

        doc = explained_doc(doc, for_unit(report, unit_id))
    emit(write_any(doc, fmt_name, fmt), output)


@command("whatif", "help.cmd.whatif")
@submissions_argument
@option("--unit", "unit_id", required=True, help="help.opt.unit_whatif")
@option(
    "--set", "assignments", multiple=True, metavar="click.metavar.assignment", help="help.opt.set"
)
@option("--path", "use_path", is_flag=True, help="help.opt.path")
@framework_option
@units_option
@missing_option()
@decimal_mark_option
@verified_option
@output_options(exclude=("csv", "xlsx"))
@lang_option
def whatif(
    submissions: tuple[Path, ...],
    unit_id: str,
    assignments: tuple[str, ...],
    use_path: bool,
    framework_path: Path | None,
    units: Path | None,
    missing: str | None,
    decimal_mark: str | None,
    verified: tuple[Path, ...],
    fmt_name: str,
    fmt: str,
    output: Path | None,
) -> None:
    from maturity.analysis.explain import explain_unit, path_overrides
    from maturity.analysis.whatif import compare, parse_changes
    from maturity.errors import UsageError
    from maturity.i18n import t
    from maturity.render.explain import whatif_doc
    from maturity.render.writers import write
    from maturity.scoring.engine import score_batch

    fw = get_framework(framework_path)
    registry = get_registry(fw, units)
    batch = load_batch(submissions, fw, registry, decimal_mark)
    if verified:  # what-if on the verified values, as explain --verified explains them
        _, before, _, batch = score_verified(fw, batch, registry, missing, verified)
    else:
        before = score_batch(fw, batch, registry, missing_policy=missing)
    unit_id = find_unit(before, unit_id)
    found = before.find(unit_id)
    assert found is not None
    changes: dict[str, float] = {}
    if use_path:
        exp = explain_unit(before, unit_id, batch=batch, registry=registry)
        changes.update(path_overrides(exp.path))
    changes.update(parse_changes(fw, found[0].tier, assignments, decimal_mark))
    if not changes:
        raise UsageError(t("w.nothing"))
    after = score_batch(fw, batch, registry, missing_policy=missing, overrides={unit_id: changes})
    emit(write(whatif_doc(compare(before, after, unit_id, changes)), fmt_name, fmt), output)
