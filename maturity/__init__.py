"""maturity: a rules-as-code engine for digital-transformation maturity evaluation.

Public API (everything else is internal and may change)::

    fw = load_framework("frameworks/vn-2tier.yaml")
    registry = load_registry(...)
    batch = load_submissions([Path("examples/national/submissions.csv")], fw, registry)
    results = score_batch(fw, batch, registry)
"""

__version__ = "0.1.0"

from maturity.errors import FormulaError, InputError, Location, MaturityError, Problem, UsageError
from maturity.framework.compiled import Framework
from maturity.framework.load import load_framework
from maturity.inputs.load import load_submissions
from maturity.inputs.submissions import Batch, Submission
from maturity.inputs.units import Registry, Unit, load_registry
from maturity.scoring.engine import score_batch
from maturity.scoring.results import Results, TierResult

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
