from __future__ import annotations

from django.contrib import admin

from maturity.web.audit.models import AuditEntry
from maturity.web.evaluation.admin import ReadOnly


@admin.register(AuditEntry)
class AuditAdmin(ReadOnly):
    list_display = ("id", "at", "actor_label", "action", "unit", "round", "target")
    list_filter = ("action",)
    search_fields = ("target", "actor_label")
