"""Whose figure it is: a claim's figure that its passages give only for another named subject.

"Finding Nemo made $80 million in its first week on DVD [1]" over "Oscar-nominated animation Shark Tale has raked
in $80m in the first week of its US DVD release": every word and figure is in the passage, but the $80m is Shark
Tale's. A figure the claim gives for a named subject (its first name before the figure, places and the claim's
source aside) must be held by a passage sentence that names no one else before the figure, or whose own or
neighbouring sentences name that subject ("He was 84", "The firm's profits hit $10bn" after a sentence naming
the firm)."""

from __future__ import annotations

import re
from functools import lru_cache

from bot.answer import facts as f
from bot.answer.text import passage_sentences

AROUND = 1  # sentences either side of the figure's sentence that may name its subject ("LG Card had been …")
CAPITALISED = re.compile(r"\b[A-Z][\w'’&-]*\w")
NAME_RUN = re.compile(r"[A-Z][\w'’&.-]*(?:\s+(?:(?:of|de|la|van|von|and|&)\s+)?[A-Z][\w'’&.-]*)*")  # "Bank of England"


def others_figures(claim: str, passages: list[str], spoken: set[str]) -> list[str]:
    """One reason per figure of the claim that the passages hold only for someone else: "figure 80 of another".
    spoken: the claim's speakers' name words ("According to Morgan Stanley, …"), a source the speaker check
    judges, never the subject."""
    figures = f.figures_at(claim)
    if not figures:  # most sentences: nothing to read in the passages
        return []
    found = []
    named = frozenset().union(*(f.facts_in(p).names for p in passages))  # facts_in is cached
    opener = {f.opening_word(claim)} & named - f.place_words()  # a name where a passage has it mid-sentence
    for figure, before in figures:
        subject = _first_run((f.doers_in(before) | opener) - spoken, before)
        held = [spot for passage in passages for spot in _figure_spots(passage) if spot[0] == figure]
        if subject and held and not any(_may_be_of(subject, others, around) for _, others, around in held):
            found.append(f"figure {figure} of another")
    return found


def _first_run(doers: set[str], before: str) -> set[str]:
    """Of these name words, those of the first name the text gives: the claim's subject ("Nissan", not "Avalon")."""
    for run in NAME_RUN.findall(before):
        first = {f.name_word(w) for w in run.split()} & doers
        if first:
            return first
    return set()


def _may_be_of(subject: set[str], others: frozenset[str], around: str) -> bool:
    """Whether a passage's figure may be the subject's: no one else is named before it, or the subject is near."""
    if not others:
        return True
    near = set(CAPITALISED.findall(around))
    return any(f.same_name_word(word, near, around) for word in subject)


@lru_cache(maxsize=4096)
def _figure_spots(passage: str) -> tuple[tuple[str, frozenset[str], str], ...]:
    """Each figure of the passage with the others named before it in its sentence and the sentences around it."""
    sentences = passage_sentences(passage)
    spots = []
    for i, sentence in enumerate(sentences):
        around = "\n".join(sentences[max(i - AROUND, 0) : i + AROUND + 1])
        spots += [(figure, frozenset(f.doers_in(before)), around) for figure, before in f.figures_at(sentence)]
    return tuple(spots)
