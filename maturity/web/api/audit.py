"""The audit log, as far as your scope reaches."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from maturity.web.api.base import ERRORS, signed_in
from maturity.web.api.schemas import AuditOut
from maturity.web.audit.selectors import audit_entries

router = Router(tags=["audit"])


class AuditFilter(Schema):
    round: str | None = Field(default=None, max_length=64)
    unit: str | None = Field(default=None, max_length=16)
    after: int = Field(default=0, ge=0, description="entries after this id (paging)")
    limit: int = Field(default=500, ge=1, le=5000)


@router.get("/audit", response={200: list[AuditOut], **ERRORS})
def list_audit(request: HttpRequest, filters: Query[AuditFilter]) -> list[AuditOut]:
    """Every change (who, when, what, before, after), oldest first."""
    who = signed_in(request)
    rows = audit_entries(who, round_code=filters.round, unit_id=filters.unit)
    rows = rows.filter(id__gt=filters.after)[: filters.limit]
    return [
        AuditOut(
            id=e.pk,
            at=e.at,
            actor=e.actor_label,
            action=e.action,
            unit=e.unit_id,
            round=e.round.code if e.round else None,
            target=e.target,
            before=e.before,
            after=e.after,
        )
        for e in rows
    ]
