"""Slack state in PostgreSQL (NEWSBOT_STORE=postgres): every worker behind a load balancer sees one claim per
message, one answers table and one feedback table."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

from bot.slack.state.base import FEEDBACK_KEYS, FEEDBACK_QUERY, LEASE_SECONDS
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
]


class PgStateStore:
    """The Slack state tables in the shared database, migrated on first start."""

    def __init__(self, database_url: str) -> None:
        self.db = Database(database_url)
        self.db.migrate(COMPONENT, MIGRATIONS)

    def claim(self, key: str, lease: float = LEASE_SECONDS) -> bool:
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
        self.db.connection().execute("UPDATE slack_events SET done = true WHERE key = %s", (key,))

    def save_answer(
        self, question: str, answer: str, citations: list[dict[str, Any]], channel: str, thread_ts: str, user_id: str
    ) -> str:
        answer_id = uuid.uuid4().hex
        self.db.connection().execute(
            "INSERT INTO answers VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            (answer_id, question, answer, json.dumps(citations), channel, thread_ts, user_id, time.time()),
        )
        return answer_id

    def record_feedback(self, answer_id: str, user_id: str, verdict: str) -> None:
        self.db.connection().execute(
            "INSERT INTO feedback VALUES (%s, %s, %s, %s) ON CONFLICT (answer_id, user_id) "
            "DO UPDATE SET verdict = excluded.verdict, created_at = excluded.created_at",
            (answer_id, user_id, verdict, time.time()),
        )

    def feedback(self) -> list[dict[str, Any]]:
        rows = self.db.connection().execute(FEEDBACK_QUERY).fetchall()  # JSONB citations arrive decoded
        return [dict(zip(FEEDBACK_KEYS, row, strict=True)) for row in rows]
