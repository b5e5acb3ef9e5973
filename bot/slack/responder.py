"""Answer one Slack question in its thread: de-duplicate, rate-limit, show work, answer or apologise.

A question is marked done only once its reply is delivered; if Slack still refuses after the client's
retries, the claim is released so Slack's next delivery is answered, and a posted placeholder is replaced
by the answer, a fresh message, or an apology, never left alone."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.answer.engine import Answer, Engine
from bot.answer.prompting import Turn
from bot.errors import BackendError
from bot.slack.blocks import SlackMessage, answer_messages
from bot.slack.conversation import PLACEHOLDER
from bot.slack.state import StateStore
from bot.slack.state.base import StateUnavailable

log = logging.getLogger("newsbot.slack")
RATE_LIMITED = (
    "You're asking faster than I can read — please wait a minute and ask again (limit: {n} questions a minute)."
)
APOLOGY = "Sorry, I couldn't answer that: {problem}. Please try again in a moment."
UNEXPECTED = "something went wrong on my side (it has been logged)"
NO_STATE = "my state database is unavailable (it has been logged)"
SLACK_FAILURES = (SlackApiError, SlackClientError, OSError)  # what a Web API call raises once retries are spent


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

    def __init__(self, engine: Engine, store: StateStore, per_minute: int) -> None:
        self.engine = engine
        self.store = store
        self.per_minute = per_minute

    def answer_in_thread(self, client: WebClient, question: Question, history: list[Turn]) -> None:
        """Post a placeholder at once, then replace it with the cited answer (or an apology)."""

        def reply(within_limit: bool) -> None:
            if not within_limit:
                self._post(client, question, SlackMessage(RATE_LIMITED.format(n=self.per_minute)))
                return
            placeholder = self._post(client, question, SlackMessage(PLACEHOLDER))["ts"]
            messages = self._messages(question, history, remember=True)
            self._replace(client, question, placeholder, messages[0])
            for message in messages[1:]:
                self._post(client, question, message)

        self._once(client, question, reply)

    def answer_privately(self, client: WebClient, question: Question) -> None:
        """An answer only the asker sees (ephemeral slash command); ephemeral messages take no feedback."""

        def reply(within_limit: bool) -> None:
            messages = (
                self._messages(question, [], remember=False)
                if within_limit
                else [SlackMessage(RATE_LIMITED.format(n=self.per_minute))]
            )
            for message in messages:
                client.chat_postEphemeral(
                    channel=question.channel, user=question.user, text=message.text, blocks=message.blocks or None
                )

        self._once(client, question, reply, private=True)

    def _once(
        self, client: WebClient, question: Question, reply: Callable[[bool], None], private: bool = False
    ) -> None:
        """Reply to the first delivery of a question only; done once delivered, released if delivery failed."""
        try:
            if not self.store.claim(question.key):
                log.info("duplicate delivery of %s ignored", question.key)
                return
            within_limit = self.store.allow(question.user, self.per_minute)
        except StateUnavailable as error:
            log.error("%s: %s", question.key, error)
            self._apologise(client, question, NO_STATE, private)
            return
        try:
            reply(within_limit)
        except SLACK_FAILURES as error:
            log.error("delivering %s failed (%s); released for Slack's next delivery", question.key, _short(error))
            self._release(question)
            return
        try:
            self.store.finish(question.key)
        except StateUnavailable as error:  # delivered; a retry within the lease is still refused
            log.error("%s: %s", question.key, error)

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
        """The stored answer's id, for the feedback buttons; without a state database, no buttons."""
        if answer.refused:
            return None
        try:
            return self.store.save_answer(
                question.text,
                answer.answer,
                [c.to_dict() for c in answer.citations],
                question.channel,
                question.thread_ts,
                question.user,
            )
        except StateUnavailable as error:
            log.error("%s: %s; answered without feedback buttons", question.key, error)
            return None

    def _replace(self, client: WebClient, question: Question, placeholder: str, message: SlackMessage) -> None:
        """The placeholder becomes the message; if Slack refuses the edit, the message is posted instead and
        the placeholder removed (or, failing that, turned into an apology)."""
        try:
            self._update(client, question.channel, placeholder, message)
            return
        except SLACK_FAILURES as error:
            log.warning("editing the placeholder for %s failed (%s); posting the answer", question.key, _short(error))
        try:
            self._post(client, question, message)
        except SLACK_FAILURES:
            self._update(client, question.channel, placeholder, SlackMessage(APOLOGY.format(problem=UNEXPECTED)))
            raise
        try:
            client.chat_delete(channel=question.channel, ts=placeholder)
        except SLACK_FAILURES as error:  # the answer is there; an orphan placeholder is only untidy
            log.warning("removing the placeholder for %s failed (%s)", question.key, _short(error))

    def _apologise(self, client: WebClient, question: Question, problem: str, private: bool) -> None:
        """Best effort: an apology where the answer would have gone."""
        message = SlackMessage(APOLOGY.format(problem=problem))
        try:
            if private:
                client.chat_postEphemeral(channel=question.channel, user=question.user, text=message.text)
            else:
                self._post(client, question, message)
        except SLACK_FAILURES as error:
            log.error("apologising for %s failed (%s)", question.key, _short(error))

    def _release(self, question: Question) -> None:
        try:
            self.store.release(question.key)
        except StateUnavailable as error:
            log.error("%s: %s", question.key, error)

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


def _short(error: Exception) -> str:
    """One line naming a Slack failure: the API's error code, or the exception's type and first line."""
    if isinstance(error, SlackApiError):
        return f"{error.response.status_code} {error.response.get('error', '')}".strip()
    return f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
