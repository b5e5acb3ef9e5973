"""The one search skeleton: embed, dense step, lexical step, fill, fuse, with timings and totals.

A store implements only its steps (dense, lexical, fill); fusion and near-duplicate collapse happen here, once."""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from typing import Generic, TypeVar

import numpy as np

from retrieval.fusion import Candidate, rank_candidates
from retrieval.searcher import NO_FILTERS, Encoder, Filters, Hit, SearchConfig, SearchResult


def newest_first(hits: list[Hit]) -> list[Hit]:
    """The same hits in publication order, newest first, ranks renumbered."""
    oldest = datetime.min.replace(tzinfo=UTC)
    ordered = sorted(hits, key=lambda h: h.passage.source.published_moment or oldest, reverse=True)
    return [replace(hit, rank=n) for n, hit in enumerate(ordered, start=1)]


class Timings:
    """Milliseconds per named step, and their total."""

    def __init__(self) -> None:
        self.ms: dict[str, float] = {}

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        self.ms[name] = round((time.perf_counter() - started) * 1000, 3)

    def with_total(self) -> dict[str, float]:
        return {**self.ms, "total": round(sum(self.ms.values()), 3)}


ScopeT = TypeVar("ScopeT")
Found = dict[Hashable, Candidate]


class HybridSearch(ABC, Generic[ScopeT]):
    """The search skeleton: embed, dense step, lexical step, fill, fuse. Stores implement the steps."""

    def __init__(self, encoder: Encoder | None, config: SearchConfig) -> None:
        self.encoder = encoder if config.dense else None
        self.config = config

    @property
    def dense_enabled(self) -> bool:
        return self.encoder is not None

    def search(self, query: str, top_k: int | None = None, filters: Filters = NO_FILTERS) -> SearchResult:
        if self._empty():
            return SearchResult(query, [], {})
        timings, found = Timings(), Found()
        scope = self._scope(filters)
        if self.encoder is not None:
            with timings.step("embed"):
                query_vector = self.encoder.encode([query])[0]
            with timings.step("dense"):
                self._dense(query_vector, scope, found)
        if self.config.bm25:
            with timings.step("bm25"):
                self._lexical(query, scope, found)
        with timings.step("fuse"):
            self._fill(found, scope)
            hits = rank_candidates(
                list(found.values()), self.config, top_k or self.config.top_k, query, filters.recency
            )
        if filters.newest_first:
            hits = newest_first(hits)
        return SearchResult(query, hits, timings.with_total())

    def _empty(self) -> bool:
        return False

    @abstractmethod
    def _scope(self, filters: Filters) -> ScopeT:
        """What the steps of one search share: the filters in the store's terms, scores kept for the fill."""

    @abstractmethod
    def _dense(self, query_vector: np.ndarray, scope: ScopeT, found: Found) -> None:
        """Add the nearest passages to found, with dense_rank and dense_score."""

    @abstractmethod
    def _lexical(self, query: str, scope: ScopeT, found: Found) -> None:
        """Add the best word matches to found, with lexical_rank and lexical_score."""

    @abstractmethod
    def _fill(self, found: Found, scope: ScopeT) -> None:
        """Give every candidate its passage, vector and article centroid."""
