"""A person's role and unit, API tokens, sign-in attempts."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from maturity.web.messages import lazy_msg


class Role(models.TextChoices):
    COMMUNE_OFFICER = "commune_officer"
    PROVINCE_OFFICER = "province_officer"
    EVALUATOR = "evaluator"
    POLICY_AUTHOR = "policy_author"


# the tier of the unit a role is attached to; None: the role covers the whole country
ROLE_TIER: dict[str, str | None] = {
    Role.COMMUNE_OFFICER: "commune",
    Role.PROVINCE_OFFICER: "province",
    Role.EVALUATOR: None,
    Role.POLICY_AUTHOR: None,
}


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    role = models.CharField(max_length=32, choices=Role.choices)
    unit = models.ForeignKey(
        "evaluation.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = lazy_msg("model.profile")
        verbose_name_plural = lazy_msg("model.profiles")

    def __str__(self) -> str:
        return f"{self.role} {self.unit_id or ''}".strip()


class ApiToken(models.Model):
    """A bearer token. ``personal``: acts as its user (scripts, curl). ``machine``: may only
    push automatic inputs, for the units under ``scope`` (or every unit)."""

    class Kind(models.TextChoices):
        PERSONAL = "personal"
        MACHINE = "machine"

    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    key_sha256 = models.CharField(max_length=64, unique=True)  # the token itself is not kept
    prefix = models.CharField(max_length=12)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    scope = models.ForeignKey(
        "evaluation.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["id"]
        verbose_name = lazy_msg("model.token")
        verbose_name_plural = lazy_msg("model.tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class LoginAttempt(models.Model):
    username = models.CharField(max_length=150, db_index=True)
    address = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    succeeded = models.BooleanField()

    class Meta:
        ordering: ClassVar = ["id"]
        verbose_name = lazy_msg("model.attempt")
        verbose_name_plural = lazy_msg("model.attempts")
