"""Citation markers: keep the ones that point at a real passage, drop the rest, map each to its article."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bot.answer.text import append_marker, content_terms, split_sentences
from retrieval.searcher import Hit
from retrieval.sources import Source

MARKER = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")
MARKER_AFTER_STOP = re.compile(r"([.!?])\s*((?:\[\d+(?:\s*,\s*\d+)*\]\s*)+)")  # "said. [1]" -> "said [1]."
SUPPORT = 0.5  # share of a sentence's content words a passage must hold to be cited for it
WEAK = 0.35  # below this, the cited passage does not hold the sentence


@dataclass(frozen=True)
class Citation:
    """A source the answer cites as [n], with the passage sentence that backs it and its near-duplicates."""

    n: int
    source: Source
    quote: str
    also_in: list[Source] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Flat JSON: n, the source's fields, quote, and also_in as source records."""
        return {
            "n": self.n,
            **self.source.to_dict(),
            "quote": self.quote,
            "also_in": [s.to_dict() for s in self.also_in],
        }


def check_citations(answer: str, hits: list[Hit]) -> tuple[str, list[Citation]]:
    """The answer with each sentence's markers checked against the passages, and the sources it cites.

    Invented numbers are dropped; a marker whose passage does not hold the sentence's words is moved to the
    passage that plainly does; a sentence with no marker gets one when a passage plainly supports it."""
    sentences = split_sentences(MARKER_AFTER_STOP.sub(lambda m: f" {m.group(2).strip()}{m.group(1)} ", answer))
    cleaned = " ".join(_check_sentence(s, hits) for s in sentences)
    cleaned = re.sub(r"\s+([.,;:!?])", r"\1", re.sub(r"[ \t]{2,}", " ", cleaned)).strip()
    cited = sorted({n for m in MARKER.finditer(cleaned) for n in _numbers(m.group(1))})
    return cleaned, [_citation(n, hits[n - 1], cleaned) for n in cited]


def invented_markers(answer: str, passages: int) -> int:
    """How many citation numbers in a raw answer point at no passage."""
    return sum(1 for m in MARKER.finditer(answer) for n in _numbers(m.group(1)) if not 1 <= n <= passages)


def _numbers(group: str) -> list[int]:
    return [int(x) for x in re.findall(r"\d+", group)]


def _check_sentence(sentence: str, hits: list[Hit]) -> str:
    numbers = [n for m in MARKER.finditer(sentence) for n in _numbers(m.group(1)) if 1 <= n <= len(hits)]
    bare = MARKER.sub("", sentence).strip()
    if not bare:
        return ""
    support = _support(bare, hits)
    if support:
        best = max(range(len(hits)), key=lambda i: support[i]) + 1
        if numbers:
            numbers = [best if support[n - 1] < WEAK and support[best - 1] >= SUPPORT else n for n in numbers]
        elif support[best - 1] >= SUPPORT:
            numbers = [best]
    for n in dict.fromkeys(numbers):
        bare = append_marker(bare, n)
    return bare


def _support(sentence: str, hits: list[Hit]) -> list[float]:
    """Share of the sentence's content words found in each passage; empty for sentences too short to judge."""
    terms = content_terms(sentence)
    if len(terms) < 3:
        return []
    return [len(terms & content_terms(h.passage.text)) / len(terms) for h in hits]


def _citation(n: int, hit: Hit, answer: str) -> Citation:
    return Citation(
        n, hit.passage.source, _quote(hit.passage.text, _citing_text(answer, n)), [d.source for d in hit.also_in]
    )


def _citing_text(answer: str, n: int) -> str:
    return " ".join(s for s in split_sentences(answer) if any(n in _numbers(m.group(1)) for m in MARKER.finditer(s)))


def _quote(passage: str, citing: str) -> str:
    """The passage sentence that shares most words with the answer sentences citing it."""
    terms = content_terms(citing)
    sentences = split_sentences(passage)
    return max(sentences, key=lambda s: len(terms & content_terms(s)), default=passage[:200])
