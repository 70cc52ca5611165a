"""The formula language of indicator rules: tokenizer, parser, checker, evaluator and printer."""

from __future__ import annotations

from maturity.framework.formula.checker import check, names_used
from maturity.framework.formula.evaluator import Column, Group, Scope, evaluate
from maturity.framework.formula.nodes import (
    AGGREGATES,
    ERROR,
    FUNCTIONS,
    INVALID,
    MAX_DEPTH,
    MISSING,
    OK,
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
    is_aggregate,
    result_ref,
    walk,
)
from maturity.framework.formula.parser import parse
from maturity.framework.formula.printer import unparse

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
    "result_ref",
    "unparse",
    "walk",
]
