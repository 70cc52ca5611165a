"""The fuzz targets of ``tests/fuzz`` on their seed corpus and on random bytes: a quick,
always-run share of what ``tests/fuzz/run.py`` does under atheris in CI."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fuzz.targets import TARGETS, seeds


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_the_seed_corpus_passes(name: str) -> None:
    corpus = seeds(name)
    assert corpus, f"no seed for {name}"
    for data in corpus:
        TARGETS[name](data)


@pytest.mark.parametrize("name", sorted(TARGETS))
@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=600))
def test_random_bytes_never_escape_the_readers(name: str, data: bytes) -> None:
    TARGETS[name](data)


@pytest.mark.parametrize("name", sorted(TARGETS))
@settings(max_examples=60, deadline=None)
@given(data=st.text(alphabet="unit,period;\t\n\"'#: -{}[]0123456789.%yesvuxX~", max_size=300))
def test_text_close_to_a_submission_never_escapes_the_readers(name: str, data: str) -> None:
    TARGETS[name](data.encode())
