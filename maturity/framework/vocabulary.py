"""The words a submission may use for yes, no and "not applicable", in both languages: part of
the submission format (the schema offers them to editors; the reader accepts them)."""

from __future__ import annotations

TRUE_WORDS = frozenset({"1", "true", "yes", "y", "on", "có", "co", "x", "đúng", "dung", "đạt"})
FALSE_WORDS = frozenset({"0", "false", "no", "n", "off", "không", "khong", "sai", "chưa", "chua"})
NA_WORDS = frozenset({"n/a", "na", "không áp dụng", "khong ap dung", "not applicable", "kad"})
