"""Bolt listener matchers: which events newsbot answers, decided before a listener runs.

Each returns a function Bolt calls with the arguments it names (event, context)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext

from bot.settings import Settings
from bot.slack.conversation import question_text

Event = dict[str, Any]


def from_a_person(event: Event) -> bool:
    """Not the bot itself nor any other bot."""
    return not event.get("bot_id")


def with_a_question(event: Event) -> bool:
    """Text left once @-mentions are removed."""
    return bool(question_text(event.get("text", "")))


def direct_message(event: Event) -> bool:
    return event.get("channel_type") == "im"


def in_allowed_channel(settings: Settings) -> Callable[[Event], bool]:
    """A DM, or a channel in NEWSBOT_SLACK_CHANNELS (every channel when that is empty)."""
    allowed = settings.allowed_channels

    def matches(event: Event) -> bool:
        return direct_message(event) or not allowed or event["channel"] in allowed

    return matches


def thread_reply_without_mention(settings: Settings) -> Callable[[Event, BoltContext], bool]:
    """A reply in a thread that does not @-mention the bot (a mention is answered as app_mention)."""

    def matches(event: Event, context: BoltContext) -> bool:
        mentioned = f"<@{context.bot_user_id}>" in event.get("text", "")
        return settings.slack_thread_replies and bool(event.get("thread_ts")) and not mentioned

    return matches
