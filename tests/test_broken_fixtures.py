"""One broken fixture per error class: each exits 1 with exactly the expected located messages.

Each folder under ``fixtures/broken`` holds the files that differ from ``fixtures/mini`` and an
``expected.txt`` with the exact stderr lines (paths relative to the framework folder).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from maturity.cli import main

BROKEN = Path(__file__).resolve().parent / "fixtures" / "broken"
MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
CASES = sorted(p.name for p in BROKEN.iterdir() if p.is_dir())


def run_validate(folder: Path) -> tuple[int, str, str]:
    runner = CliRunner()
    old = Path.cwd()
    os.chdir(folder)
    try:
        result = runner.invoke(main, ["validate", "framework.yaml"])
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout, result.stderr


def test_there_are_at_least_twenty_error_classes() -> None:
    assert len(CASES) >= 20


@pytest.mark.parametrize("case", CASES)
def test_broken_fixture(case: str, tmp_path: Path) -> None:
    work = tmp_path / case
    shutil.copytree(MINI, work)
    shutil.copytree(BROKEN / case, work, dirs_exist_ok=True)
    (work / "expected.txt").unlink()
    code, _out, err = run_validate(work)
    expected = (BROKEN / case / "expected.txt").read_text(encoding="utf-8")
    assert err == expected
    assert code == 1
    assert "Traceback" not in err


def test_oversized_file(tmp_path: Path) -> None:
    work = tmp_path / "oversized"
    shutil.copytree(MINI, work)
    (work / "rules" / "svc.yaml").write_text("#" * 1023 + "\n" * 1, encoding="utf-8")
    with (work / "rules" / "svc.yaml").open("a", encoding="utf-8") as fh:
        fh.write(("#" * 1023 + "\n") * (5 * 1024 + 1))
    code, _, err = run_validate(work)
    assert code == 1
    assert err.startswith("rules/svc.yaml: the file is 5")
    assert "larger than the limit of 5242880 bytes" in err


def test_the_mini_framework_is_valid() -> None:
    code, out, err = run_validate(MINI)
    assert (code, err) == (0, "")
    assert out.startswith("ok framework.yaml: mini 1.0, 6 indicators")


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("duplicate-indicator", "trùng mã chỉ số 'INF-01'"),
        ("unknown-pillar", "không có trụ cột '"),
        ("unknown-tier", "không có cấp '"),
    ],
)
def test_broken_fixture_names_the_kind_in_vietnamese(
    case: str, expected: str, tmp_path: Path
) -> None:
    """The kind of a wrong id is a word of the language (``chỉ số``), not the English id
    kind (``indicator``) inside a Vietnamese sentence."""
    work = tmp_path / case
    shutil.copytree(MINI, work)
    shutil.copytree(BROKEN / case, work, dirs_exist_ok=True)
    old = Path.cwd()
    os.chdir(work)
    try:
        result = CliRunner().invoke(main, ["--lang", "vi", "validate", "framework.yaml"])
    finally:
        os.chdir(old)
    assert result.exit_code == 1
    assert expected in result.stderr, result.stderr
