"""Scoring methods, in one registry: how an indicator's value becomes a score ``s ∈ [0, 1]``.

Each :class:`Method` says which rule keys it takes, how those keys are checked when a
framework loads, how a value is scored (whole columns at once), and which parameters a
trace shows. Adding a method is one entry in :data:`METHODS` (and its name in both
languages in the catalogue, ``method.<name>``); the rule model, the loader, the engine,
explanations and rule-test traces all take it from here.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from maturity.framework.model import Indicator

F64 = NDArray[np.float64]
Mask = NDArray[np.bool_]
ROUND = 9  # values are compared with thresholds after rounding away float noise (49.9999999999)

# a problem with a rule's method parameters: (key path under the indicator, code, arguments)
MethodProblem = tuple[tuple[str, ...], str, dict[str, Any]]
PARAMETER_KEYS = ("floor", "target", "steps", "max", "map")


@dataclass(frozen=True)
class Method:
    """One scoring method."""

    keys: tuple[str, ...]  # which of PARAMETER_KEYS it takes
    score: Callable[[Indicator, F64], tuple[F64, Mask]]
    params: Callable[[Indicator], dict[str, Any]]
    check: Callable[[Indicator], Iterator[MethodProblem]]


# --------------------------------------------------------------------------- linear


def _linear(ind: Indicator, x: F64) -> tuple[F64, Mask]:
    assert ind.floor is not None and ind.target is not None
    s = np.clip((x - ind.floor) / (ind.target - ind.floor), 0.0, 1.0)
    return s, np.zeros(x.shape, dtype=bool)


def _linear_check(ind: Indicator) -> Iterator[MethodProblem]:
    if ind.floor is None or ind.target is None:
        yield (), "rule.method_params", {"method": "linear", "needs": "'floor' and 'target'"}
    elif ind.floor == ind.target:
        yield ("target",), "rule.linear_span", {}
    elif (ind.target > ind.floor) != (ind.direction == "higher"):
        args = {"floor": ind.floor, "target": ind.target, "direction": ind.direction}
        yield ("target",), "rule.linear_direction", args


# --------------------------------------------------------------------------- steps


def _steps(ind: Indicator, x: F64) -> tuple[F64, Mask]:
    assert ind.steps is not None
    s = np.zeros_like(x)
    xr = np.round(x, ROUND)
    for step in ind.steps:
        reached = xr >= step.at if ind.direction == "higher" else xr <= step.at
        s = np.where(reached, step.score, s)
    return s, np.zeros(x.shape, dtype=bool)


def _steps_check(ind: Indicator) -> Iterator[MethodProblem]:
    if not ind.steps:
        yield (), "rule.method_params", {"method": "steps", "needs": "'steps'"}
        return
    higher = ind.direction == "higher"
    ats = [s.at for s in ind.steps]
    scores = [s.score for s in ind.steps]
    ordered = all((b > a) if higher else (b < a) for a, b in itertools.pairwise(ats))
    if not ordered or any(b < a for a, b in itertools.pairwise(scores)):
        yield ("steps",), "rule.steps_order", {}


# --------------------------------------------------------------------------- ordinal


def _ordinal(ind: Indicator, x: F64) -> tuple[F64, Mask]:
    if ind.map is None:
        assert ind.max is not None
        return np.clip(x / ind.max, 0.0, 1.0), np.zeros(x.shape, dtype=bool)
    s = np.zeros_like(x)
    known = np.zeros(x.shape, dtype=bool)
    for answer, score in ind.map.items():
        hit = np.isclose(x, float(answer))
        s = np.where(hit, score, s)
        known |= hit
    return s, ~known  # an answer the map does not know cannot be scored


def _ordinal_check(ind: Indicator) -> Iterator[MethodProblem]:
    if ind.max is None and ind.map is None:
        yield (), "rule.method_params", {"method": "ordinal", "needs": "'max' or 'map'"}
    if ind.map is not None and any(not 0 <= v <= 1 for v in ind.map.values()):
        yield ("map",), "rule.map_keys", {}


# --------------------------------------------------------------------------- binary


def _binary(ind: Indicator, x: F64) -> tuple[F64, Mask]:
    return (x != 0).astype(np.float64), np.zeros(x.shape, dtype=bool)


def _no_check(ind: Indicator) -> Iterator[MethodProblem]:
    return iter(())


METHODS: dict[str, Method] = {
    "linear": Method(
        ("floor", "target"),
        _linear,
        lambda ind: {"floor": ind.floor, "target": ind.target},
        _linear_check,
    ),
    "steps": Method(
        ("steps",),
        _steps,
        lambda ind: {"steps": [{"at": s.at, "score": s.score} for s in ind.steps or []]},
        _steps_check,
    ),
    "ordinal": Method(
        ("max", "map"),
        _ordinal,
        lambda ind: {"max": ind.max} if ind.max is not None else {"map": dict(ind.map or {})},
        _ordinal_check,
    ),
    "binary": Method((), _binary, lambda ind: {}, _no_check),
}
METHOD_NAMES = tuple(METHODS)


def method_score(ind: Indicator, x: F64) -> tuple[F64, Mask]:
    """Score ``s ∈ [0, 1]`` of values ``x`` by the indicator's method, and a mask of values
    the method cannot score (an ordinal answer missing from the map).

    >>> from maturity.framework.model import Indicator
    >>> ind = Indicator.model_validate({"id": "X-1", "name": {"vi": "a", "en": "a"}, "pillar": "P",
    ...     "tiers": ["t"], "unit": {"vi": "%", "en": "%"}, "inputs": ["x"], "method": "linear",
    ...     "floor": 0, "target": 70, "cutoffs": {"2": 20, "3": 35, "4": 50, "5": 70}, "weight": 1,
    ...     "remediation": {"vi": "a", "en": "a", "effort": "low"}})
    >>> s, bad = method_score(ind, np.array([35.0, 49.54, 90.0]))
    >>> [round(float(v), 4) for v in s]
    [0.5, 0.7077, 1.0]
    """
    s, bad = METHODS[ind.method].score(ind, x)
    return s.astype(np.float64), bad


def method_params(ind: Indicator) -> dict[str, Any]:
    """The parameters a trace shows for the indicator's method."""
    return METHODS[ind.method].params(ind)


def method_problems(ind: Indicator) -> Iterator[MethodProblem]:
    """What is wrong with the indicator's method parameters: keys of another method, missing
    or inconsistent parameters."""
    method = METHODS[ind.method]
    for key in PARAMETER_KEYS:
        if getattr(ind, key) is not None and key not in method.keys:
            yield (key,), "rule.method_extra", {"key": key, "method": ind.method}
    yield from method.check(ind)


# --------------------------------------------------------------------------- aggregations


@dataclass(frozen=True)
class Aggregation:
    """How the parts of a pillar (its indicators or sub-pillars), or the top-level pillars of
    a framework, combine into one index, and how the points lost are attributed to them.

    ``combine(v, f, floor)``: the index of rows of part values ``v`` (n, c) in [0, 1] with
    weight fractions ``f`` (n, c) (summing to 1 over the parts that count, 0 elsewhere).
    ``blame(v, f, share, floor)``: non-negative weights (n, c) in proportion to which the
    points the whole lost are attributed to the parts (``share`` is each part's share of
    the scale). ``floor`` is the declared treatment of zeros (geometric only)."""

    combine: Callable[[F64, F64, float], F64]
    blame: Callable[[F64, F64, F64, float], F64]


def _arithmetic_combine(v: F64, f: F64, floor: float) -> F64:
    out: F64 = (f * v).sum(axis=1)
    return out


def _arithmetic_blame(v: F64, f: F64, share: F64, floor: float) -> F64:
    out: F64 = np.where(f > 0, share * (1.0 - v), 0.0)
    return out


def _geometric_combine(v: F64, f: F64, floor: float) -> F64:
    """``Π max(v, floor) ^ f``; with ``floor`` 0 (``zeros: zero``) a part at 0 makes it 0.

    >>> f = np.array([[1 / 3, 1 / 3, 1 / 3]])
    >>> round(float(_geometric_combine(np.array([[0.8, 0.5, 0.2]]), f, 0.0)[0]), 6)
    0.430887
    >>> _geometric_combine(np.array([[0.0, 1.0, 1.0]]), f, 0.0).tolist()
    [0.0]
    >>> round(float(_geometric_combine(np.array([[0.0, 1.0, 1.0]]), f, 0.01)[0]), 6)
    0.215443
    """
    counted = f > 0
    t = np.maximum(v, floor)
    zero = (counted & (t <= 0)).any(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.where(counted, f * np.log(np.where(t > 0, t, 1.0)), 0.0)
    out: F64 = np.where(zero, 0.0, np.exp(logs.sum(axis=1)))
    return out


def _geometric_blame(v: F64, f: F64, share: F64, floor: float) -> F64:
    """Log-share attribution: each part's ``-f · ln max(v, floor)``, its share of
    ``-ln`` of the index; where a part is 0 under ``zeros: zero``, the parts at 0 take it all,
    in proportion to their weights."""
    counted = f > 0
    t = np.maximum(v, floor)
    at_zero = counted & (t <= 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.where(counted & (t > 0), -f * np.log(np.where(t > 0, t, 1.0)), 0.0)
    out: F64 = np.where(np.any(at_zero, axis=1, keepdims=True), np.where(at_zero, f, 0.0), logs)
    return out


AGGREGATIONS: dict[str, Aggregation] = {
    "arithmetic": Aggregation(_arithmetic_combine, _arithmetic_blame),
    "geometric": Aggregation(_geometric_combine, _geometric_blame),
}

_FLOOR_RE = re.compile(r"^floor\(([0-9.eE+-]+)\)$")


def zeros_floor(zeros: str | None) -> float | None:
    """The floor a ``zeros:`` declaration sets: 0 for ``zero``, ``x`` for ``floor(x)``,
    ``None`` when it is not a number in (0, 1).

    >>> zeros_floor("zero"), zeros_floor("floor(0.01)"), zeros_floor("floor(2)"), zeros_floor(None)
    (0.0, 0.01, None, 0.0)
    """
    if zeros is None or zeros == "zero":
        return 0.0
    m = _FLOOR_RE.match(zeros)
    try:
        x = float(m.group(1)) if m else -1.0
    except ValueError:
        return None
    return x if 0 < x < 1 else None
