"""Who may see and do what: the actor of a request, the one scoping function every selector
filters with (lists, details, exports and aggregates alike), and the permission table.

Scopes follow the unit hierarchy: a commune officer's scope is their commune, a province
officer's their province and its communes, a ministry evaluator's and a policy author's the
whole country; a machine token's is its unit and the units under it (or the country).
Published results are public: selectors of published rows pass ``public=`` so anyone may
read those, and nothing else, without signing in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Model, Q, QuerySet

from maturity.web.accounts.models import Role
from maturity.web.errors import PlatformError

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from maturity.web.evaluation.models import Unit

M = TypeVar("M", bound=Model)

NATIONAL_ROLES = (Role.EVALUATOR, Role.POLICY_AUTHOR)
PUBLIC = "public"
MACHINE = "machine"


@dataclass(frozen=True)
class Actor:
    """Who is asking: a signed-in person (with their role and unit), a machine token, or the
    public. ``unit_id`` is the root of the actor's scope; None with a national role."""

    role: str
    unit_id: str | None = None
    user: User | None = None
    label: str = "public"
    token_id: int | None = None

    @property
    def national(self) -> bool:
        return self.role in NATIONAL_ROLES or (self.role == MACHINE and self.unit_id is None)

    @property
    def signed_in(self) -> bool:
        return self.role != PUBLIC


ANONYMOUS = Actor(PUBLIC)


def scoped(
    queryset: QuerySet[M], actor: Actor, *, unit: str = "unit", public: str | None = None
) -> QuerySet[M]:
    """The rows of ``queryset`` that ``actor`` may read.

    ``unit`` is the path from a row to its unit ("" when the rows are units); ``public`` the
    path to the round whose publication makes a row readable by anyone.
    """
    prefix = f"{unit}__" if unit else ""
    if actor.national and actor.role != MACHINE:
        return queryset
    allowed = Q(pk__in=[])
    if actor.role in (Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER) and actor.unit_id:
        allowed = Q(**{f"{prefix}id": actor.unit_id}) | Q(**{f"{prefix}parent_id": actor.unit_id})
    if public is not None:
        allowed |= Q(**{f"{public}__status": "published"})
    return queryset.filter(allowed)


def covers(actor: Actor, unit: Unit) -> bool:
    """Whether ``unit`` is inside the actor's scope (the same rule as :func:`scoped`)."""
    if actor.national:
        return True
    if actor.unit_id is None:
        return False
    return actor.unit_id in (unit.id, unit.parent_id)


# action -> the roles that may do it; the unit condition is in ``allow``
ACTIONS: dict[str, tuple[str, ...]] = {
    "edit": (Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER),
    "return": (Role.PROVINCE_OFFICER, Role.EVALUATOR),
    "verify": (Role.EVALUATOR,),
    "publish": (Role.EVALUATOR,),
    "manage_rounds": (Role.POLICY_AUTHOR, Role.EVALUATOR),
    "machine_tokens": (Role.POLICY_AUTHOR, Role.EVALUATOR),
    "push_automatic": (MACHINE,),
}


def allow(actor: Actor, action: str, unit: Unit | None = None) -> None:
    """Raise 401 (public) or 403 unless ``actor`` may do ``action`` on ``unit``.

    Editing is for the unit's own officer (a province officer edits the province's own
    submission, not its communes'); returning is for the province over its communes, and
    for evaluators over any unit; a machine pushes only inside its scope.
    """
    if not actor.signed_in:
        raise PlatformError("auth.required", status=401)
    ok = actor.role in ACTIONS[action]
    if ok and unit is not None:
        if action == "edit":
            ok = unit.id == actor.unit_id
        elif action == "return" and actor.role == Role.PROVINCE_OFFICER:
            ok = unit.parent_id == actor.unit_id
        elif action == "push_automatic":
            ok = covers(actor, unit)
    if not ok:
        raise PlatformError("auth.forbidden", status=403, role=actor.role)


def describe(actor: Actor) -> dict[str, Any]:
    return {"role": actor.role, "unit": actor.unit_id, "name": actor.label}
