"""`newsbot slack --http`: the endpoint served by gunicorn, a production WSGI server, with N workers.

gthread workers: each holds its own engine and answers on Bolt's worker threads after the ack, while its
gunicorn threads keep acking. Workers are forked before anything is built, so none shares a model or a
database connection with another."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gunicorn.app.base import BaseApplication

ACK_THREADS = 8  # requests one worker acks at once
GRACEFUL_SECONDS = 60  # on shutdown, answers under way get this long to reach Slack


class GunicornServer(BaseApplication):
    """gunicorn run from code: options given here, the application built by the factory in each worker."""

    def __init__(self, factory: Callable[[], Any], options: dict[str, Any]) -> None:
        self._factory = factory
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return self._factory()


def serve(factory: Callable[[], Any], port: int, workers: int, host: str = "0.0.0.0") -> None:
    """Serve until stopped (SIGTERM or Ctrl-C)."""
    GunicornServer(
        factory,
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "worker_class": "gthread",
            "threads": ACK_THREADS,
            "backlog": 128,  # a burst of mentions must not be dropped (bench/slack_load.py)
            "graceful_timeout": GRACEFUL_SECONDS,
            "timeout": 120,
            "accesslog": None,
            "loglevel": "warning",
            "preload_app": False,
        },
    ).run()
