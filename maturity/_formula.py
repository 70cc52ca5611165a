"""The formula language: tokenizer, parser, checker, printer and vectorised evaluator.

Formulas are parsed once, when a framework loads, by a hand-written tokenizer and a
precedence-climbing parser; nothing is ever ``eval``'d. The grammar and the function table
are in ``docs/rule-language.md`` §3.

Evaluation works on whole columns: every unit of a tier at once, as numpy arrays. A column is
a value per unit plus a *status* per unit (:data:`OK`, :data:`MISSING`, :data:`INVALID`,
:data:`ERROR`); the status of an operation is the largest status of its operands, so a
missing operand makes the result missing and an error is never hidden. Values of rows whose
status is not :data:`OK` are always ``0.0`` (never NaN). Division by zero, and a result that
is not a finite number, make that row :data:`ERROR` and attach a note saying why.

>>> expr = parse("ratio(dossiers_online, dossiers_online + dossiers_in_person) * 100")
>>> unparse(expr)
'ratio(dossiers_online, dossiers_online + dossiers_in_person) * 100'
>>> sorted(names_used(expr)[0])
['dossiers_in_person', 'dossiers_online']
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final, Protocol, TypeAlias

import numpy as np
from numpy.typing import NDArray

from maturity._i18n import t
from maturity.errors import FormulaError

__all__ = [
    "AGGREGATES",
    "ERROR",
    "FUNCTIONS",
    "INVALID",
    "MAX_DEPTH",
    "MISSING",
    "OK",
    "Binary",
    "Bool",
    "Call",
    "Column",
    "Compare",
    "Expr",
    "Group",
    "Logic",
    "Name",
    "Not",
    "Number",
    "Scope",
    "Unary",
    "check",
    "evaluate",
    "is_aggregate",
    "names_used",
    "parse",
    "unparse",
]

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

# --------------------------------------------------------------------------- syntax tree


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
    """Arithmetic: ``+ - * /``."""

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
}


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


# --------------------------------------------------------------------------- tokenizer

_NUM, _NAME, _OP, _KW, _END = "number", "name", "operator", "keyword", "end"
_KEYWORDS: Final = frozenset({"and", "or", "not", "true", "false"})
_OPERATORS: Final = ("<=", ">=", "==", "!=", "+", "-", "*", "/", "<", ">", "(", ")", ",")
_NUMBER_RE: Final = re.compile(r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_NAME_RE: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*", re.ASCII)
_WORD_RE: Final = re.compile(r"[A-Za-z0-9_.]*", re.ASCII)
_HINTS: Final = {  # characters people type from other languages, and what to write instead
    "=": "fx.hint.equals",
    "!": "fx.hint.bang",
    "&": "fx.hint.amp",
    "|": "fx.hint.pipe",
    "^": "fx.hint.caret",
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


# --------------------------------------------------------------------------- parser

_OR, _AND, _NOT, _CMP, _SUM, _PRODUCT, _UNARY, _ATOM = 1, 2, 3, 4, 5, 6, 7, 8
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
        return self.atom(after)

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


# --------------------------------------------------------------------------- printer


def _prec(expr: Expr) -> int:
    if isinstance(expr, Logic):
        return _OR if expr.op == "or" else _AND
    if isinstance(expr, Not):
        return _NOT
    if isinstance(expr, Compare):
        return _CMP
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

    >>> unparse(parse("(a - (b - c)) / ((d * e)) + -(-f)"))
    '(a - (b - c)) / (d * e) + - -f'
    >>> unparse(parse("not (a or b) and (not c) == d"))
    'not (a or b) and (not c) == d'
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
    prec = _prec(expr)
    left_prec = _SUM if isinstance(expr, Compare) else prec
    return f"{_wrap(expr.left, left_prec)} {expr.op} {_wrap(expr.right, prec + 1)}"


# --------------------------------------------------------------------------- checker


def _children(expr: Expr) -> tuple[Expr, ...]:
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
    >>> _function_suggestion("sqrt")
    ''
    """
    lowered = func.lower()
    if lowered in _KNOWN:
        return t("fx.did_you_mean", name=lowered)
    if lowered in _ALIASES:
        return t("fx.did_you_mean", name=_ALIASES[lowered])
    close = difflib.get_close_matches(lowered, _KNOWN, n=1, cutoff=0.6)
    return t("fx.did_you_mean", name=close[0]) if close else ""


def check(
    expr: Expr,
    source: str,
    *,
    names: Callable[[str], bool],
    child_names: Callable[[str], bool] | None,
    suggest: Callable[[str], list[str]] | None = None,
) -> list[FormulaError]:
    """Every problem in a parsed formula, in source order.

    Args:
        expr: the tree from :func:`parse`.
        source: the text it was parsed from (for the errors' caret).
        names: whether a name is known in the formula's own tier.
        child_names: whether a name is known for the child units; ``None`` when the tier has
            no child tier, which makes every aggregate an error.
        suggest: close matches for an unknown name, appended as ``"; did you mean ..."``.

    Returns:
        The errors (unknown functions and names, wrong numbers of arguments, aggregates where
        none are allowed, nested aggregates); empty when the formula is fine. Names inside an
        aggregate that is not allowed are not checked.

    >>> src = "clamp(x, 0) + sum(y) + z"
    >>> for e in check(parse(src), src, names=lambda n: n == "x", child_names=None):
    ...     print(e.message)
    'clamp' takes 3 arguments, got 2
    aggregate 'sum' is only allowed in formulas of a tier with child units (provinces over communes)
    unknown name 'z'
    """
    errors: list[FormulaError] = []

    def err(message: str, span: Span) -> None:
        errors.append(FormulaError(message, source, span[0], span[1]))

    def walk(node: Expr, inside: str | None) -> None:
        if isinstance(node, Name):
            known = child_names if inside is not None else names
            if known is not None and not known(node.id):
                close = suggest(node.id) if suggest is not None else []
                hint = t("fx.did_you_mean", name=close[0]) if close else ""
                err(t("fx.unknown_name", name=node.id, hint=hint), node.span)
            return
        if not isinstance(node, Call):
            for child in _children(node):
                walk(child, inside)
            return
        func, got = node.func, len(node.args)
        if is_aggregate(node):
            if inside is not None:
                err(t("fx.nested", func=func, inside=inside), _name_span(node))
            elif child_names is None:
                message = _outside_message(func)
                if func in ("min", "max"):
                    message += t("fx.elementwise", func=func)
                err(message, _name_span(node))
                return
            low, high = AGGREGATES[func]
            if got < low or (high is not None and got > high):
                err(_arity_message(func, low, high, got), node.span)
            for arg in node.args:
                walk(arg, inside or func)
            return
        if func in FUNCTIONS:
            low, high = FUNCTIONS[func]
            if got < low or (high is not None and got > high):
                message = _arity_message(func, low, high, got)
                if func in ("min", "max") and child_names is not None:
                    message = t("fx.minmax_arity", func=func, got=got)
                err(message, node.span)
        else:
            err(
                t("fx.unknown_function", func=func, hint=_function_suggestion(func)),
                _name_span(node),
            )
        for arg in node.args:
            walk(arg, inside)

    walk(expr, None)
    errors.sort(key=lambda e: (e.start, e.end))
    return errors


def names_used(expr: Expr) -> tuple[set[str], set[str]]:
    """The names a formula uses: ``(own-tier names, names used inside aggregates)``.

    >>> own, inside = names_used(parse("a + sum(b * a) / count() + max(c, d)"))
    >>> sorted(own), sorted(inside)
    (['a', 'c', 'd'], ['a', 'b'])
    """
    own: set[str] = set()
    inside: set[str] = set()
    stack: list[tuple[Expr, bool]] = [(expr, False)]
    while stack:
        node, in_aggregate = stack.pop()
        if isinstance(node, Name):
            (inside if in_aggregate else own).add(node.id)
            continue
        nested = in_aggregate or (isinstance(node, Call) and is_aggregate(node))
        stack.extend((child, nested) for child in _children(node))
    return own, inside


# --------------------------------------------------------------------------- evaluation


@dataclass(frozen=True, eq=False)
class Column:
    """Values of one quantity for every unit of a tier.

    Attributes:
        values: float64, shape ``(n,)``; ``0.0`` where ``status != OK``.
        status: uint8, shape ``(n,)``: :data:`OK`, :data:`MISSING`, :data:`INVALID` or
            :data:`ERROR`.
        notes: ``(mask, message)`` pairs explaining rows: why a row is :data:`ERROR`
            (mask rows have that status), or, on :data:`OK` rows, that an aggregate used only
            some of the child units.
    """

    values: F64
    status: U8
    notes: tuple[tuple[Mask, str], ...] = ()


class Scope(Protocol):
    """Where formulas find their names: the units of one tier."""

    size: int

    def lookup(self, name: str) -> Column:
        """The column of ``name`` (an input, derived value or result)."""
        ...

    def children(self) -> Group | None:
        """The child units, for aggregates; ``None`` when the tier has none."""
        ...


@dataclass(frozen=True)
class Group:
    """Child units of a scope's units.

    Attributes:
        scope: the child units' scope (e.g. all communes).
        parent_index: int64, for each child row the row of its parent; ``-1`` = no parent.
        n_parents: number of rows of the parent scope.
    """

    scope: Scope
    parent_index: NDArray[np.int64]
    n_parents: int


@dataclass
class _Value:
    """An intermediate column; each note is ``(rows, message, explains_an_error)``."""

    values: F64
    status: U8
    notes: list[tuple[Mask, str, bool]]


def _status(*parts: U8) -> U8:
    out = parts[0]
    for part in parts[1:]:
        out = np.maximum(out, part)
    return out


def _masked(notes: list[tuple[Mask, str, bool]], rows: Mask) -> list[tuple[Mask, str, bool]]:
    return [(mask & rows, msg, is_error) for mask, msg, is_error in notes]


def _round_half_away(x: F64, digits: F64) -> F64:
    """Round to ``digits`` decimals, halves away from zero.

    Values within a few ulps of a half count as the half, so ``2.675`` (stored as
    ``2.67499999...``) rounds to ``2.68`` as its decimal text says.

    >>> x = np.array([49.53567, 2.5, -2.5, 2.675, 1234.5, 0.004])
    >>> _round_half_away(x, np.array([2.0, 0, 0, 2, -2, 2])).tolist()
    [49.54, 3.0, -3.0, 2.68, 1200.0, 0.0]
    """
    scale = 10.0 ** np.clip(np.trunc(digits), -308, 308)
    scaled = np.abs(x) * scale
    exact = ~np.isfinite(scaled) | (scaled >= 2.0**52)
    safe = np.where(exact, 0.0, scaled)
    rounded = np.floor(safe + 0.5 + 4 * np.spacing(safe)) / scale
    out: F64 = np.where(exact, x, np.copysign(rounded, x)) + 0.0
    return out


def _division_note(node: Expr, denominator: Expr) -> str:
    """The note on rows where ``denominator`` is zero.

    >>> _division_note(parse("a / (b - c)"), parse("b - c"))
    "division by zero in 'a / (b - c)': the denominator 'b - c' is 0"
    """
    return t("fx.division_by_zero", formula=unparse(node), denominator=unparse(denominator))


def _outside_message(func: str) -> str:
    return t("fx.outside", func=func)


class _Evaluator:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, message: str, span: Span) -> FormulaError:
        return FormulaError(message, self.source, span[0], span[1])

    def finish(
        self, node: Expr, values: F64, status: U8, notes: list[tuple[Mask, str, bool]]
    ) -> _Value:
        """Mark non-finite results as errors and zero the values of rows that are not OK."""
        bad = (status == OK) & ~np.isfinite(values)
        if bad.any():
            if isinstance(node, Name):
                message = t("fx.name_not_finite", name=node.id)
            else:
                message = t("fx.not_finite", formula=unparse(node))
            status = np.where(bad, np.uint8(ERROR), status).astype(np.uint8)
            notes = [*notes, (bad, message, True)]
        clean: F64 = np.where(status == OK, values, 0.0) + 0.0
        return _Value(clean, status, notes)

    def run(self, node: Expr, scope: Scope, inside: str | None) -> _Value:
        n = scope.size
        with np.errstate(all="ignore"):
            if isinstance(node, Number):
                return self.finish(node, np.full(n, float(node.value)), np.zeros(n, np.uint8), [])
            if isinstance(node, Bool):
                return _Value(np.full(n, 1.0 if node.value else 0.0), np.zeros(n, np.uint8), [])
            if isinstance(node, Name):
                return self.lookup(node, scope)
            if isinstance(node, Unary):
                a = self.run(node.operand, scope, inside)
                values = -a.values if node.op == "-" else a.values
                return self.finish(node, values, a.status, a.notes)
            if isinstance(node, Not):
                a = self.run(node.operand, scope, inside)
                return self.finish(node, (a.values == 0).astype(np.float64), a.status, a.notes)
            if isinstance(node, Binary | Compare | Logic):
                a = self.run(node.left, scope, inside)
                b = self.run(node.right, scope, inside)
                return self.binary(node, a, b)
            return self.call(node, scope, inside)

    def lookup(self, node: Name, scope: Scope) -> _Value:
        col = scope.lookup(node.id)
        values = np.asarray(col.values, dtype=np.float64)
        status = np.asarray(col.status, dtype=np.uint8)
        notes: list[tuple[Mask, str, bool]] = []
        for mask, msg in col.notes:
            rows = np.asarray(mask, dtype=bool)
            notes.append((rows & (status == ERROR), msg, True))
            notes.append((rows & (status == OK), msg, False))
        return self.finish(node, values, status, notes)

    def binary(self, node: Binary | Compare | Logic, a: _Value, b: _Value) -> _Value:
        status = _status(a.status, b.status)
        notes = a.notes + b.notes
        x, y = a.values, b.values
        op = node.op
        if op == "/":
            zero = (b.status == OK) & (y == 0)
            values = x / np.where(zero, 1.0, y)
            if zero.any():
                status = np.where(zero, np.uint8(ERROR), status).astype(np.uint8)
                notes.append((zero, _division_note(node, node.right), True))
            return self.finish(node, values, status, notes)
        result: NDArray[np.float64] | Mask
        if op == "+":
            result = x + y
        elif op == "-":
            result = x - y
        elif op == "*":
            result = x * y
        elif op == "and":
            result = (x != 0) & (y != 0)
        elif op == "or":
            result = (x != 0) | (y != 0)
        elif op == "<":
            result = x < y
        elif op == "<=":
            result = x <= y
        elif op == ">":
            result = x > y
        elif op == ">=":
            result = x >= y
        elif op == "==":
            result = x == y
        elif op == "!=":
            result = x != y
        else:
            raise self.fail(t("fx.unknown_operator", op=op), node.span)
        return self.finish(node, result.astype(np.float64), status, notes)

    def call(self, node: Call, scope: Scope, inside: str | None) -> _Value:
        func, got = node.func, len(node.args)
        if is_aggregate(node):
            return self.aggregate(node, scope, inside)
        if func not in FUNCTIONS:
            message = t("fx.unknown_function", func=func, hint=_function_suggestion(func))
            raise self.fail(message, _name_span(node))
        low, high = FUNCTIONS[func]
        if got < low or (high is not None and got > high):
            raise self.fail(_arity_message(func, low, high, got), node.span)
        args = [self.run(arg, scope, inside) for arg in node.args]
        if func == "if":
            return self.if_(node, *args)
        if func == "coalesce":
            return self.coalesce(node, args)
        if func == "ratio":
            return self.ratio(node, args)
        status = _status(*(a.status for a in args))
        notes = [note for a in args for note in a.notes]
        vals = [a.values for a in args]
        if func == "min":
            values: F64 = np.minimum.reduce(vals)
        elif func == "max":
            values = np.maximum.reduce(vals)
        elif func == "abs":
            values = np.abs(vals[0])
        elif func == "clamp":
            values = np.minimum(np.maximum(vals[0], vals[1]), vals[2])
        else:  # round
            digits = vals[1] if got == 2 else np.zeros_like(vals[0])
            values = _round_half_away(vals[0], digits)
        return self.finish(node, values, status, notes)

    def if_(self, node: Call, cond: _Value, a: _Value, b: _Value) -> _Value:
        known = cond.status == OK
        take_a = known & (cond.values != 0)
        take_b = known & ~take_a
        status = np.where(known, np.where(take_a, a.status, b.status), cond.status).astype(np.uint8)
        values = np.where(take_a, a.values, b.values)
        notes = cond.notes + _masked(a.notes, take_a) + _masked(b.notes, take_b)
        return self.finish(node, values, status, notes)

    def coalesce(self, node: Call, args: list[_Value]) -> _Value:
        n = args[0].values.shape[0]
        chosen = np.zeros(n, dtype=bool)
        values = np.zeros(n)
        picks: list[Mask] = []
        for arg in args:
            pick = ~chosen & (arg.status == OK)
            values = np.where(pick, arg.values, values)
            chosen |= pick
            picks.append(pick)
        # No argument present: the worst status, so an invalid or erroneous input is not
        # hidden behind a merely missing one.
        worst = _status(*(a.status for a in args))
        status = np.where(chosen, np.uint8(OK), worst).astype(np.uint8)
        notes = [
            note
            for arg, pick in zip(args, picks, strict=True)
            for note in _masked(arg.notes, pick | ~chosen)
        ]
        return self.finish(node, values, status, notes)

    def ratio(self, node: Call, args: list[_Value]) -> _Value:
        a, b = args[0], args[1]
        zero = (b.status == OK) & (b.values == 0)
        values = a.values / np.where(zero, 1.0, b.values)
        status = _status(a.status, b.status)
        if len(args) == 3:
            z = args[2]
            values = np.where(zero, z.values, values)
            status = np.where(zero, z.status, status).astype(np.uint8)
            notes = _masked(a.notes, ~zero) + b.notes + _masked(z.notes, zero)
            return self.finish(node, values, status, notes)
        notes = a.notes + b.notes
        if zero.any():
            status = np.where(zero, np.uint8(ERROR), status).astype(np.uint8)
            notes.append((zero, _division_note(node, node.args[1]), True))
        return self.finish(node, values, status, notes)

    def aggregate(self, node: Call, scope: Scope, inside: str | None) -> _Value:
        func, got = node.func, len(node.args)
        if inside is not None:
            raise self.fail(t("fx.nested", func=func, inside=inside), _name_span(node))
        low, high = AGGREGATES[func]
        if got < low or (high is not None and got > high):
            raise self.fail(_arity_message(func, low, high, got), node.span)
        group = scope.children()
        if group is None:
            raise self.fail(_outside_message(func), _name_span(node))
        n = group.n_parents
        parent = np.asarray(group.parent_index, dtype=np.int64)
        member = (parent >= 0) & (parent < n)
        total = np.bincount(parent[member], minlength=n)[:n]
        if got == 0:  # count()
            return _Value(total.astype(np.float64), np.zeros(n, np.uint8), [])
        arg = self.run(node.args[0], group.scope, func)
        ok = member & (arg.status == OK)
        present = np.bincount(parent[ok], minlength=n)[:n]
        status = np.zeros(n, np.uint8)
        values: F64
        if func == "count":
            values = np.bincount(parent[ok & (arg.values != 0)], minlength=n)[:n].astype(np.float64)
        elif func == "share":
            hits = np.bincount(parent[ok & (arg.values != 0)], minlength=n)[:n]
            values = hits / np.maximum(present, 1)
            status = np.where(present == 0, np.uint8(MISSING), status).astype(np.uint8)
        elif func in ("sum", "mean"):
            weighted = np.bincount(parent[ok], weights=arg.values[ok], minlength=n)[:n]
            sums: F64 = weighted.astype(np.float64)
            values = sums / np.maximum(present, 1) if func == "mean" else sums
            status = np.where(present == 0, np.uint8(MISSING), status).astype(np.uint8)
        else:  # one-argument min / max
            fill = np.inf if func == "min" else -np.inf
            values = np.full(n, fill)
            reduce = np.minimum if func == "min" else np.maximum
            reduce.at(values, parent[ok], arg.values[ok])
            status = np.where(present == 0, np.uint8(MISSING), status).astype(np.uint8)
            values = np.where(present == 0, 0.0, values)
        notes: list[tuple[Mask, str, bool]] = []
        partial = (present > 0) & (present < total) if func != "count" else present < total
        if partial.any():
            text = unparse(node)
            pairs = np.unique(np.stack([total[partial] - present[partial], total[partial]]), axis=1)
            for lacking, of in pairs.T.tolist():
                rows = partial & (total - present == lacking) & (total == of)
                message = t("fx.partial_aggregate", formula=text, lacking=lacking, of=of)
                notes.append((rows, message, False))
        return self.finish(node, values, status, notes)


def evaluate(expr: Expr, scope: Scope, source: str = "") -> Column:
    """Evaluate a formula for every unit of ``scope`` at once.

    Args:
        expr: the tree from :func:`parse` (and accepted by :func:`check`).
        scope: the units and their columns.
        source: the formula text, for the span of a :class:`FormulaError`.

    Returns:
        The result column. Its notes explain :data:`ERROR` rows (division by zero, a result
        that is not a finite number) and partial aggregates on :data:`OK` rows.

    Raises:
        FormulaError: the formula uses an aggregate where the scope has no children, nests
            aggregates, calls an unknown function or has a wrong number of arguments -- all
            of which :func:`check` reports before.
    """
    result = _Evaluator(source).run(expr, scope, None)
    merged: dict[tuple[str, bool], Mask] = {}
    for mask, msg, is_error in result.notes:
        rows = mask & (result.status == (ERROR if is_error else OK))
        key = (msg, is_error)
        merged[key] = merged[key] | rows if key in merged else rows
    notes = tuple((rows, msg) for (msg, _), rows in merged.items() if rows.any())
    return Column(result.values.astype(np.float64), result.status.astype(np.uint8), notes)
