"""Where the bundled frameworks, rules and examples are: the repository (editable install)
or the copy inside the wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]  # maturity/


def bundled_root() -> Path:
    """The folder that holds ``frameworks/``, ``rules/`` and ``examples/``."""
    repo = _PACKAGE.parent
    if (repo / "frameworks").is_dir() and (repo / "rules").is_dir():
        return repo
    return _PACKAGE / "_bundled"


def frameworks_dir() -> Path:
    return bundled_root() / "frameworks"


def default_framework() -> Path:
    """The national framework, used when ``--framework`` is not given."""
    return frameworks_dir() / "vn-2tier.yaml"


def default_submissions() -> Path:
    """The national example, scored when no submission is given."""
    return bundled_root() / "examples" / "national" / "submissions.csv"


def bundled_frameworks() -> list[Path]:
    return sorted(frameworks_dir().glob("*.yaml"))
