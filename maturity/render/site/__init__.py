"""HTML reports people read: a static, offline site of a scored round (issue 13).

One page per unit, per province, the national page and the method page, with SVG charts,
a print stylesheet for A4 and optional PDFs through a headless Chromium. The pages are
functions of a :class:`ReportData` (built once from the results), so the web platform can
serve the very same pages::

    data = build_report_data(results, batch=batch, registry=registry)
    html = unit_page(data, "86", "vi", SiteLinks(1))
    write_site(data, Path("site"), "vi")

The names below are loaded when first used (PEP 562): the CLI imports
``maturity.render.site.command`` at every start, and that must not cost the whole package.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from maturity.analysis.batch import TierAnalysis, UnitPath, analyse
    from maturity.inputs.baseline import Baseline, baseline_from_document, read_baseline
    from maturity.render.site._data import ReportData, build_report_data
    from maturity.render.site._layout import Links, SiteLinks
    from maturity.render.site._method_page import method_page
    from maturity.render.site._national_page import national_page
    from maturity.render.site._province_page import province_page
    from maturity.render.site._site import SiteSummary, site_pages, write_site
    from maturity.render.site._unit_page import unit_page

_WHERE = {
    "TierAnalysis": "maturity.analysis.batch",
    "UnitPath": "maturity.analysis.batch",
    "analyse": "maturity.analysis.batch",
    "Baseline": "maturity.inputs.baseline",
    "baseline_from_document": "maturity.inputs.baseline",
    "read_baseline": "maturity.inputs.baseline",
    "ReportData": "maturity.render.site._data",
    "build_report_data": "maturity.render.site._data",
    "Links": "maturity.render.site._layout",
    "SiteLinks": "maturity.render.site._layout",
    "method_page": "maturity.render.site._method_page",
    "national_page": "maturity.render.site._national_page",
    "province_page": "maturity.render.site._province_page",
    "SiteSummary": "maturity.render.site._site",
    "site_pages": "maturity.render.site._site",
    "write_site": "maturity.render.site._site",
    "unit_page": "maturity.render.site._unit_page",
}

__all__ = [
    "Baseline",
    "Links",
    "ReportData",
    "SiteLinks",
    "SiteSummary",
    "TierAnalysis",
    "UnitPath",
    "analyse",
    "baseline_from_document",
    "build_report_data",
    "method_page",
    "national_page",
    "province_page",
    "read_baseline",
    "site_pages",
    "unit_page",
    "write_site",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'maturity.render.site' has no attribute {name!r}")
    import_module("maturity.render.site._messages")  # the report's texts, before any page
    return getattr(import_module(_WHERE[name]), name)
