"""Feeds and pages over real HTTP from a loopback news site, into both stores, with a fixed clock."""

from __future__ import annotations

import itertools
import threading
from datetime import UTC, datetime, timedelta

import pytest

from fakes.news_site import NewsSite, Route, article_page, atom, http_date, rss
from retrieval.index import Indexer
from retrieval.intake.feedstore import iso
from retrieval.intake.fetch import Fetcher, FetchError, FetchPolicy
from retrieval.intake.politeness import HostGate
from retrieval.intake.watcher import Intake, IntakeError

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
RSS = "application/rss+xml"
STORY = [
    "The harbour authority said on Tuesday that the night ferry will stop running from January.",
    "Passenger numbers fell by a third over two years, the authority said, and the boats need repairs.",
]


class Clock:
    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def site():
    server = NewsSite().start()
    yield server
    server.stop()


@pytest.fixture
def clock():
    return Clock()


def make_intake(library, clock, gap_s: float = 0.0, **policy) -> Intake:
    fetcher = Fetcher(FetchPolicy(allow_private=True, timeout_s=policy.pop("timeout_s", 3.0), **policy))
    return Intake(library.indexer(), library.feed_store(), fetcher, HostGate(gap_s), clock=clock)


def publish(site: NewsSite, n: int, feed: str = "/feed.xml", etag: str = '"v1"', **route) -> None:
    """A feed of n stories, each with its page."""
    items = []
    for i in range(n):
        path = f"/news/story-{i}"
        site.routes[path] = Route(article_page(f"Ferry story {i}", [f"Story {i}: {STORY[0]}", STORY[1]]))
        day = NOW - timedelta(hours=i + 1)
        items.append({"title": f"Ferry story {i}", "link": site.url(path), "guid": f"g{i}", "pubDate": http_date(day)})
    site.routes[feed] = Route(rss("Harbour news", items), RSS, etag=etag, **route)


def follow(intake: Intake, site: NewsSite, path: str = "/feed.xml"):
    return intake.add_feed(site.url(path), 1800)


def test_a_feed_is_followed_polled_and_its_articles_dated_from_the_feed(fresh_library, site, clock):
    publish(site, 3)
    library = fresh_library()
    intake = make_intake(library, clock)
    follow(intake, site)
    report = intake.poll()
    assert (report.feeds, report.articles.files_new, report.not_modified) == (1, 3, 0)
    assert report.articles.embedded > 0
    hits = library.search("night ferry passenger numbers", 5).hits
    sources = {s.title: s for h in hits for s in [h.passage.source, *(d.source for d in h.also_in)]}
    story = sources["Ferry story 0"]
    assert (story.published_at, story.date_precision, story.date_source) == ("2026-11-24T08:00:00Z", "time", "feed")
    assert story.url == site.url("/news/story-0")
    assert story.captured_at == "2026-11-24T09:00:00Z"
    assert "3 new and 0 changed articles" in report.summary()


def test_the_second_poll_is_conditional_and_embeds_nothing(fresh_library, site, clock):
    publish(site, 3)
    intake = make_intake(fresh_library(), clock)
    follow(intake, site)
    intake.poll()
    assert intake.poll().feeds == 0  # not due yet
    clock.advance(minutes=31)
    before = len(site.requests)
    second = intake.poll()
    feed_requests = [r for r in site.requests[before:] if r.path == "/feed.xml"]
    assert feed_requests[0].headers.get("if-none-match") == '"v1"'
    assert (second.feeds, second.not_modified, second.articles.embedded, second.pages_fetched) == (1, 1, 0, 0)
    assert [r.path for r in site.requests[before:]] == ["/feed.xml"]


def test_a_changed_feed_fetches_only_new_items_and_an_edited_article_replaces_its_passages(fresh_library, site, clock):
    publish(site, 2)
    library = fresh_library()
    intake = make_intake(library, clock)
    follow(intake, site)
    intake.poll()
    site.routes["/news/story-1"] = Route(
        article_page("Ferry story 1", ["Story 1 was corrected: the ferry runs until March."])
    )
    publish_items = [
        {
            "title": "Ferry story 0",
            "link": site.url("/news/story-0"),
            "guid": "g0",
            "pubDate": http_date(NOW - timedelta(hours=1)),
        },
        {
            "title": "Ferry story 1",
            "link": site.url("/news/story-1"),
            "guid": "g1",
            "pubDate": http_date(NOW - timedelta(minutes=30)),
        },
    ]
    site.routes["/feed.xml"] = Route(rss("Harbour news", publish_items), RSS, etag='"v2"')
    clock.advance(hours=1)
    before = len(site.requests)
    report = intake.poll()
    assert site.paths()[before:] == ["/feed.xml", "/news/story-1"]  # story 0's stamp is unchanged: not fetched
    assert (report.articles.files_new, report.articles.files_changed) == (0, 1)
    texts = [h.passage.text for h in library.search("Story 1 ferry", 10).hits]
    assert any("corrected" in t for t in texts)
    assert not any(t.startswith("Story 1: The harbour") for t in texts)


def test_duplicate_guids_and_tracking_parameters_make_one_article(fresh_library, site, clock):
    site.routes["/news/a"] = Route(article_page("Ferry cut", STORY))
    items = [
        {"title": "Ferry cut", "link": site.url("/news/a?utm_source=rss&utm_medium=feed"), "guid": "same"},
        {"title": "Ferry cut (again)", "link": site.url("/news/a?utm_source=rss"), "guid": "same"},
        {"title": "Ferry cut (social)", "link": site.url("/news/a?fbclid=xyz"), "guid": "other"},
    ]
    site.routes["/feed.xml"] = Route(rss("Harbour news", items), RSS)
    library = fresh_library()
    intake = make_intake(library, clock)
    follow(intake, site)
    report = intake.poll()
    assert report.articles.articles == 1
    [hit] = library.search("night ferry", 5).hits[:1]
    assert hit.passage.source.url == site.url("/news/a")


def test_an_html_page_leads_to_the_feed_it_announces(fresh_library, site, clock):
    publish(site, 1, feed="/atom.xml")
    site.routes["/atom.xml"] = Route(
        atom(
            "Harbour",
            [
                {
                    "title": "Ferry story 0",
                    "link": site.url("/news/story-0"),
                    "id": "a0",
                    "updated": "2026-11-23T10:00:00Z",
                }
            ],
        ),
        "application/atom+xml",
    )
    site.routes["/"] = Route(
        b'<html><head><link rel="alternate" type="application/atom+xml" href="/atom.xml"></head></html>'
    )
    intake = make_intake(fresh_library(), clock)
    feed = intake.add_feed(site.url("/"), 1800)
    assert feed.url == site.url("/atom.xml")
    assert feed.title == "Harbour"


def test_requests_to_one_host_are_spaced_by_the_gap_and_robots_crawl_delay(fresh_library, site, clock):
    publish(site, 3)
    site.routes["/robots.txt"] = Route(b"User-agent: *\nCrawl-delay: 0.4\nDisallow: /private/\n", "text/plain")
    intake = make_intake(fresh_library(), clock, gap_s=0.2)
    follow(intake, site)
    intake.poll()
    times = [r.at for r in site.requests if r.path != "/robots.txt"]
    assert len(times) == 5  # add_feed's fetch, the poll's feed, three pages
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) >= 0.4 - 0.02, gaps  # the server's own clock: Crawl-delay over the 0.2 s default


def test_robots_disallow_skips_the_page_and_says_so(fresh_library, site, clock):
    publish(site, 2)
    site.routes["/robots.txt"] = Route(b"User-agent: *\nDisallow: /news/story-1\n", "text/plain")
    intake = make_intake(fresh_library(), clock)
    follow(intake, site)
    report = intake.poll()
    assert "/news/story-1" not in site.paths()
    assert report.articles.files_new == 1
    assert any("robots.txt disallows" in w for w in report.warnings)


@pytest.mark.parametrize(
    ("route", "status", "errors", "wait_s"),
    [
        (Route(b"slow down", "text/plain", 429, headers={"Retry-After": "7200"}), "429", 1, 7200),
        (Route(b"oops", "text/plain", 500), "500", 1, 3600),  # back-off: the 30 min interval doubled
        (Route(b"gone", "text/plain", 404), "404", 1, 3600),
        (Route(b"<html>not a feed</html>", "application/pdf"), "200", 1, 3600),
    ],
)
def test_a_failing_feed_backs_off_and_others_still_poll(fresh_library, site, clock, route, status, errors, wait_s):
    publish(site, 1, feed="/good.xml")
    library = fresh_library()
    intake = make_intake(library, clock)
    follow(intake, site, "/good.xml")
    site.routes["/bad.xml"] = Route(rss("Bad", []), RSS)
    follow(intake, site, "/bad.xml")
    site.routes["/bad.xml"] = route
    report = intake.poll()
    assert report.articles.files_new == 1
    bad = next(f for f in library.feed_store().feeds() if f.url.endswith("/bad.xml"))
    assert (bad.last_status, bad.errors) == (status, errors)
    assert bad.next_check == iso(NOW + timedelta(seconds=wait_s))
    assert "1 failed" in report.summary()


def test_timeouts_malformed_xml_gzip_wrong_types_and_huge_pages(fresh_library, site, clock):
    items = [
        {"title": "ok", "link": site.url("/news/ok"), "guid": "1"},
        {"title": "slow", "link": site.url("/news/slow"), "guid": "2"},
        {"title": "pdf", "link": site.url("/news/file.pdf"), "guid": "3"},
        {"title": "huge", "link": site.url("/news/huge"), "guid": "4"},
        {"title": "zipped", "link": site.url("/news/zipped"), "guid": "5"},
    ]
    malformed = rss("Harbour news", items).replace(b"</channel>", b"<broken></channel>")
    site.routes["/feed.xml"] = Route(malformed, "text/xml", gzip=True)
    site.routes["/news/ok"] = Route(article_page("OK story", STORY))
    site.routes["/news/slow"] = Route(article_page("Slow story", STORY), delay_s=2.0)
    site.routes["/news/file.pdf"] = Route(b"%PDF-1.4", "application/pdf")
    site.routes["/news/huge"] = Route(b"<p>" + b"x" * 1_000_000 + b"</p>", repeat=20)  # 20 MB
    site.routes["/news/zipped"] = Route(
        article_page("Zipped story", ["A gzipped page about the ferry timetable."]), gzip=True
    )
    library = fresh_library()
    intake = make_intake(library, clock, timeout_s=1.0, max_bytes=15_000_000)
    follow(intake, site)
    report = intake.poll()
    assert report.articles.files_new == 2  # ok and zipped
    warnings = " | ".join(report.warnings)
    assert "malformed feed, read anyway" in warnings
    assert "/news/slow: timed out after 1 s" in warnings
    assert "application/pdf is not an article page" in warnings
    assert "over the 15 MB cap" in warnings
    [feed] = library.feed_store().feeds()
    assert feed.etag == ""  # an item failed for a reason that may pass: the feed is read again next time


def test_redirects_are_followed_up_to_the_limit(site):
    site.routes["/story"] = Route(article_page("Moved", STORY))
    for n in range(7):
        site.routes[f"/r{n}"] = Route(b"", status=301, headers={"Location": f"/r{n + 1}" if n < 6 else "/story"})
    fetcher = Fetcher(FetchPolicy(allow_private=True))
    assert fetcher.get(site.url("/r3")).final_url == site.url("/story")  # four hops
    with pytest.raises(FetchError, match="more than 5 redirects"):
        fetcher.get(site.url("/r0"))


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/feed",
        "http://localhost/feed",
        "http://169.254.169.254/latest",
        "http://10.0.0.8/x",
        "file:///etc/passwd",
    ],
)
def test_private_and_non_http_urls_are_refused_unless_allowed(url):
    with pytest.raises(FetchError, match=r"private or local address|not an http"):
        Fetcher(FetchPolicy()).check_url(url)


def test_a_crash_before_the_commit_loses_nothing_and_the_next_poll_recovers(fresh_library, site, clock, monkeypatch):
    publish(site, 2)
    library = fresh_library()
    intake = make_intake(library, clock)
    follow(intake, site)

    def crash(self, pages, progress=None):
        raise OSError("disk full")

    with monkeypatch.context() as patched:
        patched.setattr(Indexer, "ingest_web", crash)
        with pytest.raises(OSError, match="disk full"):
            intake.poll()
    assert library.empty
    [feed] = library.feed_store().feeds()
    assert feed.etag == ""  # never recorded: the next poll reads everything again
    clock.advance(minutes=16)  # the dead poll's claim has lapsed
    assert intake.poll().articles.files_new == 2


def test_two_watchers_never_claim_the_same_feed(fresh_library, site, clock):
    library = fresh_library()
    for n in range(20):
        site.routes[f"/f{n}.xml"] = Route(rss(f"Feed {n}", []), RSS)
    intake = make_intake(library, clock)
    for n in range(20):
        follow(intake, site, f"/f{n}.xml")
    store_a, store_b = library.feed_store(), fresh_library().feed_store()  # two processes' connections
    claimed: list[list[str]] = [[], []]
    start = threading.Barrier(2)

    def claim(store, into):
        start.wait()
        into.extend(f.url for f in store.claim_due(NOW))

    threads = [threading.Thread(target=claim, args=(s, c)) for s, c in zip((store_a, store_b), claimed, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not set(claimed[0]) & set(claimed[1])
    assert len(claimed[0]) + len(claimed[1]) == 20


def test_single_urls_are_ingested_with_their_page_date_and_canonical_url(fresh_library, site, clock):
    site.routes["/p/1"] = Route(
        article_page("Bridge reopens", STORY, published="2026-11-20T07:30:00+01:00", canonical="/bridge?utm_campaign=x")
    )
    library = fresh_library()
    report = make_intake(library, clock).ingest_urls([site.url("/p/1"), site.url("/missing"), "ftp://x/y"])
    assert report.files_new == 1
    assert report.skipped == 2
    source = library.search("bridge ferry", 1).hits[0].passage.source
    assert (source.url, source.published_at, source.date_source) == (
        site.url("/bridge"),
        "2026-11-20T06:30:00Z",
        "page",
    )


def test_feed_commands_refuse_what_they_cannot_follow(fresh_library, site, clock):
    site.routes["/plain"] = Route(b"just text", "text/plain")
    intake = make_intake(fresh_library(), clock)
    with pytest.raises(IntakeError, match="not a feed or a page"):
        intake.add_feed(site.url("/plain"), 1800)
    site.routes["/page"] = Route(b"<html><head></head><body>no feed here</body></html>")
    with pytest.raises(IntakeError, match="announces no RSS or Atom feed"):
        intake.add_feed(site.url("/page"), 1800)
