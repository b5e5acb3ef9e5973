"""Small text helpers shared by citation checking and the extractive backend."""

from __future__ import annotations

import re
from functools import cache

import Stemmer
from bm25s.stopwords import STOPWORDS_EN

SENTENCE_BREAK = re.compile(r"(?<=[.!?])(?:\s*\[\d+(?:\s*,\s*\d+)*\])*\s+(?=[A-Z0-9'\"‘“(])")
WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")
STOPWORDS = frozenset(STOPWORDS_EN) | {"say", "said", "says", "tell", "told", "about", "what", "did", "does", "how"}


@cache
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def split_sentences(text: str) -> list[str]:
    """Sentences, keeping any citation markers with the sentence they follow."""
    parts: list[str] = []
    for paragraph in text.splitlines():
        parts.extend(s.strip() for s in _split_keep_markers(paragraph) if s.strip())
    return parts


def _split_keep_markers(paragraph: str) -> list[str]:
    pieces, start = [], 0
    for match in SENTENCE_BREAK.finditer(paragraph):
        end = match.start() + len(match.group(0).rstrip())
        pieces.append(paragraph[start:end])
        start = match.end()
    pieces.append(paragraph[start:])
    return pieces


def content_terms(text: str) -> set[str]:
    """Stemmed lowercase words that carry meaning (no stopwords, no one-letter words)."""
    words = [w.lower().strip("'’-") for w in WORD.findall(text)]
    return set(_stemmer().stemWords([w for w in words if len(w) > 1 and w not in STOPWORDS]))


def append_marker(sentence: str, n: int) -> str:
    """The sentence with a [n] citation placed before its final punctuation."""
    body = sentence.rstrip()
    if body and body[-1] in ".!?":
        return f"{body[:-1]} [{n}]{body[-1]}"
    return f"{body} [{n}]"
