"""The HTTP API: ``/api/v1/…``, its OpenAPI at ``/api/openapi.json``."""

from __future__ import annotations

from maturity.web.api import accounts, audit, catalogue, rounds, submissions
from maturity.web.api.base import api

api.add_router("/v1/", catalogue.router)
api.add_router("/v1/", accounts.router)
api.add_router("/v1/", rounds.router)
api.add_router("/v1/", submissions.router)
api.add_router("/v1/", audit.router)

__all__ = ["api"]
