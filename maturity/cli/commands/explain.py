"""``maturity explain`` and ``maturity whatif``: one unit, why it has its level and what would
change it."""

from __future__ import annotations

from pathlib import Path

from maturity.cli.base import command, option
from maturity.cli.context import (
    emit,
    find_unit,
    get_framework,
    get_registry,
    load_batch,
    score_verified,
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


@command("explain", "help.cmd.explain")
@submissions_argument
@option("--unit", "unit_id", required=True, help="help.opt.unit_explain")
@framework_option
@units_option
@missing_option()
@option("--trace", "with_trace", is_flag=True, help="help.opt.trace")
@decimal_mark_option
@verified_option
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
    fmt_name: str,
    fmt: str,
    output: Path | None,
) -> None:
    from maturity.analysis.explain import explain_unit
    from maturity.render.explain import explanation_doc
    from maturity.render.writers import write_any
    from maturity.scoring.engine import score_batch

    fw = get_framework(framework_path)
    registry = get_registry(fw, units)
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
    doc = explanation_doc(results, exp)
    if report is not None:
        from maturity.analysis.verification import for_unit
        from maturity.render.verification import explained_doc

        doc = explained_doc(doc, for_unit(report, unit_id))
    emit(write_any(doc, fmt_name, fmt), output)


@command("whatif", "help.cmd.whatif")
@submissions_argument
@option("--unit", "unit_id", required=True, help="help.opt.unit_whatif")
@option("--set", "assignments", multiple=True, metavar="NAME=VALUE", help="help.opt.set")
@option("--path", "use_path", is_flag=True, help="help.opt.path")
@framework_option
@units_option
@missing_option()
@decimal_mark_option
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
