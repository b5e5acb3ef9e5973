"""Citation markers: keep the ones that point at a real passage, drop the rest, map each to its article."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import reduce
from typing import Any

from bot.answer.claims import POINTER, Evidence, evidence_for, only_points_to_sources, problems, support
from bot.answer.opposites import OPPOSITE, turned_round
from bot.answer.text import MARKER, append_marker, content_terms, passage_sentences, split_sentences
from retrieval.searcher import Hit
from retrieval.sources import Source

REPEAT = "says nothing an earlier sentence did not"  # why a sentence repeating the answer is not shown
MIN_TERMS_TO_REPEAT = 3  # "Yes." or "He did." may well share every word with an earlier sentence and still answer
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


class AnswerChecker:
    """Checks an answer sentence by sentence as it arrives: each kept only if the passages it cites pass the
    claim checks (claims.py); a sentence citing the wrong passage, or none, is re-pointed to the one passage
    that backs it, else dropped. Markers are numbered by first appearance as sentences are kept, so a sentence
    once shown never changes."""

    def __init__(self, hits: list[Hit]) -> None:
        self.hits = hits
        self._evidence = evidence_for(hits)
        self._articles = [h.passage.article_id for h in hits]
        self._order: list[int] = []  # old passage number of each new marker number
        self._kept: list[str] = []
        self._kept_terms: list[set[str]] = []
        self.dropped: list[tuple[str, list[str]]] = []

    def add(self, sentence: str) -> str | None:
        """The sentence as shown (markers renumbered), or None when it is dropped."""
        bare = MARKER.sub("", sentence).strip()
        if not bare or not re.search(r"\w", bare):
            return None
        terms = content_terms(bare)
        if self._repeats(terms):  # a small model may loop, writing one sentence again and again
            self.dropped.append((bare, [REPEAT]))
            return None
        cited, why = _cite(bare, _markers(sentence, len(self.hits)), self._evidence, self._articles)
        if not cited:
            self.dropped.append((bare, why))
            return None
        self._order.extend(n for n in cited if n not in self._order)
        shown = reduce(append_marker, [self._order.index(n) + 1 for n in cited], bare)
        shown = re.sub(r"\s+([.,;:!?])", r"\1", re.sub(r"[ \t]{2,}", " ", shown)).strip()
        self._kept.append(shown)
        self._kept_terms.append(terms)
        return shown

    def _repeats(self, terms: set[str]) -> bool:
        """Whether every content word of a sentence (terms) is in one sentence already shown."""
        return len(terms) >= MIN_TERMS_TO_REPEAT and any(terms <= kept for kept in self._kept_terms)

    def result(self) -> CheckedAnswer:
        text = " ".join(self._kept)
        citations = [_citation(new, self.hits[old - 1], text) for new, old in enumerate(self._order, 1)]
        return CheckedAnswer(text, citations, list(self.dropped))


def sentences_of(answer: str) -> list[str]:
    """The answer's sentences, each with the markers written after its full stop ("said. [1]")."""
    return split_sentences(MARKER_AFTER_STOP.sub(lambda m: f" {m.group(2).strip()}{m.group(1)} ", answer))


class SentenceStream:
    """Cuts a streamed answer into whole sentences as soon as each is finished: a sentence is finished once
    words of the next one have arrived, so a marker written after its full stop ("said. [1]") stays with it."""

    def __init__(self) -> None:
        self._buffer = ""

    def feed(self, piece: str) -> list[str]:
        self._buffer += piece
        sentences = sentences_of(self._buffer)
        if len(sentences) < 2 or not re.search(r"[^\W\d_]", MARKER.sub("", sentences[-1]).replace("[", "")):
            return []
        self._buffer = sentences[-1]
        return sentences[:-1]

    def close(self) -> list[str]:
        rest, self._buffer = self._buffer, ""
        return sentences_of(rest)


def check_citations(answer: str, hits: list[Hit]) -> CheckedAnswer:
    """The whole answer checked at once (see AnswerChecker)."""
    checker = AnswerChecker(hits)
    for sentence in sentences_of(answer):
        checker.add(sentence)
    return checker.result()


def invented_markers(answer: str, passages: int) -> int:
    """How many citation numbers in a raw answer point at no passage."""
    return sum(1 for m in MARKER.finditer(answer) for n in _numbers(m.group(1)) if not 1 <= n <= passages)


def _numbers(group: str) -> list[int]:
    return [int(x) for x in re.findall(r"\d+", group)]


def _markers(sentence: str, passages: int) -> list[int]:
    """The passage numbers a sentence cites, in order, once each, ignoring numbers that point at no passage."""
    found = [n for m in MARKER.finditer(sentence) for n in _numbers(m.group(1)) if 1 <= n <= passages]
    return list(dict.fromkeys(found))


def _cite(bare: str, cited: list[int], evidence: list[Evidence], articles: list[str]) -> tuple[list[int], list[str]]:
    """The passages that back the sentence (its own, or the one that does), or none and why not. A citation
    names an article, so the retrieved passages of the cited articles back it together: "Austin Healey won 51
    caps [1]" where [1] says "Healey, who won 51 caps" and the article's first passage names "Austin Healey".
    A sentence its own passage contradicts, or the retrieved passages together, is not moved to another that
    merely shares its words."""
    if only_points_to_sources(bare):  # a property of the sentence alone: judged once, not against each passage
        return [], [POINTER]
    why = problems(bare, [evidence[n - 1] for n in cited])
    if not why:
        return cited, []
    if any(reason.startswith(OPPOSITE) for reason in why):  # its own source says the reverse: not re-pointed
        return [], why
    cited_articles = {articles[n - 1] for n in cited}
    siblings = [i for i, a in enumerate(articles) if a in cited_articles]
    if cited and not problems(bare, [evidence[i] for i in siblings]):  # each article by its best passage
        return _best_of_each_article(bare, cited, siblings, evidence, articles), []
    if len(content_terms(bare)) < 3:
        return [], why
    turned = turned_round(bare, [e.body for e in evidence])
    if turned:  # the retrieved passages say the reverse and none the same: none can back it
        return [], why + turned
    backing = [i for i, e in enumerate(evidence) if not problems(bare, [e])] or _backing_articles(
        bare, evidence, articles
    )
    if not backing:
        return [], why
    return [_best_supporting(bare, backing, evidence) + 1], []


def _backing_articles(bare: str, evidence: list[Evidence], articles: list[str]) -> list[int]:
    """When no one passage backs a sentence: each article whose retrieved passages back it together, by its
    best passage (the same rule as for a sentence citing that article)."""
    passages: dict[str, list[int]] = {}
    for i, article in enumerate(articles):
        passages.setdefault(article, []).append(i)
    return [
        _best_supporting(bare, own, evidence)
        for own in passages.values()
        if len(own) > 1 and not problems(bare, [evidence[i] for i in own])
    ]


def _best_of_each_article(
    bare: str, cited: list[int], siblings: list[int], evidence: list[Evidence], articles: list[str]
) -> list[int]:
    """For each cited article, in citing order, its retrieved passage that best supports the sentence: the
    citation then quotes the sentence holding the claim."""
    chosen: list[int] = []
    for n in cited:
        own = [i for i in siblings if articles[i] == articles[n - 1]]
        pick = _best_supporting(bare, own, evidence) + 1
        chosen.extend([pick] if pick not in chosen else [])
    return chosen


def _best_supporting(bare: str, indices: list[int], evidence: list[Evidence]) -> int:
    """Of these passages (0-based), the one holding most of the sentence's words."""
    return max(indices, key=lambda i: support(bare, [evidence[i]]))


def _citation(n: int, hit: Hit, answer: str) -> Citation:
    return Citation(n, hit.passage.source, _quote(hit.passage.text, _citing_text(answer, n)), other_articles(hit))


def _citing_text(answer: str, n: int) -> str:
    return " ".join(s for s in split_sentences(answer) if any(n in _numbers(m.group(1)) for m in MARKER.finditer(s)))


def _quote(passage: str, citing: str) -> str:
    """The passage sentence that shares most words with the answer sentences citing it."""
    terms = content_terms(citing)
    sentences = passage_sentences(passage)
    return max(sentences, key=lambda s: len(terms & content_terms(s)), default=passage[:200])


def other_articles(hit: Hit) -> list[Source]:
    """The other articles telling the same story, each once: several of one article's passages may have
    collapsed into the hit, and the hit's own article is not "also" anywhere."""
    seen = {hit.passage.article_id}
    others = []
    for duplicate in hit.also_in:
        if duplicate.article_id not in seen:
            seen.add(duplicate.article_id)
            others.append(duplicate.source)
    return others
