"""The feeds a library follows and what each poll learned (ETag, Last-Modified, next check, errors). Embedded:
SQLite beside the index; PostgreSQL: a table in the index's database (retrieval.stores.postgres_feeds)."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import asdict, dataclass, fields, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from retrieval.errors import NewsbotError

CLAIM_LEASE_S = 15 * 60.0  # a watcher that dies mid-poll frees its feeds after this


class UnknownFeed(NewsbotError):
    """No feed with that URL is followed."""


@dataclass(frozen=True)
class Feed:
    url: str
    interval_s: float
    added_at: str  # ISO 8601 UTC
    next_check: str  # ISO 8601 UTC: due when this is not after now
    paused: bool = False
    title: str = ""
    etag: str = ""
    last_modified: str = ""
    errors: int = 0  # in a row; reset by a good poll
    last_status: str = ""  # "200", "304", "429", "timeout", "robots.txt disallows", …
    last_error: str = ""
    last_polled: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


FEED_FIELDS = tuple(f.name for f in fields(Feed))


def iso(moment: datetime) -> str:
    """Fixed-width UTC text, so that comparing two as strings compares the times."""
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def new_feed(url: str, interval_s: float, now: datetime) -> Feed:
    return Feed(url=url, interval_s=interval_s, added_at=iso(now), next_check=iso(now))


class FeedStore(Protocol):
    def add(self, feed: Feed) -> Feed:
        """Follow the feed (an existing one keeps its state and takes the new interval)."""
        ...

    def remove(self, url: str) -> None: ...
    def set_paused(self, url: str, paused: bool) -> None: ...
    def feeds(self) -> list[Feed]: ...
    def claim_due(self, now: datetime) -> list[Feed]:
        """Due, unpaused feeds no other watcher holds, now held by this one until saved (or the lease ends)."""
        ...

    def save(self, feed: Feed) -> None:
        """A poll's outcome; releases the claim."""
        ...


SQLITE_SCHEMA = """CREATE TABLE IF NOT EXISTS feeds (
    url TEXT PRIMARY KEY, interval_s REAL NOT NULL, added_at TEXT NOT NULL, next_check TEXT NOT NULL,
    paused INTEGER NOT NULL DEFAULT 0, title TEXT NOT NULL DEFAULT '', etag TEXT NOT NULL DEFAULT '',
    last_modified TEXT NOT NULL DEFAULT '', errors INTEGER NOT NULL DEFAULT 0, last_status TEXT NOT NULL DEFAULT '',
    last_error TEXT NOT NULL DEFAULT '', last_polled TEXT NOT NULL DEFAULT '', claimed_until TEXT NOT NULL DEFAULT '')"""


class SqliteFeedStore:
    """Feeds in index_dir/feeds.sqlite3; claims are rows' claimed_until, taken in one IMMEDIATE transaction."""

    def __init__(self, index_dir: Path) -> None:
        index_dir.mkdir(parents=True, exist_ok=True)
        self.path = index_dir / "feeds.sqlite3"
        self._local = threading.local()
        with self._conn() as conn:
            conn.execute(SQLITE_SCHEMA)

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            self._local.conn = conn
        return conn

    def add(self, feed: Feed) -> Feed:
        conn = self._conn()
        conn.execute(
            f"INSERT INTO feeds ({', '.join(FEED_FIELDS)}) VALUES ({', '.join('?' * len(FEED_FIELDS))}) "
            "ON CONFLICT (url) DO UPDATE SET interval_s = excluded.interval_s",
            _row(feed),
        )
        return self._get(feed.url)

    def remove(self, url: str) -> None:
        if self._conn().execute("DELETE FROM feeds WHERE url = ?", (url,)).rowcount == 0:
            raise UnknownFeed(f"{url}: not a followed feed (see `newsbot feeds list`)")

    def set_paused(self, url: str, paused: bool) -> None:
        if self._conn().execute("UPDATE feeds SET paused = ? WHERE url = ?", (int(paused), url)).rowcount == 0:
            raise UnknownFeed(f"{url}: not a followed feed (see `newsbot feeds list`)")

    def feeds(self) -> list[Feed]:
        rows = self._conn().execute(f"SELECT {', '.join(FEED_FIELDS)} FROM feeds ORDER BY url").fetchall()
        return [_feed(row) for row in rows]

    def claim_due(self, now: datetime) -> list[Feed]:
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            rows = conn.execute(
                f"SELECT {', '.join(FEED_FIELDS)} FROM feeds WHERE paused = 0 AND next_check <= ? "
                "AND claimed_until <= ? ORDER BY next_check",
                (iso(now), iso(now)),
            ).fetchall()
            lease = iso(now + timedelta(seconds=CLAIM_LEASE_S))
            conn.executemany("UPDATE feeds SET claimed_until = ? WHERE url = ?", [(lease, r[0]) for r in rows])
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return [_feed(row) for row in rows]

    def save(self, feed: Feed) -> None:
        names = [n for n in FEED_FIELDS if n not in ("url", "interval_s", "added_at", "paused")]
        self._conn().execute(
            f"UPDATE feeds SET {', '.join(f'{n} = ?' for n in names)}, claimed_until = '' WHERE url = ?",
            [getattr(feed, n) for n in names] + [feed.url],
        )

    def _get(self, url: str) -> Feed:
        row = self._conn().execute(f"SELECT {', '.join(FEED_FIELDS)} FROM feeds WHERE url = ?", (url,)).fetchone()
        if row is None:
            raise UnknownFeed(url)
        return _feed(row)


def _row(feed: Feed) -> list[Any]:
    return [int(v) if isinstance(v, bool) else v for v in (getattr(feed, n) for n in FEED_FIELDS)]


def _feed(row: tuple[Any, ...]) -> Feed:
    feed = Feed(**dict(zip(FEED_FIELDS, row, strict=True)))
    return replace(feed, paused=bool(feed.paused))
