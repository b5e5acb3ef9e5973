"""What the Slack app must keep across restarts, whichever database holds it: event claims, answers, feedback."""

from __future__ import annotations

from typing import Any, Protocol

from bot.errors import NewsbotError

LEASE_SECONDS = 120.0  # a claim not finished within this (the worker died) may be taken again
FEEDBACK_QUERY = (
    "SELECT a.question, a.answer, a.citations, f.user_id, f.verdict, f.created_at FROM feedback f "
    "JOIN answers a ON a.id = f.answer_id ORDER BY f.created_at"
)
FEEDBACK_KEYS = ("question", "answer", "citations", "user", "verdict", "time")
WINDOW_SECONDS = 60.0  # the rate limit counts a user's questions over this window


class StateUnavailable(NewsbotError):
    """The state database cannot be used; the message names it and the fault in one line."""


class StateStore(Protocol):
    """SqliteStateStore and PgStateStore both provide this."""

    def claim(self, key: str, lease: float = LEASE_SECONDS) -> bool:
        """True for the first delivery of an event (or one whose earlier worker died); False for duplicates."""
        ...

    def finish(self, key: str) -> None:
        """The question is answered: no later delivery is ever answered again."""
        ...

    def release(self, key: str) -> None:
        """The answer could not be delivered: Slack's next delivery of this question may claim it."""
        ...

    def allow(self, user_id: str, per_minute: int, now: float | None = None) -> bool:
        """True, and counts the question, if the user asked fewer than per_minute in the last minute (0 = no
        limit); counted in the database, so the limit holds across every worker that shares it."""
        ...

    def save_answer(
        self, question: str, answer: str, citations: list[dict[str, Any]], channel: str, thread_ts: str, user_id: str
    ) -> str: ...
    def record_feedback(self, answer_id: str, user_id: str, verdict: str) -> None: ...
    def feedback(self) -> list[dict[str, Any]]: ...
