"""``maturity report`` in-process: the site it writes, how it replaces an earlier one, and
one clear message (no traceback) for every bad input."""

from __future__ import annotations

import csv
import os
import stat
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from maturity.cli import main

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "report"
CURRENT = str(FIXTURES / "vinh-long-2025-Q3.csv")
BASELINE = str(FIXTURES / "vinh-long-2025-Q2.csv")


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), prog_name="maturity")


def assert_clean_failure(result: Result, code: int) -> None:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.fixture(scope="module")
def baseline_json(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("baseline") / "2025-Q2.json"
    result = run("score", BASELINE, "--format", "json", "-o", str(out))
    assert result.exit_code == 0, result.output
    return out


def test_writes_the_site_with_the_baseline(tmp_path: Path, baseline_json: Path) -> None:
    site = tmp_path / "site"
    result = run(
        "report", CURRENT, "-o", str(site), "--lang", "vi", "--baseline", str(baseline_json)
    )
    assert result.exit_code == 0, result.output
    assert "đã ghi 9 trang vào" in result.stderr and "index.html" in result.stderr
    units = sorted(p.stem for p in (site / "unit").glob("*.html"))
    assert units == ["28756", "28777", "28783", "28789", "29611", "86"]
    assert [p.name for p in (site / "province").iterdir()] == ["86.html"]
    assert sorted(p.name for p in (site / "assets").iterdir()) == ["report.css", "report.js"]
    page = (site / "unit" / "28756.html").read_text(encoding="utf-8")
    assert '<html lang="vi">' in page and "Kỳ trước (2025-Q2)" in page
    assert not list(site.rglob("*.pdf"))


def test_a_second_build_replaces_the_first(tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert run("report", CURRENT, "-o", str(site)).exit_code == 0
    fewer = tmp_path / "fewer.csv"
    with open(CURRENT, encoding="utf-8") as src, fewer.open("w", encoding="utf-8") as dst:
        rows = list(csv.reader(src))
        csv.writer(dst, lineterminator="\n").writerows(rows[:3])  # the province, 2 communes
    result = run("report", str(fewer), "-o", str(site), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert len(list((site / "unit").glob("*.html"))) == 2  # no page left from the first build
    assert '<html lang="en">' in (site / "index.html").read_text(encoding="utf-8")


def test_a_folder_holding_something_else_is_left_alone(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    result = run("report", CURRENT, "-o", str(tmp_path))
    assert_clean_failure(result, 2)
    assert "is not empty and holds no earlier report" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
    file = tmp_path / "notes.txt"
    result = run("report", CURRENT, "-o", str(file), "--lang", "vi")
    assert_clean_failure(result, 2)
    assert "là một tệp; hãy chỉ ra một thư mục" in result.stderr


def test_a_bad_baseline_stops_before_anything_is_written(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{ not json", encoding="utf-8")
    site = tmp_path / "site"
    result = run("report", CURRENT, "-o", str(site), "--baseline", str(bad))
    assert_clean_failure(result, 1)
    assert f"{bad}:1:3: not a result JSON" in result.stderr
    assert not site.exists()


def test_pdf_without_a_browser_says_how_to_get_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MATURITY_CHROMIUM", str(tmp_path / "no-such-browser"))
    site = tmp_path / "site"
    result = run("report", CURRENT, "-o", str(site), "--pdf", "--lang", "vi")
    assert_clean_failure(result, 1)
    assert "--pdf cần trình duyệt Chromium nhưng không tìm thấy" in result.stderr
    assert "apt-get install chromium" in result.stderr
    assert not site.exists()


def _fake_chromium(tmp_path: Path) -> Path:
    """A stand-in that writes a one-line 'PDF' where Chromium would print."""
    script = tmp_path / "fake-chromium"
    script.write_text(
        f"#!{sys.executable}\n"
        "import sys\n"
        "out = next(a for a in sys.argv if a.startswith('--print-to-pdf='))\n"
        "assert '--no-pdf-header-footer' in sys.argv and sys.argv[-1].startswith('file://')\n"
        "open(out.split('=', 1)[1], 'w').write('%PDF-1.4 ' + sys.argv[-1])\n",
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def test_pdf_prints_every_page_of_a_small_round(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MATURITY_CHROMIUM", str(_fake_chromium(tmp_path)))
    site = tmp_path / "site"
    result = run("report", CURRENT, "-o", str(site), "--pdf")
    assert result.exit_code == 0, result.output
    pdfs = sorted(str(p.relative_to(site)) for p in site.rglob("*.pdf"))
    assert len(pdfs) == 9 and "index.pdf" in pdfs and os.path.join("unit", "29611.pdf") in pdfs
    printed = (site / "unit" / "29611.pdf").read_text(encoding="utf-8")
    assert printed == "%PDF-1.4 " + (site / "unit" / "29611.html").resolve().as_uri()
    assert "9 PDFs printed" in result.stderr


def test_pdf_unit_must_be_a_unit_of_the_round(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MATURITY_CHROMIUM", str(_fake_chromium(tmp_path)))
    result = run("report", CURRENT, "-o", str(tmp_path / "site"), "--pdf-unit", "99999")
    assert_clean_failure(result, 2)
    assert "Invalid value for '--pdf-unit': '99999' is not a scored unit" in result.stderr


def test_nothing_scored_is_an_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("unit,period\n", encoding="utf-8")
    result = run("report", str(empty), "-o", str(tmp_path / "site"))
    assert_clean_failure(result, 1)
    assert "no unit could be scored; no site was written" in result.stderr


def test_a_verified_round_shows_the_verified_result_and_what_changed(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parent.parent.parent
    site = tmp_path / "site"
    result = run(
        "report",
        str(root / "examples" / "vinh-long.yaml"),
        "--verified",
        str(root / "examples" / "verified" / "vinh-long.yaml"),
        "-o",
        str(site),
        "--lang",
        "vi",
    )
    assert result.exit_code == 0, result.output
    scored = run(
        "score",
        str(root / "examples" / "vinh-long.yaml"),
        "--verified",
        str(root / "examples" / "verified" / "vinh-long.yaml"),
        "--format",
        "json",
    )
    import json

    verified = next(u for u in json.loads(scored.stdout)["units"] if u["id"] == "86")
    page = (site / "unit" / "86.html").read_text(encoding="utf-8")
    shown = f"{verified['score']:,.1f}".translate(str.maketrans(",.", ".,"))
    assert f'<span class="big">{shown}</span>' in page
    section = page.split('id="verification"')[1].split("</section>")[0]
    assert "thẩm định ngày 2025-08-28" in section
    assert "77.352 hồ sơ" in section and "75.000 hồ sơ" in section  # self-assessed, verified
    assert "hồ sơ nộp trùng" in section and "biên bản 28/8/2025" in section
    assert "1 đơn vị đã được thẩm định" in (site / "index.html").read_text(encoding="utf-8")
