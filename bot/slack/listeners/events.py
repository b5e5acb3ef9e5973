"""Event listeners: @-mentions, DMs and thread follow-ups; everything else is acknowledged and ignored."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.answer.prompting import Turn
from bot.settings import Settings
from bot.slack.conversation import is_from_bot, question_text, read_thread, thread_turns
from bot.slack.listeners import matchers
from bot.slack.responder import Question, Responder

PLAIN_MESSAGE: dict[str, Any] = {"type": "message", "subtype": None}  # no edits, joins or other subtypes


def register(app: App, settings: Settings, responder: Responder) -> None:
    person, question, allowed = matchers.from_a_person, matchers.with_a_question, matchers.in_allowed_channel(settings)

    @app.event("app_mention", matchers=[person, question, allowed])
    def on_mention(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        asked = question_from(event, context.team_id)
        responder.answer_in_thread(client, asked, _history(client, context, asked))

    @app.event(PLAIN_MESSAGE, matchers=[person, question, matchers.direct_message])
    def on_direct_message(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        asked = question_from(event, context.team_id)
        responder.answer_in_thread(client, asked, _history(client, context, asked))

    @app.event(PLAIN_MESSAGE, matchers=[person, question, allowed, matchers.thread_reply_without_mention(settings)])
    def on_thread_reply(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        """Answered only in a thread the bot has answered in before."""
        asked = question_from(event, context.team_id)
        messages = read_thread(client, asked.channel, asked.thread_ts)
        if any(is_from_bot(m, context.bot_user_id, context.bot_id) for m in messages):
            responder.answer_in_thread(
                client, asked, thread_turns(messages, context.bot_user_id, context.bot_id, asked.ts)
            )

    @app.event("app_mention")
    @app.event("message")
    def ignore(event: dict[str, Any]) -> None:
        """Acknowledged so Slack does not retry: other bots, edits, other channels, top-level chatter."""


def question_from(event: dict[str, Any], team: str | None = None) -> Question:
    ts = event["ts"]
    return Question(
        key=f"msg:{event['channel']}:{ts}",
        channel=event["channel"],
        thread_ts=event.get("thread_ts") or ts,
        ts=ts,
        user=event.get("user", ""),
        text=question_text(event.get("text", "")),
        team=event.get("team") or team or "",
    )


def _history(client: WebClient, context: BoltContext, question: Question) -> list[Turn]:
    """The thread before this question, or nothing when the question starts the thread."""
    if question.thread_ts == question.ts:
        return []
    messages = read_thread(client, question.channel, question.thread_ts)
    return thread_turns(messages, context.bot_user_id, context.bot_id, question.ts)
