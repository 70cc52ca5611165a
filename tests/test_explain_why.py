"""`maturity explain` answers "why" (issue 11 item 5): a rejected value is shown as written,
with the reason, and called rejected, not missing; the unit's failed checks come with their
values; a gate that capped the level names what caused it; and the suggested whatif command,
pasted as printed, reproduces the promised level on the user's own files."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from maturity.cli import main

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), prog_name="maturity")


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.fixture(scope="module")
def ba_dinh() -> dict[str, str]:
    """Phường Ba Đình (00004) of the national example: its 'dossiers_online' is -12."""
    return {lang: run("explain", "--unit", "00004", "--lang", lang).stdout for lang in ("en", "vi")}


def test_a_rejected_value_is_shown_as_written_with_its_reason(ba_dinh: dict[str, str]) -> None:
    en, vi = ba_dinh["en"], ba_dinh["vi"]
    assert "Rejected values (as written, and why)" in en
    row = next(line for line in en.splitlines() if line.startswith("dossiers_online "))
    assert re.search(r"Dossiers submitted online\s+-12\s+'-12' is below the minimum 0\.", row)
    assert "DAT-14, SVC-03" in row  # the indicators it would have fed
    assert "Giá trị bị loại (như đã khai, và lý do)" in vi
    assert "'-12' nhỏ hơn giá trị tối thiểu 0." in vi
    # in the data gaps, beside the indicator, with the reason
    gap = next(line for line in en.splitlines() if line.startswith("SVC-03 ") and "invalid" in line)
    assert "Dossiers submitted online: “-12” rejected. '-12' is below the minimum 0." in gap
    assert "Số hồ sơ nộp trực tuyến: “-12” bị loại." in vi


def test_a_rejected_value_is_not_called_missing(ba_dinh: dict[str, str]) -> None:
    en, vi = ba_dinh["en"], ba_dinh["vi"]
    step = next(line for line in en.splitlines() if line.startswith("1 ") and "SVC-03" in line)
    assert "correct Dossiers submitted online" in step and "rejected" in step
    assert "a data gap today" not in step
    assert "sửa số liệu Số hồ sơ nộp trực tuyến" in vi and "(giá trị đã khai bị loại)" in vi
    data_gaps = en.split("Data gaps", 1)[1].split("Rejected values", 1)[0]
    assert not re.search(r"^SVC-03 .*\bmissing\b", data_gaps, re.M)


def test_the_gate_names_its_critical_indicator(ba_dinh: dict[str, str]) -> None:
    assert (
        "Critical indicators below level 3: SVC-03 Online submission rate (invalid)."
        in (ba_dinh["en"])
    )
    assert (
        "Chỉ số then chốt chưa đạt mức 3: SVC-03 Tỷ lệ hồ sơ nộp trực tuyến (không hợp lệ)."
        in (ba_dinh["vi"])
    )


def test_the_weakest_pillar_gate_names_the_pillar() -> None:
    out = run("explain", "--unit", "19").stdout  # Thái Nguyên: held at 2 by its ECO pillar
    assert "Capped by gate 'weakest-pillar'" in out
    assert "Weakest pillar: ECO (Digital economy & society), at level 1." in out


def test_failed_checks_come_with_their_values() -> None:
    out = run("explain", "--unit", "86").stdout  # Vĩnh Long in the national example
    section = out.split("Consistency checks not passed", 1)[1]
    row = next(line for line in section.splitlines() if line.startswith("procedures-add-up"))
    assert "warning" in row and "procs_total = 2,141" in row
    assert "procs_provincial + procs_commune + procs_shared = 2,132" in row


# ------------------------------------------------------------------ the pasted command

PROMISE = re.compile(r"`(maturity whatif [^`]+)`\) (?:gives level|thì đạt mức) (\d)")
REACHED = re.compile(r"(?:level|mức) (\d|—) → (\d|—)")
SCORE = re.compile(r"^(?:Score|Điểm) ([\d.,]+) /", re.M)
START = re.compile(r"^(?:Score|Điểm) ([\d.,]+) →", re.M)


def _paste(explained: str) -> tuple[list[str], int]:
    found = PROMISE.search(explained)
    assert found is not None, explained[-600:]
    words = shlex.split(found.group(1))
    assert words[:2] == ["maturity", "whatif"]
    return words[1:], int(found.group(2))


@pytest.mark.parametrize(
    ("files", "options"),
    [
        # the user's own files, in a folder of theirs, in Vietnamese
        (["vinh-long.yaml", "phu-quoi xã.yaml"], ["--unit", "29611", "--lang", "vi"]),
        # with the evaluators' verified values
        (["vinh-long.yaml"], ["--unit", "86", "--verified", "verified/vinh-long.yaml"]),
        # a framework of their own and a missing-data policy
        (
            ["vinh-long.yaml", "phu-quoi xã.yaml"],
            [
                "--unit",
                "29611",
                "--framework",
                "fw/frameworks/vn-2tier.yaml",
                "--missing",
                "exclude",
            ],
        ),
    ],
    ids=["own-files-vi", "verified", "framework-missing"],
)
def test_the_suggested_whatif_reproduces_the_promised_level(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: list[str], options: list[str]
) -> None:
    shutil.copy(ROOT / "examples" / "vinh-long.yaml", tmp_path / "vinh-long.yaml")
    shutil.copy(ROOT / "examples" / "phu-quoi.yaml", tmp_path / "phu-quoi xã.yaml")
    (tmp_path / "verified").mkdir()
    shutil.copy(ROOT / "examples" / "verified" / "vinh-long.yaml", tmp_path / "verified")
    shutil.copytree(ROOT / "frameworks", tmp_path / "fw" / "frameworks")
    shutil.copytree(ROOT / "rules", tmp_path / "fw" / "rules")
    monkeypatch.chdir(tmp_path)
    explained = run("explain", *files, *options)
    assert explained.exit_code == 0, explained.output
    args, promised = _paste(explained.stdout)
    for word in (*files, *options):  # every argument of the user's is repeated
        assert word in args
    pasted = run(*args)
    assert pasted.exit_code == 0, pasted.output
    summary = REACHED.search(pasted.stdout)
    assert summary is not None, pasted.stdout[:400]
    assert summary.group(2) == str(promised)
    # it re-scored the unit the user's files explained (not the bundled example's unit of
    # the same id, whose score differs): the score it starts from is the one explained
    explained_score = SCORE.search(explained.stdout)
    start = START.search(pasted.stdout)
    assert explained_score is not None and start is not None
    assert start.group(1) == explained_score.group(1)
