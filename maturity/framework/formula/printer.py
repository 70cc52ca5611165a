"""The formula printer: a parsed formula back to canonical text, with only the parentheses its
precedence needs (used by diffs, explanations and error messages)."""

from __future__ import annotations

import math

from maturity.framework.formula.nodes import (
    Binary,
    Bool,
    Call,
    Compare,
    Expr,
    Logic,
    Name,
    Not,
    Number,
    Unary,
)
from maturity.framework.formula.parser import (
    _AND,
    _ATOM,
    _CMP,
    _NOT,
    _OR,
    _POWER,
    _PRODUCT,
    _SUM,
    _UNARY,
)


def _prec(expr: Expr) -> int:
    if isinstance(expr, Logic):
        return _OR if expr.op == "or" else _AND
    if isinstance(expr, Not):
        return _NOT
    if isinstance(expr, Compare):
        return _CMP
    if isinstance(expr, Binary) and expr.op == "^":
        return _POWER
    if isinstance(expr, Binary):
        return _SUM if expr.op in ("+", "-") else _PRODUCT
    if isinstance(expr, Unary):
        return _UNARY
    return _ATOM


def _format_number(value: float) -> str:
    """The shortest text that parses back to ``value``.

    >>> _format_number(100.0), _format_number(0.1), _format_number(1e20), _format_number(2.5e-7)
    ('100', '0.1', '1e+20', '2.5e-07')
    """
    if math.isfinite(value) and value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def _wrap(expr: Expr, min_prec: int) -> str:
    text = unparse(expr)
    return f"({text})" if _prec(expr) < min_prec else text


def unparse(expr: Expr) -> str:
    """Canonical text of a tree, with the fewest parentheses.

    ``parse(unparse(e)) == e`` for every tree ``parse`` can produce (number literals are
    finite and non-negative, names are not keywords).

    >>> from maturity.framework.formula import parse

    >>> unparse(parse("(a - (b - c)) / ((d * e)) + -(-f)"))
    '(a - (b - c)) / (d * e) + - -f'
    >>> unparse(parse("not (a or b) and (not c) == d"))
    'not (a or b) and (not c) == d'
    >>> unparse(parse("(-a) ^ 2 + -b ^ (c ^ d) + (a ^ b) ^ -c"))
    '(-a) ^ 2 + -b ^ c ^ d + (a ^ b) ^ -c'
    """
    if isinstance(expr, Number):
        return _format_number(expr.value)
    if isinstance(expr, Bool):
        return "true" if expr.value else "false"
    if isinstance(expr, Name):
        return expr.id
    if isinstance(expr, Unary):
        operand = _wrap(expr.operand, _UNARY)
        return expr.op + (" " if operand[0] in "+-" else "") + operand
    if isinstance(expr, Not):
        return "not " + _wrap(expr.operand, _NOT)
    if isinstance(expr, Call):
        return f"{expr.func}({', '.join(unparse(a) for a in expr.args)})"
    if isinstance(expr, Binary) and expr.op == "^":  # right-associative; a signed exponent is fine
        return f"{_wrap(expr.left, _ATOM)} ^ {_wrap(expr.right, _UNARY)}"
    prec = _prec(expr)
    left_prec = _SUM if isinstance(expr, Compare) else prec
    return f"{_wrap(expr.left, left_prec)} {expr.op} {_wrap(expr.right, prec + 1)}"
