"""Shared fixtures: load each framework once per test session."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from maturity import Framework, Registry, load_framework, load_registry
from maturity.i18n import set_language

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINI = FIXTURES / "mini"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite tests/golden/ from the current output (review the diff before committing).",
    )


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages in English unless a test asks otherwise; reset after every test."""
    set_language("en")
    yield
    set_language("en")


@pytest.fixture(scope="session")
def mini() -> Framework:
    return load_framework(MINI / "framework.yaml")


@pytest.fixture(scope="session")
def mini_registry() -> Registry:
    return load_registry(MINI / "units.csv")


@pytest.fixture(scope="session")
def national() -> Framework:
    return load_framework(ROOT / "frameworks" / "vn-2tier.yaml")


@pytest.fixture(scope="session")
def national_registry() -> Registry:
    return load_registry(ROOT / "frameworks" / "units" / "vn-admin-units-2025.csv")


@pytest.fixture
def mini_copy(tmp_path: Path) -> Path:
    """A writable copy of the mini framework."""
    dest = tmp_path / "mini"
    shutil.copytree(MINI, dest)
    return dest
