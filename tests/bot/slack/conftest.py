"""A real Bolt app, served over loopback HTTP, talking to the fake Slack.

CHANNEL, SECRET and USER are re-exported for the tests: the defaults the fake Slack's sender uses."""

from __future__ import annotations

import threading

import pytest

from bot.answer.backends.extractive import ExtractiveBackend
from bot.answer.engine import Engine
from bot.settings import load_settings
from bot.slack.app import create_app, local_http_server
from bot.slack.state import open_state_store
from fakes.slack import CHANNEL, SECRET, USER, FakeSlack, SlackSender
from tests.conftest import make_engine

__all__ = ["CHANNEL", "SECRET", "USER", "SlackHarness", "make_settings"]


class RecordingBackend(ExtractiveBackend):
    """The extractive backend, remembering the history it was given and able to hold answers back."""

    def __init__(self) -> None:
        self.histories = []
        self.gate = threading.Event()
        self.gate.set()

    def stream(self, question, hits, history, notes="", today=None):
        self.histories.append(list(history))
        assert self.gate.wait(30), "gate never opened"
        yield from super().stream(question, hits, history)


@pytest.fixture
def fake_slack():
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def backend():
    return RecordingBackend()


def make_settings(fake: FakeSlack, tmp_path, **env: str):
    base = {
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_APP_TOKEN": "xapp-test",
        "SLACK_API_URL": fake.api_url,
        "NEWSBOT_STATE_DB": str(tmp_path / "state.sqlite3"),
        "NEWSBOT_INDEX_DIR": str(tmp_path / "unused-index"),
        "NEWSBOT_LLM": "extractive",
    }
    return load_settings({**base, **env}, dotenv_path=None)


class SlackHarness(SlackSender):
    """A real Bolt app served over loopback HTTP in this process, with a sender aimed at it."""

    def __init__(self, fake: FakeSlack, settings, engine: Engine) -> None:
        self.settings = settings
        self.store = open_state_store(settings)
        self.app_engine = engine
        self.app = create_app(settings, engine, self.store, http=True)
        self.server = local_http_server(self.app, settings, 0)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        super().__init__(fake, f"http://127.0.0.1:{self.server.server_address[1]}/slack/events", settings.slack_command)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def slack(fake_slack, tmp_path, seed_library, backend, state_env, request):
    """The harness; a test can pass settings through @pytest.mark.slack_env(NAME=value)."""
    marker = request.node.get_closest_marker("slack_env")
    settings = make_settings(fake_slack, tmp_path, **state_env, **(marker.kwargs if marker else {}))
    engine = make_engine(seed_library, backend)
    harness = SlackHarness(fake_slack, settings, engine)
    yield harness
    harness.close()
