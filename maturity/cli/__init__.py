"""The command line: parse -> call the library -> render -> echo.

This is the only layer that prints or chooses an exit code: 0 success, 1 invalid input or
a failed check, 2 wrong usage. Errors are one clear message each on stderr, never a traceback.
Shared options and helpers live in :mod:`maturity._cli_common`; the policy, template and
rule-test commands in ``maturity._cmd_*``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from maturity import __version__
from maturity.analysis.whatif import _indicator_range
from maturity.cli.common import (
    _shown,
    check_as_of,
    decimal_mark_option,
    emit,
    framework_option,
    get_framework,
    get_registry,
    handle_errors,
    lang_option,
    load_batch,
    missing_option,
    output_options,
    run_scoring,
    score_verified,
    units_option,
    verified_option,
)
from maturity.cli.policy import diff as _diff_command
from maturity.cli.policy import sensitivity as _sensitivity_command
from maturity.cli.ruletest import test as _test_command
from maturity.cli.template import template as _template_command
from maturity.errors import InputError, UsageError
from maturity.framework.bundled import bundled_frameworks
from maturity.framework.load import framework_schema, load_framework, rules_schema
from maturity.inputs.units import load_registry
from maturity.render.catalogue import render_catalogue
from maturity.render.document import Document
from maturity.render.results import render
from maturity.render.writers import write
from maturity.scoring.engine import score_batch
from maturity.scoring.results import Results


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="maturity")
def main() -> None:
    """maturity: rules-as-code evaluation of digital-transformation maturity.

    Đánh giá mức độ trưởng thành chuyển đổi số theo quy tắc viết bằng mã.
    """


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@lang_option
@handle_errors
def validate(paths: tuple[Path, ...], lang: str) -> None:
    """Check frameworks and their rule files; every problem, sorted, one per line.

    PATHS are framework manifests (a rule file is checked through the framework that
    includes it; a folder means every manifest in it). Default: every bundled framework.
    """
    targets: list[Path] = []
    for path in paths or tuple(bundled_frameworks()):
        if path.is_dir():
            targets.extend(sorted(path.glob("*.yaml")))
        else:
            targets.append(path)
    problems = []
    count = 0
    for target in targets:
        try:
            fw = load_framework(target)
            if fw.manifest.units is not None:  # the registry is part of the framework
                load_registry(
                    fw.path.parent / fw.manifest.units, _shown(fw.path.parent / fw.manifest.units)
                )
            count += len(fw.indicators)
            summary = f"{len(fw.indicators)} indicators, {len(fw.inputs)} inputs"
            click.echo(f"ok {_shown(target)}: {fw.id} {fw.version}, {summary}")
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)


SCHEMAS = ("framework", "rules", "submission", "result")


@main.command()
@click.argument("kind", type=click.Choice(SCHEMAS))
@framework_option
@handle_errors
def schema(kind: str, framework_path: Path | None) -> None:
    """Print a JSON Schema (draft 2020-12) for editors and other tools."""
    if kind == "framework":
        doc = framework_schema()
    elif kind == "rules":
        doc = rules_schema()
    elif kind == "submission":
        from maturity.framework.schemas import submission_schema

        doc = submission_schema(get_framework(framework_path))
    else:
        from maturity.render.schema import result_schema

        doc = result_schema()
    click.echo(write(Document(data=doc), "json"), nl=False)


@main.command()
@framework_option
@output_options()
@lang_option
@handle_errors
def indicators(
    framework_path: Path | None, fmt_name: str, fmt: str, output: Path | None, lang: str
) -> None:
    """The framework's indicator catalogue."""
    emit(render_catalogue(get_framework(framework_path), fmt_name, fmt), output)


@main.command()
@click.argument("submissions", nargs=-1, type=click.Path(path_type=Path))
@framework_option
@units_option
@click.option(
    "--tier",
    help="Show only this tier (all tiers are still scored, so provinces see their communes).",
)
@missing_option()
@click.option(
    "--sort", type=click.Choice(["rank", "score", "id"]), default="rank", show_default=True
)
@click.option(
    "--as-of", callback=check_as_of, help="Apply only the rules in force on this ISO date."
)
@click.option("--strict", is_flag=True, help="Exit 1 when any diagnostic is an error.")
@decimal_mark_option
@verified_option
@output_options()
@lang_option
@handle_errors
def score(
    submissions: tuple[Path, ...],
    framework_path: Path | None,
    units: Path | None,
    tier: str | None,
    missing: str | None,
    sort: str,
    as_of: str | None,
    strict: bool,
    decimal_mark: str | None,
    verified: tuple[Path, ...],
    fmt_name: str,
    fmt: str,
    output: Path | None,
    lang: str,
) -> None:
    """Score units from their submissions (YAML/JSON per unit, or CSV tables).

    Without SUBMISSIONS, scores the bundled national example. With --verified, the results
    are those after verification, shown beside the self-assessed ones.
    """
    if verified:
        from maturity.render.verification import render_scores

        fw = get_framework(framework_path, as_of)
        registry = get_registry(fw, units)
        batch = load_batch(submissions, fw, registry, decimal_mark)
        self_results, results, report, _ = score_verified(fw, batch, registry, missing, verified)
    else:
        results = run_scoring(framework_path, submissions, units, missing, as_of, decimal_mark)
    if tier is not None and tier not in results.tiers:
        fw_id, known = results.framework.id, ", ".join(results.tiers)
        raise UsageError(
            f"Invalid value for '--tier': '{tier}' is not a tier of {fw_id} ({known})."
        )
    if verified:
        text = render_scores(
            self_results, results, report, fmt_name, sort=sort, tier=tier, tablefmt=fmt
        )
    else:
        text = render(results, fmt_name, sort=sort, tier=tier, tablefmt=fmt)
    emit(text, output)
    if results.scored_count() == 0:
        from maturity.i18n import t

        click.echo(t("score.nothing_batch"), err=True)
        sys.exit(1)
    if strict and any(d.severity == "error" for d in results.diagnostics):
        sys.exit(1)


def _find_unit(results: Results, unit_id: str) -> str:
    """The id of the unit ``--unit`` names in the scored batch: as given, or with the leading
    zeros a spreadsheet stripped put back (said on stderr); else a usage error."""
    import difflib

    from maturity.i18n import t

    if results.find(unit_id) is not None:
        return unit_id
    scored = {u.id: u for r in results.tiers.values() for u in r.units}
    padded = [
        scored[unit_id.zfill(width)]
        for width in sorted({len(k) for k in scored if k.isdigit()})
        if unit_id.isdigit() and width > len(unit_id) and unit_id.zfill(width) in scored
    ]
    if len(padded) == 1:
        unit = padded[0]
        click.echo(t("cli.unit_padded", written=unit_id, id=unit.id, name=unit.name), err=True)
        return unit.id
    close = difflib.get_close_matches(unit_id, list(scored), n=1, cutoff=0.6)
    hint = t("shape.did_you_mean", name=close[0]) if close else ""
    raise UsageError(f"Invalid value for '--unit': {t('w.unknown_unit', id=unit_id, hint=hint)}")


@main.command()
@click.argument("submissions", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--unit", "unit_id", required=True, help="The unit to explain (its id in the registry)."
)
@framework_option
@units_option
@missing_option()
@click.option(
    "--trace",
    "with_trace",
    is_flag=True,
    help="Add the machine-readable trace behind every number (JSON).",
)
@decimal_mark_option
@verified_option
@output_options(exclude=("csv",))
@lang_option
@handle_errors
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
    lang: str,
) -> None:
    """Explain one unit: score, level and why, gaps, data gaps, and the path to the next level."""
    from maturity.analysis.explain import explain_unit
    from maturity.render.explain import explanation_doc
    from maturity.render.writers import write

    fw = get_framework(framework_path)
    registry = get_registry(fw, units)
    batch = load_batch(submissions, fw, registry, decimal_mark)
    report = None
    if verified:
        _, results, report, batch = score_verified(fw, batch, registry, missing, verified)
    else:
        results = score_batch(fw, batch, registry, missing_policy=missing)
    unit_id = _find_unit(results, unit_id)
    exp = explain_unit(results, unit_id, with_trace=with_trace, batch=batch, registry=registry)
    if with_trace and fmt_name != "json":
        fmt_name = "json"  # the trace is machine-readable
    doc = explanation_doc(results, exp)
    if report is not None:
        from maturity.analysis.verification import for_unit
        from maturity.render.verification import explained_doc

        doc = explained_doc(doc, for_unit(report, unit_id))
    text = write(doc, fmt_name, fmt)
    emit(text, output)


@main.command()
@click.argument("submissions", nargs=-1, type=click.Path(path_type=Path))
@click.option("--unit", "unit_id", required=True, help="The unit to change.")
@click.option(
    "--set",
    "assignments",
    multiple=True,
    metavar="NAME=VALUE",
    help="An input or indicator value (repeatable).",
)
@click.option(
    "--path",
    "use_path",
    is_flag=True,
    help="Apply the path to the next level that `explain` proposes.",
)
@framework_option
@units_option
@missing_option()
@decimal_mark_option
@output_options(exclude=("csv",))
@lang_option
@handle_errors
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
    lang: str,
) -> None:
    """Re-score with changed values and show score, level, rank and indicators before and after."""
    import difflib

    from maturity.analysis.explain import explain_unit, path_overrides
    from maturity.analysis.whatif import compare
    from maturity.i18n import t
    from maturity.inputs.values import read_number, read_value
    from maturity.render.explain import whatif_doc
    from maturity.render.writers import write

    fw = get_framework(framework_path)
    registry = get_registry(fw, units)
    batch = load_batch(submissions, fw, registry, decimal_mark)
    before = score_batch(fw, batch, registry, missing_policy=missing)
    unit_id = _find_unit(before, unit_id)
    found = before.find(unit_id)
    assert found is not None
    tier = found[0].tier
    changes: dict[str, float] = {}
    if use_path:
        exp = explain_unit(before, unit_id, batch=batch, registry=registry)
        changes.update(path_overrides(exp.path))
    inputs = {i.id: i for i in fw.inputs_for(tier)}
    indicators = {i.id: i for i in fw.indicators_for(tier)}
    for item in assignments:
        name, sep, raw = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise UsageError(t("w.bad_set", value=item))
        if name not in inputs and name not in indicators:
            close = difflib.get_close_matches(name, [*inputs, *indicators], n=1, cutoff=0.6)
            raise UsageError(
                t(
                    "w.unknown_name",
                    name=name,
                    tier=tier,
                    hint=t("shape.did_you_mean", name=close[0]) if close else "",
                )
            )
        reading = (
            read_value(raw, inputs[name], decimal_mark)
            if name in inputs
            else read_number(raw, decimal_mark)
        )
        if reading.rejected is not None:
            why = t(reading.rejected.code, **reading.rejected.args)
            raise UsageError(t("w.bad_value", name=name, why=why))
        assert reading.value is not None
        changes[name] = reading.value
        if name in indicators:
            bounds = _indicator_range(fw, indicators[name])
            if bounds is not None and not bounds[0] <= changes[name] <= bounds[1]:
                low, high = (f"{b:g}" for b in bounds)
                why = t("w.out_of_range", value=raw.strip(), low=low, high=high)
                raise UsageError(t("w.bad_value", name=name, why=why))
    if not changes:
        raise UsageError(t("w.nothing"))
    after = score_batch(fw, batch, registry, missing_policy=missing, overrides={unit_id: changes})
    emit(write(whatif_doc(compare(before, after, unit_id, changes)), fmt_name, fmt), output)


main.add_command(_template_command)


main.add_command(_diff_command)


main.add_command(_sensitivity_command)


main.add_command(_test_command)
