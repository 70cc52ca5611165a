from __future__ import annotations

from django.apps import AppConfig

from maturity.web.messages import lazy_msg


class AccountsConfig(AppConfig):
    name = "maturity.web.accounts"
    label = "accounts"
    verbose_name = lazy_msg("app.accounts")
    default_auto_field = "django.db.models.BigAutoField"
