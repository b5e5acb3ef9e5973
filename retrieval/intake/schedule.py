"""When to check a feed next, as good feed readers do: never sooner than its interval, its Cache-Control
max-age or a Retry-After; exponential back-off after errors."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

MAX_BACKOFF_S = 24 * 3600.0  # an erroring feed is still tried once a day
MAX_AGE = re.compile(r"max-age=(\d+)")


def retry_after_s(value: str, now: datetime) -> float:
    """A Retry-After header in seconds (it may be a number or an HTTP date); 0 when absent or unreadable."""
    value = value.strip()
    if not value:
        return 0.0
    if value.isdigit():
        return float(value)
    try:
        return max((parsedate_to_datetime(value) - now).total_seconds(), 0.0)
    except (TypeError, ValueError):
        return 0.0


def max_age_s(cache_control: str) -> float:
    match = MAX_AGE.search(cache_control or "")
    return float(match.group(1)) if match else 0.0


def next_check(now: datetime, interval_s: float, headers: dict[str, str], errors: int) -> datetime:
    """max(interval, max-age, Retry-After); after n errors in a row, interval x 2^n (capped at a day)."""
    wait = max(
        interval_s, max_age_s(headers.get("cache-control", "")), retry_after_s(headers.get("retry-after", ""), now)
    )
    if errors:
        wait = max(wait, min(interval_s * 2**errors, MAX_BACKOFF_S))
    return now + timedelta(seconds=wait)


def parse_interval(text: str) -> float:
    """'30m', '2h', '90s', '1d' or plain seconds, as seconds (at least a minute)."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", text.lower())
    if not match:
        raise ValueError(f"{text!r} is not an interval like 30m, 2h or 1d")
    seconds = float(match.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[match.group(2)]
    if seconds < 60:
        raise ValueError(f"{text!r} is shorter than a minute: feeds are not polled that often")
    return seconds
