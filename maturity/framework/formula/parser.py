"""The formula parser: tokens to a syntax tree by precedence climbing; errors are located
problems with a caret under the offending text.

The grammar (``docs/rule-language.md`` §3)::

    expr     := or
    or       := and ("or" and)*
    and      := not ("and" not)*
    not      := "not" not | compare
    compare  := sum (("<" | "<=" | ">" | ">=" | "==" | "!=") sum)?     # no chains
    sum      := product (("+" | "-") product)*
    product  := unary (("*" | "/") unary)*
    unary    := ("-" | "+") unary | power
    power    := atom ("^" unary)?                  # right-associative; -2 ^ 2 is -4
    atom     := NUMBER | "true" | "false" | NAME | NAME "(" [expr ("," expr)*] ")" | "(" expr ")"
"""

from __future__ import annotations

import dataclasses
import math
from typing import Final

from maturity.errors import FormulaError
from maturity.framework.formula.nodes import (
    _MAX_NESTING,
    MAX_DEPTH,
    Binary,
    Bool,
    Call,
    Compare,
    Expr,
    Logic,
    Name,
    Not,
    Number,
    Span,
    Unary,
)
from maturity.framework.formula.tokenizer import _END, _KW, _NAME, _NUM, _OP, _Token, _tokenize
from maturity.i18n import t

_OR, _AND, _NOT, _CMP, _SUM, _PRODUCT, _UNARY, _POWER, _ATOM = 1, 2, 3, 4, 5, 6, 7, 8, 9


_BINARY_PREC: Final = {
    "or": _OR,
    "and": _AND,
    "<": _CMP,
    "<=": _CMP,
    ">": _CMP,
    ">=": _CMP,
    "==": _CMP,
    "!=": _CMP,
    "+": _SUM,
    "-": _SUM,
    "*": _PRODUCT,
    "/": _PRODUCT,
}


_OPERAND_START: Final = frozenset({_NUM, _NAME})


_TOO_DEEP: Final = "fx.too_deep"


def _binary_node(op: str, left: Expr, right: Expr, span: Span) -> Expr:
    if op in ("and", "or"):
        return Logic(op, left, right, span)
    if _BINARY_PREC[op] == _CMP:
        return Compare(op, left, right, span)
    return Binary(op, left, right, span)


class _Parser:
    """Precedence climbing over the token list; every method returns ``(node, depth)``."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.tokens = _tokenize(source)
        self.pos = 0
        self.nesting = 0

    def peek(self) -> _Token:
        return self.tokens[self.pos]

    def advance(self) -> _Token:
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def fail(self, message: str, tok: _Token) -> FormulaError:
        return FormulaError(message, self.source, tok.start, tok.end)

    def unexpected(self, tok: _Token, expecting: str) -> FormulaError:
        starts_operand = tok.kind in _OPERAND_START or tok.text in ("(", "true", "false", "not")
        hint = t("fx.expected", what=t(expecting)) if starts_operand and expecting else ""
        return self.fail(t("fx.unexpected", token=tok.shown(), hint=hint), tok)

    def enter(self, tok: _Token) -> None:
        self.nesting += 1
        if self.nesting > _MAX_NESTING:
            raise self.fail(t(_TOO_DEEP), tok)

    def parse(self) -> Expr:
        first = self.peek()
        if first.kind == _END:
            raise FormulaError(t("fx.empty"), self.source, 0, max(1, len(self.source)))
        expr, _ = self.expr(_OR, None)
        tok = self.peek()
        if tok.kind != _END:
            raise self.unexpected(tok, "fx.want.operator")
        return expr

    def expr(self, min_prec: int, after: _Token | None) -> tuple[Expr, int]:
        left, depth = self.prefix(min_prec, after)
        compared = False
        while True:
            tok = self.peek()
            prec = _BINARY_PREC.get(tok.text) if tok.kind in (_OP, _KW) else None
            if prec is None or prec < min_prec:
                return left, depth
            if prec == _CMP and compared:
                raise self.fail(t("fx.chained"), tok)
            self.advance()
            right, right_depth = self.expr(prec + 1, tok)
            depth = 1 + max(depth, right_depth)
            if depth > MAX_DEPTH:
                raise self.fail(t(_TOO_DEEP), tok)
            left = _binary_node(tok.text, left, right, (left.span[0], right.span[1]))
            compared = prec == _CMP

    def prefix(self, min_prec: int, after: _Token | None) -> tuple[Expr, int]:
        tok = self.peek()
        if tok.kind == _KW and tok.text == "not":
            if min_prec > _NOT:
                raise self.fail("'not' cannot appear here; put 'not ...' in parentheses", tok)
            self.advance()
            self.enter(tok)
            operand, depth = self.expr(_NOT, tok)
            self.nesting -= 1
            return Not(operand, (tok.start, operand.span[1])), depth + 1
        if tok.kind == _OP and tok.text in ("-", "+"):
            self.advance()
            self.enter(tok)
            operand, depth = self.prefix(_UNARY, tok)
            self.nesting -= 1
            return Unary(tok.text, operand, (tok.start, operand.span[1])), depth + 1
        return self.power(after)

    def power(self, after: _Token | None) -> tuple[Expr, int]:
        """``atom ("^" unary)?``: binds tighter than a prefix sign on its left (``-2 ^ 2`` is
        -4) and groups to the right (``a ^ b ^ c`` is ``a ^ (b ^ c)``)."""
        base, depth = self.atom(after)
        tok = self.peek()
        if not (tok.kind == _OP and tok.text == "^"):
            return base, depth
        self.advance()
        self.enter(tok)
        exponent, exp_depth = self.prefix(_UNARY, tok)
        self.nesting -= 1
        depth = 1 + max(depth, exp_depth)
        if depth > MAX_DEPTH:
            raise self.fail(t(_TOO_DEEP), tok)
        return Binary("^", base, exponent, (base.span[0], exponent.span[1])), depth

    def atom(self, after: _Token | None) -> tuple[Expr, int]:
        tok = self.peek()
        if tok.kind == _NUM:
            self.advance()
            value = float(tok.text)
            if not math.isfinite(value):
                raise self.fail(t("fx.too_large", number=tok.text), tok)
            return Number(value, (tok.start, tok.end)), 1
        if tok.kind == _KW and tok.text in ("true", "false"):
            self.advance()
            return Bool(tok.text == "true", (tok.start, tok.end)), 1
        if tok.kind == _NAME:
            self.advance()
            if self.peek().text == "(" and self.peek().kind == _OP:
                return self.call(tok)
            return Name(tok.text, (tok.start, tok.end)), 1
        if tok.kind == _OP and tok.text == "(":
            self.advance()
            self.enter(tok)
            inner, depth = self.expr(_OR, tok)
            self.nesting -= 1
            close = self.peek()
            if close.kind == _OP and close.text == ")":
                self.advance()
                return dataclasses.replace(inner, span=(tok.start, close.end)), depth
            if close.kind == _END:
                raise self.fail(t("fx.unclosed"), tok)
            raise self.unexpected(close, "fx.want.operator_close")
        if after is None:
            raise self.unexpected(tok, "")
        if tok.kind == _END:
            end = len(self.source)
            message = t("fx.expression_after", token=after.text)
            raise FormulaError(message, self.source, end, end + 1)
        raise self.fail(t("fx.expression_after", token=after.text), tok)

    def call(self, name: _Token) -> tuple[Expr, int]:
        opening = self.advance()
        self.enter(opening)
        args: list[Expr] = []
        depth = 0
        tok = self.peek()
        if tok.kind == _OP and tok.text == ")":
            self.advance()
        else:
            after = opening
            while True:
                arg, arg_depth = self.expr(_OR, after)
                args.append(arg)
                depth = max(depth, arg_depth)
                tok = self.peek()
                if tok.kind == _OP and tok.text == ",":
                    after = self.advance()
                    continue
                if tok.kind == _OP and tok.text == ")":
                    self.advance()
                    break
                if tok.kind == _END:
                    raise self.fail(t("fx.unclosed"), opening)
                raise self.unexpected(tok, "fx.want.operator_comma_close")
        self.nesting -= 1
        if depth + 1 > MAX_DEPTH:
            raise self.fail(t(_TOO_DEEP), name)
        return Call(name.text, tuple(args), (name.start, tok.end)), depth + 1


def parse(source: str) -> Expr:
    """Parse a formula.

    Args:
        source: the formula text, e.g. ``"ratio(a, a + b) * 100"``.

    Returns:
        The syntax tree. Spans are offsets into ``source``.

    Raises:
        FormulaError: the text is not a formula; the error's span marks the offending token.

    >>> parse("2 * x")
    Binary(op='*', left=Number(value=2.0), right=Name(id='x'))
    >>> parse("a < b < c")
    Traceback (most recent call last):
    ...
    maturity.errors.FormulaError: comparisons cannot be chained; use 'and'
        a < b < c
              ^
    """
    return _Parser(source).parse()
