"""gunicorn, embedded: a pre-fork production WSGI server (worker processes that restart on
failure, graceful shutdown on SIGTERM, request timeouts), threads per worker so slow clients
and SQLite's short write waits do not hold a process."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gunicorn.app.base import BaseApplication  # type: ignore[import-untyped]


class PlatformServer(BaseApplication):  # type: ignore[misc]  # gunicorn has no type hints
    def __init__(self, options: dict[str, Any], on_ready: Callable[[], None]) -> None:
        self.options = options
        self.on_ready = on_ready
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)
        self.cfg.set("when_ready", lambda server: self.on_ready())

    def load(self) -> Any:
        from maturity.web.wsgi import application

        return application


def bind_address(host: str, port: int) -> str:
    """
    >>> bind_address("::1", 8000), bind_address("127.0.0.1", 80)
    ('[::1]:8000', '127.0.0.1:80')
    """
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def run(
    host: str, port: int, workers: int, threads: int, access_log: bool, on_ready: Callable[[], None]
) -> None:
    options = {
        "bind": bind_address(host, port),
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "timeout": 120,  # publishing a national round scores it twice (vi, en): seconds
        "graceful_timeout": 30,
        "keepalive": 5,
        "preload_app": True,  # Django and the framework loaded once, shared by the workers
        "accesslog": "-" if access_log else None,
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "maturity",
        "control_socket_disable": True,  # no control socket in the user's home folder
    }
    PlatformServer(options, on_ready).run()
