"""Intake: follow feeds and fetch pages politely, then hand the articles to the indexer in one change.

A poll claims the due feeds, fetches each (conditional GET: a 304 costs nothing), fetches only items it has not
seen with the same updated stamp, commits every new or changed article at once, and only then records each
feed's ETag and next check. A crash before the commit loses nothing: the feeds are polled again."""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from retrieval.articles import UnreadableFile
from retrieval.dates import UNDATED, Moment
from retrieval.index import Indexer, IngestReport, WebArticle, item_key
from retrieval.intake.feeds import FeedItem, discover_feed, parse_feed
from retrieval.intake.feedstore import Feed, FeedStore, iso, new_feed
from retrieval.intake.fetch import Fetched, Fetcher, FetchError
from retrieval.intake.pages import read_page
from retrieval.intake.politeness import HostGate, Robots, host_of
from retrieval.intake.schedule import next_check, retry_after_s
from retrieval.stores.base import FileEntry

WORKERS = 8  # hosts polled at once; requests to one host are still spaced by the gate


class IntakeError(FetchError):
    """A URL given by a user that cannot be followed or ingested; one line."""


@dataclass
class PollReport:
    feeds: int = 0
    not_modified: int = 0
    failed: int = 0
    articles: IngestReport = field(default_factory=IngestReport)
    pages_fetched: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        a = self.articles
        return (
            f"{self.feeds} feeds polled: {self.not_modified} not modified (304), {self.failed} failed; "
            f"{self.pages_fetched} pages fetched; {a.files_new} new and {a.files_changed} changed articles, "
            f"{a.embedded} passages embedded; {self.seconds:.1f} s"
        )


@dataclass
class _FeedPoll:
    feed: Feed
    pages: list[WebArticle] = field(default_factory=list)
    fetched_pages: int = 0
    warnings: list[str] = field(default_factory=list)


class Intake:
    def __init__(
        self,
        indexer: Indexer,
        feeds: FeedStore,
        fetcher: Fetcher,
        gate: HostGate,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        workers: int = WORKERS,
    ) -> None:
        self.indexer, self.feeds, self.fetcher, self.gate = indexer, feeds, fetcher, gate
        self.robots = Robots(fetcher, gate)
        self.clock = clock
        self.workers = workers

    # ---- what users ask for -------------------------------------------------------------------------------

    def add_feed(self, url: str, interval_s: float) -> Feed:
        """Follow a feed; given an HTML page, the feed it announces. Raises IntakeError."""
        fetched = self._polite_get(url)
        if fetched.status != 200:
            raise IntakeError(f"{url}: HTTP {fetched.status}")
        if fetched.kind == "html":
            found = discover_feed(fetched.body, fetched.final_url)
            if not found:
                raise IntakeError(f"{url}: an HTML page that announces no RSS or Atom feed")
            return self.add_feed(found, interval_s)
        if fetched.kind != "feed":
            raise IntakeError(f"{url}: {fetched.content_type or 'no content type'} is not a feed or a page")
        parsed = parse_feed(fetched.body, fetched.final_url, fetched.headers.get("content-type", ""))
        return self.feeds.add(replace(new_feed(url, interval_s, self.clock()), title=parsed.title))

    def ingest_urls(self, urls: list[str]) -> IngestReport:
        """Fetch and index single article pages; each bad URL is one warning and the rest go on."""
        pages, warnings = [], []
        for url in urls:
            try:
                pages.append(self._page(url))
            except (FetchError, UnreadableFile) as exc:
                warnings.append(str(exc))
        report = self.indexer.ingest_web(pages)
        report.skipped += len(warnings)
        report.warnings.extend(warnings)
        return report

    def poll(self) -> PollReport:
        """Poll every due feed once; one commit of what changed; then each feed's new state."""
        started, now = time.perf_counter(), self.clock()
        due = self.feeds.claim_due(now)
        report = PollReport(feeds=len(due))
        registry = self.indexer.store.registry()
        by_host: dict[str, list[Feed]] = defaultdict(list)
        for feed in due:
            by_host[host_of(feed.url)].append(feed)
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            polls = [
                p
                for group in pool.map(lambda g: [self._poll_feed(f, registry) for f in g], by_host.values())
                for p in group
            ]
        report.articles = self.indexer.ingest_web([page for p in polls for page in p.pages])
        for p in polls:
            self.feeds.save(p.feed)
            report.not_modified += p.feed.last_status == "304"
            report.failed += p.feed.errors > 0
            report.pages_fetched += p.fetched_pages
            report.warnings.extend(p.warnings)
        report.seconds = time.perf_counter() - started
        return report

    def watch(self, stop: threading.Event, on_report: Callable[[PollReport], None], idle_s: float = 60.0) -> None:
        """Poll whatever is due, then sleep until the next feed is (at most idle_s), until stop is set."""
        while not stop.is_set():
            report = self.poll()
            if report.feeds:
                on_report(report)
            stop.wait(self.seconds_until_due(idle_s))

    def seconds_until_due(self, ceiling: float) -> float:
        checks = [f.next_check for f in self.feeds.feeds() if not f.paused]
        if not checks:
            return ceiling
        wait = (datetime.fromisoformat(min(checks).replace("Z", "+00:00")) - self.clock()).total_seconds()
        return min(max(wait, 1.0), ceiling)

    # ---- one feed -----------------------------------------------------------------------------------------

    def _poll_feed(self, feed: Feed, registry: dict[str, FileEntry]) -> _FeedPoll:
        now = self.clock()
        polled = replace(feed, last_polled=iso(now))
        try:
            fetched = self._polite_get(feed.url, feed.etag, feed.last_modified)
        except FetchError as exc:
            return _FeedPoll(_failed(polled, "error", str(exc), {}, now))
        if fetched.status == 304:
            return _FeedPoll(_succeeded(polled, "304", fetched, now))
        if fetched.status == 429:
            self.gate.delay(host_of(feed.url), retry_after_s(fetched.headers.get("retry-after", ""), now))
        if fetched.status != 200:
            return _FeedPoll(_failed(polled, str(fetched.status), f"HTTP {fetched.status}", fetched.headers, now))
        if fetched.kind != "feed" or fetched.truncated:
            why = (
                "over the size cap" if fetched.truncated else f"{fetched.content_type or 'no content type'}, not a feed"
            )
            return _FeedPoll(_failed(polled, "200", why, fetched.headers, now))
        return self._read_items(polled, fetched, registry, now)

    def _read_items(self, feed: Feed, fetched: Fetched, registry: dict[str, FileEntry], now: datetime) -> _FeedPoll:
        parsed = parse_feed(fetched.body, fetched.final_url, fetched.headers.get("content-type", ""))
        poll = _FeedPoll(feed, warnings=[f"{feed.url}: {parsed.warning}"] if parsed.warning else [])
        complete = True
        for item in parsed.items:
            key = item_key(feed.url, item.guid)
            if key in registry and registry[key].sha256 == item.updated:
                continue
            try:
                article = self._page(item.url, item)
            except (FetchError, UnreadableFile) as exc:
                poll.warnings.append(str(exc))
                complete = complete and isinstance(exc, UnreadableFile)  # retried next poll unless unreadable
                continue
            finally:
                poll.fetched_pages += 1
            poll.pages.append(replace(article, item_key=key, item_stamp=item.updated))
        state = _succeeded(feed, "200", fetched, now)
        if not complete:  # keep the old validators: the next poll reads the feed again and retries the items
            state = replace(state, etag=feed.etag, last_modified=feed.last_modified)
        poll.feed = replace(state, title=parsed.title or feed.title)
        return poll

    def _page(self, url: str, item: FeedItem | None = None) -> WebArticle:
        fetched = self._polite_get(url)
        if fetched.status != 200:
            raise IntakeError(f"{url}: HTTP {fetched.status}, skipped")
        if fetched.truncated:
            raise IntakeError(f"{url}: over the {self.fetcher.policy.max_bytes / 1e6:g} MB cap, skipped")
        if fetched.kind != "html":
            raise IntakeError(f"{url}: {fetched.content_type or 'no content type'} is not an article page, skipped")
        captured = self.clock()
        article = read_page(fetched.body, fetched.final_url, Moment(captured, "time"), item.dated if item else UNDATED)
        return WebArticle(article, int(captured.timestamp() * 1e9))

    def _polite_get(self, url: str, etag: str = "", last_modified: str = "") -> Fetched:
        """robots.txt first, then the host's turn, then the GET."""
        self.fetcher.check_url(url)
        if not self.robots.allowed(url):
            raise IntakeError(f"{url}: robots.txt disallows it, skipped")
        with self.gate.turn(host_of(url), self.robots.crawl_delay(url)):
            return self.fetcher.get(url, etag, last_modified)


def _succeeded(feed: Feed, status: str, fetched: Fetched, now: datetime) -> Feed:
    return replace(
        feed,
        etag=fetched.headers.get("etag", feed.etag),
        last_modified=fetched.headers.get("last-modified", feed.last_modified),
        errors=0,
        last_status=status,
        last_error="",
        next_check=iso(next_check(now, feed.interval_s, fetched.headers, 0)),
    )


def _failed(feed: Feed, status: str, error: str, headers: dict[str, str], now: datetime) -> Feed:
    errors = feed.errors + 1
    return replace(
        feed,
        errors=errors,
        last_status=status,
        last_error=error[:300],
        next_check=iso(next_check(now, feed.interval_s, headers, errors)),
    )
