"""slack/manifest.yaml asks for exactly what the registered listeners need: events, commands, interactivity, scopes."""

import yaml
from slack_bolt import Assistant

from bot.settings import load_settings
from bot.slack.listeners import register_listeners
from tests.conftest import REPO

# What Slack must deliver, and which scope each subscription needs, for each kind of listener.
SUBSCRIPTIONS = {
    "app_mention": {"app_mention"},
    "message": {"message.channels", "message.groups", "message.im"},
    "assistant": {"assistant_thread_started", "assistant_thread_context_changed", "message.im"},
}
SCOPES = {
    "assistant_thread_started": "assistant:write",
    "assistant_thread_context_changed": "assistant:write",
    "app_mention": "app_mentions:read",
    "message.channels": "channels:history",
    "message.groups": "groups:history",
    "message.im": "im:history",
}
POSTING = {"chat:write"}  # every answer is posted with chat.postMessage / chat.update


class RecordingApp:
    """Stands in for a Bolt App and records what newsbot registers."""

    def __init__(self) -> None:
        self.events: set[str] = set()
        self.commands: set[str] = set()
        self.actions: set[str] = set()

    def _record(self, into: set, key):
        into.add(key["type"] if isinstance(key, dict) else key)
        return lambda listener: listener

    def event(self, event, matchers=None):
        return self._record(self.events, event)

    def command(self, command):
        return self._record(self.commands, command)

    def action(self, action_id):
        return self._record(self.actions, action_id)

    def use(self, middleware):
        if isinstance(middleware, Assistant):
            self.events.add("assistant")


def test_manifest_matches_the_registered_listeners():
    app = RecordingApp()
    register_listeners(app, load_settings({}, dotenv_path=None), responder=None, store=None)
    manifest = yaml.safe_load((REPO / "slack" / "manifest.yaml").read_text())
    events = set().union(*(SUBSCRIPTIONS[kind] for kind in app.events))
    assert set(manifest["settings"]["event_subscriptions"]["bot_events"]) == events
    assert {c["command"] for c in manifest["features"]["slash_commands"]} == app.commands
    assert manifest["settings"]["interactivity"]["is_enabled"] == bool(app.actions)
    wanted = {SCOPES[e] for e in events} | POSTING | ({"commands"} if app.commands else set())
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == wanted
    assert manifest["settings"]["socket_mode_enabled"]  # `newsbot slack` defaults to Socket Mode
    assert ("assistant_view" in manifest["features"]) == ("assistant" in app.events)  # the AI-app side panel
