"""The whole national site, built once without a browser: a page for every unit and every
province, links that resolve, and Vĩnh Long's page saying why it is at level 1."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from maturity.framework.bundled import default_submissions
from maturity.framework.compiled import Framework
from maturity.i18n import set_language
from maturity.inputs.load import load_submissions
from maturity.inputs.units import Registry
from maturity.render.site import build_report_data, write_site
from maturity.scoring.engine import score_batch

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(
    tmp_path_factory: pytest.TempPathFactory, national: Framework, national_registry: Registry
) -> Path:
    set_language("vi")  # as `--lang vi` does: the engine writes its diagnostics in Vietnamese
    batch = load_submissions([default_submissions()], national, national_registry)
    results = score_batch(national, batch, national_registry)
    data = build_report_data(results, batch=batch, registry=national_registry)
    out = tmp_path_factory.mktemp("national") / "site"
    summary = write_site(data, out, "vi")
    assert summary.pages == 3355 + 34 + 2
    return out


def _links(page: Path) -> list[Path]:
    html = page.read_text(encoding="utf-8")
    return [(page.parent / href).resolve() for href in re.findall(r'(?:href|src)="([^"#]+)"', html)]


def test_every_unit_and_province_has_a_page(site: Path, national_registry: Registry) -> None:
    units = {p.stem for p in (site / "unit").glob("*.html")}
    assert units == set(national_registry.units)
    provinces = {p.stem for p in (site / "province").glob("*.html")}
    assert provinces == {u.id for u in national_registry.units.values() if u.tier == "province"}


def test_links_resolve(site: Path) -> None:
    pages = [site / "index.html", site / "method.html", *sorted((site / "province").iterdir())]
    pages += random.Random(13).sample(sorted((site / "unit").iterdir()), 60)
    for page in pages:
        for target in _links(page):
            assert target.is_file(), (page, target)
    national = (site / "index.html").read_text(encoding="utf-8")
    assert national.count('class="tile"') == 34
    assert len(re.findall(r'<a href="province/\d+\.html" aria-label=', national)) == 34


def test_vinh_long_says_why_it_is_at_level_1_and_what_to_do(site: Path) -> None:
    html = (site / "unit" / "86.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", " ", html)
    assert "Mức 1 · Khởi đầu" in text
    assert re.search(
        r"\d+ chỉ số áp dụng chưa có giá trị dùng được nên chưa được [\d.,]+ điểm", text
    )
    assert "Lộ trình lên mức 2" in text and "Đã kiểm chứng bằng cách chấm lại" in text
    assert "Tổng số TTHC khác tổng TTHC cấp tỉnh" in text  # its failed check, from the rules
