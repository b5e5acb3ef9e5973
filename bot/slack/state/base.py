"""What the Slack app must keep across restarts, whichever database holds it: event claims, answers, feedback."""

from __future__ import annotations

from typing import Any, Protocol

LEASE_SECONDS = 120.0  # a claim not finished within this (the worker died) may be taken again
FEEDBACK_QUERY = (
    "SELECT a.question, a.answer, a.citations, f.user_id, f.verdict, f.created_at FROM feedback f "
    "JOIN answers a ON a.id = f.answer_id ORDER BY f.created_at"
)
FEEDBACK_KEYS = ("question", "answer", "citations", "user", "verdict", "time")


class StateStore(Protocol):
    """SqliteStateStore and PgStateStore both provide this."""

    def claim(self, key: str, lease: float = LEASE_SECONDS) -> bool:
        """True for the first delivery of an event (or one whose earlier worker died); False for duplicates."""
        ...

    def finish(self, key: str) -> None: ...
    def save_answer(
        self, question: str, answer: str, citations: list[dict[str, Any]], channel: str, thread_ts: str, user_id: str
    ) -> str: ...
    def record_feedback(self, answer_id: str, user_id: str, verdict: str) -> None: ...
    def feedback(self) -> list[dict[str, Any]]: ...
