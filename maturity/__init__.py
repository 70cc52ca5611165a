"""maturity: a rules-as-code engine for digital-transformation maturity evaluation.

Public API (everything else is internal and may change)::

    fw = load_framework("frameworks/vn-2tier.yaml")
    registry = load_registry(...)
    batch = load_submissions([Path("examples/national/submissions.csv")], fw, registry)
    results = score_batch(fw, batch, registry)
"""

__version__ = "0.1.0"

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the names below, imported when first used (``maturity --help`` needs none)
    from maturity.errors import (
        FormulaError,
        InputError,
        Location,
        MaturityError,
        Problem,
        UsageError,
    )
    from maturity.framework.compiled import Framework
    from maturity.framework.load import load_framework
    from maturity.inputs.load import load_submissions
    from maturity.inputs.submissions import Batch, Submission
    from maturity.inputs.units import Registry, Unit, load_registry
    from maturity.scoring.engine import score_batch
    from maturity.scoring.results import Results, TierResult

_WHERE = {
    "FormulaError": "maturity.errors",
    "InputError": "maturity.errors",
    "Location": "maturity.errors",
    "MaturityError": "maturity.errors",
    "Problem": "maturity.errors",
    "UsageError": "maturity.errors",
    "Framework": "maturity.framework.compiled",
    "load_framework": "maturity.framework.load",
    "load_submissions": "maturity.inputs.load",
    "Batch": "maturity.inputs.submissions",
    "Submission": "maturity.inputs.submissions",
    "Registry": "maturity.inputs.units",
    "Unit": "maturity.inputs.units",
    "load_registry": "maturity.inputs.units",
    "score_batch": "maturity.scoring.engine",
    "Results": "maturity.scoring.results",
    "TierResult": "maturity.scoring.results",
}
"""Where each public name lives: importing ``maturity`` costs nothing until one is used."""


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        import importlib

        value = getattr(importlib.import_module(_WHERE[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'maturity' has no attribute {name!r}")


__all__ = [
    "Batch",
    "FormulaError",
    "Framework",
    "InputError",
    "Location",
    "MaturityError",
    "Problem",
    "Registry",
    "Results",
    "Submission",
    "TierResult",
    "Unit",
    "UsageError",
    "__version__",
    "load_framework",
    "load_registry",
    "load_submissions",
    "score_batch",
]
