"""Slack state in one SQLite file (the default), safe for the app's worker threads and for several processes
on one machine (so every `newsbot slack --http --workers N` worker shares claims and the rate limit).

A deleted file or dropped table is recreated on the next call; any other database fault becomes
StateUnavailable with one line naming the file."""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any, TypeVar

from bot.slack.state.base import FEEDBACK_KEYS, FEEDBACK_QUERY, LEASE_SECONDS, WINDOW_SECONDS, StateUnavailable

SCHEMA = """
CREATE TABLE IF NOT EXISTS slack_events (
    key TEXT PRIMARY KEY, claimed_at REAL NOT NULL, done INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS answers (
    id TEXT PRIMARY KEY, question TEXT NOT NULL, answer TEXT NOT NULL, citations TEXT NOT NULL,
    channel TEXT, thread_ts TEXT, user_id TEXT, created_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS feedback (
    answer_id TEXT NOT NULL, user_id TEXT NOT NULL, verdict TEXT NOT NULL, created_at REAL NOT NULL,
    PRIMARY KEY (answer_id, user_id));
CREATE TABLE IF NOT EXISTS asks (user_id TEXT NOT NULL, asked_at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS asks_user ON asks (user_id, asked_at);
"""
T = TypeVar("T")


class SqliteStateStore:
    """One SQLite file; every call opens its own connection in an IMMEDIATE (writer-serialised) transaction."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._run(lambda db: None)

    def claim(self, key: str, lease: float = LEASE_SECONDS) -> bool:
        """True for the first delivery of an event (or one whose earlier worker died); False for duplicates."""
        now = time.time()

        def claim(db: sqlite3.Connection) -> bool:
            inserted = db.execute("INSERT OR IGNORE INTO slack_events (key, claimed_at) VALUES (?, ?)", (key, now))
            if inserted.rowcount:
                return True
            retaken = db.execute(
                "UPDATE slack_events SET claimed_at = ? WHERE key = ? AND done = 0 AND claimed_at < ?",
                (now, key, now - lease),
            )
            return bool(retaken.rowcount)

        return self._run(claim)

    def finish(self, key: str) -> None:
        self._run(lambda db: db.execute("UPDATE slack_events SET done = 1 WHERE key = ?", (key,)))

    def release(self, key: str) -> None:
        self._run(lambda db: db.execute("DELETE FROM slack_events WHERE key = ? AND done = 0", (key,)))

    def allow(self, user_id: str, per_minute: int, now: float | None = None) -> bool:
        if per_minute <= 0:
            return True
        at = time.time() if now is None else now

        def allow(db: sqlite3.Connection) -> bool:
            db.execute("DELETE FROM asks WHERE asked_at <= ?", (at - WINDOW_SECONDS,))
            (asked,) = db.execute("SELECT count(*) FROM asks WHERE user_id = ?", (user_id,)).fetchone()
            if asked >= per_minute:
                return False
            db.execute("INSERT INTO asks VALUES (?, ?)", (user_id, at))
            return True

        return self._run(allow)

    def save_answer(
        self, question: str, answer: str, citations: list[dict[str, Any]], channel: str, thread_ts: str, user_id: str
    ) -> str:
        answer_id = uuid.uuid4().hex
        row = (answer_id, question, answer, json.dumps(citations), channel, thread_ts, user_id, time.time())
        self._run(lambda db: db.execute("INSERT INTO answers VALUES (?, ?, ?, ?, ?, ?, ?, ?)", row))
        return answer_id

    def record_feedback(self, answer_id: str, user_id: str, verdict: str) -> None:
        """One verdict per user per answer; a second click changes it."""
        self._run(
            lambda db: db.execute(
                "INSERT INTO feedback VALUES (?, ?, ?, ?) ON CONFLICT (answer_id, user_id) "
                "DO UPDATE SET verdict = excluded.verdict, created_at = excluded.created_at",
                (answer_id, user_id, verdict, time.time()),
            )
        )

    def feedback(self) -> list[dict[str, Any]]:
        """Every verdict with the question, answer and citations it judged."""
        rows = self._run(lambda db: db.execute(FEEDBACK_QUERY).fetchall())
        return [dict(zip(FEEDBACK_KEYS, (q, a, json.loads(c), u, v, t), strict=True)) for q, a, c, u, v, t in rows]

    def _run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run work in one transaction; recreate a missing file or table once; other faults: StateUnavailable."""
        try:
            try:
                return self._transaction(work)
            except sqlite3.OperationalError as exc:
                if "no such table" not in str(exc):
                    raise
                self._transaction(lambda db: db.executescript(SCHEMA))
                return self._transaction(work)
        except (sqlite3.Error, OSError) as exc:
            raise StateUnavailable(f"the Slack state database {self.path} cannot be used ({exc})") from exc

    def _transaction(self, work: Callable[[sqlite3.Connection], T]) -> T:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fresh = not self.path.exists()
        with closing(sqlite3.connect(self.path, timeout=30, isolation_level="IMMEDIATE")) as db:
            if fresh:
                db.execute("PRAGMA journal_mode=WAL")
                db.executescript(SCHEMA)
            with db:
                return work(db)
