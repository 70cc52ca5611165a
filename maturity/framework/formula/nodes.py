"""The formula language's syntax tree: numbers, names, operators, comparisons and calls, each
with its span in the source, and the catalogue of functions with their arities."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Final, TypeAlias

import numpy as np
from numpy.typing import NDArray

from maturity.i18n import closest, t

# Status codes, ordered by severity: combining statuses is ``np.maximum``.
OK: Final = 0


MISSING: Final = 1


INVALID: Final = 2


ERROR: Final = 3


MAX_DEPTH: Final = 100
"""Deepest formula tree (and deepest nesting of brackets/prefix operators) accepted."""


_MAX_NESTING: Final = 50


Span: TypeAlias = tuple[int, int]


F64: TypeAlias = NDArray[np.float64]


U8: TypeAlias = NDArray[np.uint8]


Mask: TypeAlias = NDArray[np.bool_]


@dataclass(frozen=True)
class Number:
    """A number literal; the parser only produces finite, non-negative values."""

    value: float
    span: Span = field(default=(0, 0), compare=False, repr=False)


@dataclass(frozen=True)
class Bool:
    """``true`` or ``false``."""

    value: bool
    span: Span = field(default=(0, 0), compare=False, repr=False)


@dataclass(frozen=True)
class Name:
    """A name: an input, a derived value or (inside aggregates) a child unit's result."""

    id: str
    span: Span = field(default=(0, 0), compare=False, repr=False)


@dataclass(frozen=True)
class Unary:
    """Prefix ``-`` or ``+``."""

    op: str
    operand: Expr
    span: Span = field(default=(0, 0), compare=False, repr=False)


@dataclass(frozen=True)
class Binary:
    """Arithmetic: ``+ - * /`` and the power ``^``."""

    op: str
    left: Expr
    right: Expr
    span: Span = field(default=(0, 0), compare=False, repr=False)


@dataclass(frozen=True)
class Compare:
    """A comparison ``< <= > >= == !=``; its value is 1 (true) or 0 (false)."""

    op: str
    left: Expr
    right: Expr
    span: Span = field(default=(0, 0), compare=False, repr=False)


@dataclass(frozen=True)
class Logic:
    """``and`` / ``or`` on truth values (non-zero is true)."""

    op: str
    left: Expr
    right: Expr
    span: Span = field(default=(0, 0), compare=False, repr=False)


@dataclass(frozen=True)
class Not:
    """``not x``: 1 where ``x`` is 0, else 0."""

    operand: Expr
    span: Span = field(default=(0, 0), compare=False, repr=False)


@dataclass(frozen=True)
class Call:
    """A function or aggregate call ``func(args...)``."""

    func: str
    args: tuple[Expr, ...]
    span: Span = field(default=(0, 0), compare=False, repr=False)


Expr: TypeAlias = Number | Bool | Name | Unary | Binary | Compare | Logic | Not | Call


FUNCTIONS: Final[dict[str, tuple[int, int | None]]] = {
    "min": (2, None),
    "max": (2, None),
    "abs": (1, 1),
    "clamp": (3, 3),
    "if": (3, 3),
    "coalesce": (2, None),
    "ratio": (2, 3),
    "round": (1, 2),
    "ln": (1, 1),
    "log10": (1, 1),
    "exp": (1, 1),
    "sqrt": (1, 1),
    "pow": (2, 2),
}
"""Element-wise functions: name -> (fewest arguments, most arguments or ``None``)."""


AGGREGATES: Final[dict[str, tuple[int, int | None]]] = {
    "sum": (1, 1),
    "mean": (1, 1),
    "min": (1, 1),
    "max": (1, 1),
    "count": (0, 1),
    "share": (1, 1),
}
"""Aggregates over child units; ``min``/``max`` are aggregates only with one argument."""


_KNOWN: Final = sorted(set(FUNCTIONS) | set(AGGREGATES))


_ALIASES: Final = {
    "avg": "mean",
    "average": "mean",
    "iif": "if",
    "ifnull": "coalesce",
    "nvl": "coalesce",
    "len": "count",
    "log": "ln",
    "power": "pow",
}


RESULT_KINDS: Final = ("indicator", "pillar")
"""Prefixes of names that read a result of the same unit: ``indicator.<id>``, ``pillar.<id>``."""


def result_ref(name: str) -> tuple[str, str] | None:
    """``(kind, id)`` when ``name`` reads an indicator's or a pillar's result, else ``None``.

    >>> result_ref("indicator.SVC-03"), result_ref("pillar.GOV"), result_ref("dossiers")
    (('indicator', 'SVC-03'), ('pillar', 'GOV'), None)
    """
    kind, dot, ident = name.partition(".")
    return (kind, ident) if dot and kind in RESULT_KINDS else None


def is_aggregate(call: Call) -> bool:
    """Whether ``call`` is an aggregate (evaluated over child units).

    >>> is_aggregate(Call("sum", (Name("x"),)))
    True
    >>> is_aggregate(Call("min", (Name("x"),))), is_aggregate(Call("min", (Name("x"), Name("y"))))
    (True, False)
    """
    if call.func in ("min", "max"):
        return len(call.args) == 1
    return call.func in AGGREGATES


def walk(expr: Expr) -> Iterator[Expr]:
    """Every node of ``expr``, each parent before its children, left to right.

    >>> from maturity.framework.formula import parse, unparse
    >>> [unparse(n) for n in walk(parse("a + sum(b > 1)"))]
    ['a + sum(b > 1)', 'a', 'sum(b > 1)', 'b > 1', 'b', '1']
    """
    stack = [expr]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(_children(node)))


def _children(expr: Expr) -> tuple[Expr, ...]:
    """The direct sub-expressions of ``expr``."""
    if isinstance(expr, Unary | Not):
        return (expr.operand,)
    if isinstance(expr, Binary | Compare | Logic):
        return (expr.left, expr.right)
    if isinstance(expr, Call):
        return expr.args
    return ()


def _name_span(call: Call) -> Span:
    return (call.span[0], call.span[0] + len(call.func))


def _arity_message(func: str, low: int, high: int | None, got: int) -> str:
    """The complaint about a call with the wrong number of arguments.

    >>> _arity_message("clamp", 3, 3, 2)
    "'clamp' takes 3 arguments, got 2"
    >>> _arity_message("abs", 1, 1, 0), _arity_message("ratio", 2, 3, 1)
    ("'abs' takes 1 argument, got 0", "'ratio' takes 2 or 3 arguments, got 1")
    >>> _arity_message("coalesce", 2, None, 1), _arity_message("round", 1, 2, 4)
    ("'coalesce' takes at least 2 arguments, got 1", "'round' takes 1 or 2 arguments, got 4")
    """
    if high is None:
        wanted = t("fx.arity.at_least", low=low)
    elif high == low:
        wanted = str(low)
    elif high == low + 1:
        wanted = t("fx.arity.or", low=low, high=high)
    else:
        wanted = t("fx.arity.range", low=low, high=high)
    key = "fx.arity.one" if wanted == "1" else "fx.arity.many"
    return t(key, func=func, wanted=wanted, got=got)


def _function_suggestion(func: str) -> str:
    """``"; did you mean 'x'?"`` for an unknown function name, or ``""``.

    >>> _function_suggestion("ration"), _function_suggestion("SUM"), _function_suggestion("avg")
    ("; did you mean 'ratio'?", "; did you mean 'sum'?", "; did you mean 'mean'?")
    >>> _function_suggestion("log"), _function_suggestion("frobnicate")
    ("; did you mean 'ln'?", '')
    """
    lowered = func.lower()
    if lowered in _KNOWN:
        return t("fx.did_you_mean", name=lowered)
    if lowered in _ALIASES:
        return t("fx.did_you_mean", name=_ALIASES[lowered])
    close = closest(lowered, _KNOWN)
    return t("fx.did_you_mean", name=close) if close else ""


def _outside_message(func: str) -> str:
    return t("fx.outside", func=func)
