"""Transforms in the formula language: ln, log10, exp, sqrt, pow / ^ and round's digits, each
with its domain (a value outside it is an error for that row with a located message)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maturity.framework.formula import ERROR, MISSING, OK, Binary, Name, Number, Unary, parse
from maturity.framework.formula.evaluator import Column, evaluate
from maturity.framework.formula.printer import unparse
from maturity.i18n import set_language

FAST = settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


class Cols:
    """A scope over plain columns."""

    def __init__(self, **columns: list[float]) -> None:
        self.columns = {
            k: Column(np.array(v, dtype=np.float64), np.zeros(len(v), np.uint8))
            for k, v in columns.items()
        }
        self.size = len(next(iter(columns.values())))

    def lookup(self, name: str) -> Column:
        return self.columns[name]

    def children(self) -> None:
        return None


def run(source: str, **columns: list[float]) -> Column:
    return evaluate(parse(source), Cols(**columns), source)


def notes(col: Column) -> list[tuple[list[bool], str]]:
    return [(mask.tolist(), str(note)) for mask, note in col.notes]


def test_values_by_hand() -> None:
    out = run("ln(x) + log10(y) + sqrt(z) + exp(w)", x=[math.e], y=[1000.0], z=[16.0], w=[0.0])
    assert out.status.tolist() == [OK]
    assert out.values[0] == pytest.approx(1 + 3 + 4 + 1)
    assert run("pow(x, 0.5)", x=[2.25]).values.tolist() == [1.5]
    assert run("x ^ 3", x=[-2.0]).values.tolist() == [-8.0]
    assert run("round(x, 2)", x=[2.675]).values.tolist() == [2.68]


def test_power_precedence_and_associativity() -> None:
    assert parse("-2 ^ 2") == Unary("-", Binary("^", Number(2.0), Number(2.0)))
    assert parse("a ^ b ^ c") == Binary("^", Name("a"), Binary("^", Name("b"), Name("c")))
    assert parse("2 * a ^ -b") == Binary(
        "*", Number(2.0), Binary("^", Name("a"), Unary("-", Name("b")))
    )
    assert run("-2 ^ 2", x=[0.0]).values.tolist() == [-4.0]
    assert run("2 ^ 3 ^ 2", x=[0.0]).values.tolist() == [512.0]
    assert run("(-2) ^ 2", x=[0.0]).values.tolist() == [4.0]
    assert run("2 ^ -1 * 3", x=[0.0]).values.tolist() == [1.5]
    assert unparse(parse("(a ^ b) ^ c + (-a) ^ 2")) == "(a ^ b) ^ c + (-a) ^ 2"


def test_ln_outside_its_domain_is_an_error_naming_the_value() -> None:
    out = run("ln(gni)", gni=[100.0, 0.0, -5.0, 0.0])
    assert out.status.tolist() == [OK, ERROR, ERROR, ERROR]
    assert out.values.tolist() == [pytest.approx(math.log(100)), 0.0, 0.0, 0.0]
    assert notes(out) == [
        (
            [False, False, True, False],
            "'ln' needs a value greater than 0 in 'ln(gni)': 'gni' is -5",
        ),
        ([False, True, False, True], "'ln' needs a value greater than 0 in 'ln(gni)': 'gni' is 0"),
    ]


def test_sqrt_log10_exp_and_pow_domains() -> None:
    assert notes(run("sqrt(x - 1)", x=[0.5])) == [
        ([True], "'sqrt' needs a value of 0 or more in 'sqrt(x - 1)': 'x - 1' is -0.5")
    ]
    assert run("sqrt(x)", x=[0.0]).status.tolist() == [OK]
    assert run("log10(x)", x=[0.0]).status.tolist() == [ERROR]
    assert notes(run("exp(x)", x=[1000.0])) == [
        ([True], "'exp(x)' is too large to compute: 'x' is 1000")
    ]
    out = run("x ^ y", x=[-8.0, 0.0, 0.0, 10.0], y=[1 / 3, -1.0, 0.0, 400.0])
    assert out.status.tolist() == [ERROR, ERROR, OK, ERROR]
    assert out.values[2] == 1.0  # 0 ^ 0 = 1, as in every numeric library
    messages = [m for _, m in notes(out)]
    assert messages[0].startswith("'x ^ y' is not a real number: base -8, exponent 0.333")
    assert "base 0, exponent -1" in messages[1] and "base 10, exponent 400" in messages[2]


def test_round_needs_whole_digits() -> None:
    out = run("round(x, d)", x=[1.26, 1.26], d=[1.0, 0.5])
    assert out.status.tolist() == [OK, ERROR]
    assert out.values[0] == 1.3
    assert "must be a whole number: 'd' is 0.5" in notes(out)[0][1]


def test_missing_propagates_and_is_not_a_domain_error() -> None:
    x = Column(np.array([0.0, 4.0]), np.array([MISSING, OK], dtype=np.uint8))
    sc = Cols(y=[0.0, 0.0])
    sc.columns["x"] = x
    out = evaluate(parse("ln(x) + sqrt(x)"), sc, "ln(x) + sqrt(x)")
    assert out.status.tolist() == [MISSING, OK]
    assert out.notes == ()


def test_messages_in_vietnamese_with_the_decimal_comma() -> None:
    set_language("vi")
    assert notes(run("ln(x)", x=[-0.5])) == [
        ([True], "'ln' cần giá trị lớn hơn 0 trong 'ln(x)': 'x' bằng -0,5")
    ]


def test_arity_is_checked() -> None:
    from maturity.framework.formula import check

    src = "pow(x) + ln(x, 2) + sqrt()"
    errors = check(parse(src), src, names=lambda n: n == "x", child_names=None)
    assert [e.message for e in errors] == [
        "'pow' takes 2 arguments, got 1",
        "'ln' takes 1 argument, got 2",
        "'sqrt' takes 1 argument, got 0",
    ]


positive = st.floats(min_value=1e-300, max_value=1e300, allow_nan=False)
anything = st.floats(min_value=-1e308, max_value=1e308, allow_nan=False)


@FAST
@given(st.lists(positive, min_size=1, max_size=8))
def test_exp_of_ln_is_the_identity_on_positive_values(xs: list[float]) -> None:
    out = run("exp(ln(x))", x=xs)
    assert out.status.tolist() == [OK] * len(xs)
    assert np.allclose(out.values, xs, rtol=1e-12, atol=0)


@FAST
@given(st.lists(st.floats(min_value=0, max_value=1e150), min_size=1, max_size=8))
def test_sqrt_squared_and_pow_agree(xs: list[float]) -> None:
    out = run("sqrt(x) ^ 2 - pow(x, 1)", x=xs)
    assert out.status.tolist() == [OK] * len(xs)
    assert np.allclose(out.values, 0.0, atol=1e-12 * max(1.0, *xs))


@FAST
@given(st.lists(anything, min_size=1, max_size=8), st.lists(anything, min_size=1, max_size=8))
def test_transforms_never_give_nan_or_infinity(xs: list[float], ys: list[float]) -> None:
    n = min(len(xs), len(ys))
    out = run("ln(x) + log10(y) + exp(x) + sqrt(y) + x ^ y", x=xs[:n], y=ys[:n])
    assert np.isfinite(out.values).all()
    assert (out.values[out.status != OK] == 0).all()
    assert ((out.status == OK) | (out.status == ERROR)).all()
    for mask, note in out.notes:
        assert (out.status[mask] == ERROR).all() and str(note)


@FAST
@given(st.lists(positive, min_size=2, max_size=8))
def test_ln_is_increasing(xs: list[float]) -> None:
    xs = sorted(xs)
    out = run("ln(x)", x=xs)
    assert (np.diff(out.values) >= 0).all()
