"""Quoting the articles: the passage sentences that share most words with a question, each with its marker.
The extractive backend answers with them; the engine offers them when the model finds no answer."""

from __future__ import annotations

import re

from bot.answer.facts import facts_in, name_words
from bot.answer.text import append_marker, content_terms, passage_sentences
from retrieval.searcher import Hit

MAX_SENTENCES = 2
RANK_BONUS = 0.05  # a small preference for better-ranked passages on ties


def best_sentences(
    question: str,
    hits: list[Hit],
    limit: int = MAX_SENTENCES,
    anchor: str = "",
    min_share: float = 0.0,
    newest_first: bool = False,
    prefer_figures: bool = False,
) -> str:
    """Verbatim passage sentences, best first, each followed by [n]; "" when none shares a word with the question
    (or min_share of its content words). With an anchor, only from passages holding that word (a sentence may
    name its subject "he" or "the bank"). newest_first (for "latest" questions): of the sentences that qualify,
    those from the newest dated article come first. prefer_figures: then those stating a figure.

    Measured on tests/eval: weighting words by rarity answered no more questions than plain overlap."""
    terms = content_terms(question)
    allowed = {
        n
        for n, hit in enumerate(hits, start=1)
        if not anchor or _holds(f"{hit.passage.source.title}\n{hit.passage.text}", anchor)
    }
    scored = sorted(
        (
            (
                _age_rank(hits[n - 1]) if newest_first else 0.0,
                prefer_figures and _states_figure(text),
                len(terms & s_terms) / max(len(terms), 1) + RANK_BONUS / n,
                -n,
                -position,
                text,
                n,
            )
            for n, position, text, s_terms in _sentences(hits)
            if terms & s_terms and n in allowed and len(terms & s_terms) >= min_share * len(terms)
        ),
        reverse=True,
    )
    return " ".join(append_marker(text, n) for *_, text, n in scored[:limit])


def _states_figure(sentence: str) -> bool:
    """Whether the sentence states a figure other than a day of a month ("2 December" is a date)."""
    stated = facts_in(sentence)
    return bool(stated.numbers - {day for day, _ in stated.days})


def _age_rank(hit: Hit) -> float:
    """Larger for newer passages; undated ones last."""
    moment = hit.passage.source.published_moment
    return moment.timestamp() if moment else float("-inf")


def rarest_name(question: str, hits: list[Hit]) -> str:
    """The question's name word held by the fewest passage sentences (but some): what a quote must be about."""
    sentences = [text for _, _, text, _ in _sentences(hits)]
    counts = {word: sum(1 for text in sentences if _holds(text, word)) for word in name_words(question)}
    present = sorted((count, word) for word, count in counts.items() if count)
    return present[0][1] if present else ""


def _sentences(hits: list[Hit]) -> list[tuple[int, int, str, set[str]]]:
    """(passage number, position, sentence, its terms), each distinct sentence once (passages overlap)."""
    seen: set[str] = set()
    rows = []
    for n, hit in enumerate(hits, start=1):
        for position, sentence in enumerate(passage_sentences(hit.passage.text)):
            if sentence not in seen:
                seen.add(sentence)
                rows.append((n, position, sentence, content_terms(sentence)))
    return rows


def _holds(text: str, word: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text) is not None
