"""Consistency checks of a framework run over a batch: each failed check becomes a located
warning or error on its unit, with the values of the formula's parts that made it fail."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from maturity.errors import Location, Problem
from maturity.framework import formula as fx
from maturity.framework.compiled import Framework
from maturity.i18n import Bilingual, Joined, Message, Number
from maturity.inputs.submissions import Submission
from maturity.inputs.units import Unit
from maturity.scoring.scopes import _Scope


def _shown_parts(expr: fx.Expr) -> list[fx.Expr]:
    """The sub-expressions a failed check reports: every aggregate, and each side of a
    comparison that is more than a name or a number (``a + b + c = 2132``)."""
    found: list[fx.Expr] = []

    def walk(node: fx.Expr) -> None:
        if isinstance(node, fx.Call) and fx.is_aggregate(node):
            found.append(node)
            return
        if isinstance(node, fx.Compare):
            for side in (node.left, node.right):
                if not isinstance(side, (fx.Name, fx.Number)):
                    found.append(side)
        for child in _children(node):
            walk(child)

    walk(expr)
    unique: dict[str, fx.Expr] = {}
    for node in found:
        unique.setdefault(fx.unparse(node), node)
    return list(unique.values())


def _children(node: fx.Expr) -> tuple[fx.Expr, ...]:
    if isinstance(node, (fx.Unary, fx.Not)):
        return (node.operand,)
    if isinstance(node, (fx.Binary, fx.Compare, fx.Logic)):
        return (node.left, node.right)
    if isinstance(node, fx.Call):
        return tuple(node.args)
    return ()


def _run_checks(
    fw: Framework,
    tier: str,
    scope: _Scope,
    units: list[Unit],
    subs: list[Submission],
    diagnostics: list[Problem],
) -> NDArray[np.bool_]:
    """Run the tier's checks, adding a diagnostic per failure; the mask of the units that
    fail a check of severity ``error`` (a check that cannot be evaluated is a warning)."""
    failing = np.zeros(len(units), dtype=bool)
    for check in fw.manifest.checks:
        if tier not in check.tiers:
            continue
        expr = fw.formulas[f"check:{check.id}"]
        col = fx.evaluate(expr, scope, check.assert_)
        failed = (col.status == fx.OK) & (col.values == 0)
        errored = col.status == fx.ERROR
        if not failed.any() and not errored.any():
            continue
        if check.severity == "error":
            failing |= failed
        own, _ = fx.names_used(expr)
        parts: list[tuple[str, fx.Column]] = [(name, scope.lookup(name)) for name in sorted(own)]
        parts += [
            (fx.unparse(part), fx.evaluate(part, scope, check.assert_))
            for part in _shown_parts(expr)
        ]
        for i in np.flatnonzero(failed):
            shown = Joined(
                [
                    Joined((name, " = ", _num(c.values[i])), "")
                    for name, c in parts
                    if c.status[i] == fx.OK
                ],
                Message("check.values_sep"),  # "; " where a comma marks decimals
            )
            diagnostics.append(
                Problem.at(
                    Location(subs[i].file or "", subs[i].line or 0),
                    "check.failed",
                    severity=check.severity,
                    unit=units[i].id,
                    indicator=None,
                    check=check.id,
                    message=Bilingual.of(check.message),
                    values=shown,
                )
            )
        for i in np.flatnonzero(errored):
            notes = Joined([note for mask, note in col.notes if mask[i]] or ["error"], "; ")
            diagnostics.append(
                Problem.at(
                    Location(subs[i].file or "", subs[i].line or 0),
                    "check.error",
                    severity="warning",
                    unit=units[i].id,
                    indicator=None,
                    check=check.id,
                    note=notes,
                )
            )
    return failing


def _num(x: float) -> Number:
    """Numbers in messages: whole numbers without decimals, others to 4 decimals, in the
    reader's language when the message is shown.

    >>> _num(2141.0).render("vi"), _num(49.53573).render("en")
    ('2.141', '49.5357')
    """
    return Number(float(x), 4)
