"""Sign in and out, who am I, API tokens."""

from __future__ import annotations

from django.contrib.auth import login, logout
from django.http import HttpRequest
from django.middleware.csrf import get_token
from ninja import Router, Status

from maturity.web.access import Actor
from maturity.web.accounts.services import actor_of, create_token, revoke_token, sign_in
from maturity.web.api.base import ERRORS, actor, signed_in
from maturity.web.api.schemas import LoginIn, MeOut, TokenIn, TokenOut
from maturity.web.errors import PlatformError
from maturity.web.messages import msg

router = Router(tags=["accounts"])


def _me(request: HttpRequest, who: Actor) -> MeOut:
    return MeOut(
        name=who.label,
        role=who.role,
        role_label=msg(f"role.{who.role}"),
        unit=who.unit_id,
        csrf_token=get_token(request),
    )


def _address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR") or "-")[:64]


@router.post("/auth/login", response={200: MeOut, **ERRORS}, auth=None)
def sign_in_endpoint(request: HttpRequest, payload: LoginIn) -> MeOut:
    """Sign in (a session cookie); answers the CSRF token to send as ``X-CSRFToken``.
    Failures are counted per user name and per address: past the limit, 429."""
    user = sign_in(payload.username, payload.password, _address(request))
    if not user.is_active:
        raise PlatformError("auth.disabled", status=403)
    login(request, user)
    return _me(request, actor_of(user))


@router.post("/auth/logout", response={204: None, **ERRORS})
def sign_out(request: HttpRequest) -> Status[None]:
    signed_in(request)  # the CSRF check of a session
    logout(request)
    return Status(204, None)


@router.get("/auth/me", response={200: MeOut, **ERRORS})
def me(request: HttpRequest) -> MeOut:
    return _me(request, actor(request))


@router.post("/tokens", response={201: TokenOut, **ERRORS})
def new_token(request: HttpRequest, payload: TokenIn) -> Status[TokenOut]:
    """A personal token (acts as you) or, for evaluators and policy authors, a machine token
    that may only push automatic inputs for the units under ``scope`` (default: all)."""
    token, key = create_token(signed_in(request), payload.name, payload.kind, payload.scope)
    return Status(
        201,
        TokenOut(
            id=token.pk,
            name=token.name,
            kind=token.kind,
            scope=token.scope_id,
            prefix=token.prefix,
            token=key,
        ),
    )


@router.delete("/tokens/{token_id}", response={204: None, **ERRORS})
def delete_token(request: HttpRequest, token_id: int) -> Status[None]:
    revoke_token(signed_in(request), token_id)
    return Status(204, None)
