"""An independent re-check of a final answer for `newsbot eval`: cited sentences whose figures or proper nouns
the cited articles' retrieved text does not contain. Deliberately simpler than, and separate from, the
engine's claim checks (claims.py), so that eval does not grade the engine with its own filter."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from text_to_num import alpha2digit

from bot.answer.text import MARKER, split_sentences

if TYPE_CHECKING:
    from bot.answer.engine import Answer

FIGURE = re.compile(r"\d[\d,]*(?:\.\d+)?")
SMALL = {"one": "1", "two": "2", "three": "3"}  # alpha2digit leaves these as words
HALF = re.compile(r"\b(\d+) and a half\b")
PROPER = re.compile(r"(?<=[a-z,;:] )[A-Z][a-z]{2,}")  # capitalised words in mid-sentence, after a lowercase word


def unsupported_sentences(answer: Answer) -> list[str]:
    """Cited sentences naming a figure or a mid-sentence proper noun absent from every passage they cite."""
    if not answer.citations:
        return []
    texts = {c.n: _cited_text(answer, c.source.article_id) for c in answer.citations}
    found = []
    for sentence in split_sentences(answer.answer):
        numbers = [int(n) for m in MARKER.finditer(sentence) for n in re.findall(r"\d+", m.group(1))]
        if not numbers:
            continue
        cited = " ".join(texts.get(n, "") for n in numbers)
        bare = MARKER.sub(" ", sentence)
        figures = {x.replace(",", "").rstrip(".") for x in FIGURE.findall(bare)}
        known = {x.replace(",", "").rstrip(".") for x in FIGURE.findall(_spelled_as_digits(cited))}
        nouns = [w for w in PROPER.findall(bare) if not re.search(rf"\b{w[: max(4, len(w) - 3)]}", cited, re.I)]
        if figures - known or nouns:
            found.append(sentence)
    return found


def _spelled_as_digits(text: str) -> str:
    """The text with its figures in words also given as digits: an answer's "8 megabit" for "eight megabit",
    "6 tries" for "a six-try victory", "3.5 years" for "three and a half years"."""
    digits = alpha2digit(text.replace("-", " "), "en")  # "six-try", "Fifteen-year-old" too
    digits = re.sub(r"\b(?:one|two|three)\b", lambda m: SMALL[m.group(0).lower()], digits, flags=re.I)
    halves = " ".join(f"{n}.5" for n in HALF.findall(digits))
    return f"{text} {digits} {halves}"


def _cited_text(answer: Answer, article_id: str) -> str:
    """The retrieved text of an article: its title and every retrieved passage from it (or its duplicates)."""
    parts = []
    for hit in answer.hits:
        for passage in (hit.passage, *hit.also_in):
            if passage.source.article_id == article_id:
                parts += [passage.source.title, passage.text, passage.source.published]
    return " ".join(parts)
