"""When a feed is checked next: interval, max-age, Retry-After and back-off (table-driven, fixed clock)."""

from datetime import UTC, datetime, timedelta

import pytest

from fakes.news_site import http_date
from retrieval.intake.schedule import next_check, parse_interval, retry_after_s

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
HALF_HOUR = 1800.0


@pytest.mark.parametrize(
    ("headers", "errors", "wait_s"),
    [
        ({}, 0, 1800),
        ({"cache-control": "public, max-age=7200"}, 0, 7200),  # the server asks for longer
        ({"cache-control": "max-age=60"}, 0, 1800),  # never sooner than the interval
        ({"retry-after": "5400"}, 0, 5400),
        ({"retry-after": http_date(NOW + timedelta(hours=3))}, 0, 10800),  # an HTTP date
        ({"retry-after": "soon"}, 0, 1800),  # unreadable: ignored
        ({}, 1, 3600),
        ({}, 3, 14400),
        ({}, 12, 86400),  # back-off stops at a day
        ({"retry-after": "172800"}, 1, 172800),  # but a server's own Retry-After is honoured
    ],
)
def test_next_check(headers, errors, wait_s):
    assert next_check(NOW, HALF_HOUR, headers, errors) == NOW + timedelta(seconds=wait_s)


def test_retry_after_in_the_past_is_no_wait():
    assert retry_after_s(http_date(NOW - timedelta(minutes=5)), NOW) == 0.0


@pytest.mark.parametrize(("text", "seconds"), [("30m", 1800), ("2h", 7200), ("1d", 86400), ("90s", 90), ("600", 600)])
def test_intervals(text, seconds):
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["", "soon", "10s", "-5m", "3w"])
def test_bad_intervals(text):
    with pytest.raises(ValueError, match=r"interval|shorter"):
        parse_interval(text)
