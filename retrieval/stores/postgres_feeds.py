"""Followed feeds in PostgreSQL, beside the index: several watchers claim due feeds with FOR UPDATE SKIP LOCKED,
so no feed is polled by two at once."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from retrieval.db import Database
from retrieval.intake.feedstore import CLAIM_LEASE_S, FEED_FIELDS, Feed, UnknownFeed, iso

COMPONENT = "feeds"
MIGRATIONS = [
    """
    CREATE TABLE feeds (
        url TEXT PRIMARY KEY, interval_s DOUBLE PRECISION NOT NULL, added_at TEXT NOT NULL, next_check TEXT NOT NULL,
        paused BOOLEAN NOT NULL DEFAULT false, title TEXT NOT NULL DEFAULT '', etag TEXT NOT NULL DEFAULT '',
        last_modified TEXT NOT NULL DEFAULT '', errors INTEGER NOT NULL DEFAULT 0,
        last_status TEXT NOT NULL DEFAULT '', last_error TEXT NOT NULL DEFAULT '',
        last_polled TEXT NOT NULL DEFAULT '', claimed_until TEXT NOT NULL DEFAULT '');
    """,
]
COLUMNS = ", ".join(FEED_FIELDS)


class PgFeedStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        db.migrate(COMPONENT, MIGRATIONS)

    def add(self, feed: Feed) -> Feed:
        row = (
            self.db.connection()
            .execute(
                f"INSERT INTO feeds ({COLUMNS}) VALUES ({', '.join(['%s'] * len(FEED_FIELDS))}) "
                f"ON CONFLICT (url) DO UPDATE SET interval_s = excluded.interval_s RETURNING {COLUMNS}",
                [getattr(feed, n) for n in FEED_FIELDS],
            )
            .fetchone()
        )
        assert row is not None  # INSERT … RETURNING always returns the row
        return _feed(row)

    def remove(self, url: str) -> None:
        if self.db.connection().execute("DELETE FROM feeds WHERE url = %s", (url,)).rowcount == 0:
            raise UnknownFeed(f"{url}: not a followed feed (see `newsbot feeds list`)")

    def set_paused(self, url: str, paused: bool) -> None:
        if self.db.connection().execute("UPDATE feeds SET paused = %s WHERE url = %s", (paused, url)).rowcount == 0:
            raise UnknownFeed(f"{url}: not a followed feed (see `newsbot feeds list`)")

    def feeds(self) -> list[Feed]:
        rows = self.db.connection().execute(f"SELECT {COLUMNS} FROM feeds ORDER BY url").fetchall()
        return [_feed(row) for row in rows]

    def claim_due(self, now: datetime) -> list[Feed]:
        lease = iso(now + timedelta(seconds=CLAIM_LEASE_S))
        with self.db.transaction() as conn:
            rows = conn.execute(
                f"UPDATE feeds SET claimed_until = %s WHERE url IN (SELECT url FROM feeds WHERE NOT paused "
                "AND next_check <= %s AND claimed_until <= %s FOR UPDATE SKIP LOCKED) "
                f"RETURNING {COLUMNS}",
                (lease, iso(now), iso(now)),
            ).fetchall()
        return sorted((_feed(row) for row in rows), key=lambda f: f.next_check)

    def save(self, feed: Feed) -> None:
        names = [n for n in FEED_FIELDS if n not in ("url", "interval_s", "added_at", "paused")]
        self.db.connection().execute(
            f"UPDATE feeds SET {', '.join(f'{n} = %s' for n in names)}, claimed_until = '' WHERE url = %s",
            [getattr(feed, n) for n in names] + [feed.url],
        )


def _feed(row: tuple[Any, ...]) -> Feed:
    return Feed(**dict(zip(FEED_FIELDS, row, strict=True)))
