"""The formula language's tokenizer: source text to tokens, each with its span, so that every
syntax error can point a caret at the character it is about."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from maturity.errors import FormulaError
from maturity.i18n import t

_NUM, _NAME, _OP, _KW, _END = "number", "name", "operator", "keyword", "end"


_KEYWORDS: Final = frozenset({"and", "or", "not", "true", "false"})


_OPERATORS: Final = ("<=", ">=", "==", "!=", "+", "-", "*", "/", "^", "<", ">", "(", ")", ",")


_NUMBER_RE: Final = re.compile(r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)


_NAME_RE: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*", re.ASCII)


_REF_RE: Final = re.compile(r"(?:indicator|pillar)\.[A-Za-z0-9_]+(?:-[A-Za-z0-9_]+)*", re.ASCII)
"""A result of the same unit: ``indicator.SVC-03``, ``pillar.GOV`` (one name token)."""


_WORD_RE: Final = re.compile(r"[A-Za-z0-9_.]*", re.ASCII)


_HINTS: Final = {  # characters people type from other languages, and what to write instead
    "=": "fx.hint.equals",
    "!": "fx.hint.bang",
    "&": "fx.hint.amp",
    "|": "fx.hint.pipe",
    "%": "fx.hint.percent",
}


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    start: int
    end: int

    def shown(self) -> str:
        return t("fx.end") if self.kind == _END else f"'{self.text}'"


def _tokenize(source: str) -> list[_Token]:
    """Split ``source`` into tokens, ending with an end token.

    >>> [t.text for t in _tokenize("a<=1.5e3 and not(b)")]
    ['a', '<=', '1.5e3', 'and', 'not', '(', 'b', ')', '']
    >>> [t.text for t in _tokenize("pillar.P1 * indicator.SVC-03 - 1")]
    ['pillar.P1', '*', 'indicator.SVC-03', '-', '1', '']
    >>> _tokenize("a $ b")
    Traceback (most recent call last):
    ...
    maturity.errors.FormulaError: unknown character '$'
        a $ b
          ^
    """
    tokens: list[_Token] = []
    i, n = 0, len(source)
    while i < n:
        ch = source[i]
        if ch.isspace():
            i += 1
            continue
        if m := _NUMBER_RE.match(source, i):
            end = m.end()
            tail = _WORD_RE.match(source, end)
            if tail is not None and tail.end() > end:
                word = source[i : tail.end()]
                raise FormulaError(t("fx.bad_number", word=word), source, i, tail.end())
            tokens.append(_Token(_NUM, m.group(), i, end))
            i = end
            continue
        if m := _REF_RE.match(source, i):
            tokens.append(_Token(_NAME, m.group(), i, m.end()))
            i = m.end()
            continue
        if m := _NAME_RE.match(source, i):
            word = m.group()
            tokens.append(_Token(_KW if word in _KEYWORDS else _NAME, word, i, m.end()))
            i = m.end()
            continue
        op = next((o for o in _OPERATORS if source.startswith(o, i)), None)
        if op is not None:
            tokens.append(_Token(_OP, op, i, i + len(op)))
            i += len(op)
            continue
        message = t(_HINTS[ch]) if ch in _HINTS else t("fx.bad_char", char=repr(ch))
        raise FormulaError(message, source, i, i + 1)
    tokens.append(_Token(_END, "", n, n + 1))
    return tokens
