"""Written publication dates resolved to UTC with their precision; relative words only against a capture time."""

import pytest

from retrieval.dates import parse_moment, resolve

CAPTURED = parse_moment("2025-07-21T12:00:00Z")
CAPTURED_DAY = parse_moment("2025-07-21")


@pytest.mark.parametrize(
    ("written", "captured", "published_at", "precision", "origin"),
    [
        ("2025-07-15", None, "2025-07-15T00:00:00Z", "day", "text"),
        ("2025-07-15T10:30:00+02:00", None, "2025-07-15T08:30:00Z", "time", "text"),
        ("July 15, 2025", None, "2025-07-15T00:00:00Z", "day", "text"),
        ("Mon, 21 Jul 2025 08:30:00 +0200", None, "2025-07-21T06:30:00Z", "time", "text"),
        ("July 2025", None, "2025-07-01T00:00:00Z", "month", "text"),
        ("4 hours ago", CAPTURED, "2025-07-21T08:00:00Z", "time", "relative"),
        ("Updated 05:00", CAPTURED, "2025-07-21T05:00:00Z", "time", "relative"),
        ("2 days ago", CAPTURED, "2025-07-19T00:00:00Z", "day", "relative"),
        ("yesterday", CAPTURED, "2025-07-20T00:00:00Z", "day", "relative"),
        ("an hour ago", CAPTURED, "2025-07-21T11:00:00Z", "time", "relative"),
        ("3 weeks ago", CAPTURED, "2025-06-30T00:00:00Z", "day", "relative"),
        ("2 months ago", CAPTURED, "2025-05-01T00:00:00Z", "month", "relative"),
        # a capture known only to the day: hours before it fall on that day, never the day before
        ("5 hours ago", CAPTURED_DAY, "2025-07-21T00:00:00Z", "day", "relative"),
        ("2 days ago", CAPTURED_DAY, "2025-07-19T00:00:00Z", "day", "relative"),
        # without a capture time relative words stay as written, never resolved against today
        ("4 hours ago", None, None, "unknown", "none"),
        ("Updated 05:00", None, None, "unknown", "none"),
        ("", CAPTURED, None, "unknown", "none"),
        ("sometime soon", CAPTURED, None, "unknown", "none"),
        ("15 July", None, None, "unknown", "none"),  # no year: not placed
    ],
)
def test_resolve(written, captured, published_at, precision, origin):
    dated = resolve(written, captured)
    assert (dated.published_at, dated.precision, dated.origin) == (published_at, precision, origin)


@pytest.mark.parametrize("bad", ["yesterday", "21/07/2025", "2025-13-01", ""])
def test_a_capture_time_must_be_iso(bad):
    with pytest.raises(ValueError, match="ISO date"):
        parse_moment(bad)
