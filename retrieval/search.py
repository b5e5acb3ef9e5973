"""Hybrid search: BM25 + dense vectors fused by reciprocal rank, filtered, near-duplicates collapsed."""

from __future__ import annotations

import re
import time
from datetime import date

import numpy as np
from llama_index.core.retrievers import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle

from retrieval.hits import Candidate, Filters, Hit, SearchConfig, SearchResult, rank_candidates
from retrieval.passages import Passage
from retrieval.stores.embedded import Snapshot

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")

__all__ = ["Filters", "Hit", "HybridRetriever", "HybridSearcher", "SearchConfig", "SearchResult"]


class HybridSearcher:
    """Ranks every passage of a snapshot; the fast path behind HybridRetriever."""

    def __init__(self, snapshot: Snapshot, encoder, config: SearchConfig = SearchConfig()) -> None:
        self.snapshot = snapshot
        self.encoder = encoder if config.dense and snapshot.vectors.shape[1] else None
        self.config = config
        self._article_rows, self._centroids = _article_centroids(snapshot)

    def search(self, query: str, top_k: int | None = None, filters: Filters = Filters()) -> SearchResult:
        timings: dict[str, float] = {}
        k = top_k or self.config.top_k
        if self.snapshot.empty:
            return SearchResult(query, [], timings)
        mask = _filter_mask(self.snapshot.passages, filters) if filters.active else None
        dense = self._dense_scores(query, mask, timings)
        lexical = self._bm25_scores(query, mask, timings)
        started = time.perf_counter()
        hits = rank_candidates(self._candidates(dense, lexical), self.config, k)
        timings["fuse"] = _ms(started)
        timings["total"] = round(sum(timings.values()), 3)
        return SearchResult(query, hits, timings)

    def _dense_scores(self, query, mask, timings) -> np.ndarray | None:
        if self.encoder is None:
            return None
        started = time.perf_counter()
        query_vec = self.encoder.encode([query])[0]
        timings["embed"] = _ms(started)
        started = time.perf_counter()
        scores = np.asarray(self.snapshot.vectors) @ query_vec
        if mask is not None:
            scores = np.where(mask, scores, -np.inf)
        timings["dense"] = _ms(started)
        return scores

    def _bm25_scores(self, query, mask, timings) -> np.ndarray | None:
        if not self.config.bm25 or self.snapshot.bm25 is None:
            return None
        started = time.perf_counter()
        weights = mask.astype(np.float32) if mask is not None else None
        scores = self.snapshot.bm25.scores(query, weight_mask=weights)
        timings["bm25"] = _ms(started)
        return scores

    def _candidates(self, dense: np.ndarray | None, lexical: np.ndarray | None) -> list[Candidate]:
        """Each side's top rows as candidates, with their vectors and article centroids for the collapse."""
        found: dict[int, Candidate] = {}
        vectors = self.snapshot.vectors
        for side, scores in (("dense", dense), ("bm25", lexical)):
            if scores is None:
                continue
            for rank, row in enumerate(_top_rows(scores, self.config.candidates, positive=side == "bm25")):
                if row not in found:
                    found[row] = self._candidate(int(row), vectors, dense, lexical)
                setattr(found[row], f"{side}_rank", rank)
        return list(found.values())

    def _candidate(self, row: int, vectors, dense, lexical) -> Candidate:
        has_vectors = self._centroids is not None
        return Candidate(
            passage=self.snapshot.passages[row],
            vector=np.asarray(vectors[row]) if has_vectors else None,
            centroid=self._centroids[self._article_rows[row]] if has_vectors else None,
            dense_score=float(dense[row]) if dense is not None else 0.0,
            bm25_score=float(lexical[row]) if lexical is not None else 0.0,
        )


class HybridRetriever(BaseRetriever):
    """The LlamaIndex face of HybridSearcher: a retriever returning NodeWithScore."""

    def __init__(self, searcher: HybridSearcher, top_k: int | None = None, filters: Filters = Filters()) -> None:
        super().__init__()
        self._searcher = searcher
        self._top_k = top_k
        self._filters = filters

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        result = self._searcher.search(query_bundle.query_str, self._top_k, self._filters)
        return [NodeWithScore(node=hit.passage.to_node(), score=hit.score) for hit in result.hits]


def _top_rows(scores: np.ndarray, n: int, positive: bool) -> np.ndarray:
    n = min(n, len(scores))
    rows = np.argpartition(-scores, n - 1)[:n]
    rows = rows[np.argsort(-scores[rows], kind="stable")]
    keep = scores[rows] > 0 if positive else np.isfinite(scores[rows])
    return rows[keep]


def _article_centroids(snapshot: Snapshot) -> tuple[np.ndarray, np.ndarray | None]:
    """Each passage row's article number, and each article's unit mean vector (None without vectors)."""
    numbers: dict[str, int] = {}
    article_rows = np.fromiter((numbers.setdefault(p.article_id, len(numbers)) for p in snapshot.passages),
                               dtype=np.int64, count=len(snapshot.passages))
    if not snapshot.vectors.shape[1] or not len(article_rows):
        return article_rows, None
    sums = np.zeros((len(numbers), snapshot.vectors.shape[1]), dtype=np.float32)
    np.add.at(sums, article_rows, np.asarray(snapshot.vectors))
    return article_rows, sums / np.clip(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12, None)


def _filter_mask(passages: list[Passage], filters: Filters) -> np.ndarray:
    return np.fromiter((_passes(p, filters) for p in passages), dtype=bool, count=len(passages))


def _passes(passage: Passage, filters: Filters) -> bool:
    if filters.outlet and filters.outlet.casefold() not in passage.outlet.casefold():
        return False
    if filters.since or filters.until:
        if not ISO_DATE.match(passage.published):
            return False  # unknown or relative dates cannot satisfy a date filter
        day = date.fromisoformat(passage.published[:10])
        if (filters.since and day < filters.since) or (filters.until and day > filters.until):
            return False
    return True


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)
