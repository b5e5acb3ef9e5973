"""`newsbot slack --watch`: one process answers in Slack (Socket Mode) and polls the followed feeds."""

import json
import shutil
import subprocess
import time
from datetime import UTC, datetime, timedelta

import pytest

from fakes.news_site import NewsSite, Route, article_page, http_date, rss
from fakes.slack import BOT_USER
from tests.bot.slack.conftest import CHANNEL, USER
from tests.bot.slack.test_socket_mode import envelope, mention_event
from tests.conftest import NEWSBOT, REPO, cli_env, run_cli

FERRY = ["Bluewater Ferries said the Harbour night ferry will stop running on 9 January.", "Forty crew jobs will go."]


@pytest.fixture
def site():
    server = NewsSite().start()
    server.routes["/news/ferry"] = Route(article_page("Night ferry to stop running in January", FERRY))
    item = {
        "title": "Night ferry",
        "link": server.url("/news/ferry"),
        "guid": "f1",
        "pubDate": http_date(datetime.now(UTC) - timedelta(hours=1)),
    }
    server.routes["/feed.xml"] = Route(rss("Coastal Times", [item]), "application/rss+xml")
    yield server
    server.stop()


def test_one_process_polls_the_feeds_and_answers_from_them(fake_slack, site, seed_index_dir, tmp_path):
    index = tmp_path / "index"
    shutil.copytree(seed_index_dir, index, symlinks=True)
    env = {
        "NEWSBOT_ALLOW_PRIVATE_URLS": "true",
        "NEWSBOT_HOST_GAP_S": "0",
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_APP_TOKEN": "xapp-test",
        "SLACK_API_URL": fake_slack.api_url,
        "NEWSBOT_STATE_DB": str(tmp_path / "state.sqlite3"),
    }
    assert run_cli("feeds", "add", site.url("/feed.xml"), index_dir=index, **env).returncode == 0
    process = subprocess.Popen(
        [str(NEWSBOT), "--env-file", "/nonexistent/.env", "slack", "--watch"],
        cwd=REPO,
        env=cli_env(index, **env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not polled(index):  # feed state is saved after the commit
            time.sleep(0.5)
        assert "/news/ferry" in site.paths(), "the watcher never polled"
        fake_slack.wait_for(lambda: fake_slack.called("apps.connections.open"), timeout=60)
        question = "When will the Harbour night ferry stop running?"
        ts = fake_slack.add_message(CHANNEL, USER, f"<@{BOT_USER}> {question}")
        fake_slack.push_envelope(envelope("env-1", mention_event(question, ts)))
        answer = fake_slack.wait_for(
            lambda: [m for m in fake_slack.bot_messages(CHANNEL) if m.get("thread_ts") == ts and m["blocks"]],
            timeout=60,
        )[0]
    finally:
        process.terminate()
        stderr = process.communicate(timeout=30)[1]
    assert "9 January" in answer["text"]
    assert "newsbot: watching the followed feeds" in stderr
    assert "1 feeds polled" in stderr


def polled(index) -> bool:
    feeds = json.loads(run_cli("feeds", "list", "--json", index_dir=index).stdout or "[]")
    return bool(feeds) and feeds[0]["last_status"] == "200"
