"""The formula language: syntax errors, checks, printing and vectorised evaluation."""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maturity.errors import FormulaError
from maturity.framework.formula.checker import check, names_used
from maturity.framework.formula.evaluator import Column, Group, evaluate
from maturity.framework.formula.nodes import (
    AGGREGATES,
    ERROR,
    FUNCTIONS,
    INVALID,
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
)
from maturity.framework.formula.parser import parse
from maturity.framework.formula.printer import unparse
from maturity.i18n import set_language

FAST = settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)

OUTSIDE = (
    "aggregate '{func}' is only allowed in formulas of a tier with child units"
    " (provinces over communes)"
)

# --------------------------------------------------------------------------- helpers


@dataclass
class FakeScope:
    """A scope over plain columns; ``None`` in :func:`col` marks a missing value."""

    columns: dict[str, Column]
    size: int
    group: Group | None = None
    looked_up: list[str] = field(default_factory=list)

    def lookup(self, name: str) -> Column:
        self.looked_up.append(name)
        return self.columns[name]

    def children(self) -> Group | None:
        return self.group


def col(*values: float | None, status: list[int] | None = None) -> Column:
    vals = np.array([0.0 if v is None else v for v in values], dtype=np.float64)
    st_ = np.array(
        status if status is not None else [MISSING if v is None else OK for v in values],
        dtype=np.uint8,
    )
    return Column(vals, st_)


def scope(**columns: Column) -> FakeScope:
    sizes = {c.values.shape[0] for c in columns.values()}
    assert len(sizes) == 1
    return FakeScope(dict(columns), sizes.pop())


def run(source: str, sc: FakeScope) -> Column:
    return evaluate(parse(source), sc, source)


def syntax_error(source: str) -> FormulaError:
    with pytest.raises(FormulaError) as info:
        parse(source)
    return info.value


def problems(
    source: str,
    own: set[str],
    child: set[str] | None = None,
    *,
    suggest: bool = False,
) -> list[str]:
    known = sorted(own | (child or set()))

    def close(name: str) -> list[str]:
        return difflib.get_close_matches(name, known, n=1)

    errors = check(
        parse(source),
        source,
        names=lambda n: n in own,
        child_names=(lambda n: n in child) if child is not None else None,
        suggest=close if suggest else None,
    )
    return [e.render() for e in errors]


# --------------------------------------------------------------------------- parsing


def test_parse_builds_the_tree_with_precedence() -> None:
    assert parse("a + b * -c") == Binary(
        "+", Name("a"), Binary("*", Name("b"), Unary("-", Name("c")))
    )
    assert parse("a - b - c") == Binary("-", Binary("-", Name("a"), Name("b")), Name("c"))
    assert parse("not a < 1 and b or c") == Logic(
        "or",
        Logic("and", Not(Compare("<", Name("a"), Number(1.0))), Name("b")),
        Name("c"),
    )
    assert parse("if(x >= 2.5e1, true, false)") == Call(
        "if", (Compare(">=", Name("x"), Number(25.0)), Bool(True), Bool(False))
    )
    assert parse("count()") == Call("count", ())
    assert parse("(a < b) == (c < d)") == Compare(
        "==", Compare("<", Name("a"), Name("b")), Compare("<", Name("c"), Name("d"))
    )


def test_spans_point_into_the_source_and_do_not_affect_equality() -> None:
    src = "ratio(a, (b + c)) * 100"
    tree = parse(src)
    assert isinstance(tree, Binary) and isinstance(tree.left, Call)
    assert tree.span == (0, len(src))
    assert src[slice(*tree.left.span)] == "ratio(a, (b + c))"
    assert src[slice(*tree.left.args[1].span)] == "(b + c)"
    assert tree == parse("ratio( a,b+c )*100")
    assert Name("x", (3, 4)) == Name("x") and hash(Name("x", (3, 4))) == hash(Name("x"))


SYNTAX_ERRORS = [
    ("", "the formula is empty", "    \n    ^"),
    ("a +", "expected an expression after '+'", "    a +\n       ^"),
    ("a + )", "expected an expression after '+'", "    a + )\n        ^"),
    ("(a + b", "unclosed '('", "    (a + b\n    ^"),
    ("ratio(a, b", "unclosed '('", "    ratio(a, b\n         ^"),
    ("ratio(a, b)) * 100", "unexpected ')'", "    ratio(a, b)) * 100\n               ^"),
    ("a < b <= c", "comparisons cannot be chained; use 'and'", "    a < b <= c\n          ~^"),
    ("a $ b", "unknown character '$'", "    a $ b\n      ^"),
    ("f(a,)", "expected an expression after ','", "    f(a,)\n        ^"),
    ("a b", "unexpected 'b'; expected an operator", "    a b\n      ^"),
    ("f(a b)", "unexpected 'b'; expected an operator, ',' or ')'", "    f(a b)\n        ^"),
    ("2x", "invalid number '2x'", "    2x\n    ~^"),
    ("1e999", "the number '1e999' is too large", "    1e999\n    ~~~~^"),
    ("a = b", "'=' is not an operator; use '==' to compare", "    a = b\n      ^"),
    ("a && b", "unknown character '&'; use 'and'", "    a && b\n      ^"),
    (
        "a + not b",
        "'not' cannot appear here; put 'not ...' in parentheses",
        "    a + not b\n        ~~^",
    ),
    (")", "unexpected ')'", "    )\n    ^"),
    ("()", "expected an expression after '('", "    ()\n     ^"),
    ("(a)(b)", "unexpected '('; expected an operator", "    (a)(b)\n       ^"),
]


@pytest.mark.parametrize(("source", "message", "caret"), SYNTAX_ERRORS)
def test_syntax_errors(source: str, message: str, caret: str) -> None:
    err = syntax_error(source)
    assert err.message == message
    assert err.caret() == caret
    assert str(err) == f"{message}\n{caret}"


def test_deep_nesting_is_a_formula_error_not_a_crash() -> None:
    for src in (
        "(" * 500 + "a" + ")" * 500,
        "-" * 500 + "a",
        "not " * 500 + "a",
        " + ".join(["a"] * 500),
    ):
        assert "nested too deeply" in syntax_error(src).message
    assert isinstance(parse(" + ".join(["a"] * 40)), Binary)


# --------------------------------------------------------------------------- printing


@pytest.mark.parametrize(
    ("source", "canonical"),
    [
        ("(a - (b - c)) / ((d * e))", "(a - (b - c)) / (d * e)"),
        ("a - (b + c) - d", "a - (b + c) - d"),
        ("a / (b / c) * d", "a / (b / c) * d"),
        ("-(a + b) * -(-c)", "-(a + b) * - -c"),
        ("not (a or b) and not c == d", "not (a or b) and not c == d"),
        ("(not a) + 1", "(not a) + 1"),
        ("(a < b) < c", "(a < b) < c"),
        ("a or (b or c)", "a or (b or c)"),
        ("(a and b) or c", "a and b or c"),
        ("ratio( x , y ,0.50 )", "ratio(x, y, 0.5)"),
        ("1.0e3 + .25 + 1e20 + 2.5e-7", "1000 + 0.25 + 1e+20 + 2.5e-07"),
        ("TRUE != false", "TRUE != false"),
    ],
)
def test_unparse_is_canonical_with_minimal_parentheses(source: str, canonical: str) -> None:
    assert unparse(parse(source)) == canonical
    assert parse(canonical) == parse(source)


# --------------------------------------------------------------------------- checking


def test_unknown_function_with_suggestion() -> None:
    src = "ration(overdue, dossiers_received) * 100"
    assert problems(src, {"overdue", "dossiers_received"}) == [
        "unknown function 'ration'; did you mean 'ratio'?\n"
        "    ration(overdue, dossiers_received) * 100\n"
        "    ~~~~~^"
    ]
    assert problems("cbrt(x)", {"x"}) == ["unknown function 'cbrt'\n    cbrt(x)\n    ~~~^"]
    assert [p.splitlines()[0] for p in problems("AVG(x) + SUM(x)", {"x"})] == [
        "unknown function 'AVG'; did you mean 'mean'?",
        "unknown function 'SUM'; did you mean 'sum'?",
    ]


def test_wrong_arity() -> None:
    src = "clamp(ratio(overdue, received) * 100, 0)"
    assert problems(src, {"overdue", "received"}) == [
        f"'clamp' takes 3 arguments, got 2\n    {src}\n    {'~' * (len(src) - 1)}^"
    ]
    firsts = [
        p.splitlines()[0]
        for p in problems("abs() + round(x, 1, 2) + ratio(x) + coalesce(x)", {"x"})
    ]
    assert firsts == [
        "'abs' takes 1 argument, got 0",
        "'round' takes 1 or 2 arguments, got 3",
        "'ratio' takes 2 or 3 arguments, got 1",
        "'coalesce' takes at least 2 arguments, got 1",
    ]
    assert [p.splitlines()[0] for p in problems("count(x, x) + min()", {"x"}, {"x"})] == [
        "'count' takes 0 or 1 arguments, got 2",
        "'min' takes 1 argument (over the child units) or at least 2, got 0",
    ]


def test_aggregate_outside_a_tier_with_children() -> None:
    src = "ratio(overdue, sum(dossiers_received)) * 100"
    assert problems(src, {"overdue", "dossiers_received"}) == [
        f"{OUTSIDE.format(func='sum')}\n    {src}\n                   ~~^"
    ]
    assert problems("max(x)", {"x"})[0].splitlines()[0] == (
        OUTSIDE.format(func="max") + "; element-wise 'max' takes at least 2 arguments"
    )
    assert problems("max(x, 1) + min(x, 2, 3)", {"x"}) == []


def test_nested_aggregate() -> None:
    src = "sum(x) + mean(max(x))"
    assert problems(src, set(), {"x"}) == [
        f"aggregates cannot be nested: 'max' inside 'mean'\n    {src}\n                  ~~^"
    ]


def test_unknown_names_use_the_right_tier_and_the_suggester() -> None:
    src = "ratio(overdue, dossiers_recieved) * 100"
    assert problems(src, {"overdue", "dossiers_received"}) == [
        f"unknown name 'dossiers_recieved'\n    {src}\n                   {'~' * 16}^"
    ]
    assert problems(src, {"overdue", "dossiers_received"}, suggest=True)[0].splitlines()[0] == (
        "unknown name 'dossiers_recieved'; did you mean 'dossiers_received'?"
    )
    # inside an aggregate names are the children's; outside, the tier's own
    assert problems("sum(score) / pop", {"pop"}, {"score"}) == []
    firsts = [p.splitlines()[0] for p in problems("sum(pop) / score", {"pop"}, {"score"})]
    assert firsts == ["unknown name 'pop'", "unknown name 'score'"]


def test_check_reports_every_problem_in_source_order() -> None:
    src = "foo(a) + clamp(b) + sum(c) + d"
    firsts = [p.splitlines()[0] for p in problems(src, {"a"})]
    assert firsts == [
        "unknown function 'foo'",
        "'clamp' takes 3 arguments, got 1",
        "unknown name 'b'",
        OUTSIDE.format(func="sum"),
        "unknown name 'd'",
    ]


def test_names_used_and_is_aggregate() -> None:
    own, inside = names_used(parse("a + sum(b) / count() + share(c > a) + min(d, e) + max(f)"))
    assert own == {"a", "d", "e"}
    assert inside == {"b", "c", "a", "f"}
    assert is_aggregate(Call("count", ())) and not is_aggregate(Call("max", (Name("a"), Name("b"))))
    assert set(AGGREGATES) == {"sum", "mean", "min", "max", "count", "share"}
    assert FUNCTIONS["ratio"] == (2, 3) and FUNCTIONS["coalesce"] == (2, None)


# --------------------------------------------------------------------------- evaluation


def test_vinh_long_online_rate() -> None:
    sc = scope(dossiers_online=col(77352.0), dossiers_in_person=col(78802.0))
    rate = run("ratio(dossiers_online, dossiers_online + dossiers_in_person) * 100", sc)
    assert rate.status.tolist() == [OK]
    assert rate.values[0] == pytest.approx(49.53571474313818, rel=1e-12)
    rounded = run(
        "round(ratio(dossiers_online, dossiers_online + dossiers_in_person) * 100, 2)", sc
    )
    assert rounded.values.tolist() == [49.54]
    assert rounded.values.dtype == np.float64 and rounded.status.dtype == np.uint8


def test_division_by_zero_is_an_error_with_a_note() -> None:
    sc = scope(a=col(6.0, 6.0, None), b=col(5.0, 2.0, 2.0), c=col(2.0, 2.0, 2.0))
    out = run("a / (b - c)", sc)
    assert out.status.tolist() == [OK, ERROR, ERROR]
    assert out.values.tolist() == [2.0, 0.0, 0.0]
    assert len(out.notes) == 1
    mask, message = out.notes[0]
    assert mask.tolist() == [False, True, True]
    assert str(message) == "division by zero in 'a / (b - c)': the denominator 'b - c' is 0"

    r = run("ratio(a, b - c)", sc)
    assert r.status.tolist() == [OK, ERROR, ERROR]
    assert (
        str(r.notes[0][1]) == "division by zero in 'ratio(a, b - c)': the denominator 'b - c' is 0"
    )
    fallback = run("ratio(a, b - c, 100)", sc)
    assert fallback.status.tolist() == [OK, OK, OK]
    assert fallback.values.tolist() == [2.0, 100.0, 100.0]
    assert fallback.notes == ()


def test_missing_values_propagate_and_the_worst_status_wins() -> None:
    sc = scope(
        a=col(1.0, 2.0, 3.0, 4.0, status=[OK, MISSING, INVALID, OK]),
        b=col(1.0, 1.0, 1.0, 0.0, status=[OK, OK, MISSING, OK]),
    )
    out = run("a + b * 2 > 1 and not b", sc)
    assert out.status.tolist() == [OK, MISSING, INVALID, OK]
    assert out.values.tolist() == [0.0, 0.0, 0.0, 1.0]
    assert run("a / b + a", sc).status.tolist() == [OK, MISSING, INVALID, ERROR]
    assert run("-a", sc).values.tolist() == [-1.0, 0.0, 0.0, -4.0]


def test_coalesce_takes_the_first_present_value() -> None:
    sc = scope(
        a=col(1.0, 0.0, 0.0, 0.0, status=[OK, MISSING, MISSING, INVALID]),
        b=col(5.0, 6.0, 0.0, 0.0, status=[OK, OK, MISSING, MISSING]),
        z=col(0.0, 0.0, 0.0, 0.0),
    )
    out = run("coalesce(a, b)", sc)
    assert out.values.tolist() == [1.0, 6.0, 0.0, 0.0]
    assert out.status.tolist() == [OK, OK, MISSING, INVALID]  # an invalid input is not hidden
    guarded = run("coalesce(b / z, 7)", sc)
    assert guarded.values.tolist() == [7.0] * 4 and guarded.status.tolist() == [OK] * 4
    assert guarded.notes == ()


def test_if_uses_the_branch_taken() -> None:
    sc = scope(
        c=col(1.0, 0.0, None, 1.0, 0.0),
        a=col(10.0, None, 10.0, None, 10.0),
        b=col(None, 20.0, 20.0, 20.0, 0.0),
    )
    out = run("if(c, a, b)", sc)
    assert out.status.tolist() == [OK, OK, MISSING, MISSING, OK]
    assert out.values.tolist() == [10.0, 20.0, 0.0, 0.0, 0.0]
    safe = run("if(b != 0, a / b, -1)", sc)
    assert safe.status.tolist() == [MISSING, MISSING, OK, MISSING, OK]
    assert safe.values.tolist() == [0.0, 0.0, 0.5, 0.0, -1.0]
    assert safe.notes == ()


def test_elementwise_functions() -> None:
    sc = scope(x=col(-2.5, 0.5, 7.0, 1.005), y=col(1.0, 2.0, 3.0, 4.0))
    assert run("min(x, y, 2)", sc).values.tolist() == [-2.5, 0.5, 2.0, 1.005]
    assert run("max(x, y)", sc).values.tolist() == [1.0, 2.0, 7.0, 4.0]
    assert run("abs(x)", sc).values.tolist() == [2.5, 0.5, 7.0, 1.005]
    assert run("clamp(x, 0, 1)", sc).values.tolist() == [0.0, 0.5, 1.0, 1.0]
    assert run("round(x)", sc).values.tolist() == [-3.0, 1.0, 7.0, 1.0]
    assert run("round(x, 2)", sc).values.tolist() == [-2.5, 0.5, 7.0, 1.01]
    assert run("round(x * 1000, -2)", sc).values.tolist() == [-2500.0, 500.0, 7000.0, 1000.0]
    assert run("1.5 == 1.5 or false", sc).values.tolist() == [1.0] * 4


def test_overflow_and_non_finite_inputs_are_errors() -> None:
    sc = scope(x=col(1e308, 1.0, math.inf), y=col(math.nan, 2.0, 1.0))
    out = run("x * 10", sc)
    assert out.status.tolist() == [ERROR, OK, ERROR]
    assert out.values.tolist() == [0.0, 10.0, 0.0]
    assert [(m.tolist(), str(msg)) for m, msg in out.notes] == [
        ([False, False, True], "the value of 'x' is not a finite number"),
        ([True, False, False], "result is not a finite number in 'x * 10'"),
    ]
    # NaN values of rows that are not OK never leak
    y = run("y + 1", scope(y=col(math.nan, 2.0, status=[MISSING, OK])))
    assert y.values.tolist() == [0.0, 3.0] and y.status.tolist() == [MISSING, OK]


def test_lookup_notes_are_kept_on_the_rows_they_explain() -> None:
    derived = Column(
        np.array([0.0, 3.0]),
        np.array([ERROR, OK], dtype=np.uint8),
        ((np.array([True, False]), "broken"),),
    )
    out = evaluate(parse("d + 1"), scope(d=derived))
    assert out.status.tolist() == [ERROR, OK]
    assert [(m.tolist(), str(msg)) for m, msg in out.notes] == [([True, False], "broken")]
    assert evaluate(Name("d"), scope(d=derived)).values.tolist() == [0.0, 3.0]


# --------------------------------------------------------------------------- aggregates


def provinces() -> FakeScope:
    """Province 0: communes 0-2; province 1: communes 3-4; province 2: none; commune 5: orphan."""
    communes = scope(
        x=col(10.0, None, 30.0, 5.0, 7.0, 1000.0),
        y=col(1.0, 2.0, 3.0, None, None, 4.0),
        z=col(1.0, 1.0, 1.0, 0.0, 0.0, 1.0),
    )
    group = Group(communes, np.array([0, 0, 0, 1, 1, -1], dtype=np.int64), 3)
    return FakeScope({"pop": col(100.0, 200.0, 300.0)}, 3, group)


def test_sum_mean_min_max_over_communes_that_have_a_value() -> None:
    sc = provinces()
    total = run("sum(x)", sc)
    assert total.values.tolist() == [40.0, 12.0, 0.0]
    assert total.status.tolist() == [OK, OK, MISSING]
    assert [(m.tolist(), str(msg)) for m, msg in total.notes] == [
        (
            [True, False, False],
            "'sum(x)' uses only the child units that have a value: 1 of 3 lack it",
        )
    ]
    assert run("mean(x)", sc).values.tolist() == [20.0, 6.0, 0.0]
    assert run("min(x)", sc).values.tolist() == [10.0, 5.0, 0.0]
    assert run("max(x) / pop", sc).values.tolist() == [0.3, 0.035, 0.0]
    missing_y = run("sum(y)", sc)
    assert missing_y.status.tolist() == [OK, MISSING, MISSING]
    assert missing_y.values.tolist() == [6.0, 0.0, 0.0] and missing_y.notes == ()


def test_count_and_share() -> None:
    sc = provinces()
    assert run("count()", sc).values.tolist() == [3.0, 2.0, 0.0]
    assert run("count()", sc).status.tolist() == [OK, OK, OK]
    big = run("count(x > 8)", sc)
    assert big.values.tolist() == [2.0, 0.0, 0.0]
    assert big.status.tolist() == [OK, OK, OK]
    assert [m.tolist() for m, _ in big.notes] == [[True, False, False]]
    share = run("share(x > 8)", sc)
    assert share.values.tolist() == [1.0, 0.0, 0.0]
    assert share.status.tolist() == [OK, OK, MISSING]
    assert run("share(z)", sc).values.tolist() == [1.0, 0.0, 0.0]
    assert run("share(y)", sc).status.tolist() == [OK, MISSING, MISSING]


def test_children_errors_do_not_leak_and_aggregates_need_children() -> None:
    sc = provinces()
    out = run("sum(x / z)", sc)  # communes 3 and 4 divide by zero
    assert out.status.tolist() == [OK, MISSING, MISSING]
    assert all(m.shape == (3,) for m, _ in out.notes)
    with pytest.raises(FormulaError, match="only allowed in formulas of a tier with child units"):
        run("sum(x)", scope(x=col(1.0)))
    with pytest.raises(FormulaError, match="aggregates cannot be nested: 'sum' inside 'mean'"):
        run("mean(sum(x))", sc)


# --------------------------------------------------------------------------- properties

KEYWORDS = {"and", "or", "not", "true", "false"}
names = st.from_regex(r"[a-z_][a-z0-9_]{0,5}", fullmatch=True).filter(lambda s: s not in KEYWORDS)
numbers = st.floats(min_value=0.0, max_value=1e300, allow_nan=False, allow_infinity=False)
leaves: st.SearchStrategy[Expr] = st.one_of(
    numbers.map(Number), st.booleans().map(Bool), names.map(Name)
)


def extend(children: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
    return st.one_of(
        st.builds(Unary, st.sampled_from("+-"), children),
        st.builds(Binary, st.sampled_from("+-*/^"), children, children),
        st.builds(Compare, st.sampled_from(["<", "<=", ">", ">=", "==", "!="]), children, children),
        st.builds(Logic, st.sampled_from(["and", "or"]), children, children),
        st.builds(Not, children),
        st.builds(Call, names, st.lists(children, max_size=3).map(tuple)),
    )


trees = st.recursive(leaves, extend, max_leaves=12)


@FAST
@given(trees)
def test_unparse_then_parse_gives_the_same_tree(tree: Expr) -> None:
    text = unparse(tree)
    assert parse(text) == tree
    assert unparse(parse(text)) == text


@FAST
@given(st.one_of(st.text(), st.text(alphabet="ab12.e+-*/^<>=!(),_ notandorif$")))
def test_parse_raises_only_formula_errors(text: str) -> None:
    try:
        tree = parse(text)
    except FormulaError as err:
        assert 0 <= err.start < err.end <= len(text) + 1
        assert err.message
    else:
        assert parse(unparse(tree)) == tree


def tuple_(x: Expr) -> tuple[Expr, ...]:
    return (x,)


def own_tree(inner: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
    """Valid element-wise formulas over a, b, c (and aggregates of ``inner``)."""
    arg = st.lists

    def fn(children: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
        return st.one_of(
            st.builds(Unary, st.sampled_from("+-"), children),
            st.builds(Binary, st.sampled_from("+-*/^"), children, children),
            st.builds(Compare, st.sampled_from(["<", ">=", "==", "!="]), children, children),
            st.builds(Logic, st.sampled_from(["and", "or"]), children, children),
            st.builds(Not, children),
            st.builds(
                Call,
                st.sampled_from(["min", "max", "coalesce"]),
                arg(children, min_size=2, max_size=3).map(tuple),
            ),
            st.builds(lambda x: Call("abs", (x,)), children),
            st.builds(lambda *xs: Call("clamp", xs), children, children, children),
            st.builds(lambda *xs: Call("if", xs), children, children, children),
            st.builds(Call, st.just("ratio"), arg(children, min_size=2, max_size=3).map(tuple)),
            st.builds(Call, st.just("round"), arg(children, min_size=1, max_size=2).map(tuple)),
            st.builds(Call, st.sampled_from(["ln", "log10", "exp", "sqrt"]), children.map(tuple_)),
            st.builds(lambda *xs: Call("pow", xs), children, children),
        )

    base: st.SearchStrategy[Expr] = st.one_of(
        st.sampled_from([0.0, 1.0, 2.5, 1e300]).map(Number),
        st.sampled_from("abc").map(Name),
        inner,
    )
    return st.recursive(base, fn, max_leaves=8)


plain = own_tree(st.nothing())
aggregated = st.one_of(
    st.builds(
        Call, st.sampled_from(["sum", "mean", "min", "max", "share"]), plain.map(lambda x: (x,))
    ),
    st.builds(Call, st.just("count"), st.lists(plain, max_size=1).map(tuple)),
)
evaluable = own_tree(aggregated)
cell = st.sampled_from([0.0, -0.0, 1.0, -3.5, 1e308, -1e308, 1e-320, math.inf, -math.inf, math.nan])


def columns(n: int) -> st.SearchStrategy[dict[str, Column]]:
    column = st.builds(
        lambda v, s: Column(np.array(v, dtype=np.float64), np.array(s, dtype=np.uint8)),
        st.lists(cell, min_size=n, max_size=n),
        st.lists(st.sampled_from([OK, OK, OK, MISSING, INVALID, ERROR]), min_size=n, max_size=n),
    )
    return st.fixed_dictionaries({"a": column, "b": column, "c": column})


@FAST
@given(evaluable, columns(3), columns(5), st.lists(st.integers(-1, 2), min_size=5, max_size=5))
def test_evaluation_never_raises_and_never_returns_nan(
    tree: Expr, own: dict[str, Column], kids: dict[str, Column], parents: list[int]
) -> None:
    group = Group(FakeScope(kids, 5), np.array(parents, dtype=np.int64), 3)
    out = evaluate(tree, FakeScope(own, 3, group), unparse(tree))
    assert out.values.shape == (3,) and out.status.shape == (3,)
    assert out.values.dtype == np.float64 and out.status.dtype == np.uint8
    assert np.isfinite(out.values).all()
    assert set(out.status.tolist()) <= {OK, MISSING, INVALID, ERROR}
    assert (out.values[out.status != OK] == 0).all()
    for mask, message in out.notes:
        assert mask.shape == (3,) and mask.dtype == np.bool_ and mask.any() and message


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("a = b", "'=' không phải toán tử; dùng '==' để so sánh"),
        ("a +", "cần một biểu thức sau '+'"),
        ("((a)", "thiếu ')' đóng cho '('"),
        ("a < b < c", "không được nối liền các phép so sánh; dùng 'and'"),
        ("(" * 300 + "a" + ")" * 300, "công thức lồng nhau quá sâu"),
    ],
)
def test_syntax_errors_in_vietnamese(source: str, message: str) -> None:
    set_language("vi")
    assert message in syntax_error(source).message


def test_check_errors_in_vietnamese() -> None:
    set_language("vi")
    src = "sum(sum(x)) + ratio(a) + foo(a) + c"
    errors = check(parse(src), src, names=lambda n: n in ("a", "x"), child_names=lambda n: n == "x")
    assert [e.message for e in errors] == [
        "không được lồng hàm tổng hợp: 'sum' nằm trong 'sum'",
        "'ratio' nhận 2 hoặc 3 đối số, nhưng có 1",
        "không có hàm 'foo'",
        "không có tên 'c'",
    ]
