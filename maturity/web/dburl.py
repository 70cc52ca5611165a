"""Database URLs (``postgresql://user:pass@host:5432/name``, ``sqlite:///path``) to Django's
``DATABASES`` entries; the few lines a dependency would otherwise bring."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

SCHEMES = ("postgresql", "postgres", "sqlite")


def sqlite_database(path: Path) -> dict[str, Any]:
    """An SQLite file in WAL mode, writers queued (IMMEDIATE) rather than failing at once.

    >>> sqlite_database(Path("/tmp/x.sqlite3"))["OPTIONS"]["transaction_mode"]
    'IMMEDIATE'
    """
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            # a write transaction takes the lock when it starts: two writers wait their
            # turn (busy timeout) instead of one failing on the upgrade from read to write
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            # WAL is a property of the file, set once (see evaluation.apps); these are the
            # connection's own and cost nothing
            "init_command": "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        },
        "CONN_MAX_AGE": 300,  # one connection per server thread, not one per request
    }


def parse_database_url(url: str) -> dict[str, Any]:
    """One ``DATABASES`` entry from a URL; ``ValueError`` names what is wrong.

    >>> parse_database_url("postgresql://me:s%40cret@127.0.0.1:5433/maturity")["PASSWORD"]
    's@cret'
    >>> parse_database_url("postgresql://h/db?sslmode=require")["OPTIONS"]
    {'sslmode': 'require'}
    >>> parse_database_url("mysql://h/db")
    Traceback (most recent call last):
    ...
    ValueError: mysql
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise ValueError(scheme or url)
    if scheme == "sqlite":
        path = unquote(parts.path)
        if not path or path == "/":
            raise ValueError(url)
        return sqlite_database(Path(path))
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise ValueError(url)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": dict(parse_qsl(parts.query)),
    }
