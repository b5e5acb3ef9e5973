"""Citation markers: keep the ones that point at a real passage, drop the rest, map each to its article."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from retrieval.search import Hit

from bot.text import append_marker, content_terms, split_sentences

MARKER = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")
SUPPORT = 0.5  # share of an uncited sentence's content words a passage must hold to be cited for it


@dataclass(frozen=True)
class Source:
    article_id: str
    title: str
    outlet: str
    published: str
    url: str
    source_path: str


@dataclass(frozen=True)
class Citation:
    n: int
    article_id: str
    title: str
    outlet: str
    published: str
    url: str
    source_path: str
    quote: str
    also_in: list[Source] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def check_citations(answer: str, hits: list[Hit]) -> tuple[str, list[Citation]]:
    """The answer with invented markers removed and uncited sentences grounded, and the sources it cites."""
    valid = range(1, len(hits) + 1)
    cleaned = MARKER.sub(lambda m: _keep_valid(m, valid), answer)
    cleaned = _ground_uncited(cleaned, hits)
    cleaned = re.sub(r"[ \t]+([.,;:])", r"\1", re.sub(r"[ \t]{2,}", " ", cleaned)).strip()
    cited = sorted({n for m in MARKER.finditer(cleaned) for n in _numbers(m.group(1))})
    return cleaned, [_citation(n, hits[n - 1], cleaned) for n in cited]


def _numbers(group: str) -> list[int]:
    return [int(x) for x in re.findall(r"\d+", group)]


def _keep_valid(match: re.Match, valid: range) -> str:
    kept = [n for n in _numbers(match.group(1)) if n in valid]
    return "".join(f"[{n}]" for n in dict.fromkeys(kept))


def _ground_uncited(answer: str, hits: list[Hit]) -> str:
    """Give a sentence with no marker the passage that plainly supports it; leave it bare otherwise."""
    out = []
    for sentence in split_sentences(answer):
        if not MARKER.search(sentence):
            n = _best_support(sentence, hits)
            if n:
                sentence = append_marker(sentence, n)
        out.append(sentence)
    return " ".join(out)


def _best_support(sentence: str, hits: list[Hit]) -> int | None:
    terms = content_terms(sentence)
    if len(terms) < 3:
        return None
    scored = [(len(terms & content_terms(h.passage.text)) / len(terms), i + 1) for i, h in enumerate(hits)]
    share, n = max(scored, default=(0.0, None))
    return n if share >= SUPPORT else None


def _citation(n: int, hit: Hit, answer: str) -> Citation:
    p = hit.passage
    also = [Source(d.article_id, d.title, d.outlet, d.published, d.url, d.source_path) for d in hit.also_in]
    return Citation(n, p.article_id, p.title, p.outlet, p.published, p.url, p.source_path,
                    _quote(p.text, _citing_text(answer, n)), also)


def _citing_text(answer: str, n: int) -> str:
    return " ".join(s for s in split_sentences(answer) if any(n in _numbers(m.group(1)) for m in MARKER.finditer(s)))


def _quote(passage: str, citing: str) -> str:
    """The passage sentence that shares most words with the answer sentences citing it."""
    terms = content_terms(citing)
    sentences = split_sentences(passage)
    return max(sentences, key=lambda s: len(terms & content_terms(s)), default=passage[:200])
