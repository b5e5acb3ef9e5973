"""The one Source record: where an article and each of its passages came from.

Every JSON key, PostgreSQL column and citation field that describes an article is derived from this record,
so adding a field (a canonical URL, a resolved date) is one edit here."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
UNSAFE_IN_URL = re.compile(r"[\s<>|\"'`]")


def is_http_url(url: str) -> bool:
    """A plain http(s) URL with a host, holding none of the characters that break markup around it."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not UNSAFE_IN_URL.search(url)


@dataclass(frozen=True)
class Source:
    article_id: str  # a stable hash of the article's title and text
    title: str
    outlet: str = ""
    published: str = ""  # ISO date when known, else as written ("4 hours ago"), else ""
    url: str = ""
    source_path: str = ""  # relative to the ingested folder, or the file name
    published_at: str | None = None  # ISO 8601 UTC ("2025-07-21T07:00:00Z"), None when unknown
    date_precision: str = "unknown"  # "time", "day", "month" or "unknown" (retrieval.dates)
    date_source: str = "none"  # where published_at came from: feed, page, relative, text, file-mtime, none
    captured_at: str | None = None  # when the page was fetched or scraped, ISO 8601 UTC

    @property
    def published_day(self) -> date | None:
        """The publication day: from published_at, else an ISO date written in published; None when unknown."""
        if self.published_at and self.date_precision in ("time", "day"):
            return date.fromisoformat(self.published_at[:10])
        return date.fromisoformat(self.published[:10]) if ISO_DATE.match(self.published) else None

    @property
    def published_moment(self) -> datetime | None:
        """published_at as an aware datetime, for recency; None when unknown."""
        if self.published_at:
            return datetime.fromisoformat(self.published_at.replace("Z", "+00:00"))
        day = self.published_day
        return datetime(day.year, day.month, day.day, tzinfo=UTC) if day else None

    @property
    def date_label(self) -> str:
        """The date a reader is shown: the resolved one ("2025-07-21", "2025-07-21 08:00 UTC", "2025-07"), else
        the words as written, else the capture day as a bound ("undated, captured 2025-07-21"), else ""."""
        if self.published_at and self.date_precision != "unknown":
            shown = {"time": 16, "day": 10, "month": 7}.get(self.date_precision, 10)
            label = self.published_at[:shown].replace("T", " ")
            return label + " UTC" if self.date_precision == "time" else label
        if self.published:
            return self.published
        return f"undated, captured {self.captured_at[:10]}" if self.captured_at else ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Source:
        """The source fields of a flat record (a JSON line, a database row as a mapping); fields added since
        the record was written take their defaults."""
        return cls(**{name: data[name] for name in SOURCE_FIELDS if name in data})


SOURCE_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Source))
