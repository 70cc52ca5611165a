"""Reference data: the unit registry, stored frameworks and their inputs; health."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from maturity.web import engine
from maturity.web.api.base import ERRORS
from maturity.web.api.schemas import FrameworkOut, HealthOut, InputOut, UnitOut
from maturity.web.evaluation import selectors
from maturity.web.evaluation.frameworks import handle_for
from maturity.web.evaluation.models import Unit

router = Router(tags=["reference"])


class UnitFilter(Schema):
    tier: str | None = Field(default=None, max_length=32)
    parent: str | None = Field(default=None, max_length=16)


def _unit(u: Unit) -> UnitOut:
    return UnitOut(id=u.id, name=u.name, tier=u.tier, parent=u.parent_id, type=u.type)


@router.get("/health", response={200: HealthOut, **ERRORS})
def health(request: HttpRequest) -> HealthOut:
    return HealthOut(status="ok", engine=engine.ENGINE_VERSION, database=connection.vendor)


@router.get("/units", response={200: list[UnitOut], **ERRORS})
def list_units(request: HttpRequest, filters: Query[UnitFilter]) -> list[UnitOut]:
    """The unit registry (public reference data: ids, names, tiers, parents)."""
    return [_unit(u) for u in selectors.units(filters.tier, filters.parent)]


@router.get("/units/{unit_id}", response={200: UnitOut, **ERRORS})
def get_unit(request: HttpRequest, unit_id: str) -> UnitOut:
    return _unit(selectors.unit_by_id(unit_id))


@router.get("/frameworks", response={200: list[FrameworkOut], **ERRORS})
def list_frameworks(request: HttpRequest) -> list[FrameworkOut]:
    vi = engine.language() == "vi"
    return [
        FrameworkOut(
            digest=f.digest,
            id=f.framework_id,
            version=f.version,
            title=f.title_vi if vi else f.title_en,
        )
        for f in selectors.frameworks()
    ]


class TierFilter(Schema):
    tier: str | None = Field(default=None, max_length=32)


@router.get("/frameworks/{digest}/inputs", response={200: list[InputOut], **ERRORS})
def list_inputs(request: HttpRequest, digest: str, filters: Query[TierFilter]) -> list[InputOut]:
    """The inputs a unit of ``tier`` submits: label, unit, type, range, choices, and whether
    a machine fills it (``source: automatic``)."""
    selectors.framework_by_digest(digest)
    vi = engine.language() == "vi"
    return [
        InputOut(
            id=i.id,
            label=i.label_vi if vi else i.label_en,
            unit=i.unit_vi if vi else i.unit_en,
            type=i.type,
            source=i.source,
            tiers=list(i.tiers),
            min=i.min,
            max=i.max,
            choices=list(i.choices),
        )
        for i in handle_for(digest).inputs().values()
        if filters.tier is None or filters.tier in i.tiers
    ]
