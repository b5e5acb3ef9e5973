"""Small text helpers shared by citation checking and the extractive backend."""

from __future__ import annotations

import re
from functools import cache, lru_cache

import pysbd
import Stemmer
from bm25s.stopwords import STOPWORDS_EN

MARKER = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")  # a citation: [1] or [1, 2]
LEADING_MARKERS = re.compile(r"^(?:\[\d+(?:\s*,\s*\d+)*\]\s*)+")  # "[1] [2] " opening a piece
WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")
STOPWORDS = frozenset(STOPWORDS_EN) | {"say", "said", "says", "tell", "told", "about", "what", "did", "does", "how"}


@cache
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


@cache
def _segmenter() -> pysbd.Segmenter:
    """pysbd's rule-based English splitter: "U.S.", "Mr.", "Inc." and "4.5" do not end a sentence."""
    return pysbd.Segmenter(language="en", clean=False)


def split_sentences(text: str) -> list[str]:
    """Sentences, line by line, keeping any citation markers with the sentence they follow."""
    parts: list[str] = []
    for paragraph in text.splitlines():
        parts.extend(_with_markers_kept(_segmenter().segment(paragraph)))
    return parts


@lru_cache(maxsize=8192)
def passage_sentences(passage: str) -> tuple[str, ...]:
    """A passage's sentences, split once however many checks read them (pysbd takes about a millisecond a
    passage, and an answer's checks read the same few passages for every sentence)."""
    return tuple(split_sentences(passage))


def _with_markers_kept(pieces: list[str]) -> list[str]:
    """The pieces stripped, markers that open a piece ("It rose. [1] Then…") moved back to the sentence before,
    and a piece that goes on after a title's "?" or "!" joined to it again ("Are We There Yet? took $17m")."""
    sentences: list[str] = []
    for piece in (p.strip() for p in pieces):
        markers = LEADING_MARKERS.match(piece)
        if markers and sentences:
            sentences[-1] = f"{sentences[-1]} {markers.group(0).strip()}"
            piece = piece[markers.end() :].strip()
        if piece and sentences and _goes_on(sentences[-1], piece):
            sentences[-1] += piece if piece[0] in TITLE_FOLLOWERS else f" {piece}"
        elif piece:
            sentences.append(piece)
    return sentences


TITLE_FOLLOWERS = ",;:)"  # marks that go on a sentence after a title ending "?": "Are We There Yet?, slipped"


def _goes_on(sentence: str, piece: str) -> bool:
    """Whether a piece continues a sentence ending in "?" or "!": it opens in lowercase or with a mark that
    never opens a sentence. A full stop is left to the splitter ("iPod sales rose" may open a sentence)."""
    return sentence.endswith(("?", "!")) and (piece[0].islower() or piece[0] in TITLE_FOLLOWERS)


def content_terms(text: str) -> set[str]:
    """Stemmed lowercase words that carry meaning (no stopwords, no one-letter words)."""
    words = [w.lower().strip("'’-") for w in WORD.findall(text)]
    return set(stems([w for w in words if len(w) > 1 and w not in STOPWORDS]))


def stems(words: list[str]) -> list[str]:
    """The words stemmed as content_terms stems them ("cutting" → "cut")."""
    return list(_stemmer().stemWords(words))


def append_marker(sentence: str, n: int) -> str:
    """The sentence with a [n] citation placed before its final punctuation."""
    body = sentence.rstrip()
    if body and body[-1] in ".!?":
        return f"{body[:-1]} [{n}]{body[-1]}"
    return f"{body} [{n}]"
