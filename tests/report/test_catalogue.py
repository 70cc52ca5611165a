"""The report's texts: both languages for every code, the same placeholders in each, every
code the package uses defined, and the glossary kept (no "cổng" for a gate)."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

import maturity.render.site
from maturity.render.site._messages import REPORT_MESSAGES

PACKAGE = Path(maturity.render.site.__file__).resolve().parent


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


@pytest.mark.parametrize("code", sorted(REPORT_MESSAGES))
def test_both_languages_with_the_same_placeholders(code: str) -> None:
    en, vi = REPORT_MESSAGES[code]
    assert en.strip() and vi.strip()
    assert _fields(en) == _fields(vi), code


def test_every_code_used_is_defined() -> None:
    used: set[str] = set()
    prefixes: set[str] = set()
    for path in PACKAGE.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"""["'](report\.[a-z_.]+[a-z_])["']""", source))
        prefixes |= set(re.findall(r"""f["'](report\.[a-z_.]+\.)\{""", source))
    used -= {"report.css", "report.js"}  # the asset files, not messages
    assert used and not sorted(used - REPORT_MESSAGES.keys())
    for prefix in prefixes:
        assert any(code.startswith(prefix) for code in REPORT_MESSAGES), prefix


def test_glossary() -> None:
    vietnamese = " ".join(vi for _, vi in REPORT_MESSAGES.values())
    assert "cổng" not in vietnamese.lower()  # a gate is "điều kiện chặn"; "cổng" is a portal
    assert "điều kiện chặn" in vietnamese
    assert "chỉ số tổng hợp" in vietnamese  # the index, apart from an indicator ("chỉ số")


def test_the_package_loads_its_parts_when_they_are_used() -> None:
    """``maturity report``'s module is imported at every start of the CLI: the pages, the
    analysis and the explanations are loaded only when a report is built."""
    import subprocess
    import sys

    code = (
        "import sys, maturity.cli; import maturity.render.site as r; "
        "assert 'maturity.render.site._unit_page' not in sys.modules; "
        "assert 'maturity.explain' not in sys.modules; "
        "assert set(r.__all__) == set(r._WHERE); r.unit_page; "
        "assert 'maturity.render.site._unit_page' in sys.modules"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
