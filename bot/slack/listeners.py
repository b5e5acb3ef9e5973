"""Bolt listeners: mentions, DMs, thread follow-ups, the slash command and feedback clicks."""

from __future__ import annotations

import logging

from slack_bolt import App

from bot.settings import Settings
from bot.slack.conversation import is_from_bot, question_text, thread_turns
from bot.slack.render import FEEDBACK_DOWN, FEEDBACK_UP
from bot.slack.responder import Question, Responder
from bot.slack.store import StateStore

log = logging.getLogger("newsbot.slack")
THANKS_BLOCK = "newsbot_feedback_thanks"  # the buttons stay, so a user can change their verdict
USAGE = "Ask me about the articles, e.g. `{command} what did Morgan Stanley say about H20?`"


def register_listeners(app: App, settings: Settings, responder: Responder, store: StateStore) -> None:
    allowed = settings.allowed_channels

    def channel_ok(channel: str, channel_type: str | None = None) -> bool:
        return channel_type == "im" or not allowed or channel in allowed

    @app.event("app_mention")
    def on_mention(event, client, context):
        if event.get("bot_id") or not channel_ok(event["channel"], event.get("channel_type")):
            return
        question = _question(event)
        if question.text:
            history = responder.thread_history(client, question, context.bot_user_id, context.bot_id)
            responder.answer_in_thread(client, question, history)

    @app.event("message")
    def on_message(event, client, context):
        if event.get("subtype") or event.get("bot_id") or not question_text(event.get("text", "")):
            return  # edits, joins, other bots, empty messages
        if event.get("channel_type") == "im":
            question = _question(event)
            responder.answer_in_thread(client, question, responder.thread_history(
                client, question, context.bot_user_id, context.bot_id))
            return
        mentioned = f"<@{context.bot_user_id}>" in event.get("text", "")
        if not event.get("thread_ts") or mentioned or not settings.slack_thread_replies:
            return  # a mention is answered by on_mention; top-level chatter is not for the bot
        if channel_ok(event["channel"]):
            _answer_follow_up(client, context, responder, _question(event))

    @app.command(settings.slack_command)
    def on_command(ack, command, client):
        text = question_text(command.get("text", ""))
        if not text:
            ack(USAGE.format(command=settings.slack_command))
            return
        ack()
        key, channel, user = f"cmd:{command['trigger_id']}", command["channel_id"], command["user_id"]
        if settings.slack_command_visibility == "ephemeral":
            responder.answer_privately(client, Question(key, channel, "", "", user, text))
            return
        root = client.chat_postMessage(channel=channel, text=f"<@{user}> asked: {text}")
        responder.answer_in_thread(client, Question(key, channel, root["ts"], root["ts"], user, text), [])

    @app.action(FEEDBACK_UP)
    def on_feedback_up(ack, body, action, client):
        _record_feedback(store, ack, client, body, action, "up")

    @app.action(FEEDBACK_DOWN)
    def on_feedback_down(ack, body, action, client):
        _record_feedback(store, ack, client, body, action, "down")


def _question(event: dict) -> Question:
    ts = event["ts"]
    return Question(key=f"msg:{event['channel']}:{ts}", channel=event["channel"],
                    thread_ts=event.get("thread_ts") or ts, ts=ts, user=event.get("user", ""),
                    text=question_text(event.get("text", "")))


def _answer_follow_up(client, context, responder: Responder, question: Question) -> None:
    """Answer a reply in a thread only if the bot has answered in that thread before."""
    replies = client.conversations_replies(channel=question.channel, ts=question.thread_ts, limit=50)
    messages = replies.get("messages", [])
    if any(is_from_bot(m, context.bot_user_id, context.bot_id) for m in messages):
        history = thread_turns(messages, context.bot_user_id, context.bot_id, question.ts)
        responder.answer_in_thread(client, question, history)


def _record_feedback(store: StateStore, ack, client, body: dict, action: dict, verdict: str) -> None:
    """Stored before the ack: Slack never re-sends an acked click, so a worker dying after it must not lose it."""
    user = body["user"]["id"]
    store.record_feedback(action["value"], user, verdict)
    ack()
    message = body["message"]
    thanks = {"type": "context", "block_id": THANKS_BLOCK, "elements": [
        {"type": "mrkdwn", "text": f"Thanks for the feedback, <@{user}> {'👍' if verdict == 'up' else '👎'}"}]}
    blocks = [b for b in message.get("blocks", []) if b.get("block_id") != THANKS_BLOCK] + [thanks]
    client.chat_update(channel=body["channel"]["id"], ts=message["ts"], text=message.get("text", ""), blocks=blocks)

