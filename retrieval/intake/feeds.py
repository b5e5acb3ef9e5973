"""RSS and Atom: a feed's items from bytes already fetched (feedparser never fetches), and an HTML page's feed."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin

from retrieval.dates import UNDATED, Dated, Moment
from retrieval.sources import is_http_url

FEED_LINK_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+xml")


@dataclass(frozen=True)
class FeedItem:
    url: str  # the item's link, absolute
    guid: str
    title: str
    summary: str
    dated: Dated  # from the feed's own published/updated field
    updated: str  # the feed's updated stamp as written: a change tells an edited article


@dataclass(frozen=True)
class ParsedFeed:
    title: str
    items: list[FeedItem]
    warning: str  # feedparser's bozo exception, when the XML was malformed but still read


def parse_feed(body: bytes, url: str, content_type: str = "application/xml") -> ParsedFeed:
    """The feed's items, newest first as the feed lists them; duplicate GUIDs and links kept once."""
    import feedparser

    parsed = feedparser.parse(body, response_headers={"content-location": url, "content-type": content_type})
    warning = f"malformed feed, read anyway ({type(parsed.bozo_exception).__name__})" if parsed.get("bozo") else ""
    items, seen = [], set()
    for entry in parsed.entries:
        item = _item(entry, url)
        if item is None or item.guid in seen or item.url in seen:
            continue
        seen.update({item.guid, item.url})
        items.append(item)
    return ParsedFeed(str(parsed.feed.get("title", "")), items, warning)


def _item(entry: Any, feed_url: str) -> FeedItem | None:
    link = urljoin(feed_url, str(entry.get("link") or ""))
    if not is_http_url(link):
        return None
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    dated = UNDATED
    if stamp:
        dated = Dated(Moment(datetime.fromtimestamp(calendar.timegm(stamp), tz=UTC), "time"), "feed")
    return FeedItem(
        url=link,
        guid=str(entry.get("id") or link),
        title=str(entry.get("title") or ""),
        summary=str(entry.get("summary") or ""),
        dated=dated,
        updated=str(entry.get("updated") or entry.get("published") or ""),
    )


class _FeedLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        rel = values.get("rel", "").lower().split()
        if tag == "link" and "alternate" in rel and values.get("type", "").lower() in FEED_LINK_TYPES:
            self.links.append(values.get("href", ""))


def discover_feed(html: bytes, page_url: str) -> str | None:
    """The first RSS/Atom feed an HTML page announces (<link rel="alternate" type="application/rss+xml">)."""
    finder = _FeedLinks()
    finder.feed(html.decode("utf-8", "replace"))
    for href in finder.links:
        url = urljoin(page_url, href.strip())
        if is_http_url(url):
            return url
    return None
