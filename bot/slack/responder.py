"""Answer one Slack question in its thread: de-duplicate, rate-limit, show work, answer or apologise."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient

from bot.answer.engine import Answer, Engine
from bot.answer.prompting import Turn
from bot.errors import BackendError
from bot.slack.blocks import SlackMessage, answer_messages
from bot.slack.conversation import PLACEHOLDER
from bot.slack.ratelimit import RateLimiter
from bot.slack.state import StateStore

log = logging.getLogger("newsbot.slack")
RATE_LIMITED = (
    "You're asking faster than I can read — please wait a minute and ask again (limit: {n} questions a minute)."
)
APOLOGY = "Sorry, I couldn't answer that: {problem}. Please try again in a moment."
UNEXPECTED = "something went wrong on my side (it has been logged)"


@dataclass(frozen=True)
class Question:
    """A question as Slack delivered it, and where its answer goes."""

    key: str  # de-duplication key, the same for every delivery of this message
    channel: str
    thread_ts: str  # the answer goes in this thread
    ts: str  # the question message itself
    user: str
    text: str


class Responder:
    """Turns one question into exactly one reply in Slack: the answer, a polite limit, or an apology."""

    def __init__(self, engine: Engine, store: StateStore, limiter: RateLimiter) -> None:
        self.engine = engine
        self.store = store
        self.limiter = limiter

    def answer_in_thread(self, client: WebClient, question: Question, history: list[Turn]) -> None:
        """Post a placeholder at once, then replace it with the cited answer (or an apology)."""

        def reply(within_limit: bool) -> None:
            if not within_limit:
                self._post(client, question, SlackMessage(RATE_LIMITED.format(n=self.limiter.per_minute)))
                return
            placeholder = self._post(client, question, SlackMessage(PLACEHOLDER))
            messages = self._messages(question, history, remember=True)
            self._update(client, question.channel, placeholder["ts"], messages[0])
            for message in messages[1:]:
                self._post(client, question, message)

        self._once(question, reply)

    def answer_privately(self, client: WebClient, question: Question) -> None:
        """An answer only the asker sees (ephemeral slash command); ephemeral messages take no feedback."""

        def reply(within_limit: bool) -> None:
            messages = (
                self._messages(question, [], remember=False)
                if within_limit
                else [SlackMessage(RATE_LIMITED.format(n=self.limiter.per_minute))]
            )
            for message in messages:
                client.chat_postEphemeral(
                    channel=question.channel, user=question.user, text=message.text, blocks=message.blocks or None
                )

        self._once(question, reply)

    def _once(self, question: Question, reply: Callable[[bool], None]) -> None:
        """Run reply for the first delivery of a question only, telling it whether the user is within the limit."""
        if not self.store.claim(question.key):
            log.info("duplicate delivery of %s ignored", question.key)
            return
        try:
            reply(self.limiter.allow(question.user))
        finally:
            self.store.finish(question.key)

    def _messages(self, question: Question, history: list[Turn], remember: bool) -> list[SlackMessage]:
        try:
            answer = self.engine.ask(question.text, history)
        except BackendError as error:
            log.warning("backend failed for %s: %s", question.key, error)
            return [SlackMessage(APOLOGY.format(problem=error))]
        except Exception:
            log.exception("answering %s failed", question.key)
            return [SlackMessage(APOLOGY.format(problem=UNEXPECTED))]
        return answer_messages(answer, self._remember(answer, question) if remember else None)

    def _remember(self, answer: Answer, question: Question) -> str | None:
        if answer.refused:
            return None
        return self.store.save_answer(
            question.text,
            answer.answer,
            [c.to_dict() for c in answer.citations],
            question.channel,
            question.thread_ts,
            question.user,
        )

    def _post(self, client: WebClient, question: Question, message: SlackMessage) -> Any:
        return client.chat_postMessage(
            channel=question.channel,
            thread_ts=question.thread_ts,
            text=message.text,
            blocks=message.blocks or None,
            unfurl_links=False,
            unfurl_media=False,
        )

    def _update(self, client: WebClient, channel: str, ts: str, message: SlackMessage) -> None:
        client.chat_update(channel=channel, ts=ts, text=message.text, blocks=message.blocks or [])
