"""The platform's catalogue: both languages for every code, the same placeholders, the
glossary's words, and no code of the library taken over."""

from __future__ import annotations

import re
import string

from maturity.web.messages import LIBRARY_CODES, PLATFORM_MESSAGES


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_has_both_languages_with_the_same_placeholders() -> None:
    for code, (en, vi) in PLATFORM_MESSAGES.items():
        assert en.strip() and vi.strip(), code
        assert _fields(en) == _fields(vi), code


def test_no_platform_code_replaces_a_library_code() -> None:
    assert set(PLATFORM_MESSAGES) & LIBRARY_CODES == set()


def test_the_glossary_is_followed() -> None:
    vi = " ".join(v for _, v in PLATFORM_MESSAGES.values())
    assert "cổng" not in vi.lower()  # a gate is "điều kiện chặn"; "cổng" is the portal
    assert not re.search(r"\bbản nộp\b", vi)  # a submission is "bản khai"
    assert PLATFORM_MESSAGES["model.round"][1] == "kỳ đánh giá"
    assert PLATFORM_MESSAGES["model.submission"][1] == "bản khai"
    assert PLATFORM_MESSAGES["model.evidence"][1] == "tệp minh chứng"
    assert PLATFORM_MESSAGES["role.commune_officer"][1] == "cán bộ cấp xã"
