"""Publication dates: a written date ("2025-07-21", "July 15, 2025", "4 hours ago") resolved to UTC with its
precision and where it came from. Relative words resolve only against a capture time, never against today."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

PRECISIONS = ("time", "day", "month", "unknown")
ORIGINS = ("feed", "page", "relative", "text", "file-mtime", "none")
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
RELATIVE_UNIT = re.compile(
    r"\b(?P<n>\d+|an?|one)\s+(?P<unit>second|minute|hour|day|week|month|year)s?\s+ago\b|\b(?P<word>just now|today|yesterday)\b",
    re.I,
)
CLOCK = re.compile(r"(?<![\d:])\d{1,2}:\d{2}(:\d{2})?(?![\d:])")
DAY_NUMBER = re.compile(r"(?<![\d:])(0?[1-9]|[12]\d|3[01])(st|nd|rd|th)?(?![\d:])")
LEAD_WORDS = re.compile(r"^(updated|published|posted|last updated)\s*:?\s*", re.I)
UNIT_PRECISION = {"second": "time", "minute": "time", "hour": "time", "day": "day", "week": "day"}


@dataclass(frozen=True)
class Moment:
    """A point in time known to a precision: a capture time, or a resolved publication date."""

    at: datetime  # aware, UTC
    precision: str  # "time", "day" or "month"

    def iso(self) -> str:
        return self.at.astimezone(UTC).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class Dated:
    """A publication date as newsbot knows it: when (or None), how precisely, and from where."""

    moment: Moment | None
    origin: str  # one of ORIGINS

    @property
    def published_at(self) -> str | None:
        return self.moment.iso() if self.moment else None

    @property
    def precision(self) -> str:
        return self.moment.precision if self.moment else "unknown"


UNDATED = Dated(None, "none")


def parse_moment(value: str) -> Moment:
    """A capture time given by a user: an ISO date (day precision) or date and time (UTC unless it says)."""
    text = value.strip()
    try:
        if ISO_DAY.match(text):
            return Moment(datetime.fromisoformat(text).replace(tzinfo=UTC), "day")
        if ISO_TIME.match(text):
            at = datetime.fromisoformat(text.replace("Z", "+00:00"))
            return Moment((at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(UTC), "time")
    except ValueError:
        pass
    raise ValueError(f"{value!r} is not an ISO date or date-time (e.g. 2025-07-21 or 2025-07-21T09:30Z)")


def resolve(written: str, captured: Moment | None = None, origin: str = "text") -> Dated:
    """The publication date a page or feed wrote, resolved; relative words need the capture time."""
    text = LEAD_WORDS.sub("", " ".join(written.split()))
    if not text:
        return UNDATED
    relative = RELATIVE_UNIT.search(text)
    if relative or (CLOCK.fullmatch(text) is not None):
        return _relative(text, relative, captured)
    try:
        return Dated(_absolute(text), origin)
    except ValueError:
        return UNDATED


def _absolute(text: str) -> Moment:
    if ISO_DAY.match(text) or ISO_TIME.match(text):
        return parse_moment(text)
    found = _parser().get_date_data(text).date_obj
    if found is None or not re.search(r"\d{4}", text):
        raise ValueError(text)  # a date without a year is not a publication date we can place
    if CLOCK.search(text):
        return Moment(found.astimezone(UTC), "time")
    if not DAY_NUMBER.search(re.sub(r"\d{4}", "", text)):
        return Moment(datetime(found.year, found.month, 1, tzinfo=UTC), "month")
    return Moment(datetime(found.year, found.month, found.day, tzinfo=UTC), "day")


def _relative(text: str, match: re.Match[str] | None, captured: Moment | None) -> Dated:
    """'4 hours ago' or 'Updated 05:00' against the capture time; unknown without one."""
    if captured is None:
        return UNDATED
    base = captured.at
    if match is None:  # a bare clock time: that time on the capture day
        hour, minute = (int(x) for x in text.split(":")[:2])
        at = base.replace(hour=hour, minute=minute, second=0, microsecond=0)
        return Dated(Moment(at, "time" if captured.precision == "time" else "day"), "relative")
    word = (match.group("word") or "").lower()
    if word:
        days = 1 if word == "yesterday" else 0
        precision = "time" if word == "just now" else "day"
        return Dated(_narrowed(base - timedelta(days=days), precision, captured), "relative")
    count = 1 if match.group("n").lower() in ("a", "an", "one") else int(match.group("n"))
    unit = match.group("unit").lower()
    if unit in ("month", "year"):
        months = count * (12 if unit == "year" else 1)
        year, month = divmod(base.year * 12 + base.month - 1 - months, 12)
        return Dated(Moment(datetime(year, month + 1, 1, tzinfo=UTC), "month"), "relative")
    step = {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 604800}[unit]
    return Dated(_narrowed(base - timedelta(seconds=count * step), UNIT_PRECISION[unit], captured), "relative")


def _narrowed(at: datetime, precision: str, captured: Moment) -> Moment:
    """No finer than the capture time: hours before a capture known to the day fall on that day."""
    if captured.precision == "time" and precision == "time":
        return Moment(at, "time")
    day = captured.at if at.date() >= captured.at.date() or precision == "time" else at
    return Moment(datetime(day.year, day.month, day.day, tzinfo=UTC), "day")


@lru_cache(maxsize=1)
def _parser() -> Any:
    from dateparser.date import DateDataParser

    return DateDataParser(
        languages=["en"],
        settings={"TO_TIMEZONE": "UTC", "RETURN_AS_TIMEZONE_AWARE": True, "PREFER_DATES_FROM": "past"},
    )
