"""``maturity diff`` and ``maturity sensitivity``: the policy team's tools.

Registered by :mod:`maturity.cli`; shared options come from :mod:`maturity._cli_common`.
"""

from __future__ import annotations

from pathlib import Path

import click

from maturity.cli.common import (
    emit,
    framework_option,
    get_registry,
    handle_errors,
    lang_option,
    load_batch,
    missing_option,
    need_file,
    output_options,
    register_inputs,
    run_scoring,
    units_option,
)
from maturity.errors import UsageError
from maturity.framework.load import load_framework
from maturity.i18n import t
from maturity.scoring.engine import score_batch

_UNITS_HELP = "Unit registry CSV (default: each framework's own `units:`)."


@click.command("diff")
@click.argument("base", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("head", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--submissions", "-s", "submissions", multiple=True, type=click.Path(path_type=Path),
    help="Score these submissions (files or folders; repeatable) under both versions and "
    "report the impact on levels, ranks and scores.",
)  # fmt: skip
@click.option("--units", type=click.Path(path_type=Path, dir_okay=False), help=_UNITS_HELP)
@click.option(
    "--missing", type=click.Choice(["zero", "exclude"]),
    help="Score both versions under this missing-data policy (default: each framework's).",
)  # fmt: skip
@output_options(exclude=("csv",))
@lang_option
@handle_errors
def _diff(
    base: Path, head: Path, submissions: tuple[Path, ...], units: Path | None, missing: str | None,
    fmt_name: str, fmt: str, output: Path | None, lang: str,
) -> None:  # fmt: skip
    """What changed between two framework versions (BASE and HEAD manifests), and, with
    --submissions, who wins and who loses from it.

    So sánh hai phiên bản khung đánh giá và tác động của thay đổi lên điểm, mức và thứ hạng.
    """
    from maturity.analysis.diff import diff_frameworks, impact
    from maturity.render.diff import render_diff

    fw_base = load_framework(need_file(base, "BASE"))
    fw_head = load_framework(need_file(head, "HEAD"))
    register_inputs(*fw_base.files, *fw_head.files)
    d = diff_frameworks(fw_base, fw_head)
    imp = None
    if submissions:
        results = []
        for fw in (fw_base, fw_head):
            registry = get_registry(fw, units)
            batch = load_batch(submissions, fw, registry)
            results.append(score_batch(fw, batch, registry, missing_policy=missing))
        imp = impact(results[0], results[1])
    emit(render_diff(d, imp, fmt_name, fmt), output)


@click.command("sensitivity")
@click.argument("submissions", nargs=-1, type=click.Path(path_type=Path))
@framework_option
@units_option
@missing_option("Nominal missing-data policy (default: the framework's).")
@click.option("--runs", type=int, default=1000, show_default=True, help="Number of random runs.")
@click.option(
    "--seed",
    type=int,
    default=0,
    show_default=True,
    help="Seed of the random draws (same seed, same report).",
)
@click.option(
    "--weight-noise", type=float, default=0.2, show_default=True,
    help="Each pillar and indicator weight is multiplied by U(1-a, 1+a).",
)  # fmt: skip
@click.option(
    "--band-noise", type=float, default=0.02, show_default=True,
    help="Each level band edge (but the first, kept at 0) is shifted by U(-b, +b).",
)  # fmt: skip
@click.option(
    "--missing-policy-flip", is_flag=True,
    help="Each run scores missing data under zero or exclude, at random.",
)  # fmt: skip
@click.option("--tier", help="Show only this tier.")
@output_options()
@lang_option
@handle_errors
def _sensitivity(
    submissions: tuple[Path, ...], framework_path: Path | None, units: Path | None,
    missing: str | None, runs: int, seed: int, weight_noise: float, band_noise: float,
    missing_policy_flip: bool, tier: str | None, fmt_name: str, fmt: str, output: Path | None,
    lang: str,
) -> None:  # fmt: skip
    """How stable ranks and levels are when weights, band edges and the missing-data policy
    vary: per unit the nominal rank, median rank, 5-95% rank interval and the probability of
    each level; per source of uncertainty the mean rank shift it causes.

    Without SUBMISSIONS, analyses the bundled national example.

    Độ nhạy của thứ hạng và mức khi trọng số, ngưỡng mức và chính sách thiếu dữ liệu thay đổi.
    """
    from maturity.analysis.sensitivity import SensitivityOptions, analyse
    from maturity.render.sensitivity import render_sensitivity

    options = SensitivityOptions(
        runs=runs, seed=seed, weight_noise=weight_noise, band_noise=band_noise,
        missing_policy_flip=missing_policy_flip,
    )  # fmt: skip
    options.validate()  # before the (slower) scoring, so a typo fails fast
    results = run_scoring(framework_path, submissions, units, missing)
    if tier is not None and tier not in results.tiers:
        fw = results.framework
        message = t("tpl.unknown_tier", tier=tier, framework=fw.id, tiers=", ".join(results.tiers))
        raise UsageError(f"Invalid value for '--tier': {message}")
    report = analyse(results, options)
    emit(render_sensitivity(report, fmt_name, tier=tier, tablefmt=fmt), output)


# Declared types: maturity.cli imports these at its end, inside the import cycle, where mypy
# cannot infer the type of a decorated function.
diff: click.Command = _diff


sensitivity: click.Command = _sensitivity
