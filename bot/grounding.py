"""Numbers are where a small model invents most: an answer sentence stating a number no passage holds is dropped."""

from __future__ import annotations

import re

from retrieval.hits import Hit

from bot.citations import MARKER
from bot.text import split_sentences

NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
NUMBER_WORDS = {word: str(n) for n, word in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
WORD = re.compile(r"\b(" + "|".join(NUMBER_WORDS) + r")\b", re.I)


def numbers_in(text: str) -> set[str]:
    """Numbers as digits, thousands separators removed; number words one to twenty count as their digits."""
    found = {m.group(0).replace(",", "").rstrip(".") for m in NUMBER.finditer(MARKER.sub(" ", text))}
    return found | {NUMBER_WORDS[w.lower()] for w in WORD.findall(text)}


def drop_ungrounded_numbers(answer: str, hits: list[Hit]) -> tuple[str, int]:
    """The answer without sentences whose numbers appear in no passage, and how many sentences went."""
    known = set().union(*(numbers_in(f"{h.passage.title} {h.passage.text}") for h in hits)) if hits else set()
    kept, dropped = [], 0
    for sentence in split_sentences(answer):
        if numbers_in(sentence) - known:
            dropped += 1
        else:
            kept.append(sentence)
    return " ".join(kept), dropped
