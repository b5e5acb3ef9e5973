"""The AI-app side panel (Slack's Assistant middleware): a greeting with suggested questions made from the
newest articles, the question as the thread's title, a live status, and the answer streamed into the thread.

A DM reply in a thread arrives here too (Bolt treats every threaded DM as an assistant thread): it is
answered the same way, with the thread as its conversation."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, Assistant, BoltContext, Say, SetStatus, SetSuggestedPrompts, SetTitle
from slack_sdk import WebClient

from bot.slack.conversation import read_thread, thread_turns
from bot.slack.listeners.events import question_from
from bot.slack.responder import SLACK_FAILURES, Responder
from retrieval.sources import Source

log = logging.getLogger("newsbot.slack")
GREETING = "Hi! I answer questions from the news articles I have read, and cite each one. Try one of these:"
PROMPTS_TITLE = "The newest stories"
TITLE_CHARS = 80
HEADLINE_CHARS = 70  # Slack shows a suggested prompt's title in one short line


def suggested_prompts(newest: list[Source]) -> list[dict[str, str]]:
    """Up to four questions about the newest stories' headlines; article text is data, so only plain words."""
    prompts = []
    for source in newest[:4]:
        headline = _plain(source.title, HEADLINE_CHARS)
        if headline:
            prompts.append({"title": headline, "message": f"What do the articles say about “{headline}”?"})
    return prompts


def _plain(text: str, limit: int) -> str:
    """One line of at most limit characters, without Slack's control characters (no link or mention)."""
    line = " ".join(text.replace("<", " ").replace(">", " ").replace("&", " and ").split())
    return line if len(line) <= limit else line[: limit - 1].rsplit(" ", 1)[0] + "…"


def register(app: App, responder: Responder, newest: Callable[[int], list[Source]]) -> None:
    assistant = Assistant()

    @assistant.thread_started
    def greet(say: Say, set_suggested_prompts: SetSuggestedPrompts) -> None:
        say(GREETING)
        prompts = suggested_prompts(newest(4))
        if prompts:
            set_suggested_prompts(prompts=prompts, title=PROMPTS_TITLE)

    @assistant.thread_context_changed
    def context_changed() -> None:
        """Acknowledged; the channel a user is viewing does not narrow the search (README, Slack)."""

    @assistant.user_message
    def answer(
        payload: dict[str, Any], client: WebClient, context: BoltContext, set_title: SetTitle, set_status: SetStatus
    ) -> None:
        asked = question_from(payload, context.team_id)
        if not asked.text:
            return
        try:
            set_title(_plain(asked.text, TITLE_CHARS))
        except SLACK_FAILURES as error:
            log.warning("setting the thread title failed (%s)", type(error).__name__)
        messages = read_thread(client, asked.channel, asked.thread_ts)
        history = thread_turns(messages, context.bot_user_id, context.bot_id, asked.ts)
        responder.answer_in_thread(client, asked, history, status=set_status)

    app.use(assistant)
