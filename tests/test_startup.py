"""Start-up stays light: ``maturity --help`` and a usage error import neither numpy, pydantic
nor yaml (issue 14, item 4). Measured in ``benchmarks/``, guarded here by what is imported,
not by a timing threshold."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("numpy", "pydantic", "yaml", "tabulate", "django", "openpyxl")

PROBE = """
import sys
from maturity.cli import main
try:
    main(args=sys.argv[1:], prog_name="maturity", standalone_mode=True)
except SystemExit:
    pass
heavy = sorted(m for m in {heavy!r} if m in sys.modules)
print("HEAVY=" + ",".join(heavy))
"""


def _heavy_after(*args: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY), *args],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("HEAVY="))
    return [m for m in line.removeprefix("HEAVY=").split(",") if m]


@pytest.mark.parametrize(
    "args",
    [("--help",), ("--lang", "vi", "--help"), ("--version",), ("nosuchcommand",)],
)
def test_the_group_imports_nothing_heavy(args: tuple[str, ...]) -> None:
    assert _heavy_after(*args) == []


def test_the_public_api_is_still_importable_by_name() -> None:
    import maturity

    assert maturity.load_framework.__name__ == "load_framework"
    assert maturity.Results.__name__ == "Results"
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        _ = maturity.nothing


def test_a_probe_that_imports_numpy_is_seen() -> None:
    """The probe itself can fail: a command that scores imports numpy."""
    assert "numpy" in _heavy_after("indicators")
