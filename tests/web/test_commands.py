"""``maturity users`` in-process, and ``maturity serve`` for real: a gunicorn process on a
free loopback port, a fresh data folder created and migrated, answering, stopped cleanly."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.db import connections

from maturity.cli import main

pytestmark = pytest.mark.django_db(transaction=True)


def _run(*args: str, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The commands run against the test database (their setup migrates it: nothing to do)."""
    monkeypatch.setenv("MATURITY_DATA_DIR", str(tmp_path))
    return tmp_path


def test_users_add_list_set_role_disable(data: Path) -> None:
    code, out = _run(
        "users",
        "add",
        "xa-phu-quoi",
        "--role",
        "commune_officer",
        "--unit",
        "29611",
        "--password-stdin",
        stdin="mat-khau-du-dai\n",
    )
    assert (code, out) == (0, "added xa-phu-quoi (commune officer, 29611)\n")
    code, out = _run(
        "users",
        "add",
        "bo",
        "--role",
        "evaluator",
        "--password-stdin",
        "--lang",
        "vi",
        stdin="mat-khau-du-dai\n",
    )
    assert (code, out) == (0, "đã thêm bo (cán bộ đánh giá của Bộ)\n")
    code, out = _run(
        "users", "set-role", "xa-phu-quoi", "--role", "province_officer", "--unit", "86"
    )
    assert code == 0 and "province officer, 86" in out
    code, out = _run("users", "disable", "bo")
    assert code == 0
    code, out = _run("users", "list", "--format", "json")
    assert json.loads(out) == [
        {"name": "bo", "role": "evaluator", "unit": None, "active": False},
        {"name": "xa-phu-quoi", "role": "province_officer", "unit": "86", "active": True},
    ]
    code, out = _run("users", "list", "--lang", "vi")
    assert "Người dùng" in out and "cán bộ tỉnh" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--role", "commune_officer"],
            "unit: the role commune_officer needs a unit of tier commune",
        ),
        (["--role", "commune_officer", "--unit", "86"], "needs a unit of tier commune"),
        (["--role", "evaluator", "--unit", "86"], "covers every unit"),
        (["--role", "province_officer", "--unit", "99"], "no unit '99' in the registry"),
    ],
)
def test_users_add_refuses_a_role_without_its_unit(
    data: Path, args: list[str], message: str
) -> None:
    code, out = _run("users", "add", "x", *args, "--password-stdin", stdin="mat-khau-du-dai\n")
    assert code == 1 and message in out


def test_users_add_refuses_short_passwords_and_duplicates(data: Path) -> None:
    code, out = _run("users", "add", "a", "--role", "evaluator", "--password-stdin", stdin="ngan\n")
    assert code == 1 and "shorter than 8" in out
    _run("users", "add", "a", "--role", "evaluator", "--password-stdin", stdin="mat-khau-du-dai\n")
    code, out = _run(
        "users", "add", "a", "--role", "evaluator", "--password-stdin", stdin="mat-khau-du-dai\n"
    )
    assert code == 1 and "already exists" in out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_starts_on_a_fresh_data_folder_and_stops(tmp_path: Path) -> None:
    connections.close_all()
    port = _free_port()
    data = tmp_path / "du-lieu"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MATURITY_", "DJANGO_"))}
    command = [
        sys.executable,
        "-c",
        "from maturity.cli import main; main()",
        "serve",
        "--port",
        str(port),
        "--data",
        str(data),
        "--workers",
        "1",
        "--no-access-log",
    ]
    server = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/api/v1/health", timeout=2
                ) as r:
                    health = json.loads(r.read())
                break
            except OSError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                assert time.monotonic() < deadline, "the server did not answer within a minute"
                time.sleep(0.2)
        assert health == {"status": "ok", "engine": health["engine"], "database": "sqlite"}
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/units/29611", timeout=5) as r:
            assert json.loads(r.read())["name"] == "Xã Phú Quới"
        assert (data / "maturity.sqlite3").is_file() and (
            data / "secret.key"
        ).stat().st_mode & 0o077 == 0
    finally:
        server.send_signal(signal.SIGTERM)
        _, err = server.communicate(timeout=40)
    assert server.returncode == 0, err
    assert f"maturity platform on http://127.0.0.1:{port}/" in err
    assert "Traceback" not in err


def test_the_migrations_match_the_models() -> None:
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_the_admin_speaks_the_browsers_language(data: Path) -> None:
    from django.test import Client

    _run(
        "users",
        "add",
        "quan-tri",
        "--role",
        "evaluator",
        "--admin",
        "--password-stdin",
        stdin="mat-khau-du-dai\n",
    )
    client = Client()
    assert client.login(username="quan-tri", password="mat-khau-du-dai")
    page = client.get("/admin/evaluation/round/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "<title>Chọn kỳ đánh giá để xem" in page  # Django's Vietnamese, our model's name
    page = client.get("/admin/evaluation/round/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<title>Select evaluation round to view" in page


def test_the_command_line_does_not_import_django() -> None:
    """``maturity --help`` and every other command start without the platform's weight."""
    code = (
        "import sys, maturity.cli; print(sorted(m for m in sys.modules if m.startswith('django')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
