"""Slack state in PostgreSQL (NEWSBOT_STORE=postgres): every worker behind a load balancer sees one claim per
message, one answers table and one feedback table."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg

from bot.slack.state.base import FEEDBACK_KEYS, FEEDBACK_QUERY, LEASE_SECONDS, WINDOW_SECONDS, StateUnavailable
from retrieval.db import Database

COMPONENT = "slack"
MIGRATIONS = [
    """
    CREATE TABLE slack_events (
        key TEXT PRIMARY KEY, claimed_at DOUBLE PRECISION NOT NULL, done BOOLEAN NOT NULL DEFAULT false);
    CREATE TABLE answers (
        id TEXT PRIMARY KEY, question TEXT NOT NULL, answer TEXT NOT NULL, citations JSONB NOT NULL,
        channel TEXT, thread_ts TEXT, user_id TEXT, created_at DOUBLE PRECISION NOT NULL);
    CREATE TABLE feedback (
        answer_id TEXT NOT NULL REFERENCES answers (id), user_id TEXT NOT NULL, verdict TEXT NOT NULL,
        created_at DOUBLE PRECISION NOT NULL, PRIMARY KEY (answer_id, user_id));
    """,
    # 2: questions asked, for a rate limit that holds across every worker
    """
    CREATE TABLE slack_asks (user_id TEXT NOT NULL, asked_at DOUBLE PRECISION NOT NULL);
    CREATE INDEX slack_asks_user ON slack_asks (user_id, asked_at);
    """,
]


class PgStateStore:
    """The Slack state tables in the shared database, migrated on first start."""

    def __init__(self, database_url: str) -> None:
        self.db = Database(database_url)
        self.db.migrate(COMPONENT, MIGRATIONS)

    def claim(self, key: str, lease: float = LEASE_SECONDS) -> bool:
        with self._guard():
            now = time.time()
            row = (
                self.db.connection()
                .execute(
                    "INSERT INTO slack_events AS e (key, claimed_at) VALUES (%s, %s) ON CONFLICT (key) DO UPDATE "
                    "SET claimed_at = excluded.claimed_at WHERE NOT e.done AND e.claimed_at < %s RETURNING key",
                    (key, now, now - lease),
                )
                .fetchone()
            )
            return row is not None

    def finish(self, key: str) -> None:
        with self._guard():
            self.db.connection().execute("UPDATE slack_events SET done = true WHERE key = %s", (key,))

    def release(self, key: str) -> None:
        with self._guard():
            self.db.connection().execute("DELETE FROM slack_events WHERE key = %s AND NOT done", (key,))

    def allow(self, user_id: str, per_minute: int, now: float | None = None) -> bool:
        """Counted under a per-user transaction lock, so two workers never both admit the last question."""
        with self._guard():
            if per_minute <= 0:
                return True
            at = time.time() if now is None else now
            with self.db.transaction() as conn:
                conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"newsbot-asks:{user_id}",))
                conn.execute(
                    "DELETE FROM slack_asks WHERE user_id = %s AND asked_at <= %s", (user_id, at - WINDOW_SECONDS)
                )
                row = conn.execute("SELECT count(*) FROM slack_asks WHERE user_id = %s", (user_id,)).fetchone()
                if row is None or row[0] >= per_minute:
                    return False
                conn.execute("INSERT INTO slack_asks VALUES (%s, %s)", (user_id, at))
                return True

    def save_answer(
        self, question: str, answer: str, citations: list[dict[str, Any]], channel: str, thread_ts: str, user_id: str
    ) -> str:
        with self._guard():
            answer_id = uuid.uuid4().hex
            self.db.connection().execute(
                "INSERT INTO answers VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                (answer_id, question, answer, json.dumps(citations), channel, thread_ts, user_id, time.time()),
            )
            return answer_id

    def record_feedback(self, answer_id: str, user_id: str, verdict: str) -> None:
        with self._guard():
            self.db.connection().execute(
                "INSERT INTO feedback VALUES (%s, %s, %s, %s) ON CONFLICT (answer_id, user_id) "
                "DO UPDATE SET verdict = excluded.verdict, created_at = excluded.created_at",
                (answer_id, user_id, verdict, time.time()),
            )

    def feedback(self) -> list[dict[str, Any]]:
        with self._guard():
            rows = self.db.connection().execute(FEEDBACK_QUERY).fetchall()  # JSONB citations arrive decoded
            return [dict(zip(FEEDBACK_KEYS, row, strict=True)) for row in rows]

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """Database faults as StateUnavailable, one line naming the fault (never the URL: it holds a password)."""
        try:
            yield
        except psycopg.Error as exc:
            raise StateUnavailable(f"the Slack state database cannot be used ({type(exc).__name__})") from exc
