"""Django settings of the platform, read from the environment; importing creates nothing.

``maturity serve`` sets the environment (data folder, database, hosts) and prepares the
folder before the server starts; see docs/platform.md for every variable.

- ``MATURITY_DATA_DIR``: the data folder (database, evidence files, exports, secret key);
  default ``$XDG_DATA_HOME/maturity`` or ``~/.local/share/maturity``.
- ``MATURITY_DATABASE_URL``: ``postgresql://user:password@host:port/name``; default SQLite
  ``maturity.sqlite3`` in the data folder, in WAL mode.
- ``MATURITY_SECRET_KEY``: default the ``secret.key`` file of the data folder.
- ``MATURITY_ALLOWED_HOSTS``: comma-separated host names; default loopback only.
- ``MATURITY_HTTPS=1`` behind a TLS proxy: secure cookies, HSTS.
- ``MATURITY_EVIDENCE_MAX_BYTES``: largest evidence file (default 10 MiB).
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.management.utils import get_random_secret_key

from maturity.web.dburl import parse_database_url, sqlite_database


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "maturity"


DATA_DIR = Path(os.environ.get("MATURITY_DATA_DIR") or default_data_dir()).resolve()
EVIDENCE_MAX_BYTES = int(os.environ.get("MATURITY_EVIDENCE_MAX_BYTES") or 10 * 1024 * 1024)

_key_file = DATA_DIR / "secret.key"
SECRET_KEY = (
    os.environ.get("MATURITY_SECRET_KEY")
    or (_key_file.read_text(encoding="utf-8").strip() if _key_file.is_file() else "")
    or get_random_secret_key()  # only for tools that import settings (mypy, tests)
)
DEBUG = os.environ.get("MATURITY_DEBUG") == "1"
ALLOWED_HOSTS = [
    h.strip()
    for h in (os.environ.get("MATURITY_ALLOWED_HOSTS") or "127.0.0.1,localhost,[::1]").split(",")
    if h.strip()
]

_url = os.environ.get("MATURITY_DATABASE_URL")
DATABASES = {
    "default": parse_database_url(_url) if _url else sqlite_database(DATA_DIR / "maturity.sqlite3")
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "maturity.web.evaluation",
    "maturity.web.accounts",
    "maturity.web.audit",
    "maturity.web.pages",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "maturity.web.middleware.body_limit",
    "maturity.web.middleware.no_nul",
    "maturity.web.middleware.strict_upload_names",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "maturity.web.middleware.language",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "maturity.web.pages.middleware.pages",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "maturity.web.urls"
WSGI_APPLICATION = "maturity.web.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

# Vietnamese first; the admin ships both languages.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

STATIC_URL = "/static/"
WHITENOISE_USE_FINDERS = True  # the admin's files straight from the installed apps

# JSON bodies up to 8 MiB (a machine client pushing a whole province's automatic values);
# evidence files have their own limit, checked before the body is read.
DATA_UPLOAD_MAX_MEMORY_SIZE = 8 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
# the pages sign a person out after this long without a request (the typed values are kept)
PAGES_IDLE_SECONDS = int(os.environ.get("MATURITY_IDLE_SECONDS") or 30 * 60)
CSRF_FAILURE_VIEW = "maturity.web.pages.views.csrf_failure"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if os.environ.get("MATURITY_HTTPS") == "1":
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Login throttling (accounts.services.login): failures allowed per window.
LOGIN_FAILURES_PER_USER = 5
LOGIN_FAILURES_PER_ADDRESS = 20
LOGIN_WINDOW_SECONDS = 15 * 60

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
