"""Button actions: 👍 / 👎 feedback on an answer, stored before the click is acknowledged."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.slack.blocks import FEEDBACK_DOWN, FEEDBACK_UP, with_thanks
from bot.slack.state import StateStore

VERDICTS = {FEEDBACK_UP: "up", FEEDBACK_DOWN: "down"}


def register(app: App, store: StateStore) -> None:
    @app.action(FEEDBACK_UP)
    @app.action(FEEDBACK_DOWN)
    def on_feedback(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        """Stored before the ack: Slack never re-sends an acked click, so a worker dying after it must not lose it."""
        user, verdict = body["user"]["id"], VERDICTS[action["action_id"]]
        store.record_feedback(action["value"], user, verdict)
        ack()
        message = body["message"]
        client.chat_update(
            channel=body["channel"]["id"],
            ts=message["ts"],
            text=message.get("text", ""),
            blocks=with_thanks(message.get("blocks", []), user, verdict),
        )
