"""From candidate passages to ranked hits: reciprocal rank fusion and near-duplicate collapse, for every store."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from retrieval.passages import Passage

RRF_K = 60


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
    bm25_score: float  # the lexical side's own score (BM25, or ts_rank in PostgreSQL)
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


@dataclass
class Candidate:
    """A passage one side (or both) put in its top list, with what fusion and collapse need to know."""

    passage: Passage
    vector: np.ndarray | None = None  # the passage's unit vector
    centroid: np.ndarray | None = None  # its article's unit mean vector
    dense_rank: int | None = None  # 0-based
    dense_score: float = 0.0
    bm25_rank: int | None = None
    bm25_score: float = 0.0

    def fused(self, config: SearchConfig) -> float:
        """Reciprocal rank fusion: the sum of weight / (60 + rank) over the sides that ranked it."""
        score = 0.0
        if self.dense_rank is not None:
            score += config.dense_weight / (RRF_K + self.dense_rank + 1)
        if self.bm25_rank is not None:
            score += config.bm25_weight / (RRF_K + self.bm25_rank + 1)
        return score


def rank_candidates(candidates: list[Candidate], config: SearchConfig, k: int) -> list[Hit]:
    """The top k hits by fused score; a candidate telling the same story as a chosen hit joins it as a source."""
    ordered = sorted(candidates, key=lambda c: (-c.fused(config), c.passage.id))
    chosen: list[tuple[Hit, Candidate]] = []
    for candidate in ordered:
        twin = _twin(candidate, [c for _, c in chosen], config)
        if twin is not None:
            chosen[twin][0].also_in.append(candidate.passage)
        elif len(chosen) < k:
            hit = Hit(len(chosen) + 1, candidate.fused(config), candidate.passage, candidate.dense_score,
                      candidate.bm25_score)
            chosen.append((hit, candidate))
    return [hit for hit, _ in chosen]


def _twin(candidate: Candidate, chosen: list[Candidate], config: SearchConfig) -> int | None:
    """Index of a chosen candidate from another article that tells the same story, if any."""
    others = [i for i, c in enumerate(chosen) if c.passage.article_id != candidate.passage.article_id]
    if candidate.vector is None or candidate.centroid is None:
        return next((i for i in others if chosen[i].passage.text == candidate.passage.text), None)
    best, best_sim = None, -1.0
    for i in others:
        passage_sim = float(chosen[i].vector @ candidate.vector)
        story_sim = float(chosen[i].centroid @ candidate.centroid)
        if passage_sim >= config.duplicate_cosine and story_sim >= config.duplicate_article_cosine and passage_sim > best_sim:
            best, best_sim = i, passage_sim
    return best
