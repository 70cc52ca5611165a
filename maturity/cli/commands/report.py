"""``maturity report``: parse, score, build the site, print the PDFs, say where it is.

The module is imported when the CLI starts, so it holds only the command's definition; the
report package itself is imported when the command runs.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from maturity.cli.base import command, option
from maturity.cli.context import get_framework, get_registry, load_batch, score_verified
from maturity.cli.options import (
    framework_option,
    lang_option,
    missing_option,
    submissions_argument,
    units_option,
    verified_option,
)

PDF_UNIT_LIMIT = 100  # more unit pages than this are printed only when named


@command("report", "help.cmd.report")
@submissions_argument
@option(
    "--output",
    "-o",
    "out",
    required=True,
    type=click.Path(path_type=Path),
    help="help.opt.report_output",
)
@framework_option
@units_option
@missing_option()
@option("--baseline", type=click.Path(dir_okay=False, path_type=Path), help="help.opt.baseline")
@option("--pdf", is_flag=True, help="help.opt.pdf")
@option(
    "--pdf-unit", "pdf_units", multiple=True, metavar="click.metavar.id", help="help.opt.pdf_unit"
)
@verified_option
@lang_option
def report(
    submissions: tuple[Path, ...],
    out: Path,
    framework_path: Path | None,
    units: Path | None,
    missing: str | None,
    baseline: Path | None,
    pdf: bool,
    pdf_units: tuple[str, ...],
    verified: tuple[Path, ...],
) -> None:
    from maturity.errors import MaturityError, UsageError
    from maturity.i18n import language, t
    from maturity.inputs.baseline import read_baseline
    from maturity.render.site import _messages  # noqa: F401  (the report's texts)
    from maturity.render.site._data import build_report_data
    from maturity.render.site._format import num
    from maturity.render.site._layout import file_stem
    from maturity.render.site._pdf import print_pdfs, require_chromium
    from maturity.render.site._site import province_ids, write_site
    from maturity.scoring.engine import score_batch

    fw = get_framework(framework_path)
    registry = get_registry(fw, units)
    chromium = require_chromium() if pdf or pdf_units else None
    base = read_baseline(baseline) if baseline is not None else None
    batch = load_batch(submissions, fw, registry)
    verification = None
    if verified:
        _, results, verification, batch = score_verified(fw, batch, registry, missing, verified)
    else:
        results = score_batch(fw, batch, registry, missing_policy=missing)
    if results.scored_count() == 0:
        raise MaturityError(t("report.nothing"))
    for unit_id in pdf_units:
        if results.find(unit_id) is None:
            raise UsageError(t("report.pdf.unknown_unit", id=unit_id))
    data = build_report_data(
        results, batch=batch, registry=registry, baseline=base, verification=verification
    )
    lang = language()
    summary = write_site(data, out, lang, workers=min(2, os.cpu_count() or 1))
    size = num(summary.bytes / 1e6, lang, 1) + " MB"
    click.echo(
        t("report.written", pages=summary.pages, path=out, size=size, index=out / "index.html"),
        err=True,
    )
    if chromium is None:
        return
    pages = [out / "index.html", out / "method.html"]
    pages += [out / "province" / f"{file_stem(p)}.html" for p in province_ids(data)]
    every = [u.id for r in results.tiers.values() for u in r.units]
    if len(every) <= PDF_UNIT_LIMIT:
        chosen = every
    else:
        chosen = list(dict.fromkeys(pdf_units))
        if pdf:
            message = t("report.pdf.skipped_units", count=len(every), limit=PDF_UNIT_LIMIT)
            click.echo(message, err=True)
    pages += [out / "unit" / f"{file_stem(u)}.html" for u in chosen]
    printed = print_pdfs(chromium, pages)
    click.echo(t("report.pdf.written", count=len(printed)), err=True)
