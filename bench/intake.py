"""Intake benchmark: 50 feeds x 20 items from loopback news sites (one host each), into a fresh embedded index.

    .venv/bin/python bench/intake.py [--feeds 50] [--items 20] [--gap 0.1] [--workers 8]

Prints one table. Rows, all in this run:
- first poll: every feed and page fetched, read, embedded (wall time, articles/s);
- second poll, conditional (what the watcher does): each feed answers 304;
- baseline, no validators: the same second poll with each feed's ETag/Last-Modified forgotten (200s, feeds
  re-read, item stamps still unchanged so no page is fetched);
- baseline, nothing remembered: items forgotten too, so every page is fetched again (content hashes keep the
  embedding count at 0).
Politeness is checked from each server's own request times: no two requests to one host closer than the gap.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from retrieval.offline import enforce_offline

enforce_offline()

from fakes.news_site import NewsSite, Route, article_page, http_date, rss
from retrieval.index import WEB_KEYS
from retrieval.intake.fetch import Fetcher, FetchPolicy
from retrieval.intake.politeness import HostGate
from retrieval.intake.watcher import Intake, PollReport
from retrieval.library import EmbeddedLibrary
from retrieval.stores.base import Change

TOPICS = ["ferry", "bridge", "rail", "port", "airport", "tram", "harbour", "canal", "bus", "tunnel"]


class Clock:
    """Real time, pushed forward between polls so the feeds are due again."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


def main() -> None:
    args = parse_args()
    sites = [serve_feed(n, args.items) for n in range(args.feeds)]
    clock = Clock()
    with tempfile.TemporaryDirectory() as tmp:
        library = EmbeddedLibrary(Path(tmp) / "index")
        fetcher = Fetcher(FetchPolicy(allow_private=True))
        intake = Intake(library.indexer(), library.feed_store(), fetcher, HostGate(args.gap), clock, args.workers)
        for site in sites:
            intake.add_feed(site.url("/feed.xml"), 1800)
        rows = [("first poll", intake.poll())]
        clock.offset += timedelta(minutes=31)
        rows.append(("second poll, conditional", intake.poll()))
        forget_validators(library)
        clock.offset += timedelta(minutes=31)
        rows.append(("baseline: no validators", intake.poll()))
        forget_validators(library)
        forget_items(library)
        clock.offset += timedelta(minutes=31)
        rows.append(("baseline: nothing remembered", intake.poll()))
    print_table(rows, sites, args)
    for site in sites:
        site.stop()


def serve_feed(n: int, items: int) -> NewsSite:
    site = NewsSite().start()
    entries = []
    now = datetime.now(UTC)
    for i in range(items):
        topic = TOPICS[(n + i) % len(TOPICS)]
        path = f"/news/{n}-{i}"
        paragraphs = [
            f"Story {n}-{i}: the city council voted to extend the {topic} timetable by {i + 1} hours on weekdays.",
            f"Officials said the {topic} change costs {n * 3 + i} thousand pounds a year and starts next month.",
        ]
        site.routes[path] = Route(article_page(f"{topic.title()} update {n}-{i}", paragraphs))
        day = now - timedelta(hours=i)
        entries.append({"title": f"{topic} {n}-{i}", "link": site.url(path), "guid": path, "pubDate": http_date(day)})
    site.routes["/feed.xml"] = Route(rss(f"Feed {n}", entries), "application/rss+xml", etag=f'"feed-{n}"')
    return site


def forget_validators(library: EmbeddedLibrary) -> None:
    store = library.feed_store()
    for feed in store.feeds():
        store.save(replace(feed, etag="", last_modified="", next_check=feed.next_check))


def forget_items(library: EmbeddedLibrary) -> None:
    """Drop the item keys from the registry, as if no page had been seen (passages stay)."""
    registry = library.store.registry()
    kept = {k: v for k, v in registry.items() if not k.startswith(WEB_KEYS[1])}
    library.store.apply(Change(kept, set(), [], library.store.load().vectors[:0]))


def politeness(sites: list[NewsSite], gap: float) -> tuple[int, float]:
    """Violations of the per-host gap, and the smallest gap seen, from the servers' own timestamps."""
    smallest, violations = float("inf"), 0
    for site in sites:
        times = sorted(r.at for r in site.requests)
        for a, b in itertools.pairwise(times):
            smallest = min(smallest, b - a)
            violations += b - a < gap - 0.005
    return violations, smallest


def print_table(rows: list[tuple[str, PollReport]], sites: list[NewsSite], args: argparse.Namespace) -> None:
    print(
        f"intake: {args.feeds} feeds x {args.items} items, {args.feeds} loopback hosts, gap {args.gap:g} s, "
        f"{args.workers} workers"
    )
    print(f"{'poll':30} {'wall s':>7} {'304s':>5} {'pages':>6} {'new':>5} {'embedded':>9} {'articles/s':>11}")
    for name, report in rows:
        per_s = report.articles.files_new / report.seconds if report.seconds else 0.0
        print(
            f"{name:30} {report.seconds:7.2f} {report.not_modified:5d} {report.pages_fetched:6d} "
            f"{report.articles.files_new:5d} {report.articles.embedded:9d} {per_s:11.1f}"
        )
    violations, smallest = politeness(sites, args.gap)
    print(
        f"politeness: {violations} requests closer than {args.gap:g} s to the previous one on their host "
        f"(smallest gap {smallest:.3f} s)"
    )
    second = rows[1][1]
    print(
        f"target second poll <= 2 s with 0 embedded: {second.seconds:.2f} s, {second.articles.embedded} embedded -> "
        f"{'met' if second.seconds <= 2 and second.articles.embedded == 0 else 'NOT met'}"
    )


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--feeds", type=int, default=50)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--gap", type=float, default=0.1, help="per-host gap in seconds (the default setting is 5)")
    parser.add_argument("--workers", type=int, default=8)
    return parser.parse_args()


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"bench wall time {time.perf_counter() - started:.1f} s")
