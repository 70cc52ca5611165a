"""TODO docstring."""

from __future__ import annotations

from maturity.framework.compiled import Framework
from maturity.framework.model import Indicator


def _indicator_range(fw: Framework, ind: Indicator) -> tuple[float, float] | None:
    """The values an indicator can take, where the rules say: its input's range when the
    indicator is the input itself, 0-100 for a percentage, 0-1 for a yes/no."""
    if ind.formula is None:
        inp = fw.inputs.get(ind.inputs[0])
        if inp is not None and inp.min is not None and inp.max is not None:
            return (inp.min, inp.max)
    if ind.unit.en.strip() == "%":
        return (0.0, 100.0)
    if ind.method == "binary":
        return (0.0, 1.0)
    return None
