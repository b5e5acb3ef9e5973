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
from bot.slack.blocks import TEXT_LIMIT, SlackMessage, answer_messages, feedback_block, sources_blocks
from bot.slack.conversation import PLACEHOLDER
from bot.slack.mrkdwn import inert_markdown
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
NO_STREAMING = {
    "feature_not_enabled",
    "unknown_method",
    "not_allowed_token_type",
    "method_not_supported_for_channel_type",
}
SEARCHING, READING = "is searching the articles…", "is reading {n} articles…"
Status = Callable[[str], Any]  # Bolt's set_status in an assistant thread


@dataclass(frozen=True)
class Question:
    """A question as Slack delivered it, and where its answer goes."""

    key: str  # de-duplication key, the same for every delivery of this message
    channel: str
    thread_ts: str  # the answer goes in this thread
    ts: str  # the question message itself
    user: str
    text: str
    team: str = ""  # the asker's workspace: a streamed answer in a channel names its recipient


class Responder:
    """Turns one question into exactly one reply in Slack: the answer, a polite limit, or an apology."""

    def __init__(self, engine: Engine, store: StateStore, per_minute: int, stream: bool = True) -> None:
        self.engine = engine
        self.store = store
        self.per_minute = per_minute
        self.stream = stream  # stream answers sentence by sentence; off once the workspace turns streaming down

    def answer_in_thread(
        self, client: WebClient, question: Question, history: list[Turn], status: Status | None = None
    ) -> None:
        """Stream the cited answer into the thread sentence by sentence (with a live status in assistant
        threads); where streaming is unavailable, post a placeholder and replace it with the answer."""

        def reply(within_limit: bool) -> None:
            if not within_limit:
                self._post(client, question, SlackMessage(RATE_LIMITED.format(n=self.per_minute)))
            elif self.stream:
                self._streamed(client, question, history, status)
            else:
                self._placeheld(client, question, history)

        self._once(client, question, reply)

    def _placeheld(self, client: WebClient, question: Question, history: list[Turn]) -> None:
        placeholder = self._post(client, question, SlackMessage(PLACEHOLDER))["ts"]
        messages = self._messages(question, history, remember=True)
        self._replace(client, question, placeholder, messages[0])
        for message in messages[1:]:
            self._post(client, question, message)

    def _streamed(self, client: WebClient, question: Question, history: list[Turn], status: Status | None) -> None:
        """Each checked sentence appended as it comes; Sources and feedback attached when the stream stops.

        In an assistant thread the status line says what is happening; elsewhere a placeholder does, removed
        once the stream starts. A stream that cannot start falls back to the placeholder being replaced;
        one that breaks off is replaced by the whole answer."""
        placeholder = None if status else self._post(client, question, SlackMessage(PLACEHOLDER))["ts"]
        self._status(status, SEARCHING)
        stream = StreamedReply(client, question, lambda: self._remove(client, question, placeholder))
        answer = self._ask(
            question, history, on_sentence=stream.append, on_reading=lambda n: self._status(status, READING.format(n=n))
        )
        if stream.unavailable:
            log.warning("streaming unavailable in this workspace (%s); answering with placeholders", stream.error)
            self.stream = False
        if isinstance(answer, SlackMessage):  # an apology
            messages = [answer]
        else:
            messages = answer_messages(answer, answer_id := self._remember(answer, question))
        if not stream.started:  # a refusal, an apology, or no stream: the placeholder becomes the reply
            self._deliver(client, question, placeholder, messages)
            return
        try:
            if isinstance(answer, SlackMessage) or answer.refused:  # the streamed text must not stand
                raise SlackClientError("the answer became an apology or a refusal")
            stream.stop([*sources_blocks(answer.citations), *([feedback_block(answer_id)] if answer_id else [])])
        except SLACK_FAILURES as error:
            log.warning("the stream for %s did not finish (%s); replacing it", question.key, _short(error))
            self._deliver(client, question, stream.ts, messages)

    def _deliver(
        self, client: WebClient, question: Question, replace: str | None, messages: list[SlackMessage]
    ) -> None:
        """The messages in the thread, the first replacing an earlier message of ours when there is one."""
        if replace:
            self._replace(client, question, replace, messages[0])
        else:
            self._post(client, question, messages[0])
        for message in messages[1:]:
            self._post(client, question, message)

    def _remove(self, client: WebClient, question: Question, ts: str | None) -> None:
        """Best effort: the placeholder goes once the streamed answer has taken its place."""
        if ts is None:
            return
        try:
            client.chat_delete(channel=question.channel, ts=ts)
        except SLACK_FAILURES as error:
            log.warning("removing the placeholder for %s failed (%s)", question.key, _short(error))

    def _status(self, status: Status | None, text: str) -> None:
        """Best effort: a status line is a courtesy, never a reason to lose the answer."""
        if status is None:
            return
        try:
            status(text)
        except SLACK_FAILURES as error:
            log.warning("setting the status failed (%s)", _short(error))

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

    def _ask(
        self,
        question: Question,
        history: list[Turn],
        on_sentence: Callable[[str], None] | None = None,
        on_reading: Callable[[int], None] | None = None,
    ) -> Answer | SlackMessage:
        """The engine's answer, or an apology naming what failed."""
        try:
            return self.engine.ask(question.text, history, on_sentence=on_sentence, on_reading=on_reading)
        except BackendError as error:
            log.warning("backend failed for %s: %s", question.key, error)
            return SlackMessage(APOLOGY.format(problem=error))
        except Exception:
            log.exception("answering %s failed", question.key)
            return SlackMessage(APOLOGY.format(problem=UNEXPECTED))

    def _messages(self, question: Question, history: list[Turn], remember: bool) -> list[SlackMessage]:
        answer = self._ask(question, history)
        if isinstance(answer, SlackMessage):
            return [answer]
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


class StreamedReply:
    """One answer streamed into a thread with chat.startStream / appendStream / stopStream (slack_sdk's
    ChatStream, flushed every sentence). It starts with the first sentence, so an answer that turns out a
    refusal never starts one; a failure to start is remembered, not raised, and the caller falls back."""

    def __init__(self, client: WebClient, question: Question, on_start: Callable[[], None]) -> None:
        self._stream = client.chat_stream(
            channel=question.channel,
            thread_ts=question.thread_ts,
            recipient_team_id=question.team or None,
            recipient_user_id=question.user or None,
            buffer_size=1,
        )
        self._on_start = on_start
        self._length = 0
        self.started = False
        self.error = ""
        self.unavailable = False  # the workspace does not offer streaming: stop trying

    @property
    def ts(self) -> str:
        return str(self._stream.ts)

    def append(self, sentence: str) -> None:
        if self.error:
            return
        text = (" " if self.started else "") + inert_markdown(sentence)
        if self._length + len(text) > TEXT_LIMIT:  # longer than one message: the caller splits it at the end
            self.error = f"the answer is longer than {TEXT_LIMIT} characters"
            return
        try:
            self._stream.append(markdown_text=text)
        except SLACK_FAILURES as error:  # the text so far stays; the caller replaces it when the answer is done
            self.error = _short(error)
            self.unavailable = not self.started and any(code in self.error for code in NO_STREAMING)
            return
        self._length += len(text)
        if not self.started:
            self.started = True
            self._on_start()

    def stop(self, blocks: list[Any]) -> None:
        if self.error:
            raise SlackClientError(f"the stream broke off: {self.error}")
        self._stream.stop(blocks=blocks or None)


def _short(error: Exception) -> str:
    """One line naming a Slack failure: the API's error code, or the exception's type and first line."""
    if isinstance(error, SlackApiError):
        return f"{error.response.status_code} {error.response.get('error', '')}".strip()
    return f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
