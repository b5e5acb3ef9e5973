"""A real Bolt app, served over loopback HTTP, talking to the fake Slack."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
import urllib.error
import urllib.request
from urllib.parse import urlencode

import pytest

from bot.engine import Engine
from bot.extractive import ExtractiveBackend
from bot.settings import load_settings
from bot.slack.app import create_app, http_server
from bot.slack.store import open_slack_store
from tests.slack.fake_slack import BOT_USER, TEAM, FakeSlack

SECRET = "test-signing-secret"
USER = "U0ALICE"
CHANNEL = "C0NEWS"


class RecordingBackend(ExtractiveBackend):
    """The extractive backend, remembering the history it was given and able to hold answers back."""

    def __init__(self) -> None:
        self.histories = []
        self.gate = threading.Event()
        self.gate.set()

    def generate(self, question, hits, history, on_token=None):
        self.histories.append(list(history))
        assert self.gate.wait(30), "gate never opened"
        return super().generate(question, hits, history, on_token)


@pytest.fixture
def fake_slack():
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def backend():
    return RecordingBackend()


def make_settings(fake: FakeSlack, tmp_path, **env: str):
    base = {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": SECRET, "SLACK_APP_TOKEN": "xapp-test",
            "SLACK_API_URL": fake.api_url, "NEWSBOT_STATE_DB": str(tmp_path / "state.sqlite3"),
            "NEWSBOT_INDEX_DIR": str(tmp_path / "unused-index"), "NEWSBOT_LLM": "extractive"}
    return load_settings({**base, **env}, dotenv_path=None)


class SlackSender:
    """Sends signed events, slash commands and button clicks to a newsbot HTTP endpoint, as Slack would."""

    def __init__(self, fake: FakeSlack, url: str, command_name: str = "/newsbot") -> None:
        self.fake, self.url, self.command_name = fake, url, command_name
        self._events = 0

    def post(self, body: str, content_type: str, headers: dict | None = None, timestamp: int | None = None,
             secret: str = SECRET) -> tuple[int, str]:
        stamp = str(timestamp or int(time.time()))
        signature = "v0=" + hmac.new(secret.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256).hexdigest()
        request = urllib.request.Request(self.url, data=body.encode(), method="POST", headers={
            "Content-Type": content_type, "X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature,
            **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def event(self, event: dict, event_id: str | None = None, **kwargs) -> tuple[int, str]:
        self._events += 1
        payload = {"token": "legacy", "team_id": TEAM, "api_app_id": "A0NEWSBOT", "type": "event_callback",
                   "event_id": event_id or f"Ev{self._events:04d}", "event_time": int(time.time()), "event": event,
                   "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}]}
        return self.post(json.dumps(payload), "application/json", **kwargs)

    def mention(self, text: str, channel: str = CHANNEL, user: str = USER, thread_ts: str | None = None, **kwargs):
        """A person @-mentions the bot: the message exists in Slack, then the event arrives. Returns (status, ts)."""
        ts = self.fake.add_message(channel, user, f"<@{BOT_USER}> {text}", thread_ts)
        event = {"type": "app_mention", "user": user, "text": f"<@{BOT_USER}> {text}", "ts": ts,
                 "channel": channel, "event_ts": ts, **({"thread_ts": thread_ts} if thread_ts else {})}
        status, _ = self.event(event, **kwargs)
        return status, ts

    def command(self, text: str, user: str = USER, channel: str = CHANNEL) -> tuple[int, str]:
        form = {"token": "legacy", "team_id": TEAM, "channel_id": channel, "user_id": user,
                "command": self.command_name, "text": text, "trigger_id": f"trig.{time.time_ns()}",
                "response_url": "http://127.0.0.1:9/unused", "api_app_id": "A0NEWSBOT"}
        return self.post(urlencode(form), "application/x-www-form-urlencoded")

    def click(self, message: dict, action_id: str, user: str = USER) -> tuple[int, str]:
        button = next(e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]
                      if e["action_id"] == action_id)
        payload = {"type": "block_actions", "user": {"id": user}, "team": {"id": TEAM}, "api_app_id": "A0NEWSBOT",
                   "channel": {"id": message["channel"]}, "container": {"type": "message", "message_ts": message["ts"]},
                   "message": {k: v for k, v in message.items() if k != "channel"}, "trigger_id": "trig",
                   "response_url": "http://127.0.0.1:9/unused",
                   "actions": [{"type": "button", "action_id": action_id, "block_id": "newsbot_feedback",
                                "value": button["value"], "action_ts": str(time.time())}]}
        return self.post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")

    def answers_in(self, thread_ts: str, channel: str = CHANNEL) -> list[dict]:
        """The bot's finished messages in a thread (placeholders excluded)."""
        return [m for m in self.fake.bot_messages(channel)
                if m.get("thread_ts") == thread_ts and m["text"] != "Searching the articles…"]


class SlackHarness(SlackSender):
    """A real Bolt app served over loopback HTTP in this process, with a sender aimed at it."""

    def __init__(self, fake: FakeSlack, settings, engine: Engine) -> None:
        self.settings = settings
        self.store = open_slack_store(settings)
        self.app = create_app(settings, engine, self.store, http=True)
        self.server = http_server(self.app, 0, "127.0.0.1")
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
    engine = Engine(seed_library, backend, top_k=4, min_relevance=0.3)
    harness = SlackHarness(fake_slack, settings, engine)
    yield harness
    harness.close()
