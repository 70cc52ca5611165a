"""Writing to the audit log: one entry per change, in the transaction of the change."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from maturity.web.audit.models import AuditEntry

if TYPE_CHECKING:
    from maturity.web.access import Actor
    from maturity.web.evaluation.models import Round, Unit


def record(
    actor: Actor | None,
    action: str,
    target: str,
    *,
    unit: Unit | None = None,
    round: Round | None = None,
    before: Any = None,
    after: Any = None,
    label: str | None = None,
) -> AuditEntry:
    """Append one entry. ``actor`` None: the command line (``maturity users``)."""
    return AuditEntry.objects.create(
        actor=actor.user if actor is not None else None,
        actor_label=label or (actor.label if actor is not None else "cli"),
        action=action,
        unit=unit,
        round=round,
        target=target,
        before=before,
        after=after,
    )


def changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose values differ, before and after.

    >>> changed({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4})
    ({'b': 2, 'c': None}, {'b': 3, 'c': 4})
    """
    keys = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}
