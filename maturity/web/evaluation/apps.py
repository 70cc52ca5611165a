from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created

from maturity.web.messages import lazy_msg


class EvaluationConfig(AppConfig):
    name = "maturity.web.evaluation"
    label = "evaluation"
    verbose_name = lazy_msg("app.evaluation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        connection_created.connect(_wal, dispatch_uid="maturity-sqlite-wal")


def _wal(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """An SQLite database in WAL mode: readers never wait for the writer. Reading the mode
    takes no lock; it is set once, when the file is new (it then stays with the file)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        row = cursor.fetchone()
        if row and str(row[0]).lower() not in ("wal", "memory"):
            cursor.execute("PRAGMA journal_mode=WAL")
