"""PDFs of the site's pages, printed by a headless Chromium from the files on disk.

Chromium is looked for in ``$MATURITY_CHROMIUM``, then on the ``PATH`` (``chromium``,
``chromium-browser``, ``google-chrome``), then at ``/usr/bin/chromium``. It runs without
network (the background-networking flags) and with a fresh profile per page; the pages are
our own static files with a strict content policy, so the sandbox is not needed (it cannot
start as root or in many containers) and is turned off.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from maturity.render.site._core import MaturityError, t

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FALLBACK = Path("/usr/bin/chromium")
TIMEOUT = 120  # seconds per page
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--no-first-run",
    "--no-default-browser-check",
    "--no-pdf-header-footer",
)


class PdfError(MaturityError):
    """Chromium is missing or could not print a page."""


def find_chromium() -> Path | None:
    """The Chromium to print with, or ``None`` when there is none."""
    named = os.environ.get("MATURITY_CHROMIUM")
    if named:
        return Path(named) if Path(named).is_file() else None
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return Path(found)
    return FALLBACK if FALLBACK.is_file() else None


def require_chromium() -> Path:
    found = find_chromium()
    if found is None:
        raise PdfError(t("report.pdf.no_chromium"))
    return found


def print_pdfs(chromium: Path, pages: list[Path], workers: int | None = None) -> list[Path]:
    """Print each HTML file to a PDF beside it (A4, as the print stylesheet sets)."""
    if not pages:
        return []
    count = workers or min(4, os.cpu_count() or 2)
    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(lambda page: _print_one(chromium, page), pages))


def _print_one(chromium: Path, page: Path) -> Path:
    target = page.with_suffix(".pdf")
    target.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="maturity-chromium-") as profile:
        command = [
            str(chromium),
            *FLAGS,
            f"--user-data-dir={profile}",
            f"--print-to-pdf={target}",
            page.resolve().as_uri(),
        ]
        try:
            done = subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PdfError(t("report.pdf.failed", page=page, why=exc)) from None
    if done.returncode != 0 or not target.is_file() or target.stat().st_size == 0:
        tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        raise PdfError(t("report.pdf.failed", page=page, why=" / ".join(tail) or done.returncode))
    return target
