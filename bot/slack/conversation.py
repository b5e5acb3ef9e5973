"""A Slack thread as conversation history: read once, with mentions and the bot's placeholders removed."""

from __future__ import annotations

import re
from typing import Any

from slack_sdk import WebClient

from bot.answer.prompting import Turn

MENTION = re.compile(r"<@[UW][A-Z0-9]+>")
PLACEHOLDER = "Searching the articles…"
THREAD_LIMIT = 50  # messages of a thread read for its history


def question_text(text: str) -> str:
    """The question a user typed, without @-mentions."""
    return MENTION.sub("", text or "").strip()


def is_from_bot(message: dict[str, Any], bot_user_id: str | None, bot_id: str | None = None) -> bool:
    return bool(message.get("user") == bot_user_id or (bot_id and message.get("bot_id") == bot_id))


def read_thread(client: WebClient, channel: str, thread_ts: str) -> list[dict[str, Any]]:
    """The thread's messages, oldest first: the one place newsbot reads a thread."""
    replies = client.conversations_replies(channel=channel, ts=thread_ts, limit=THREAD_LIMIT)
    messages: list[dict[str, Any]] = replies.get("messages", [])
    return messages


def thread_turns(
    messages: list[dict[str, Any]], bot_user_id: str | None, bot_id: str | None, before_ts: str
) -> list[Turn]:
    """Turns of a thread before the current question; the bot's replies are the assistant's."""
    turns = []
    for message in messages:
        if float(message.get("ts", 0)) >= float(before_ts):
            continue
        text = message.get("text") or ""
        if is_from_bot(message, bot_user_id, bot_id):
            if text and text != PLACEHOLDER:
                turns.append(Turn("assistant", text))
        elif not message.get("bot_id") and question_text(text):
            turns.append(Turn("user", question_text(text)))
    return turns
