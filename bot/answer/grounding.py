"""Numbers are where a small model invents most: an answer sentence stating a number no passage holds is dropped."""

from __future__ import annotations

import re

from bot.answer.citations import MARKER
from bot.answer.text import split_sentences
from retrieval.searcher import Hit

NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
NUMBER_WORDS = {
    word: str(n)
    for n, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}
WORD = re.compile(r"\b(" + "|".join(NUMBER_WORDS) + r")\b", re.I)
YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


def numbers_in(text: str) -> set[str]:
    """Numbers as digits, thousands separators removed; number words one to twenty count as their digits."""
    found = {m.group(0).replace(",", "").rstrip(".") for m in NUMBER.finditer(MARKER.sub(" ", text))}
    return found | {NUMBER_WORDS[w.lower()] for w in WORD.findall(text)}


def years_not_covered(question: str, hits: list[Hit]) -> set[str]:
    """Years the question asks about that no retrieved passage mentions: the articles do not cover them."""
    text = " ".join(h.passage.embed_text() for h in hits)
    return {year for year in YEAR.findall(question) if year not in text}


def drop_ungrounded_numbers(answer: str, hits: list[Hit], question: str = "") -> str:
    """The answer without sentences stating numbers found in no passage (nor in the question it restates)."""
    known = numbers_in(question).union(*(numbers_in(h.passage.embed_text()) for h in hits))
    return " ".join(s for s in split_sentences(answer) if not numbers_in(s) - known)
