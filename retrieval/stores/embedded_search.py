"""Search steps over an embedded snapshot: numpy dense scores, bm25s lexical scores, rows as candidates."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from retrieval.fusion import Candidate
from retrieval.hybrid import Found, HybridSearch
from retrieval.passages import Passage
from retrieval.searcher import Encoder, Filters, SearchConfig
from retrieval.stores.embedded import Snapshot


@dataclass
class _Scope:
    """One search over a snapshot: the filter mask, and each side's scores for every row."""

    mask: np.ndarray | None
    dense: np.ndarray | None = None
    lexical: np.ndarray | None = None


class EmbeddedSearcher(HybridSearch[_Scope]):
    """Ranks every passage of a snapshot in memory."""

    def __init__(self, snapshot: Snapshot, encoder: Encoder | None, config: SearchConfig = SearchConfig()) -> None:
        super().__init__(encoder if snapshot.vectors.shape[1] else None, config)
        self.snapshot = snapshot
        self._article_rows, self._centroids = _article_centroids(snapshot)

    def _empty(self) -> bool:
        return self.snapshot.empty

    def _scope(self, filters: Filters) -> _Scope:
        return _Scope(_filter_mask(self.snapshot.passages, filters) if filters.active else None)

    def _dense(self, query_vector: np.ndarray, scope: _Scope, found: Found) -> None:
        scores = np.asarray(self.snapshot.vectors) @ query_vector
        if scope.mask is not None:
            scores = np.where(scope.mask, scores, -np.inf)
        scope.dense = scores
        for rank, row in enumerate(_top_rows(scores, self.config.candidates, positive=False)):
            found.setdefault(int(row), Candidate()).dense_rank = rank

    def _lexical(self, query: str, scope: _Scope, found: Found) -> None:
        if self.snapshot.bm25 is None:
            return
        weights = scope.mask.astype(np.float32) if scope.mask is not None else None
        scope.lexical = self.snapshot.bm25.scores(query, weight_mask=weights)
        for rank, row in enumerate(_top_rows(scope.lexical, self.config.candidates, positive=True)):
            found.setdefault(int(row), Candidate()).lexical_rank = rank

    def _fill(self, found: Found, scope: _Scope) -> None:
        """Each row's passage, both sides' scores (also for rows only one side ranked), vector and centroid."""
        for row, candidate in found.items():
            assert isinstance(row, int)
            candidate.passage = self.snapshot.passages[row]
            candidate.dense_score = float(scope.dense[row]) if scope.dense is not None else 0.0
            candidate.lexical_score = float(scope.lexical[row]) if scope.lexical is not None else 0.0
            if self._centroids is not None:
                candidate.vector = np.asarray(self.snapshot.vectors[row])
                candidate.centroid = self._centroids[self._article_rows[row]]


def _top_rows(scores: np.ndarray, n: int, positive: bool) -> np.ndarray:
    n = min(n, len(scores))
    rows = np.argpartition(-scores, n - 1)[:n]
    rows = rows[np.argsort(-scores[rows], kind="stable")]
    keep = scores[rows] > 0 if positive else np.isfinite(scores[rows])
    return rows[keep]


def _article_centroids(snapshot: Snapshot) -> tuple[np.ndarray, np.ndarray | None]:
    """Each passage row's article number, and each article's unit mean vector (None without vectors)."""
    numbers: dict[str, int] = {}
    article_rows = np.fromiter(
        (numbers.setdefault(p.article_id, len(numbers)) for p in snapshot.passages),
        dtype=np.int64,
        count=len(snapshot.passages),
    )
    if not snapshot.vectors.shape[1] or not len(article_rows):
        return article_rows, None
    sums = np.zeros((len(numbers), snapshot.vectors.shape[1]), dtype=np.float32)
    np.add.at(sums, article_rows, np.asarray(snapshot.vectors))
    return article_rows, sums / np.clip(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12, None)


def _filter_mask(passages: list[Passage], filters: Filters) -> np.ndarray:
    return np.fromiter((_passes(p, filters) for p in passages), dtype=bool, count=len(passages))


def _passes(passage: Passage, filters: Filters) -> bool:
    source = passage.source
    if filters.outlet and filters.outlet.casefold() not in source.outlet.casefold():
        return False
    if filters.since or filters.until:
        day = source.published_day
        if day is None:
            return False  # unknown or relative dates cannot satisfy a date filter
        if (filters.since and day < filters.since) or (filters.until and day > filters.until):
            return False
    return True
