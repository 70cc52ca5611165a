"""The site builder's door into the layers below it: every name the page modules take from
the engine, the analyses and the inputs, in one place."""

from __future__ import annotations

from maturity import __version__
from maturity.analysis.explain import NaturalGap
from maturity.analysis.verification import UnitVerification, VerificationReport
from maturity.errors import InputError, Location, MaturityError, Problem, UsageError
from maturity.framework import formula as fx
from maturity.framework.compiled import Framework
from maturity.framework.model import Indicator, Input
from maturity.i18n import LANGUAGES, pick, t
from maturity.i18n.catalogue import MESSAGES
from maturity.inputs.submissions import Batch
from maturity.inputs.units import Registry, Unit
from maturity.scoring.results import NOT_APPLICABLE, SCORED, STATUS_NAMES, Results, TierResult

Diagnostic = Problem

__all__ = [
    "LANGUAGES",
    "MESSAGES",
    "NOT_APPLICABLE",
    "SCORED",
    "STATUS_NAMES",
    "Batch",
    "Diagnostic",
    "Framework",
    "Indicator",
    "Input",
    "InputError",
    "Location",
    "MaturityError",
    "NaturalGap",
    "Problem",
    "Registry",
    "Results",
    "TierResult",
    "Unit",
    "UnitVerification",
    "UsageError",
    "VerificationReport",
    "__version__",
    "fx",
    "pick",
    "t",
]
