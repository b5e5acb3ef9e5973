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
    dense_weight: float = 1.0
    bm25_weight: float = 1.0
    duplicate_cosine: float = 0.8  # passages of different articles this similar are one passage, several sources


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
        vectors = self.snapshot.vectors
        for row, score in fused:
            twin = _near_duplicate(row, chosen_rows, vectors, self.snapshot.passages, self.config.duplicate_cosine)
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


def _near_duplicate(row, chosen_rows, vectors, passages, threshold) -> int | None:
    if not chosen_rows:
        return None
    """Index into chosen_rows of a passage from another article that says the same thing, if any."""
    article = passages[row].article_id
    others = [i for i, r in enumerate(chosen_rows) if passages[r].article_id != article]
    if not others:
        return None
    if vectors.shape[1]:
        sims = np.asarray(vectors[[chosen_rows[i] for i in others]]) @ np.asarray(vectors[row])
        best = int(np.argmax(sims))
        return others[best] if sims[best] >= threshold else None
    text = passages[row].text
    return next((i for i in others if passages[chosen_rows[i]].text == text), None)


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
