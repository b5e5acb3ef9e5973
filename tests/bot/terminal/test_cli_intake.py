"""`newsbot feeds …`, `newsbot watch --once` and `newsbot ingest URL` as a user runs them, against a loopback site."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from fakes.news_site import NewsSite, Route, article_page, http_date, rss
from tests.conftest import run_cli

ALLOW = {"NEWSBOT_ALLOW_PRIVATE_URLS": "true", "NEWSBOT_HOST_GAP_S": "0"}
STORY = ["The harbour authority said the night ferry will stop running from January.", "Numbers fell by a third."]


@pytest.fixture
def site():
    server = NewsSite().start()
    published = datetime.now(UTC) - timedelta(hours=2)
    items = []
    for n in range(2):
        server.routes[f"/news/{n}"] = Route(article_page(f"Ferry story {n}", [f"Part {n}.", *STORY]))
        items.append(
            {
                "title": f"Ferry story {n}",
                "link": server.url(f"/news/{n}"),
                "guid": str(n),
                "pubDate": http_date(published),
            }
        )
    server.routes["/feed.xml"] = Route(rss("Harbour news", items), "application/rss+xml", etag='"v1"')
    yield server
    server.stop()


def test_follow_poll_list_pause_and_remove_a_feed(tmp_path, site):
    index = tmp_path / "index"
    added = run_cli("feeds", "add", site.url("/feed.xml"), "--interval", "45m", index_dir=index, **ALLOW)
    assert added.returncode == 0, added.stderr
    assert "following" in added.stderr
    assert "every 45 min" in added.stderr
    polled = run_cli("watch", "--once", index_dir=index, **ALLOW)
    assert polled.returncode == 0, polled.stderr
    assert (
        "1 feeds polled: 0 not modified (304), 0 failed; 2 pages fetched; 2 new and 0 changed articles" in polled.stderr
    )
    again = run_cli("watch", "--once", index_dir=index, **ALLOW)
    assert "0 feeds polled" in again.stderr  # not due for 45 minutes
    [feed] = json.loads(run_cli("feeds", "list", "--json", index_dir=index, **ALLOW).stdout)
    assert (feed["url"], feed["last_status"], feed["errors"], feed["etag"], feed["interval_s"]) == (
        site.url("/feed.xml"),
        "200",
        0,
        '"v1"',
        2700.0,
    )
    assert feed["next_check"] > feed["last_polled"]
    assert run_cli("feeds", "pause", site.url("/feed.xml"), index_dir=index).returncode == 0
    assert json.loads(run_cli("feeds", "list", "--json", index_dir=index).stdout)[0]["paused"] is True
    assert run_cli("feeds", "rm", site.url("/feed.xml"), index_dir=index).returncode == 0
    assert json.loads(run_cli("feeds", "list", "--json", index_dir=index).stdout) == []
    answer = json.loads(run_cli("search", "--json", "night ferry", index_dir=index).stdout)
    assert answer["hits"][0]["published_at"]  # the articles stay, dated from the feed
    assert answer["hits"][0]["date_precision"] == "time"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["feeds", "add", "URL", "--interval", "10s"], "shorter than a minute"),
        (["feeds", "add", "URL", "--interval", "often"], "not an interval"),
        (["feeds", "rm", "http://nowhere.example/feed"], "not a followed feed"),
        (["feeds", "pause", "http://nowhere.example/feed"], "not a followed feed"),
        (["ingest", "--captured-at", "yesterday"], "not an ISO date"),
    ],
)
def test_bad_feed_commands_fail_in_one_line(tmp_path, site, args, message):
    result = run_cli(*[a.replace("URL", site.url("/feed.xml")) for a in args], index_dir=tmp_path / "i", **ALLOW)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_private_urls_are_refused_without_the_setting(tmp_path, site):
    result = run_cli("feeds", "add", site.url("/feed.xml"), index_dir=tmp_path / "i")
    assert result.returncode == 1
    assert "private or local address" in result.stderr
    assert "NEWSBOT_ALLOW_PRIVATE_URLS" in result.stderr
    assert "Traceback" not in result.stderr


def test_ingest_urls_and_files_with_a_capture_time(tmp_path, site):
    index = tmp_path / "i"
    result = run_cli("ingest", site.url("/news/0"), site.url("/missing"), index_dir=index, **ALLOW)
    assert result.returncode == 0, result.stderr
    assert "/missing: HTTP 404, skipped" in result.stderr
    assert "1 new" in result.stderr
    page = tmp_path / "page.txt"
    page.write_text("Ferry fares rise\nFares on the night ferry rise by 5 per cent, the operator said.\n")
    scraped = run_cli("ingest", str(page), "--captured-at", "2026-11-20T10:00:00Z", index_dir=index)
    assert scraped.returncode == 0, scraped.stderr
    hits = json.loads(run_cli("search", "--json", "ferry fares rise", index_dir=index).stdout)["hits"]
    fares = next(h for h in hits if h["title"] == "Ferry fares rise")
    assert fares["captured_at"] == "2026-11-20T10:00:00Z"


def test_slack_watch_needs_socket_mode(tmp_path):
    result = run_cli(
        "slack", "--http", "--watch", index_dir=tmp_path / "i", SLACK_BOT_TOKEN="xoxb-1", SLACK_SIGNING_SECRET="s"
    )
    assert result.returncode == 2
    assert "--watch runs beside Socket Mode" in result.stderr
