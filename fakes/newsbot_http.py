"""`newsbot slack --http` as a separate process, aimed at a fake Slack: for tests and benchmarks."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from fakes.slack import SECRET, FakeSlack

REPO = Path(__file__).resolve().parents[1]
SEED_QUESTIONS = [  # questions the bundled articles answer, for benchmarks
    "what did Morgan Stanley say about H20?",
    "Why can't the Wells Fargo banker leave China?",
    "Which countries can WeChat users hail an Uber in?",
    "What did Zheng Yongnian say about DeepSeek?",
    "How long does Nvidia take to make chips?",
]
NEWSBOT = Path(sys.executable).parent / "newsbot"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def slack_env(fake: FakeSlack, index_dir: Path, state_db: Path, **extra: str) -> dict[str, str]:
    """The environment of a newsbot process talking to the fake Slack (no NEWSBOT_/SLACK_ setting inherited)."""
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSBOT_", "SLACK_"))}
    return {
        **keep,
        "NEWSBOT_INDEX_DIR": str(index_dir),
        "NEWSBOT_LLM": "extractive",
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake.api_url,
        "NEWSBOT_STATE_DB": str(state_db),
        "NEWSBOT_ARTICLES_DIR": str(REPO / "data" / "articles"),
        **extra,
    }


@dataclass
class Running:
    url: str  # the /slack/events URL
    stderr: str = ""  # what the process logged, filled in once it has stopped


@contextmanager
def newsbot_http(env: dict[str, str], workers: int = 1) -> Iterator[Running]:
    """Start the server, wait until it answers, yield it; stop it afterwards and keep what it logged."""
    port = free_port()
    process = subprocess.Popen(
        [str(NEWSBOT), "--env-file", "/nonexistent", "slack", "--http", "--port", str(port), "--workers", str(workers)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    running = Running(f"http://127.0.0.1:{port}/slack/events")
    try:
        _wait_until_listening(running.url, process)
        yield running
    finally:
        process.terminate()
        try:
            running.stderr = process.communicate(timeout=30)[1]
        except subprocess.TimeoutExpired:
            process.kill()
            running.stderr = process.communicate()[1]


def _wait_until_listening(url: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"newsbot slack --http exited: {process.stderr.read() if process.stderr else ''}")
        try:
            urllib.request.urlopen(url, timeout=1)
        except urllib.error.HTTPError:
            return  # the server answered (a GET is refused): it is up
        except OSError:
            time.sleep(0.2)
    raise AssertionError("newsbot slack --http did not start listening")
