from __future__ import annotations

from django.apps import AppConfig

from maturity.web.messages import lazy_msg


class AuditConfig(AppConfig):
    name = "maturity.web.audit"
    label = "audit"
    verbose_name = lazy_msg("app.audit")
    default_auto_field = "django.db.models.BigAutoField"
