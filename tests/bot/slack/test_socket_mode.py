"""Socket Mode: the real slack_sdk client connects to the fake Slack's WebSocket, acks envelopes, answers in threads."""

import time

from bot.slack.app import create_app, socket_mode_handler
from bot.slack.state import open_state_store
from fakes.slack import BOT_USER, DM, TEAM
from tests.bot.slack.conftest import CHANNEL, USER, make_settings
from tests.conftest import H20_QUESTION, H20_TITLE, make_engine


def envelope(envelope_id: str, event: dict) -> dict:
    return {
        "envelope_id": envelope_id,
        "type": "events_api",
        "accepts_response_payload": False,
        "retry_attempt": 0,
        "payload": {
            "token": "legacy",
            "team_id": TEAM,
            "api_app_id": "A0NEWSBOT",
            "type": "event_callback",
            "event_id": f"Ev{envelope_id}",
            "event_time": int(time.time()),
            "event": event,
            "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}],
        },
    }


def mention_event(question: str, ts: str) -> dict:
    """The app_mention event Slack sends for a message that @-mentions the bot in CHANNEL."""
    return {
        "type": "app_mention",
        "user": USER,
        "text": f"<@{BOT_USER}> {question}",
        "ts": ts,
        "channel": CHANNEL,
        "event_ts": ts,
    }


def test_mention_over_socket_mode_is_acked_and_answered_in_the_thread(
    fake_slack, tmp_path, seed_library, backend, state_env
):
    settings = make_settings(fake_slack, tmp_path, SLACK_SIGNING_SECRET="", **state_env)
    app = create_app(settings, make_engine(seed_library, backend), open_state_store(settings))
    handler = socket_mode_handler(app, settings)
    handler.connect()
    try:
        ts = fake_slack.add_message(CHANNEL, USER, f"<@{BOT_USER}> {H20_QUESTION}")
        event = mention_event(H20_QUESTION, ts)
        fake_slack.push_envelope(envelope("env-1", event))
        fake_slack.wait_for(lambda: [a for a in fake_slack.acks if a.get("envelope_id") == "env-1"])
        fake_slack.push_envelope({**envelope("env-2", event), "retry_attempt": 1})  # Slack's redelivery
        answer = fake_slack.wait_for(
            lambda: [m for m in fake_slack.bot_messages(CHANNEL) if m.get("thread_ts") == ts and m["blocks"]]
        )[0]
        fake_slack.wait_for(lambda: [a for a in fake_slack.acks if a.get("envelope_id") == "env-2"])
    finally:
        handler.close()
    assert "Morgan Stanley" in answer["text"]
    assert any(H20_TITLE in e["text"] for b in answer["blocks"] if b["type"] == "context" for e in b["elements"])
    assert fake_slack.called("apps.connections.open")
    assert len([c for c in fake_slack.called("chat.postMessage") if c.get("thread_ts") == ts]) == 1
    assert len(fake_slack.called("chat.startStream")) == 1  # streamed once, though Slack delivered twice
    assert fake_slack.called("chat.stopStream")[-1]["blocks"]  # Sources and buttons attached at the end


def test_an_assistant_thread_over_socket_mode_gets_suggested_questions_and_a_streamed_answer(
    fake_slack, tmp_path, seed_library, backend, state_env
):
    settings = make_settings(fake_slack, tmp_path, SLACK_SIGNING_SECRET="", **state_env)
    app = create_app(settings, make_engine(seed_library, backend), open_state_store(settings))
    handler = socket_mode_handler(app, settings)
    handler.connect()
    thread = fake_slack.new_ts()
    try:
        started = {
            "type": "assistant_thread_started",
            "assistant_thread": {"user_id": USER, "channel_id": DM, "thread_ts": thread, "context": {}},
            "event_ts": thread,
        }
        fake_slack.push_envelope(envelope("env-a", started))
        fake_slack.wait_for(lambda: fake_slack.called("assistant.threads.setSuggestedPrompts"))
        ts = fake_slack.add_message(DM, USER, H20_QUESTION, thread_ts=thread)
        asked = {"type": "message", "channel_type": "im", "user": USER, "text": H20_QUESTION, "ts": ts}
        fake_slack.push_envelope(envelope("env-b", {**asked, "thread_ts": thread, "channel": DM, "event_ts": ts}))
        fake_slack.wait_for(lambda: fake_slack.called("chat.stopStream"))
    finally:
        handler.close()
    assert fake_slack.statuses[0] == (DM, thread, "is searching the articles…")
    assert fake_slack.rejected == []
