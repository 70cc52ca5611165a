"""The report's small site opened in a real browser: Debian's Chromium driven by Playwright.

Playwright's own browser download cannot work here, so the tests drive the system Chromium
(``$MATURITY_CHROMIUM``, else ``/usr/bin/chromium``, else ``chromium`` on the PATH) with a
fresh profile and the network switched off. Without Playwright or a Chromium they are
skipped, saying why. The site is built once per session from the small round (Vĩnh Long and
five of its communes, with the Q2 round as baseline). Screenshots go to
``$MATURITY_SCREENSHOTS`` when set, else into the session's temporary folder.

CI sets ``MATURITY_REQUIRE_BROWSER=1``: there a missing browser fails the run instead of
skipping the tests, so they cannot stop running unnoticed.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest
from click.testing import CliRunner

from maturity.cli import main

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "report"
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


NO_CHROMIUM = "no Chromium: install it (apt-get install -y chromium) or set MATURITY_CHROMIUM"


def _missing(why: str) -> NoReturn:
    if os.environ.get("MATURITY_REQUIRE_BROWSER"):
        pytest.fail(f"{why} (MATURITY_REQUIRE_BROWSER is set)", pytrace=False)
    pytest.skip(why)


def _chromium() -> str | None:
    named = os.environ.get("MATURITY_CHROMIUM")
    if named:
        return named if Path(named).is_file() else None
    if Path("/usr/bin/chromium").is_file():
        return "/usr/bin/chromium"
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small round's site, in Vietnamese, with the change since Q2."""
    work = tmp_path_factory.mktemp("browser-site")
    baseline = work / "2025-Q2.json"
    runner = CliRunner()
    done = runner.invoke(
        main,
        ["score", str(FIXTURES / "vinh-long-2025-Q2.csv"), "--format", "json", "-o", str(baseline)],
    )
    assert done.exit_code == 0, done.output
    out = work / "site"
    done = runner.invoke(
        main,
        [
            "report",
            str(FIXTURES / "vinh-long-2025-Q3.csv"),
            "-o",
            str(out),
            "--lang",
            "vi",
            "--baseline",
            str(baseline),
        ],
    )
    assert done.exit_code == 0, done.output
    return out


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    named = os.environ.get("MATURITY_SCREENSHOTS")
    folder = Path(named) if named else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A persistent context on a fresh profile; every test opens its own page in it."""
    try:
        from playwright import sync_api
    except ImportError:
        _missing("Playwright is not installed: pip install -e '.[dev]'")
    executable = _chromium()
    if executable is None:
        _missing(NO_CHROMIUM)
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=executable,
            headless=True,
            args=FLAGS,
            viewport={"width": 1280, "height": 900},
        )
        yield context
        context.close()


class Visit:
    """A page of the site opened in the browser, with every request it made recorded."""

    def __init__(self, browser: Any, site: Path, width: int = 1280) -> None:
        self.site = site
        self.requests: list[str] = []
        self.page = browser.new_page()
        self.page.set_viewport_size({"width": width, "height": 900})
        self.page.on("request", lambda request: self.requests.append(request.url))

    def open(self, path: str) -> Any:
        self.page.goto((self.site / path).resolve().as_uri())
        self.page.wait_for_load_state("load")
        return self.page

    def close(self) -> None:
        self.page.close()


@pytest.fixture
def visit(browser: Any, site: Path) -> Iterator[Callable[..., Visit]]:
    """Opens pages of the site in a new tab (``visit(width=360)``), closed after the test."""
    opened: list[Visit] = []

    def open_tab(width: int = 1280) -> Visit:
        tab = Visit(browser, site, width)
        opened.append(tab)
        return tab

    yield open_tab
    for tab in opened:
        tab.close()


@pytest.fixture(scope="session")
def axe_script() -> Path:
    return AXE


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    found = _chromium()
    if found is None:
        _missing(NO_CHROMIUM)
    assert found is not None
    return Path(found)
