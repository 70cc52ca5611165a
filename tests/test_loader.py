"""The YAML loader and the framework validator raise nothing but the project's own errors.

Whatever text a rule file or a manifest holds -- arbitrary text, or a bundled file with a line
deleted, two lines swapped, a line repeated or characters inserted -- ``load_framework`` either
returns a framework or raises a :class:`~maturity.errors.MaturityError` whose problems each
name a file. Never a ``KeyError``, ``TypeError``, ``RecursionError`` or a pydantic error.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maturity import load_framework
from maturity.errors import InputError, MaturityError
from maturity.framework.yaml_loader import load_yaml_text

ROOT = Path(__file__).resolve().parent.parent
MINI = Path(__file__).resolve().parent / "fixtures" / "mini"

FUZZ = settings(
    max_examples=150,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# fragments that YAML and the rule language treat specially
SNIPPETS = [
    ":", "- ", "[", "]", "{", "}", "&a ", "*a", "!!str ", "!!python/name:os.system ", "<<: *a",
    "#", "'", '"', "|", ">", "\t", "\n", "  ", ",", "?", "%", "@", "`", "~", "null", "true",
    ".nan", ".inf", "-1", "0", "1e999", "2025-07-01", "id: X", "weight: ", "formula: ",
    "ratio(", "sum(", "count()", "/ 0", "SVC-01", "SVC-ON", "province", "commune", "linear",
    "steps", "ordinal", "binary", "lower", "\ufeff", "\x00", "é", "Đ",
]  # fmt: skip


def _assert_own_error(exc: BaseException) -> None:
    assert isinstance(exc, MaturityError), f"{type(exc).__name__}: {exc}"
    if isinstance(exc, InputError):
        assert exc.problems
        for problem in exc.problems:
            assert problem.location.file, str(problem)


def _load(path: Path) -> None:
    try:
        load_framework(path)
    except Exception as exc:  # the property: nothing but MaturityError escapes
        _assert_own_error(exc)


# --------------------------------------------------------------------------- arbitrary text


@FUZZ
@given(text=st.text(max_size=300))
def test_yaml_loader_on_arbitrary_text(text: str) -> None:
    try:
        load_yaml_text(text, "fuzz.yaml")
    except Exception as exc:
        _assert_own_error(exc)


@FUZZ
@given(
    text=st.one_of(
        st.text(max_size=300),
        st.lists(st.sampled_from(SNIPPETS), max_size=40).map("".join),
    ),
    target=st.sampled_from(["framework.yaml", "rules/svc.yaml", "rules/inf.yaml"]),
)
def test_framework_from_arbitrary_text(mini_copy: Path, text: str, target: str) -> None:
    path = mini_copy / target
    original = path.read_bytes()
    path.write_text(text, encoding="utf-8")
    try:
        _load(mini_copy / "framework.yaml")
    finally:
        path.write_bytes(original)


# --------------------------------------------------------------------------- mutated bundled files


@st.composite
def mutations(draw: st.DrawFn, text: str) -> str:
    """``text`` with one to three line-level edits."""
    lines = text.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 3))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        j = draw(st.integers(0, len(lines) - 1))
        edit = draw(st.sampled_from(["delete", "swap", "repeat", "insert"]))
        if edit == "delete":
            del lines[i]
        elif edit == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif edit == "repeat":
            lines.insert(j, lines[i])
        else:
            at = draw(st.integers(0, len(lines[i])))
            noise = draw(
                st.one_of(
                    st.text(min_size=1, max_size=4),
                    st.lists(st.sampled_from(SNIPPETS), min_size=1, max_size=3).map("".join),
                )
            )
            lines[i] = lines[i][:at] + noise + lines[i][at:]
    return "".join(lines)


@pytest.fixture
def dti_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled DTI 2022 framework (small, so quick to load)."""
    (tmp_path / "frameworks").mkdir()
    shutil.copy(ROOT / "frameworks" / "dti-2022.yaml", tmp_path / "frameworks")
    shutil.copytree(ROOT / "frameworks" / "units", tmp_path / "frameworks" / "units")
    shutil.copytree(ROOT / "rules" / "dti-2022", tmp_path / "rules" / "dti-2022")
    return tmp_path


def test_the_copies_load_unmutated(mini_copy: Path, dti_copy: Path) -> None:
    assert load_framework(mini_copy / "framework.yaml").id == "mini"
    assert load_framework(dti_copy / "frameworks" / "dti-2022.yaml").id == "dti-2022"


DTI_RULES = (ROOT / "rules" / "dti-2022" / "main.yaml").read_text(encoding="utf-8")
DTI_MANIFEST = (ROOT / "frameworks" / "dti-2022.yaml").read_text(encoding="utf-8")
MINI_FILES = {
    name: (MINI / name).read_text(encoding="utf-8")
    for name in ("framework.yaml", "rules/svc.yaml", "rules/inf.yaml")
}


@FUZZ
@given(data=st.data(), which=st.sampled_from(["rules", "manifest"]))
def test_mutated_bundled_dti_files(dti_copy: Path, data: st.DataObject, which: str) -> None:
    if which == "rules":
        path, text = dti_copy / "rules" / "dti-2022" / "main.yaml", DTI_RULES
    else:
        path, text = dti_copy / "frameworks" / "dti-2022.yaml", DTI_MANIFEST
    path.write_text(data.draw(mutations(text)), encoding="utf-8")
    try:
        _load(dti_copy / "frameworks" / "dti-2022.yaml")
    finally:
        path.write_text(text, encoding="utf-8")


@FUZZ
@given(data=st.data(), name=st.sampled_from(sorted(MINI_FILES)))
def test_mutated_mini_files(mini_copy: Path, data: st.DataObject, name: str) -> None:
    text = MINI_FILES[name]
    (mini_copy / name).write_text(data.draw(mutations(text)), encoding="utf-8")
    try:
        _load(mini_copy / "framework.yaml")
    finally:
        (mini_copy / name).write_text(text, encoding="utf-8")


NATIONAL_RULES = sorted((ROOT / "rules" / "vn-2tier").glob("*.yaml"))


@settings(FUZZ, max_examples=6)  # the national framework takes ~0.25 s to load
@given(data=st.data(), index=st.integers(0, len(NATIONAL_RULES) - 1))
def test_mutated_national_rule_files(tmp_path: Path, data: st.DataObject, index: int) -> None:
    work = tmp_path / "national"
    if not work.exists():
        (work / "frameworks").mkdir(parents=True)
        shutil.copy(ROOT / "frameworks" / "vn-2tier.yaml", work / "frameworks")
        shutil.copytree(ROOT / "rules" / "vn-2tier", work / "rules" / "vn-2tier")
    path = work / "rules" / "vn-2tier" / NATIONAL_RULES[index].name
    text = NATIONAL_RULES[index].read_text(encoding="utf-8")
    path.write_text(data.draw(mutations(text)), encoding="utf-8")
    try:
        _load(work / "frameworks" / "vn-2tier.yaml")
    finally:
        path.write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------- specific cases


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\ufeff",
        "- a\n- b\n",
        "just text",
        "id: [unclosed",
        "a: &a [*a]",
        "? [complex, key]\n: value\n",
        "x: !!binary aGVsbG8=",
        "x: !!set {a, b}",
        "x: !!omap [{a: 1}]",
        "x: 2025-07-01 12:00:00",
        "[" * 200 + "]" * 200,
        "a: " + "{b: " * 100 + "1" + "}" * 100,
        "x: 1\n" * 3,
    ],
)
def test_yaml_oddities(text: str) -> None:
    try:
        load_yaml_text(text, "odd.yaml")
    except Exception as exc:
        _assert_own_error(exc)
