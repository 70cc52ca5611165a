"""``maturity diff`` and ``maturity sensitivity``: the policy team's tools."""

from __future__ import annotations

import contextlib
from pathlib import Path

import click

from maturity.cli.base import argument, command, option
from maturity.cli.context import (
    check_tier,
    emit,
    get_registry,
    load_batch,
    need_file,
    register_inputs,
    run_scoring,
)
from maturity.cli.options import (
    framework_option,
    lang_option,
    missing_option,
    output_options,
    submissions_argument,
    units_option,
)
from maturity.errors import UsageError
from maturity.i18n import t


@command("diff", "help.cmd.diff")
@argument("base", metavar="click.metavar.base_rev")
@argument("head", required=False, type=click.Path(path_type=Path))
@option("--base-rev", metavar="click.metavar.rev", help="help.opt.base_rev")
@option(
    "--submissions",
    "-s",
    "submissions",
    multiple=True,
    type=click.Path(path_type=Path),
    help="help.opt.diff_submissions",
)
@option("--units", type=click.Path(path_type=Path), help="help.opt.diff_units")
@option("--missing", type=click.Choice(["zero", "exclude"]), help="help.opt.diff_missing")
@output_options(exclude=("csv", "xlsx"))
@lang_option
def diff(
    base: str,
    head: Path | None,
    base_rev: str | None,
    submissions: tuple[Path, ...],
    units: Path | None,
    missing: str | None,
    fmt_name: str,
    fmt: str,
    output: Path | None,
) -> None:
    from maturity.analysis.diff import diff_frameworks, impact
    from maturity.cli import gitrev
    from maturity.framework.load import load_framework
    from maturity.render.diff import diff_doc
    from maturity.render.writers import write
    from maturity.scoring.engine import score_batch

    if base_rev is not None and head is not None:
        raise UsageError(t("diff.rev_and_base"))
    if base_rev is None and head is None:
        raise UsageError(t("diff.needs_head"))
    revision = None
    if base_rev is not None:  # maturity diff --base-rev REV MANIFEST
        head = need_file(Path(base), "MANIFEST")
        revision = gitrev.resolve(base_rev, head)
    else:
        assert head is not None
        head = need_file(head, "HEAD")
        first = Path(base)
        if not first.exists() and first.suffix.lower() not in (".yaml", ".yml"):
            revision = gitrev.resolve(base, head)  # maturity diff REV MANIFEST
    with contextlib.ExitStack() as stack:
        if revision is not None:
            fw_base = load_framework(stack.enter_context(gitrev.checkout(revision)))
        else:
            fw_base = load_framework(need_file(Path(base), "BASE"))
        fw_head = load_framework(head)
        register_inputs(*fw_base.files, *fw_head.files)
        d = diff_frameworks(fw_base, fw_head)
        if revision is not None:  # the base as the policy team names it, not a temporary path
            d.base["path"] = f"{revision.name}:{revision.manifest}"
            d.base["revision"] = revision.name
            d.base["commit"] = revision.commit
        imp = None
        if submissions:
            results = []
            for fw in (fw_base, fw_head):
                registry = get_registry(fw, units)
                batch = load_batch(submissions, fw, registry)
                results.append(score_batch(fw, batch, registry, missing_policy=missing))
            imp = impact(results[0], results[1])
        text = write(diff_doc(d, imp), fmt_name, fmt)
    emit(text, output)


@command("sensitivity", "help.cmd.sensitivity")
@submissions_argument
@framework_option
@units_option
@missing_option("help.opt.sens_missing")
@option("--runs", type=int, default=1000, show_default=True, help="help.opt.runs")
@option("--seed", type=int, default=0, show_default=True, help="help.opt.seed")
@option("--weight-noise", type=float, default=0.2, show_default=True, help="help.opt.weight_noise")
@option("--band-noise", type=float, default=0.02, show_default=True, help="help.opt.band_noise")
@option("--missing-policy-flip", is_flag=True, help="help.opt.policy_flip")
@option("--tier", help="help.opt.tier_only")
@output_options(exclude=("xlsx",))
@lang_option
def sensitivity(
    submissions: tuple[Path, ...],
    framework_path: Path | None,
    units: Path | None,
    missing: str | None,
    runs: int,
    seed: int,
    weight_noise: float,
    band_noise: float,
    missing_policy_flip: bool,
    tier: str | None,
    fmt_name: str,
    fmt: str,
    output: Path | None,
) -> None:
    from maturity.analysis.sensitivity import SensitivityOptions, analyse
    from maturity.render.sensitivity import sensitivity_doc
    from maturity.render.writers import write

    options = SensitivityOptions(
        runs=runs,
        seed=seed,
        weight_noise=weight_noise,
        band_noise=band_noise,
        missing_policy_flip=missing_policy_flip,
    )
    options.validate()  # before the (slower) scoring, so a typo fails fast
    results = run_scoring(framework_path, submissions, units, missing)
    check_tier(results, tier)
    emit(write(sensitivity_doc(analyse(results, options), tier), fmt_name, fmt), output)
