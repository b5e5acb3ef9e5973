"""Malformed and hostile HTTP requests are refused with a status and one log line, never a traceback or
the request body in the log; the rate limit holds across workers sharing the state database."""

import json
import logging
import urllib.error
import urllib.request

import pytest

from tests.bot.slack.conftest import SlackHarness
from tests.conftest import H20_QUESTION, make_engine


def raw_post(url: str, body: bytes, headers: dict[str, str]) -> int:
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.parametrize(
    ("case", "status"),
    [
        ("timestamp not a number", 401),
        ("unsigned junk", 401),
        ("signed, not JSON", 400),
        ("signed JSON list", 400),
        ("signed form, payload not JSON", 400),
        ("unsigned 10 MB", 413),
    ],
)
def test_malformed_requests_get_a_status_and_one_line(slack, caplog, case, status):
    caplog.set_level(logging.DEBUG)
    if case == "timestamp not a number":
        got = raw_post(
            slack.url,
            b"{}",
            {"Content-Type": "application/json", "X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": "v0=abc"},
        )
    elif case == "unsigned junk":
        got = raw_post(slack.url, b"\x00\x01 junk", {"Content-Type": "application/octet-stream"})
    elif case == "signed, not JSON":
        got = slack.post("this is not json", "application/json")[0]
    elif case == "signed JSON list":
        got = slack.post(json.dumps([1, 2, 3]), "application/json")[0]
    elif case == "signed form, payload not JSON":
        got = slack.post("payload=%5B1%5D", "application/x-www-form-urlencoded")[0]
    else:
        got = raw_post(slack.url, b"A" * 10_000_000, {"Content-Type": "application/json"})
    assert got == status
    newsbot_lines = [r for r in caplog.records if r.name.startswith("newsbot") and r.levelno >= logging.INFO]
    assert len(newsbot_lines) == 1
    assert newsbot_lines[0].getMessage().startswith("rejected POST /slack/events")
    assert "Traceback" not in caplog.text
    assert len(caplog.text) < 2000  # the body never reaches the log
    _, ts = slack.mention(H20_QUESTION)  # and the app still answers
    slack.fake.wait_for(lambda: slack.answers_in(ts))


@pytest.mark.slack_env(NEWSBOT_SLACK_RATE_LIMIT="1")
def test_the_rate_limit_holds_across_workers_sharing_the_state(
    slack, fake_slack, tmp_path, seed_library, backend, state_env
):
    other_worker = SlackHarness(fake_slack, slack.settings, make_engine(seed_library, backend))
    try:
        _, first = slack.mention(H20_QUESTION)
        slack.fake.wait_for(lambda: slack.answers_in(first))
        _, second = other_worker.mention("and what about Uber?")
        polite = slack.fake.wait_for(lambda: other_worker.answers_in(second))[0]
    finally:
        other_worker.close()
    assert "please wait a minute" in polite["text"]
