"""Slack state in one SQLite file (the default), safe for the app's worker threads and for several processes
on one machine."""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from contextlib import closing
from pathlib import Path
from typing import Any

from bot.slack.state.base import FEEDBACK_KEYS, FEEDBACK_QUERY, LEASE_SECONDS

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


class SqliteStateStore:
    """One SQLite file; every call opens its own connection, so threads and processes may share it."""

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
            retaken = db.execute(
                "UPDATE slack_events SET claimed_at = ? WHERE key = ? AND done = 0 AND claimed_at < ?",
                (now, key, now - lease),
            )
            return bool(retaken.rowcount)

    def finish(self, key: str) -> None:
        with closing(self._connect()) as db, db:
            db.execute("UPDATE slack_events SET done = 1 WHERE key = ?", (key,))

    def save_answer(
        self, question: str, answer: str, citations: list[dict[str, Any]], channel: str, thread_ts: str, user_id: str
    ) -> str:
        answer_id = uuid.uuid4().hex
        with closing(self._connect()) as db, db:
            db.execute(
                "INSERT INTO answers VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (answer_id, question, answer, json.dumps(citations), channel, thread_ts, user_id, time.time()),
            )
        return answer_id

    def record_feedback(self, answer_id: str, user_id: str, verdict: str) -> None:
        """One verdict per user per answer; a second click changes it."""
        with closing(self._connect()) as db, db:
            db.execute(
                "INSERT INTO feedback VALUES (?, ?, ?, ?) ON CONFLICT (answer_id, user_id) "
                "DO UPDATE SET verdict = excluded.verdict, created_at = excluded.created_at",
                (answer_id, user_id, verdict, time.time()),
            )

    def feedback(self) -> list[dict[str, Any]]:
        """Every verdict with the question, answer and citations it judged."""
        with closing(self._connect()) as db:
            rows = db.execute(FEEDBACK_QUERY).fetchall()
        return [dict(zip(FEEDBACK_KEYS, (q, a, json.loads(c), u, v, t), strict=True)) for q, a, c, u, v, t in rows]
