"""TODO docstring."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from maturity.framework.model import Indicator
from maturity.scoring.kernel import _ROUND
from maturity.scoring.results import F64


def method_score(ind: Indicator, x: F64) -> tuple[F64, NDArray[np.bool_]]:
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
    bad = np.zeros(x.shape, dtype=bool)
    higher = ind.direction == "higher"
    if ind.method == "linear":
        assert ind.floor is not None and ind.target is not None
        s = np.clip((x - ind.floor) / (ind.target - ind.floor), 0.0, 1.0)
    elif ind.method == "steps":
        assert ind.steps is not None
        s = np.zeros_like(x)
        xr = np.round(x, _ROUND)
        for step in ind.steps:
            reached = xr >= step.at if higher else xr <= step.at
            s = np.where(reached, step.score, s)
    elif ind.method == "ordinal":
        if ind.map is not None:
            s = np.zeros_like(x)
            known = np.zeros(x.shape, dtype=bool)
            for answer, score in ind.map.items():
                hit = np.isclose(x, float(answer))
                s = np.where(hit, score, s)
                known |= hit
            bad = ~known
        else:
            assert ind.max is not None
            s = np.clip(x / ind.max, 0.0, 1.0)
    else:  # binary
        s = (x != 0).astype(np.float64)
    return s.astype(np.float64), bad
