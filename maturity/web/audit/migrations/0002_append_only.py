"""The database refuses to change an audit entry (and, on PostgreSQL, to delete one).

SQLite gets no DELETE trigger: Django's test runner empties tables with DELETE there, and
the model and its query set already refuse deletes."""

from __future__ import annotations

from typing import Any

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER audit_entry_append_only BEFORE UPDATE ON audit_auditentry
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
]
POSTGRESQL = [
    """CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_entry_no_update BEFORE UPDATE OR DELETE ON audit_auditentry
       FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()""",
]
UNDO = {
    "sqlite": ["DROP TRIGGER IF EXISTS audit_entry_append_only"],
    "postgresql": [
        "DROP TRIGGER IF EXISTS audit_entry_no_update ON audit_auditentry",
        "DROP FUNCTION IF EXISTS audit_entry_append_only()",
    ],
}


def forwards(apps: Any, schema_editor: Any) -> None:
    statements = {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(schema_editor.connection.vendor)
    for sql in statements or []:
        schema_editor.execute(sql)


def backwards(apps: Any, schema_editor: Any) -> None:
    for sql in UNDO.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
