"""Hybrid search: BM25 + dense vectors fused by reciprocal rank, filtered, near-duplicates collapsed."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from llama_index.core.retrievers import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle

from retrieval.passages import Passage
from retrieval.stores.embedded import Snapshot

RRF_K = 60
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class SearchConfig:
    top_k: int = 5
    candidates: int = 40  # per side, before fusion
    dense: bool = True
    bm25: bool = True
    dense_weight: float = 1.5  # tuned on tests/eval/bbc.jsonl: hit@3 0.89 -> 0.92 (bench/retrieval.py)
    bm25_weight: float = 1.0
    duplicate_cosine: float = 0.8  # passages this similar, from articles whose centroids are at least
    duplicate_article_cosine: float = 0.92  # this similar, are one story told twice: one hit, several sources


@dataclass(frozen=True)
class Filters:
    outlet: str | None = None
    since: date | None = None
    until: date | None = None

    @property
    def active(self) -> bool:
        return bool(self.outlet or self.since or self.until)


@dataclass
class Hit:
    rank: int
    score: float  # fused (RRF) score
    passage: Passage
    dense_score: float  # cosine to the query; 0 when dense is off
    bm25_score: float
    also_in: list[Passage] = field(default_factory=list)  # near-duplicates collapsed into this hit

    def to_dict(self) -> dict:
        p = self.passage
        return {
            "rank": self.rank, "score": round(self.score, 6), "article_id": p.article_id, "title": p.title,
            "outlet": p.outlet, "published": p.published, "url": p.url, "source_path": p.source_path,
            "text": p.text, "dense_score": round(self.dense_score, 4), "bm25_score": round(self.bm25_score, 4),
            "also_in": [{"article_id": d.article_id, "title": d.title, "outlet": d.outlet,
                         "source_path": d.source_path} for d in self.also_in],
        }


@dataclass
class SearchResult:
    query: str
    hits: list[Hit]
    timings_ms: dict[str, float]

    def to_dict(self) -> dict:
        return {"query": self.query, "hits": [h.to_dict() for h in self.hits], "timings_ms": self.timings_ms}


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
        dense, query_vec = self._dense_scores(query, mask, timings)
        lexical = self._bm25_scores(query, mask, timings)
        started = time.perf_counter()
        fused = self._fuse(dense, lexical, mask)
        hits = self._collapse(fused, dense, lexical, k)
        timings["fuse"] = _ms(started)
        timings["total"] = round(sum(timings.values()), 3)
        return SearchResult(query, hits, timings)

    def _dense_scores(self, query, mask, timings) -> tuple[np.ndarray | None, np.ndarray | None]:
        if self.encoder is None:
            return None, None
        started = time.perf_counter()
        query_vec = self.encoder.encode([query])[0]
        timings["embed"] = _ms(started)
        started = time.perf_counter()
        scores = np.asarray(self.snapshot.vectors) @ query_vec
        if mask is not None:
            scores = np.where(mask, scores, -np.inf)
        timings["dense"] = _ms(started)
        return scores, query_vec

    def _bm25_scores(self, query, mask, timings) -> np.ndarray | None:
        if not self.config.bm25 or self.snapshot.bm25 is None:
            return None
        started = time.perf_counter()
        weights = mask.astype(np.float32) if mask is not None else None
        scores = self.snapshot.bm25.scores(query, weight_mask=weights)
        timings["bm25"] = _ms(started)
        return scores

    def _fuse(self, dense, lexical, mask) -> list[tuple[int, float]]:
        """Reciprocal rank fusion of each side's top candidates: sum of weight / (60 + rank)."""
        fused: dict[int, float] = {}
        for scores, weight in ((dense, self.config.dense_weight), (lexical, self.config.bm25_weight)):
            if scores is None:
                continue
            for rank, row in enumerate(_top_rows(scores, self.config.candidates, positive=scores is lexical)):
                fused[row] = fused.get(row, 0.0) + weight / (RRF_K + rank + 1)
        if mask is not None:
            fused = {row: s for row, s in fused.items() if mask[row]}
        return sorted(fused.items(), key=lambda item: (-item[1], item[0]))

    def _collapse(self, fused, dense, lexical, k) -> list[Hit]:
        """Take fused rows in order; a row too similar to a chosen one joins it as another source."""
        chosen: list[Hit] = []
        chosen_rows: list[int] = []
        for row, score in fused:
            twin = self._near_duplicate(row, chosen_rows)
            if twin is not None:
                chosen[twin].also_in.append(self.snapshot.passages[row])
                continue
            if len(chosen) == k:
                continue  # still absorb near-duplicates of the chosen hits, add no new ones
            passage = self.snapshot.passages[row]
            chosen.append(Hit(len(chosen) + 1, score, passage,
                              float(dense[row]) if dense is not None else 0.0,
                              float(lexical[row]) if lexical is not None else 0.0))
            chosen_rows.append(row)
        return chosen


    def _near_duplicate(self, row: int, chosen_rows: list[int]) -> int | None:
        """Index into chosen_rows of a passage from another article telling the same story, if any."""
        passages, article_of = self.snapshot.passages, self._article_rows
        others = [i for i, r in enumerate(chosen_rows) if article_of[r] != article_of[row]]
        if not others:
            return None
        if self._centroids is None:
            return next((i for i in others if passages[chosen_rows[i]].text == passages[row].text), None)
        rows = [chosen_rows[i] for i in others]
        vectors = self.snapshot.vectors
        passage_sims = np.asarray(vectors[rows]) @ np.asarray(vectors[row])
        story_sims = self._centroids[article_of[rows]] @ self._centroids[article_of[row]]
        alike = (passage_sims >= self.config.duplicate_cosine) & (story_sims >= self.config.duplicate_article_cosine)
        return others[int(np.argmax(np.where(alike, passage_sims, -1)))] if alike.any() else None


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
