"""The report as a person uses it, in Chromium: from the national page to a province to a
commune, what each page says, that nothing leaves ``file:``, that nothing overflows at phone
and desktop widths, that a page prints on A4, and an accessibility check (axe-core)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

Visits = Callable[..., Any]  # the ``visit`` fixture: opens a tab at a width

PAGES = ("index.html", "province/86.html", "unit/29611.html", "unit/86.html", "method.html")


def test_national_to_province_to_commune(visit: Visits) -> None:
    tab = visit()
    page = tab.open("index.html")
    assert page.locator("h1").inner_text() == "Kết quả toàn quốc"
    assert page.locator("svg.tilemap rect.tile").count() == 34
    ranking = page.locator("table.ranking tbody tr")
    assert ranking.count() == 1 and "Vĩnh Long" in ranking.first.inner_text()
    # the map's tile is a link to the province
    page.locator('svg.tilemap a[href="province/86.html"]').click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/province/86.html")
    assert page.locator("h1").inner_text() == "Vĩnh Long"
    rows = page.locator("#ranking tbody tr")
    assert rows.count() == 5
    first = rows.first.inner_text()
    assert first.split()[0] == "1"
    page.locator("#ranking tbody tr a", has_text="Xã Phú Quới").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/unit/29611.html")
    assert page.locator("h1").inner_text() == "Xã Phú Quới"
    assert re.fullmatch(r"\d{3},\d", page.locator("#result .score .big").inner_text())
    badge = " ".join(page.locator("#result .badge").inner_text().split())
    assert badge == "4 Mức 4 · Nâng cao"
    assert page.locator("svg.profile rect.bar").count() == 8  # one bar per pillar
    assert page.locator("#pillars table tbody tr").count() == 8
    # the commune links back to its province
    page.locator(".facts a", has_text="Vĩnh Long").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/province/86.html")
    assert not [u for u in tab.requests if not u.startswith("file:")]


def test_vinh_long_shows_why_level_1_and_what_to_do(visit: Visits) -> None:
    page = visit().open("unit/86.html")
    why = page.locator("#result").inner_text()
    assert "Mức 1 · Khởi đầu" in why and "chỉ số áp dụng chưa có giá trị" in why
    assert page.locator("#path h2").inner_text() == "Lộ trình lên mức 2"
    assert "Đã kiểm chứng bằng cách chấm lại" in page.locator("#path").inner_text()
    assert page.locator("#data-gaps tbody tr").count() > 10
    assert "Tổng số TTHC khác tổng TTHC" in page.locator("#problems").inner_text()


def test_no_request_leaves_the_site_folder(visit: Visits, site: Path) -> None:
    tab = visit()
    for path in PAGES:
        tab.open(path)
    assert len(tab.requests) == 3 * len(PAGES)  # each page, its stylesheet, its script
    outside = [u for u in tab.requests if not u.startswith(site.resolve().as_uri())]
    assert not outside


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("path", PAGES)
def test_nothing_overflows(visit: Visits, screenshots: Path, path: str, width: int) -> None:
    page = visit(width).open(path)
    name = path.replace("/", "-").removesuffix(".html")
    page.screenshot(path=str(screenshots / f"{name}-{width}.png"), full_page=True)
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, (path, width, scroll)
    # nothing sticks out of the viewport on the right; wide tables scroll in their own box
    wide = page.evaluate(
        """w => [...document.querySelectorAll('main *')]
            .filter(e => !e.closest('.scroll'))
            .filter(e => e.getBoundingClientRect().right > w + 1)
            .map(e => e.tagName + '.' + e.getAttribute('class')).slice(0, 5)""",
        width,
    )
    assert not wide, wide


def test_a_unit_page_prints_on_a4_with_every_section_open(visit: Visits) -> None:
    page = visit().open("unit/29611.html")
    assert not page.locator("#indicators details").get_attribute("open")
    assert not page.locator("#indicators table").first.is_visible()  # collapsed on screen
    page.emulate_media(media="print")
    assert page.locator("#indicators table").first.is_visible()  # opened for print
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= 12


def test_axe_finds_no_accessibility_violation(
    visit: Visits, site: Path, axe_script: Path, tmp_path: Path
) -> None:
    # the pages allow scripts from their own folder only: axe goes into a copy of the site
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    shutil.copy(axe_script, copy / "assets" / "axe.min.js")
    tab = visit()
    tab.site = copy
    for path in PAGES:
        page = tab.open(path)
        page.add_script_tag(url=(copy / "assets" / "axe.min.js").as_uri())
        found = page.evaluate(
            """async () => {
                const r = await axe.run(document, {
                  runOnly: {type: 'tag',
                            values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice']},
                });
                return r.violations.map(v => ({id: v.id, impact: v.impact,
                  nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
            }"""
        )
        assert not found, (path, found)


def test_sorting_a_column_with_the_optional_script(visit: Visits) -> None:
    page = visit().open("province/86.html")
    page.locator("#ranking thead th button", has_text="Điểm").click()
    scores = page.locator("#ranking tbody tr td:nth-child(4)").all_inner_texts()
    values = [float(s.replace(".", "").replace(",", ".")) for s in scores]
    assert values == sorted(values)
    assert page.locator("#ranking thead th[aria-sort=ascending]").count() == 1


def test_report_pdf_through_the_system_chromium(
    site: Path, tmp_path: Path, chromium_path: Path
) -> None:
    """What ``maturity report --pdf`` runs, on one page of a copy of the site."""
    from maturity.render.site._pdf import print_pdfs

    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    target = copy / "unit" / "29611.html"
    (pdf,) = print_pdfs(chromium_path, [target])
    data = pdf.read_bytes()
    assert pdf == target.with_suffix(".pdf") and data.startswith(b"%PDF")
    assert re.search(rb"/MediaBox \[0 0 59[45][.\d]* 84[12]", data)  # A4: 595 x 842 points
