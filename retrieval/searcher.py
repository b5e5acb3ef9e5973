"""What searching speaks in: the search settings, filters, hits and results every store shares, and the
Searcher protocol the answer engine depends on."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

import numpy as np

from retrieval.passages import Passage


@dataclass(frozen=True)
class SearchConfig:
    top_k: int = 5
    candidates: int = 40  # per side, before fusion
    dense: bool = True
    bm25: bool = True  # the lexical side: BM25 in the embedded store, full-text search in PostgreSQL
    dense_share: float = 0.5  # fused = share x dense + rest x lexical, each normalised; dev 0.3-0.7 within a question
    key_term_weight: float = 0.1  # fused x (1 + this x share of the query's figures held); dev split, README
    duplicate_cosine: float = 0.8  # passages this similar, from articles whose centroids are at least
    duplicate_article_cosine: float = 0.92  # this similar, are one story told twice: one hit, several sources
    recency_weight: float = 0.05  # without time words: a fortnight-old passage keeps 97.5 % of its score (README)
    recency_half_life_days: float = 14.0
    strong_recency_weight: float = 0.3  # "latest", "now", "still": a week-old passage keeps 85 %
    strong_recency_half_life_days: float = 7.0


@dataclass(frozen=True)
class Recency:
    """Fused scores times (1 - weight + weight x 2^(-age / half_life)): newer passages rise, none is dropped."""

    now: datetime
    weight: float
    half_life_days: float

    def factor(self, published: datetime | None) -> float:
        """An undated passage counts as old."""
        if published is None or self.weight <= 0:
            return 1.0 - self.weight
        age_days = max((self.now - published).total_seconds() / 86400, 0.0)
        return 1.0 - self.weight + self.weight * 2 ** (-age_days / self.half_life_days)


@dataclass(frozen=True)
class Filters:
    outlet: str | None = None
    since: date | None = None
    until: date | None = None
    recency: Recency | None = None  # a ranking, not a restriction: applied after fusion
    newest_first: bool = False  # hits in date order (an explicit time window), else by score

    @property
    def active(self) -> bool:
        return bool(self.outlet or self.since or self.until)


NO_FILTERS = Filters()


@dataclass
class Hit:
    rank: int
    score: float  # fused score (convex, about 0..1 before boosts)
    passage: Passage
    dense_score: float  # cosine to the query; 0 when dense is off
    lexical_score: float  # the lexical side's own score: BM25 (embedded) or ts_rank (PostgreSQL)
    also_in: list[Passage] = field(default_factory=list)  # near-duplicates collapsed into this hit

    def to_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "score": round(self.score, 6),
            **self.passage.source.to_dict(),
            "text": self.passage.text,
            "dense_score": round(self.dense_score, 4),
            "lexical_score": round(self.lexical_score, 4),
            "also_in": [d.source.to_dict() for d in self.also_in],
        }


@dataclass
class SearchResult:
    query: str
    hits: list[Hit]
    timings_ms: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        return {"query": self.query, "hits": [h.to_dict() for h in self.hits], "timings_ms": self.timings_ms}


class Encoder(Protocol):
    def encode(self, texts: list[str]) -> np.ndarray: ...


class Searcher(Protocol):
    """Ranked, filtered, near-duplicate-collapsed passages for a query."""

    @property
    def dense_enabled(self) -> bool: ...

    def search(self, query: str, top_k: int | None = None, filters: Filters = NO_FILTERS) -> SearchResult: ...
