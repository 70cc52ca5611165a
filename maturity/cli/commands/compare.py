"""``maturity compare``: two rounds side by side, from saved results or from submissions."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from maturity.cli.base import argument, command, option
from maturity.cli.context import emit, get_framework, get_registry, load_batch, register_inputs
from maturity.cli.options import (
    decimal_mark_option,
    framework_option,
    lang_option,
    missing_option,
    output_options,
    units_option,
)

if TYPE_CHECKING:
    from maturity.framework.compiled import Framework
    from maturity.inputs.baseline import Baseline
    from maturity.inputs.units import Registry


def read_result(path: Path, name: str) -> Baseline | None:
    """The saved result at ``path`` (a JSON object with a framework and units), or ``None``
    when the file is a submission (the submission reader then says what is wrong with it)."""
    from maturity.errors import InputError
    from maturity.inputs.baseline import (
        baseline_from_document,
        is_result_document,
        read_result_document,
    )

    if path.suffix.lower() != ".json" or not path.is_file():
        return None
    try:
        doc = read_result_document(path, name)
    except InputError:
        return None
    return baseline_from_document(doc, name) if is_result_document(doc) else None


class _Sides:
    """Reads each side once: a saved result as it is, submissions scored now (the framework
    and registry loaded once, when a side needs them)."""

    def __init__(
        self,
        framework_path: Path | None,
        units: Path | None,
        missing: str | None,
        decimal_mark: str | None,
    ) -> None:
        self.framework_path = framework_path
        self.units = units
        self.missing = missing
        self.decimal_mark = decimal_mark
        self._fw: Framework | None = None
        self._registry: Registry | None = None

    @property
    def loaded(self) -> Framework | None:
        """The framework, if a side needed it (submissions were scored)."""
        return self._fw

    def framework(self) -> Framework:
        if self._fw is None:
            self._fw = get_framework(self.framework_path)
        return self._fw

    def read(self, path: Path) -> Baseline:
        from maturity.analysis.compare import round_from_results
        from maturity.cli.context import shown
        from maturity.errors import UsageError
        from maturity.i18n import t
        from maturity.scoring.engine import score_batch

        if not path.exists():
            raise UsageError(t("cli.no_such_path", what=t("cmp.a_round"), path=shown(path)))
        saved = read_result(path, shown(path))
        if saved is not None:
            register_inputs(path)
            return saved
        fw = self.framework()
        if self._registry is None:
            self._registry = get_registry(fw, self.units)
        batch = load_batch((path,), fw, self._registry, self.decimal_mark)
        results = score_batch(fw, batch, self._registry, missing_policy=self.missing)
        return round_from_results(results, shown(path))


@command("compare", "help.cmd.compare")
@argument(
    "rounds",
    nargs=-1,
    required=True,
    metavar="click.metavar.rounds",
    type=click.Path(path_type=Path),
)
@framework_option
@units_option
@missing_option()
@decimal_mark_option
@option("--base-period", "base_period", help="help.opt.base_period")
@option("--period", "period", help="help.opt.period")
@option("--province", "province", metavar="click.metavar.id", help="help.opt.compare_province")
@option(
    "--top",
    "top",
    type=click.IntRange(min=0),
    metavar="click.metavar.n",
    help="help.opt.compare_top",
)
@output_options(exclude=("xlsx",))
@lang_option
def compare(
    rounds: tuple[Path, ...],
    framework_path: Path | None,
    units: Path | None,
    missing: str | None,
    decimal_mark: str | None,
    base_period: str | None,
    period: str | None,
    province: str | None,
    top: int | None,
    fmt_name: str,
    fmt: str,
    output: Path | None,
) -> None:
    from maturity.analysis.compare import compare_rounds, filter_province, latest_two
    from maturity.errors import UsageError
    from maturity.i18n import t
    from maturity.render.compare import compare_doc
    from maturity.render.writers import write

    if len(rounds) > 2:
        raise UsageError(t("cmp.too_many", count=len(rounds)))
    sides = _Sides(framework_path, units, missing, decimal_mark)
    baseline = sides.read(rounds[0])
    current = sides.read(rounds[1]) if len(rounds) == 2 else baseline
    if len(rounds) == 1 and base_period is None and period is None:
        base_period, period = latest_two(baseline)
    fw = sides.loaded
    if fw is None:  # both sides saved: names from the framework asked for, or the bundled one
        fw = get_framework(framework_path)  # if it is the rounds' (by id)
        if framework_path is None and fw.id not in (baseline.framework_id, current.framework_id):
            fw = None
    tiers = [x.id for x in fw.manifest.tiers] if fw is not None else None
    comparison = compare_rounds(
        baseline, current, baseline_period=base_period, current_period=period, tier_order=tiers
    )
    if province is not None:
        if not any(p.key == province for p in comparison.provinces):
            known = ", ".join(p.key for p in comparison.provinces[:12])
            raise UsageError(t("cmp.no_province", province=province, known=known))
        comparison = filter_province(comparison, province)
    emit(write(compare_doc(comparison, fw, top), fmt_name, fmt), output)
