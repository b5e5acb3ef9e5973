"""Slack state that must survive a restart: event de-duplication, answers given, and feedback.

SQLite by default; PostgreSQL (NEWSBOT_STORE=postgres) when several workers share the load."""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from contextlib import closing
from pathlib import Path
from typing import Protocol

SCHEMA = """
CREATE TABLE IF NOT EXISTS slack_events (
    key TEXT PRIMARY KEY, claimed_at REAL NOT NULL, done INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS answers (
    id TEXT PRIMARY KEY, question TEXT NOT NULL, answer TEXT NOT NULL, citations TEXT NOT NULL,
    channel TEXT, thread_ts TEXT, user_id TEXT, created_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS feedback (
    answer_id TEXT NOT NULL, user_id TEXT NOT NULL, verdict TEXT NOT NULL, created_at REAL NOT NULL,
    PRIMARY KEY (answer_id, user_id));
"""
LEASE_SECONDS = 120.0  # a claim not finished within this (the worker died) may be taken again
FEEDBACK_QUERY = ("SELECT a.question, a.answer, a.citations, f.user_id, f.verdict, f.created_at FROM feedback f "
                  "JOIN answers a ON a.id = f.answer_id ORDER BY f.created_at")
FEEDBACK_KEYS = ("question", "answer", "citations", "user", "verdict", "time")


class StateStore(Protocol):
    """What the Slack app keeps: SlackStore (SQLite) and PgSlackStore (PostgreSQL) both provide it."""

    def claim(self, key: str, lease: float = LEASE_SECONDS) -> bool: ...
    def finish(self, key: str) -> None: ...
    def save_answer(self, question: str, answer: str, citations: list[dict], channel: str, thread_ts: str,
                    user_id: str) -> str: ...
    def record_feedback(self, answer_id: str, user_id: str, verdict: str) -> None: ...
    def feedback(self) -> list[dict]: ...


class SlackStore:
    """One SQLite file, safe for the app's worker threads and for several processes on one machine."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as db, db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30, isolation_level="IMMEDIATE")

    def claim(self, key: str, lease: float = LEASE_SECONDS) -> bool:
        """True for the first delivery of an event (or one whose earlier worker died); False for duplicates."""
        now = time.time()
        with closing(self._connect()) as db, db:
            inserted = db.execute("INSERT OR IGNORE INTO slack_events (key, claimed_at) VALUES (?, ?)", (key, now))
            if inserted.rowcount:
                return True
            retaken = db.execute("UPDATE slack_events SET claimed_at = ? WHERE key = ? AND done = 0 AND claimed_at < ?",
                                 (now, key, now - lease))
            return bool(retaken.rowcount)

    def finish(self, key: str) -> None:
        with closing(self._connect()) as db, db:
            db.execute("UPDATE slack_events SET done = 1 WHERE key = ?", (key,))

    def save_answer(self, question: str, answer: str, citations: list[dict], channel: str, thread_ts: str,
                    user_id: str) -> str:
        answer_id = uuid.uuid4().hex
        with closing(self._connect()) as db, db:
            db.execute("INSERT INTO answers VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       (answer_id, question, answer, json.dumps(citations), channel, thread_ts, user_id, time.time()))
        return answer_id

    def record_feedback(self, answer_id: str, user_id: str, verdict: str) -> None:
        """One verdict per user per answer; a second click changes it."""
        with closing(self._connect()) as db, db:
            db.execute("INSERT INTO feedback VALUES (?, ?, ?, ?) ON CONFLICT (answer_id, user_id) "
                       "DO UPDATE SET verdict = excluded.verdict, created_at = excluded.created_at",
                       (answer_id, user_id, verdict, time.time()))

    def feedback(self) -> list[dict]:
        """Every verdict with the question, answer and citations it judged."""
        with closing(self._connect()) as db:
            rows = db.execute(FEEDBACK_QUERY).fetchall()
        return [dict(zip(FEEDBACK_KEYS, (q, a, json.loads(c), u, v, t), strict=True)) for q, a, c, u, v, t in rows]


PG_MIGRATIONS = [
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


class PgSlackStore:
    """The same state in PostgreSQL: every worker behind a load balancer sees one claim per message."""

    def __init__(self, database_url: str) -> None:
        from retrieval.stores.pg import Database

        self.db = Database(database_url)
        self.db.migrate("slack", PG_MIGRATIONS)

    def claim(self, key: str, lease: float = LEASE_SECONDS) -> bool:
        now = time.time()
        row = self.db.connection().execute(
            "INSERT INTO slack_events AS e (key, claimed_at) VALUES (%s, %s) ON CONFLICT (key) DO UPDATE "
            "SET claimed_at = excluded.claimed_at WHERE NOT e.done AND e.claimed_at < %s RETURNING key",
            (key, now, now - lease)).fetchone()
        return row is not None

    def finish(self, key: str) -> None:
        self.db.connection().execute("UPDATE slack_events SET done = true WHERE key = %s", (key,))

    def save_answer(self, question: str, answer: str, citations: list[dict], channel: str, thread_ts: str,
                    user_id: str) -> str:
        answer_id = uuid.uuid4().hex
        self.db.connection().execute("INSERT INTO answers VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                                     (answer_id, question, answer, json.dumps(citations), channel, thread_ts,
                                      user_id, time.time()))
        return answer_id

    def record_feedback(self, answer_id: str, user_id: str, verdict: str) -> None:
        self.db.connection().execute(
            "INSERT INTO feedback VALUES (%s, %s, %s, %s) ON CONFLICT (answer_id, user_id) "
            "DO UPDATE SET verdict = excluded.verdict, created_at = excluded.created_at",
            (answer_id, user_id, verdict, time.time()))

    def feedback(self) -> list[dict]:
        rows = self.db.connection().execute(FEEDBACK_QUERY).fetchall()  # JSONB citations arrive decoded
        return [dict(zip(FEEDBACK_KEYS, row, strict=True)) for row in rows]


def open_slack_store(settings) -> StateStore:
    """SQLite at NEWSBOT_STATE_DB, or PostgreSQL with NEWSBOT_STORE=postgres."""
    if settings.store == "postgres":
        return PgSlackStore(settings.database_url)
    return SlackStore(settings.state_db)
