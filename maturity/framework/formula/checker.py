"""The formula checker: every name resolves to an input, a constant or another indicator of the
right kind, every call has its arity, and aggregates are used only where a tier has children."""

from __future__ import annotations

from collections.abc import Callable

from maturity.errors import FormulaError
from maturity.framework.formula.nodes import (
    AGGREGATES,
    FUNCTIONS,
    Call,
    Expr,
    Name,
    Span,
    _arity_message,
    _children,
    _function_suggestion,
    _name_span,
    _outside_message,
    is_aggregate,
)
from maturity.i18n import t


# complex on purpose: a dispatcher over formula node kinds
def check(  # noqa: C901
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

    >>> from maturity.framework.formula import parse

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

    >>> from maturity.framework.formula import parse

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
