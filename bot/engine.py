"""The answer engine: question (+ history) → passages → prompt → backend → Answer with checked citations."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Callable

from retrieval.library import Library
from retrieval.search import Filters, Hit

from bot.citations import MARKER, Citation, check_citations, invented_markers
from bot.grounding import drop_ungrounded_numbers, years_not_covered
from bot.llm import AnswerBackend
from bot.prompting import Turn
from prompts import load_prompt

NOT_FOUND = "NOT_IN_ARTICLES"
REFUSAL_PHRASES = re.compile(
    r"(i (could not|couldn't|cannot|can't) find|(passages|articles|context) do(es)? not (mention|contain|say|provide)"
    r"|not (mentioned|stated|provided|given|found|available) in the (given |provided )?(passages|articles|context)"
    r"|there is no information|no information (is )?(given|provided|available))", re.I,
)


@dataclass
class Answer:
    question: str
    answer: str
    refused: bool
    citations: list[Citation]
    backend: str
    hits: list[Hit] = field(default_factory=list)
    search_query: str = ""
    timings_ms: dict[str, float] = field(default_factory=dict)
    invented_citations: int = 0  # markers the model wrote that pointed at no passage (dropped)

    def to_dict(self) -> dict:
        return {
            "question": self.question, "answer": self.answer, "refused": self.refused,
            "citations": [c.to_dict() for c in self.citations], "backend": self.backend,
            "timings_ms": self.timings_ms,
        }


class Engine:
    """Stateless per question; conversation history is passed in by the caller (CLI chat or Slack thread)."""

    def __init__(self, library: Library, backend: AnswerBackend, top_k: int, min_relevance: float) -> None:
        self.library = library
        self.backend = backend
        self.top_k = top_k
        self.min_relevance = min_relevance

    def ask(self, question: str, history: list[Turn] | None = None,
            on_token: Callable[[str], None] | None = None, filters: Filters = Filters()) -> Answer:
        """Answer from the articles or refuse; streams tokens to on_token as the backend produces them."""
        history = history or []
        timings: dict[str, float] = {}
        started = time.perf_counter()
        query = self.backend.condense(question, history) if history else question
        timings["condense"] = _ms(started)
        result = self.library.searcher().search(query, self.top_k, filters)
        timings["retrieve"] = result.timings_ms.get("total", 0.0)
        if not self._relevant(result.hits) or years_not_covered(query, result.hits):
            return self._refusal(question, result.hits, query, timings, started)
        first: list[float] = []

        def stream(token: str) -> None:
            if not first:
                first.append(_ms(started))
            if on_token:
                on_token(token)

        raw = self.backend.generate(question, result.hits, history, stream)
        timings["first_token"] = first[0] if first else _ms(started)
        grounded = drop_ungrounded_numbers(raw, result.hits, query)
        text, citations = check_citations(grounded, result.hits)
        if _is_refusal(raw) or not citations:  # nothing left that a passage backs: say so, invent nothing
            return self._refusal(question, result.hits, query, timings, started)
        timings["total"] = _ms(started)
        return Answer(question, text, False, citations, self.backend.name, result.hits, query, timings,
                      invented_markers(raw, len(result.hits)))

    def _relevant(self, hits: list[Hit]) -> bool:
        if not hits:
            return False
        if self.library.dense_enabled:
            return max(h.dense_score for h in hits) >= self.min_relevance
        return max(h.bm25_score for h in hits) > 0

    def _refusal(self, question, hits, query, timings, started) -> Answer:
        timings["total"] = _ms(started)
        return Answer(question, load_prompt("refusal"), True, [], self.backend.name, hits, query, timings)


def _is_refusal(raw: str) -> bool:
    """NOT_IN_ARTICLES anywhere, or a refusal in the model's own words that cites nothing."""
    return NOT_FOUND in raw or (bool(REFUSAL_PHRASES.search(raw)) and not MARKER.search(raw))


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)
