"""How the terminal shows feeds and polls: a table or JSON for `feeds list`, one line per poll."""

from __future__ import annotations

import json

from rich.table import Table

from bot.terminal.safe import plain
from retrieval.intake.feedstore import Feed

FEED_JSON_KEYS = (
    "url",
    "title",
    "interval_s",
    "paused",
    "last_status",
    "errors",
    "last_error",
    "etag",
    "last_modified",
    "last_polled",
    "next_check",
)


def feeds_json(feeds: list[Feed]) -> str:
    return json.dumps([{k: getattr(f, k) for k in FEED_JSON_KEYS} for f in feeds], ensure_ascii=False, indent=2)


def feeds_table(feeds: list[Feed]) -> Table:
    table = Table("feed", "every", "status", "errors", "next check", box=None, highlight=False)
    for feed in feeds:
        status = "paused" if feed.paused else (feed.last_status or "new")
        table.add_row(
            plain(feed.url),
            f"{feed.interval_s / 60:g} min",
            plain(status + (f": {feed.last_error}" if feed.last_error else "")),
            str(feed.errors),
            feed.next_check,
        )
    return table
