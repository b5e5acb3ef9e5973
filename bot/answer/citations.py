"""Citation markers: keep the ones that point at a real passage, drop the rest, map each to its article."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import reduce
from typing import Any

from bot.answer.claims import Evidence, evidence_for, problems, support
from bot.answer.text import MARKER, append_marker, content_terms, split_sentences
from retrieval.searcher import Hit
from retrieval.sources import Source

MARKER_AFTER_STOP = re.compile(r"([.!?])\s*((?:\[\d+(?:\s*,\s*\d+)*\]\s*)+)")  # "said. [1]" -> "said [1]."


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


@dataclass(frozen=True)
class CheckedAnswer:
    """The answer as shown: sentences its passages back, markers numbered in reading order; and what was cut."""

    text: str
    citations: list[Citation]
    dropped: list[tuple[str, list[str]]]  # (sentence, why) for each sentence removed


def check_citations(answer: str, hits: list[Hit]) -> CheckedAnswer:
    """Each sentence kept only if the passages it cites pass the claim checks (claims.py); a sentence citing
    the wrong passage, or none, is re-pointed to the one passage that backs it, else dropped. Markers are then
    renumbered by first appearance, and the citations listed in that order."""
    evidence = evidence_for(hits)
    kept: list[str] = []
    dropped: list[tuple[str, list[str]]] = []
    for sentence in split_sentences(MARKER_AFTER_STOP.sub(lambda m: f" {m.group(2).strip()}{m.group(1)} ", answer)):
        bare = MARKER.sub("", sentence).strip()
        if not bare or not re.search(r"\w", bare):
            continue
        cited, why = _cite(bare, _markers(sentence, len(hits)), evidence)
        if cited:
            kept.append(reduce(append_marker, cited, bare))
        else:
            dropped.append((bare, why))
    text, order = _in_reading_order(" ".join(kept))
    text = re.sub(r"\s+([.,;:!?])", r"\1", re.sub(r"[ \t]{2,}", " ", text)).strip()
    return CheckedAnswer(text, [_citation(new, hits[old - 1], text) for new, old in enumerate(order, 1)], dropped)


def invented_markers(answer: str, passages: int) -> int:
    """How many citation numbers in a raw answer point at no passage."""
    return sum(1 for m in MARKER.finditer(answer) for n in _numbers(m.group(1)) if not 1 <= n <= passages)


def _numbers(group: str) -> list[int]:
    return [int(x) for x in re.findall(r"\d+", group)]


def _markers(sentence: str, passages: int) -> list[int]:
    """The passage numbers a sentence cites, in order, once each, ignoring numbers that point at no passage."""
    found = [n for m in MARKER.finditer(sentence) for n in _numbers(m.group(1)) if 1 <= n <= passages]
    return list(dict.fromkeys(found))


def _cite(bare: str, cited: list[int], evidence: list[Evidence]) -> tuple[list[int], list[str]]:
    """The passages that back the sentence (its own, or the one that does), or none and why not."""
    why = problems(bare, [evidence[n - 1] for n in cited])
    if not why:
        return cited, []
    if len(content_terms(bare)) < 3:
        return [], why
    backing = [i for i, e in enumerate(evidence) if not problems(bare, [e])]
    if not backing:
        return [], why
    return [max(backing, key=lambda i: support(bare, [evidence[i]])) + 1], []


def _in_reading_order(text: str) -> tuple[str, list[int]]:
    """The text with markers renumbered 1, 2, … by first appearance, and the old number of each new one."""
    order: list[int] = []
    for m in MARKER.finditer(text):
        order.extend(n for n in _numbers(m.group(1)) if n not in order)
    new = {old: i for i, old in enumerate(order, 1)}
    renumbered = MARKER.sub(lambda m: "[" + ", ".join(str(new[n]) for n in _numbers(m.group(1))) + "]", text)
    return renumbered, order


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
