"""The formula evaluator: one formula over columns of every unit at once (numpy arrays), with a
status per row (value, missing, not applicable, error) and the notes that explain each."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Protocol

import numpy as np
from numpy.typing import NDArray

from maturity.errors import FormulaError
from maturity.framework.formula.nodes import (
    AGGREGATES,
    ERROR,
    F64,
    FUNCTIONS,
    MISSING,
    OK,
    U8,
    Binary,
    Bool,
    Call,
    Compare,
    Expr,
    Logic,
    Mask,
    Name,
    Not,
    Number,
    Span,
    Unary,
    _arity_message,
    _function_suggestion,
    _name_span,
    _outside_message,
    is_aggregate,
)
from maturity.framework.formula.printer import unparse
from maturity.i18n import Plain, Text, msg, t


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
    notes: tuple[tuple[Mask, Text], ...] = ()


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
    notes: list[tuple[Mask, Text, bool]]


def _status(*parts: U8) -> U8:
    out = parts[0]
    for part in parts[1:]:
        out = np.maximum(out, part)
    return out


def _masked(notes: list[tuple[Mask, Text, bool]], rows: Mask) -> list[tuple[Mask, Text, bool]]:
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


def _division_note(node: Expr, denominator: Expr) -> Text:
    """The note on rows where ``denominator`` is zero.

    >>> from maturity.framework.formula import parse

    >>> str(_division_note(parse("a / (b - c)"), parse("b - c")))
    "division by zero in 'a / (b - c)': the denominator 'b - c' is 0"
    """
    return msg("fx.division_by_zero", formula=unparse(node), denominator=unparse(denominator))


def _value_notes(
    rows: Mask, values: F64, code: str, **args: object
) -> list[tuple[Mask, Text, bool]]:
    """One error note per distinct offending value (``{value}`` in the message) on ``rows``."""
    notes: list[tuple[Mask, Text, bool]] = []
    for v in np.unique(values[rows]).tolist():
        notes.append((rows & (values == v), msg(code, value=Plain(v), **args), True))
    return notes


def _power_notes(rows: Mask, x: F64, y: F64, formula: str) -> list[tuple[Mask, Text, bool]]:
    notes: list[tuple[Mask, Text, bool]] = []
    for bx, by in np.unique(np.stack([x[rows], y[rows]]), axis=1).T.tolist():
        hit = rows & (x == bx) & (y == by)
        text = msg("fx.domain.power", formula=formula, base=Plain(bx), exponent=Plain(by))
        notes.append((hit, text, True))
    return notes


_TRANSFORMS: Final = {  # one-argument transforms: (numpy function, domain message or None)
    "ln": (np.log, "fx.domain.positive"),
    "log10": (np.log10, "fx.domain.positive"),
    "sqrt": (np.sqrt, "fx.domain.nonnegative"),
    "exp": (np.exp, None),
}


class _Evaluator:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, message: str, span: Span) -> FormulaError:
        return FormulaError(message, self.source, span[0], span[1])

    def finish(
        self, node: Expr, values: F64, status: U8, notes: list[tuple[Mask, Text, bool]]
    ) -> _Value:
        """Mark non-finite results as errors and zero the values of rows that are not OK."""
        bad = (status == OK) & ~np.isfinite(values)
        if bad.any():
            if isinstance(node, Name):
                message = msg("fx.name_not_finite", name=node.id)
            else:
                message = msg("fx.not_finite", formula=unparse(node))
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
        notes: list[tuple[Mask, Text, bool]] = []
        for mask, note in col.notes:
            rows = np.asarray(mask, dtype=bool)
            notes.append((rows & (status == ERROR), note, True))
            notes.append((rows & (status == OK), note, False))
        return self.finish(node, values, status, notes)

    def binary(self, node: Binary | Compare | Logic, a: _Value, b: _Value) -> _Value:
        status = _status(a.status, b.status)
        notes = a.notes + b.notes
        x, y = a.values, b.values
        op = node.op
        if op == "^" and isinstance(node, Binary):
            return self.power(node, a, b)
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
        if func == "pow":
            return self.power(node, args[0], args[1])
        if func in _TRANSFORMS:
            return self.transform(node, args[0])
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
            fractional = (status == OK) & (digits != np.trunc(digits))
            if fractional.any():
                status = np.where(fractional, np.uint8(ERROR), status).astype(np.uint8)
                arg = unparse(node.args[1])
                notes += _value_notes(
                    fractional, digits, "fx.domain.digits", formula=unparse(node), arg=arg
                )
        return self.finish(node, values, status, notes)

    def transform(self, node: Call, a: _Value) -> _Value:
        """``ln``, ``log10``, ``sqrt``, ``exp``: rows outside the domain (or overflowing) are
        errors naming the formula and the offending value, never a NaN or an infinity."""
        function, domain = _TRANSFORMS[node.func]
        ok = a.status == OK
        x = a.values
        outside = ok & ((x <= 0) if domain == "fx.domain.positive" else (x < 0))
        if domain is None:
            outside = np.zeros(x.shape, dtype=bool)
        values: F64 = function(np.where(outside, 1.0, x))
        overflow = ok & ~outside & ~np.isfinite(values)
        formula, arg = unparse(node), unparse(node.args[0])
        notes = list(a.notes)
        if domain is not None and outside.any():
            notes += _value_notes(outside, x, domain, func=node.func, formula=formula, arg=arg)
        if overflow.any():
            notes += _value_notes(overflow, x, "fx.domain.overflow", formula=formula, arg=arg)
        status = np.where(outside | overflow, np.uint8(ERROR), a.status).astype(np.uint8)
        return self.finish(node, values, status, notes)

    def power(self, node: Binary | Call, a: _Value, b: _Value) -> _Value:
        """``x ^ y`` and ``pow(x, y)``: a negative base needs a whole exponent and a base of 0
        one that is not negative (0 ^ 0 is 1); anything else (or an overflow) is an error for
        that row."""
        status = _status(a.status, b.status)
        ok = status == OK
        x, y = a.values, b.values
        outside = ok & (((x < 0) & (y != np.trunc(y))) | ((x == 0) & (y < 0)))
        values: F64 = np.power(np.where(outside, 1.0, x), np.where(outside, 1.0, y))
        overflow = ok & ~outside & ~np.isfinite(values)
        formula = unparse(node)
        notes = a.notes + b.notes
        if outside.any():
            notes += _power_notes(outside, x, y, formula)
        if overflow.any():
            notes += _power_notes(overflow, x, y, formula)
        status = np.where(outside | overflow, np.uint8(ERROR), status).astype(np.uint8)
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
        notes: list[tuple[Mask, Text, bool]] = []
        partial = (present > 0) & (present < total) if func != "count" else present < total
        if partial.any():
            text = unparse(node)
            pairs = np.unique(np.stack([total[partial] - present[partial], total[partial]]), axis=1)
            for lacking, of in pairs.T.tolist():
                rows = partial & (total - present == lacking) & (total == of)
                message = msg("fx.partial_aggregate", formula=text, lacking=lacking, of=of)
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
    merged: dict[tuple[Text, bool], Mask] = {}  # the same note from several sub-expressions
    for mask, note, is_error in result.notes:
        rows = mask & (result.status == (ERROR if is_error else OK))
        key = (note, is_error)
        merged[key] = merged[key] | rows if key in merged else rows
    notes = tuple((rows, note) for (note, _), rows in merged.items() if rows.any())
    return Column(result.values.astype(np.float64), result.status.astype(np.uint8), notes)
