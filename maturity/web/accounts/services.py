"""Accounts: people with one role each (scoped by a unit), sign-in with throttling, tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from maturity.web.access import MACHINE, Actor, allow
from maturity.web.accounts.models import ROLE_TIER, ApiToken, LoginAttempt, Profile, Role
from maturity.web.audit.services import record
from maturity.web.errors import PlatformError
from maturity.web.evaluation.models import Unit

MIN_PASSWORD = 8


def _unit_for_role(role: str, unit_id: str | None) -> Unit | None:
    if role not in Role.values:
        raise PlatformError("role.unknown", field="role", role=role, roles=", ".join(Role.values))
    tier = ROLE_TIER[role]
    if tier is None:
        if unit_id:
            raise PlatformError("role.unit_refused", field="unit", role=role)
        return None
    if not unit_id:
        raise PlatformError("role.unit_required", field="unit", role=role, tier=tier)
    unit = Unit.objects.filter(id=unit_id).first()
    if unit is None:
        raise PlatformError("registry.unknown_unit", field="unit", id=unit_id)
    if unit.tier != tier:
        raise PlatformError("role.unit_required", field="unit", role=role, tier=tier)
    return unit


def add_user(
    name: str, password: str, role: str, unit_id: str | None = None, *, admin: bool = False
) -> User:
    if not password:
        raise PlatformError("user.password_empty", field="password")
    if len(password) < MIN_PASSWORD:
        raise PlatformError("user.password_short", field="password", min=MIN_PASSWORD)
    unit = _unit_for_role(role, unit_id)
    with transaction.atomic():
        if User.objects.filter(username=name).exists():
            raise PlatformError("user.exists", field="name", name=name)
        user = User.objects.create_user(name, password=password, is_staff=admin, is_superuser=admin)
        Profile.objects.create(user=user, role=role, unit=unit)
        after = {"role": role, "unit": unit_id, "admin": admin}
        record(None, "user.add", f"user:{name}", unit=unit, after=after)
    return user


def set_role(name: str, role: str, unit_id: str | None = None) -> User:
    unit = _unit_for_role(role, unit_id)
    with transaction.atomic():
        user = _user(name)
        profile = Profile.objects.filter(user=user).first()
        before = {"role": profile.role, "unit": profile.unit_id} if profile else None
        Profile.objects.update_or_create(user=user, defaults={"role": role, "unit": unit})
        record(
            None,
            "user.set_role",
            f"user:{name}",
            unit=unit,
            before=before,
            after={"role": role, "unit": unit_id},
        )
    return user


def disable_user(name: str) -> User:
    with transaction.atomic():
        user = _user(name)
        user.is_active = False
        user.save(update_fields=["is_active"])
        ApiToken.objects.filter(user=user, revoked_at=None).update(revoked_at=timezone.now())
        Profile.objects.filter(user=user).first()
        record(
            None, "user.disable", f"user:{name}", before={"active": True}, after={"active": False}
        )
    return user


def _user(name: str) -> User:
    user = User.objects.filter(username=name).first()
    if user is None:
        raise PlatformError("user.unknown", field="name", name=name)
    return user


def actor_of(user: User) -> Actor:
    """The actor of a signed-in person (no role: no access beyond the public's)."""
    profile = Profile.objects.filter(user=user).first()
    if profile is None or not user.is_active:
        return Actor("public", label=user.username)
    return Actor(profile.role, profile.unit_id, user, user.username)


def sign_in(username: str, password: str, address: str) -> User:
    """Check a password, counting failures per user name and per address: past the limit
    within the window, refuse without checking (429 with Retry-After)."""
    window = int(settings.LOGIN_WINDOW_SECONDS)
    since = timezone.now() - timedelta(seconds=window)
    recent = LoginAttempt.objects.filter(at__gte=since, succeeded=False)
    if recent.filter(username=username).count() >= int(
        settings.LOGIN_FAILURES_PER_USER
    ) or recent.filter(address=address).count() >= int(settings.LOGIN_FAILURES_PER_ADDRESS):
        raise PlatformError(
            "auth.throttled", status=429, seconds=window, headers={"Retry-After": str(window)}
        )
    user = authenticate(username=username, password=password)
    LoginAttempt.objects.create(
        username=username[:150], address=address, succeeded=user is not None
    )
    if user is None or not isinstance(user, User):
        raise PlatformError("auth.failed", status=401)
    return user


# --------------------------------------------------------------------------- tokens


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_token(
    actor: Actor, name: str, kind: str, scope_id: str | None = None
) -> tuple[ApiToken, str]:
    """A new token and its secret, shown once. A personal token acts as its creator; a
    machine token (evaluators, policy authors) pushes automatic inputs inside ``scope``."""
    if not actor.signed_in or actor.user is None:
        raise PlatformError("auth.required", status=401)
    if actor.role == MACHINE:
        raise PlatformError("auth.forbidden", status=403, role=actor.role)
    scope = None
    if kind == ApiToken.Kind.MACHINE:
        allow(actor, "machine_tokens")
        if scope_id:
            scope = Unit.objects.filter(id=scope_id).first()
            if scope is None:
                raise PlatformError("registry.unknown_unit", status=422, field="scope", id=scope_id)
    elif scope_id:
        raise PlatformError("token.scope", status=422, field="scope")
    key = "mt_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            name=name,
            kind=kind,
            key_sha256=_hash(key),
            prefix=key[:10],
            user=actor.user,
            scope=scope,
        )
        record(
            actor,
            "token.create",
            f"token:{token.pk}",
            unit=scope,
            after={"name": name, "kind": kind, "scope": scope_id, "prefix": token.prefix},
        )
    return token, key


def revoke_token(actor: Actor, token_id: int) -> None:
    token = ApiToken.objects.filter(pk=token_id, revoked_at=None).first()
    if (
        token is None
        or actor.user is None
        or (token.user_id != actor.user.pk and not actor.national)
    ):
        raise PlatformError("request.not_found", status=404)
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
        record(actor, "token.revoke", f"token:{token.pk}", before={"name": token.name})


def actor_of_token(key: str) -> Actor | None:
    token = (
        ApiToken.objects.filter(key_sha256=_hash(key), revoked_at=None)
        .select_related("user")
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.kind == ApiToken.Kind.MACHINE:
        return Actor(MACHINE, token.scope_id, token.user, f"token:{token.name}", token.pk)
    person = actor_of(token.user)
    return Actor(
        person.role,
        person.unit_id,
        token.user,
        f"{token.user.username} (token:{token.name})",
        token.pk,
    )
