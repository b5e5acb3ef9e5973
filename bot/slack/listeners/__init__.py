"""Bolt listeners by kind: events (mentions, DMs, thread follow-ups), the slash command, and button actions.

Registration order matters: Bolt runs the first listener whose matchers pass, so each kind registers its
specific listeners before the catch-all that acknowledges what newsbot deliberately ignores."""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import App

from bot.settings import Settings
from bot.slack.listeners import actions, assistant, commands, events
from bot.slack.responder import Responder
from bot.slack.state import StateStore
from retrieval.sources import Source


def register_listeners(
    app: App,
    settings: Settings,
    responder: Responder,
    store: StateStore,
    newest: Callable[[int], list[Source]] = lambda n: [],
) -> None:
    assistant.register(app, responder, newest)
    events.register(app, settings, responder)
    commands.register(app, settings, responder)
    actions.register(app, store)
