"""The pages of the small round: what a reader checks (names, scores, levels, bars, links),
well-formed HTML with headings, captions and text alternatives, numbers in the language's
convention, nothing fetched from anywhere, and the same bytes every time."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from maturity.i18n import pick
from maturity.i18n.catalogue import MESSAGES
from maturity.render.site import (
    ReportData,
    SiteLinks,
    method_page,
    national_page,
    province_page,
    site_pages,
    unit_page,
)

VOID = {"meta", "link", "br", "hr", "img", "input", "col", "area", "base", "wbr", "source"}
SVG_VOID = {"rect", "line", "path", "circle"}  # written self-closing


class Page(HTMLParser):
    """A page parsed: its elements in order, links, ids, texts; fails on unbalanced tags."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text_parts: list[str] = []
        self.errors: list[str] = []
        self.feed(html)
        self.close()
        if self.stack:
            self.errors.append(f"unclosed: {self.stack}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:]}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text_parts.append(data)

    @property
    def text(self) -> str:
        return re.sub(r"\s+", " ", " ".join(self.text_parts))

    def all(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        return [
            a
            for t, a in self.tags
            if t == tag and all(a.get(k.rstrip("_")) == v for k, v in attrs.items())
        ]

    def links(self) -> list[str]:
        return [a["href"] for t, a in self.tags if t == "a" and "href" in a]


def parse(html: str) -> Page:
    page = Page(html)
    assert not page.errors, page.errors[:5]
    return page


def _num(x: float, lang: str) -> str:
    text = f"{x:,.1f}"
    return text.translate(str.maketrans(",.", ".,")) if lang == "vi" else text


def test_well_formed_accessible_and_offline(small_data: ReportData) -> None:
    """Every page: balanced tags, the language attribute, one h1, headings in order, unique
    ids, charts with a title and a description, tables with a caption and header cells, and
    no address that leaves the site's folder."""
    seen = 0
    for path, html in site_pages(small_data, "vi"):
        page = parse(html)
        assert page.all("html")[0]["lang"] == "vi"
        assert len(page.all("h1")) == 1, path
        levels = [int(t[1]) for t, _ in page.tags if re.fullmatch(r"h[1-6]", t)]
        assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), (path, levels)
        ids = [a["id"] for _, a in page.tags if "id" in a]
        assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
        for svg in page.all("svg", role="img"):
            for ref in svg["aria-labelledby"].split():
                assert ref in ids, (path, ref)
        assert html.count("<table") == html.count("<caption>")
        assert "<th scope=col" in html
        for _, attrs in page.tags:
            for key in ("href", "src"):
                if key in attrs:
                    assert not re.match(r"^[a-z]+:|^//|^/", attrs[key]), (path, attrs[key])
        assert "Content-Security-Policy" in html
        seen += 1
    assert seen == 2 + 1 + 6  # national, method, one province, six units


def test_unit_page_shows_score_level_why_and_links(small_data: ReportData) -> None:
    fw = small_data.framework
    ta, row = small_data.find("29611") or pytest.fail("29611 is in the round")
    r = ta.result
    for lang in ("vi", "en"):
        page = parse(unit_page(small_data, "29611", lang, SiteLinks(1)))
        assert page.all("h1") and "Xã Phú Quới" in page.text
        assert _num(float(r.total[row]), lang) in page.text
        level = int(r.level[row])
        assert pick(fw.manifest.levels[level - 1].name, lang) in page.text
        assert ("1.000 điểm" if lang == "vi" else "1,000 points") in page.text
        assert "../province/86.html" in page.links()
        assert "../index.html" in page.links()
        top = [p for p, pid in enumerate(r.pillar_ids) if fw.pillars[pid].parent is None]
        assert len(page.all("rect", class_="bar")) == len(top)
        assert len(page.all("line", class_="median")) == len(top)


def test_gaps_are_listed_by_points_lost_with_remediation(small_data: ReportData) -> None:
    ta, row = small_data.find("28783") or pytest.fail("28783 is in the round")
    html = unit_page(small_data, "28783", "en", SiteLinks(1))
    gaps = html.split('id="gaps"')[1].split("</section>")[0]
    shown = re.findall(r'<span class="id">([A-Z]+-\d+)</span>', gaps)
    expected = [ta.result.indicators[j].id for j in ta.performance_gaps(row)]
    assert shown == expected and len(shown) > 3
    first = small_data.framework.indicator(expected[0])
    assert first.remediation.en in parse(gaps).text


def test_a_capped_level_names_its_gate_and_the_indicators_behind_it(
    small_data: ReportData,
) -> None:
    ta, row = small_data.find("28783") or pytest.fail("28783 is in the round")
    r = ta.result
    assert r.capped_by[row] == ("critical-l3",)
    text = parse(unit_page(small_data, "28783", "vi", SiteLinks(1))).text
    assert "điều kiện chặn “Chỉ số then chốt đạt mức 3”" in text
    short = [
        ind.id for j, ind in enumerate(r.indicators) if ind.critical and r.ind_level[row, j] < 3
    ]
    assert short and all(i in text for i in short)
    assert "thiếu dữ liệu" in text.split("Chỉ số then chốt chưa đạt mức 3:")[1][:80]
    assert "Dải điểm của mức 5" not in text  # the gate, not the next band, is what it needs


def test_a_rejected_value_shows_as_a_data_gap_and_a_problem(small_data: ReportData) -> None:
    page = parse(unit_page(small_data, "28777", "en", SiteLinks(1)))
    assert "rejected" in page.text and "'-12' is below the minimum 0." in page.text
    assert "dossiers_online" in page.text


def test_change_since_the_baseline(
    small_data: ReportData, small_data_no_baseline: ReportData
) -> None:
    page = parse(unit_page(small_data, "28756", "en", SiteLinks(1)))
    change = page.text.split("Change since the baseline round")[1]
    assert "Baseline (2025-Q2)" in change
    assert "Level 3 · Defined" in change and "Level 4 · Managed" in change
    assert re.search(r"Score [\d.,]+ [\d.,]+ \+\d", change)
    none = parse(unit_page(small_data_no_baseline, "28756", "en", SiteLinks(1))).text
    assert "No baseline round was given" in none


def test_province_page_ranks_its_communes_with_strips_and_problems(
    small_data: ReportData,
) -> None:
    html = province_page(small_data, "86", "vi", SiteLinks(1))
    page = parse(html)
    r = small_data.tier_result("commune")
    order = sorted(range(r.size), key=lambda i: r.rank_in_parent[i])
    ranking = html.split('id="ranking"')[1].split("</section>")[0]
    links = re.findall(r'href="../unit/(\d+).html"', ranking)
    assert links == [r.units[i].id for i in order]
    strips = html.split('class="dots"')[1:]
    assert len(strips) == 8 and all(s.split("</g>")[0].count("<circle") == 5 for s in strips)
    problems = parse(html.split('id="problems"')[1].split("</section>")[0]).text
    assert "Phường An Hội" in problems and "Phường Phú Khương" not in problems
    assert "../unit/86.html" in page.links()
    medians = re.findall(r"<tr><th scope=row>[A-Z]+ · [^<]+</th><td class=num>(\d+)%", html)
    assert medians == sorted(medians, key=int) and len(medians) == 8


def test_national_page_map_ranking_and_movers(small_data: ReportData) -> None:
    html = national_page(small_data, "en", SiteLinks(0))
    page = parse(html)
    tiles = page.all("rect", class_="tile")
    assert len(tiles) == 34  # every province of the registry, scored or not
    assert page.links().count("province/86.html") == 3  # map, ranking, coverage
    assert "Vĩnh Long: Level 1 · Initial" in html
    assert "Cà Mau: not scored" in html
    movers = html.split('id="movers-children"')[1].split("</section>")[0]
    rises = movers.split("Largest falls:")[0]
    assert "Phường Phú Khương" in rises and "Phường Bến Tre" not in rises
    assert "1 went up a level" in parse(movers).text


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_national_page_names_the_kinds_of_problems(small_data: ReportData, lang: str) -> None:
    """The kinds of problems are named in words: a check by its message, a problem code by
    its family, never by an id."""
    html = national_page(small_data, lang, SiteLinks(0))
    table = html.split('id="coverage"')[1].split("</section>")[0]
    kinds = re.findall(r"<th scope=row>([^<]+)</th>", table.split("<tbody>")[-1])
    assert kinds
    ids = {c.id for c in small_data.framework.manifest.checks}
    assert not [k for k in kinds if k in ids or re.fullmatch(r"[a-z_]+\.[a-z_.]+", k)], kinds
    messages = {pick(c.message, lang).rstrip(".") for c in small_data.framework.manifest.checks}
    assert messages & set(kinds)


def test_method_page_lists_every_indicator_and_the_round_inputs(small_data: ReportData) -> None:
    fw = small_data.framework
    html = method_page(small_data, "vi", SiteLinks(0))
    text = parse(html).text
    assert fw.digest in text
    for name, digest in small_data.results.files.items():
        assert name in text and digest in text
    ids = set(re.findall(r'<span class="id">([A-Z]+-\d+)</span>', html))
    assert ids == {ind.id for ind in fw.indicators}
    assert all(pick(g.name, "vi") in text for g in fw.manifest.gates)


def test_vietnamese_pages_hold_no_english_of_the_report(small_data: ReportData) -> None:
    english = [
        en
        for code, (en, vi) in MESSAGES.items()
        if code.startswith("report.") and en != vi and "{" not in en and len(en) > 12
    ]
    for path, html in site_pages(small_data, "vi"):
        text = parse(html).text
        left = [e for e in english if e in text]
        assert not left, (path, left[:3])


def test_the_same_round_gives_the_same_bytes(small_data: ReportData) -> None:
    assert list(site_pages(small_data, "vi")) == list(site_pages(small_data, "vi"))


def test_a_framework_of_one_tier_gets_a_ranking_without_map_or_province_pages(
    tmp_path: Path,
) -> None:
    from click.testing import CliRunner

    from maturity.cli import main

    root = Path(__file__).resolve().parent.parent.parent
    out = tmp_path / "site"
    result = CliRunner().invoke(
        main,
        [
            "report",
            str(root / "examples" / "dti-2022" / "submissions.csv"),
            "-f",
            str(root / "frameworks" / "dti-2022.yaml"),
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert not list((out / "province").iterdir())
    html = (out / "index.html").read_text(encoding="utf-8")
    page = parse(html)
    assert "tilemap" not in html and "Provinces: ranking" in page.text
    units = sorted(p.stem for p in (out / "unit").iterdir())
    assert sorted(h.removeprefix("unit/").removesuffix(".html") for h in page.links()[1:6]) == units


def test_a_unit_alone_in_its_tier_is_not_ranked(small_data: ReportData) -> None:
    """Scored alone, a province would read "rank 1 of 1" as first place (issue 11); Vĩnh Long
    (coverage below the framework's 60 %) is also flagged, and the page says that first."""
    assert small_data.scored_in_tier["province"] == 0  # ranked units
    text = parse(unit_page(small_data, "86", "en", SiteLinks(1))).text
    assert "not ranked: flagged by the publication rules (low data coverage)" in text
    assert "rank 1 of 1" not in text
    commune = parse(unit_page(small_data, "29611", "en", SiteLinks(1))).text
    assert re.search(r"rank \d of 5 in the commune tier · rank \d of 5 in the province", commune)


def test_forked_workers_write_the_same_files(small_data: ReportData, tmp_path: Path) -> None:
    from maturity.render.site import write_site

    one = write_site(small_data, tmp_path / "one", "vi")
    two = write_site(small_data, tmp_path / "two", "vi", workers=2)
    assert (
        (one.pages, one.files, one.bytes)
        == (two.pages, two.files, two.bytes)
        == (
            one.pages,
            one.pages + 3,
            one.bytes,
        )
    )
    files = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*"))
    assert files == sorted(p.relative_to(tmp_path / "two") for p in (tmp_path / "two").rglob("*"))
    for name in files:
        if (tmp_path / "one" / name).is_file():
            assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
