"""The time a question asks about: an explicit window ("this week", "in March", "since Monday", "last 3 days")
or how much recency should count ("latest", "now"). Only phrases after a cue word count, so "May I ask",
"March Madness" or "WWDC 2025" never become dates. A bare year is not a window: "what happened to Kroll in
2023?" asks about an event, which later articles report."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from retrieval.searcher import Filters, Recency, SearchConfig

MONTHS = {name.lower(): n for n, name in enumerate(calendar.month_name) if name}
MONTHS |= {name.lower(): n for n, name in enumerate(calendar.month_abbr) if name and name != "May"}
DAYS = {name.lower(): n for n, name in enumerate(calendar.day_name)}
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "ten": 10, "a": 1}
UNIT_DAYS = {"day": 1, "week": 7, "month": 30}
MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
DAY_RE = "|".join(DAYS)
COUNT_RE = r"\d{1,3}|" + "|".join(NUMBER_WORDS)

STRONG_CUES = re.compile(
    r"\b(latest|newest|most recent|recent(ly)?|now|still|currently|current|so far|up to date)\b", re.I
)
PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "span",
        re.compile(rf"\b(?:in |over |during )?the (?:last|past) (?P<n>{COUNT_RE}) (?P<unit>day|week|month)s?\b", re.I),
    ),
    ("span", re.compile(rf"\b(?:last|past) (?P<n>{COUNT_RE}) (?P<unit>day|week|month)s?\b", re.I)),
    ("span", re.compile(r"\b(?:in |over |during )?the past (?P<unit>day|week|month)\b", re.I)),
    (
        "named",
        re.compile(
            r"\b(?P<word>today|yesterday|this week|last week|this month|last month|this year|last year)\b", re.I
        ),
    ),
    ("since_day", re.compile(rf"\bsince (?:last )?(?P<day>{DAY_RE})\b", re.I)),
    ("on_day", re.compile(rf"\bon (?:last )?(?P<day>{DAY_RE})\b", re.I)),
    (
        "month",
        re.compile(
            rf"\b(?P<cue>in|during|since|before|after|from|last) (?P<month>{MONTH_RE})\.?(?: (?P<year>(19|20)\d\d))?\b(?!(?-i: [A-Z]))",
            re.I,
        ),
    ),
]


@dataclass(frozen=True)
class TimeScope:
    """What the question's time words ask for: a date window (inclusive), and a recency strength."""

    since: date | None = None
    until: date | None = None
    recency: str = "mild"  # "mild" without cue, "strong" for "latest", "now", … ; "date" orders a window by date
    phrase: str = ""  # the words that set it, for the reader ("this week")

    @property
    def explicit(self) -> bool:
        return self.since is not None or self.until is not None

    def without_phrase(self, question: str) -> str:
        """The question without the words that set an explicit window (the filter has applied them)."""
        return " ".join(question.replace(self.phrase, " ").split()) if self.explicit and self.phrase else question

    def describe(self) -> str:
        """The window in words and dates: 'this week (2026-11-23 to 2026-11-24)'."""
        if self.since and self.until:
            days = str(self.since) if self.since == self.until else f"{self.since} to {self.until}"
        else:
            days = f"since {self.since}" if self.since else f"before {self.until}"
        return f"{self.phrase} ({days})"


def time_scope(question: str, today: date) -> TimeScope:
    """The window and recency the question's time words ask for, relative to today."""
    for kind, pattern in PATTERNS:
        match = pattern.search(question)
        if match:
            window = _window(kind, match, today)
            if window is not None:
                return TimeScope(*window, recency="date", phrase=match.group(0).strip())
    return TimeScope(recency="strong" if STRONG_CUES.search(question) else "mild")


def scoped_filters(filters: Filters, scope: TimeScope, now: datetime, config: SearchConfig) -> Filters:
    """The search filters for a question: its window narrows the given one; else its recency ranks."""
    if scope.explicit:
        since = max((d for d in (filters.since, scope.since) if d), default=None)
        until = min((d for d in (filters.until, scope.until) if d), default=None)
        return replace(filters, since=since, until=until, newest_first=True)
    if scope.recency == "strong":
        recency = Recency(now, config.strong_recency_weight, config.strong_recency_half_life_days)
    else:
        recency = Recency(now, config.recency_weight, config.recency_half_life_days)
    return replace(filters, recency=recency)


def _window(kind: str, match: re.Match[str], today: date) -> tuple[date | None, date | None] | None:
    if kind == "span":
        count = _count(match.groupdict().get("n") or "1")
        return today - timedelta(days=count * UNIT_DAYS[match.group("unit").lower()] - 1), today
    if kind == "named":
        return _named(match.group("word").lower(), today)
    if kind in ("since_day", "on_day"):
        day = _last_weekday(DAYS[match.group("day").lower()], today)
        return (day, today) if kind == "since_day" else (day, day)
    return _month(match, today)


def _named(word: str, today: date) -> tuple[date, date]:
    monday = today - timedelta(days=today.weekday())
    first = today.replace(day=1)
    previous_month_end = first - timedelta(days=1)
    return {
        "today": (today, today),
        "yesterday": (today - timedelta(days=1), today - timedelta(days=1)),
        "this week": (monday, today),
        "last week": (monday - timedelta(days=7), monday - timedelta(days=1)),
        "this month": (first, today),
        "last month": (previous_month_end.replace(day=1), previous_month_end),
        "this year": (date(today.year, 1, 1), today),
        "last year": (date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)),
    }[word]


def _month(match: re.Match[str], today: date) -> tuple[date | None, date | None]:
    """'in March' is the latest March not after today; 'since/after March' runs to today; 'before March' ends."""
    month = MONTHS[match.group("month").lower().rstrip(".")]
    year = int(match.group("year")) if match.group("year") else today.year - (month > today.month)
    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    cue = match.group("cue").lower()
    if cue in ("since", "from"):
        return first, today
    if cue == "after":
        return last + timedelta(days=1), today
    if cue == "before":
        return None, first - timedelta(days=1)
    return first, min(last, today) if first <= today else last


def _last_weekday(weekday: int, today: date) -> date:
    """The latest such weekday on or before today."""
    return today - timedelta(days=(today.weekday() - weekday) % 7)


def _count(word: str) -> int:
    return int(word) if word.isdigit() else NUMBER_WORDS[word.lower()]
