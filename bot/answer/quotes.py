"""Quoting the articles: the passage sentences that share most words with a question, each with its marker.
The extractive backend answers with them; the engine offers them when the model finds no answer."""

from __future__ import annotations

import re

from bot.answer.facts import name_words
from bot.answer.text import append_marker, content_terms, split_sentences
from retrieval.searcher import Hit

MAX_SENTENCES = 2
RANK_BONUS = 0.05  # a small preference for better-ranked passages on ties


def best_sentences(question: str, hits: list[Hit], limit: int = MAX_SENTENCES, anchor: str = "") -> str:
    """Verbatim passage sentences, best first, each followed by [n]; "" when none shares a word with the question
    (or, with an anchor, none also holds that word).

    Measured on tests/eval: weighting words by rarity answered no more questions than plain overlap."""
    terms = content_terms(question)
    held = re.compile(rf"(?<!\w){re.escape(anchor)}(?!\w)") if anchor else None
    scored = sorted(
        (
            (len(terms & s_terms) / max(len(terms), 1) + RANK_BONUS / n, -n, -position, text, n)
            for n, position, text, s_terms in _sentences(hits)
            if terms & s_terms and (held is None or held.search(text))
        ),
        reverse=True,
    )
    return " ".join(append_marker(text, n) for *_, text, n in scored[:limit])


def rarest_name(question: str, hits: list[Hit]) -> str:
    """The question's name word held by the fewest passage sentences (but some): what a quote must be about."""
    sentences = [text for _, _, text, _ in _sentences(hits)]
    counts = {
        word: sum(1 for text in sentences if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text))
        for word in name_words(question)
    }
    present = sorted((count, word) for word, count in counts.items() if count)
    return present[0][1] if present else ""


def _sentences(hits: list[Hit]) -> list[tuple[int, int, str, set[str]]]:
    """(passage number, position, sentence, its terms), each distinct sentence once (passages overlap)."""
    seen: set[str] = set()
    rows = []
    for n, hit in enumerate(hits, start=1):
        for position, sentence in enumerate(split_sentences(hit.passage.text)):
            if sentence not in seen:
                seen.add(sentence)
                rows.append((n, position, sentence, content_terms(sentence)))
    return rows
