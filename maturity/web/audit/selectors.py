"""Reading the audit log, through the one scoping function."""

from __future__ import annotations

from django.db.models import QuerySet

from maturity.web.access import Actor, scoped
from maturity.web.audit.models import AuditEntry


def audit_entries(
    actor: Actor, *, round_code: str | None = None, unit_id: str | None = None
) -> QuerySet[AuditEntry]:
    """The entries the actor may see (about units in scope; entries about no unit are the
    country's and only national roles see them), oldest first."""
    entries = scoped(AuditEntry.objects.select_related("round"), actor)
    if round_code is not None:
        entries = entries.filter(round__code=round_code)
    if unit_id is not None:
        entries = entries.filter(unit_id=unit_id)
    return entries.order_by("id")
