"""The one Source record: where an article and each of its passages came from.

Every JSON key, PostgreSQL column and citation field that describes an article is derived from this record,
so adding a field (a canonical URL, a resolved date) is one edit here."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from datetime import date
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

    @property
    def published_day(self) -> date | None:
        """The publication day when published starts with an ISO date; None for unknown or relative dates."""
        return date.fromisoformat(self.published[:10]) if ISO_DATE.match(self.published) else None

    def to_dict(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Source:
        """The source fields of a flat record (a JSON line, a database row as a mapping)."""
        return cls(**{name: data[name] for name in SOURCE_FIELDS})


SOURCE_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Source))
