"""The audit log. Append-only three times over: the model refuses to save an existing row
or delete one, its query set refuses bulk updates and deletes, and a database trigger
(migration 0002) refuses ``UPDATE`` on both SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any, ClassVar, NoReturn

from django.conf import settings
from django.db import models

from maturity.web.messages import lazy_msg, msg


class AppendOnlyError(Exception):
    def __init__(self) -> None:
        super().__init__(msg("audit.append_only", lang="en"))


class _AppendOnly(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError

    def delete(self) -> NoReturn:
        raise AppendOnlyError


class AuditEntry(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    actor_label = models.CharField(max_length=200)  # user name, or "token:NAME"
    action = models.CharField(max_length=64, db_index=True)
    unit = models.ForeignKey(
        "evaluation.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    round = models.ForeignKey(
        "evaluation.Round", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    target = models.CharField(max_length=200)  # e.g. "submission:2025-q3/29611"
    before = models.JSONField(null=True)
    after = models.JSONField(null=True)

    objects = _AppendOnly.as_manager()

    class Meta:
        ordering: ClassVar = ["id"]
        verbose_name = lazy_msg("model.audit")
        verbose_name_plural = lazy_msg("model.audits")

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError
