"""From candidate passages to ranked hits: score fusion and near-duplicate collapse, for every store."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from retrieval.passages import Passage
from retrieval.searcher import Hit, Recency, SearchConfig

SPREAD = 3.0  # a side's scores map to 0..1 across its mean ± this many standard deviations
KEY_TERM = re.compile(r"\b\w*\d[\w.,]*")  # figures: "2021", "Q1", "H20", "9.85", "2,000"


def key_terms(query: str) -> frozenset[str]:
    """The query's figures, lowercased, that a passage should contain word for word."""
    return frozenset(t for t in (_norm(m.group(0)) for m in KEY_TERM.finditer(query)) if t)


def _norm(token: str) -> str:
    token = re.sub(r"['’]s$", "", token.lower()).strip(".,'’-")
    return token.replace(",", "") if re.fullmatch(r"\d{1,3}(,\d{3})+", token) else token


def key_term_share(keys: frozenset[str], text: str) -> float:
    """Share of the key terms the text contains as words."""
    if not keys:
        return 0.0
    plain = re.sub(r"(?<=\d),(?=\d{3})", "", text.lower())
    return sum(1 for key in keys if re.search(rf"(?<!\w){re.escape(key)}(?!\w)", plain)) / len(keys)


@dataclass
class Candidate:
    """A passage one side (or both) put in its top list, with what fusion and collapse need to know."""

    passage: Passage | None = None  # filled by the store's fill step
    vector: np.ndarray | None = None  # the passage's unit vector
    centroid: np.ndarray | None = None  # its article's unit mean vector
    dense_rank: int | None = None  # 0-based
    dense_score: float = 0.0
    lexical_rank: int | None = None
    lexical_score: float = 0.0
    boost: float = 1.0  # for holding the query's figures (rank_candidates)
    dense_part: float = 0.0  # the dense score, normalised over the dense side's candidates (normalise_sides)
    lexical_part: float = 0.0

    def fused(self, config: SearchConfig) -> float:
        """Convex fusion: dense_share x the normalised dense score + the rest x the normalised lexical one."""
        return (config.dense_share * self.dense_part + (1 - config.dense_share) * self.lexical_part) * self.boost

    @property
    def filled(self) -> Passage:
        assert self.passage is not None, "the store's fill step leaves no candidate without its passage"
        return self.passage


def normalise_sides(candidates: list[Candidate]) -> None:
    """Each side's scores, over the candidates that side ranked, mapped through mean ± SPREAD standard deviations.

    LlamaIndex's dist_based_score fusion: unlike rank fusion it keeps how far a side's best match stands out
    (a rare name BM25 matches alone), and it makes BM25 and ts_rank comparable to cosines. A side that did
    not rank a candidate gives it 0."""
    for side in ("dense", "lexical"):
        ranked = [c for c in candidates if getattr(c, f"{side}_rank") is not None]
        scores = np.array([getattr(c, f"{side}_score") for c in ranked], dtype=np.float64)
        for c, part in zip(ranked, _spread(scores), strict=True):
            setattr(c, f"{side}_part", float(part))


def _spread(scores: np.ndarray) -> np.ndarray:
    if not len(scores):
        return scores
    low, high = scores.mean() - SPREAD * scores.std(), scores.mean() + SPREAD * scores.std()
    if high > low:
        return (scores - low) / (high - low)
    return np.full_like(scores, 1.0 if high > 0 else 0.0)  # one candidate, or all alike (as LlamaIndex does)


def rank_candidates(
    candidates: list[Candidate], config: SearchConfig, k: int, query: str = "", recency: Recency | None = None
) -> list[Hit]:
    """The top k hits by fused score; a candidate telling the same story as a chosen hit joins it as a source.

    The fused score grows by up to key_term_weight for passages holding the query's figures word for word,
    so "Q1 2021" separates snippets that differ only there (the dense side barely sees numbers); with a
    recency, newer passages rise too."""
    keys = key_terms(query) if config.key_term_weight else frozenset()
    normalise_sides(candidates)
    for c in candidates:
        c.boost = 1.0 + config.key_term_weight * key_term_share(keys, f"{c.filled.source.title} {c.filled.text}")
        if recency is not None:
            c.boost *= recency.factor(c.filled.source.published_moment)
    ordered = sorted(candidates, key=lambda c: (-c.fused(config), c.filled.id))
    chosen: list[tuple[Hit, Candidate]] = []
    for candidate in ordered:
        twin = _twin(candidate, [c for _, c in chosen], config)
        if twin is not None:
            chosen[twin][0].also_in.append(candidate.filled)
        elif len(chosen) < k:
            hit = Hit(
                len(chosen) + 1,
                candidate.fused(config),
                candidate.filled,
                candidate.dense_score,
                candidate.lexical_score,
            )
            chosen.append((hit, candidate))
    return [hit for hit, _ in chosen]


def _twin(candidate: Candidate, chosen: list[Candidate], config: SearchConfig) -> int | None:
    """Index of a chosen candidate from another article that tells the same story, if any."""
    others = [i for i, c in enumerate(chosen) if c.filled.article_id != candidate.filled.article_id]
    if candidate.vector is None or candidate.centroid is None:
        return next((i for i in others if chosen[i].filled.text == candidate.filled.text), None)
    best, best_sim = None, -1.0
    for i in others:
        other = chosen[i]
        if other.vector is None or other.centroid is None:
            continue
        passage_sim = float(other.vector @ candidate.vector)
        story_sim = float(other.centroid @ candidate.centroid)
        if (
            passage_sim >= config.duplicate_cosine
            and story_sim >= config.duplicate_article_cosine
            and passage_sim > best_sim
        ):
            best, best_sim = i, passage_sim
    return best
