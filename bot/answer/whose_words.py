"""Whose words a quote is: a claim that puts a passage's quoted words in the mouth of someone the passage
does not have saying them.

"Paul Cherney said the PPI report was "much less alarming" than at first glance [1]" over a passage where
Cherney speaks in one sentence and "Ian Shepherdson … said the PPI report was "much less alarming"" in the
next: the speaker check finds Cherney speaking in the passage, and every word is there, but the quote is
Shepherdson's. A claim's quoted words, found in a passage sentence, must be said there by one of the claim's
speakers, or by no one the passage names (a quote running on from a sentence naming nobody). Without quotation
marks, what the claim says its speaker said is looked for the same way: the passage sentence holding most of
it, when that holds MIN_SAID_SHARE of its words, must not be said by someone else there."""

from __future__ import annotations

import re
from functools import lru_cache

from bot.answer import facts as f
from bot.answer.text import content_terms, passage_sentences

QUOTED = re.compile(r"[\"“]([^\"“”]+)[\"”]")  # the words between a pair of quotation marks
MIN_QUOTED_WORDS = 2  # a one-word quote ("tightest") is a word, not a statement someone owns
MIN_SAID_SHARE = 0.6  # of what the claim says was said, in one passage sentence: that sentence is its source
LOOK_BACK = 1  # sentences before a quote with no named speaker that may name who says it ("… ," he said.)


def words_of_another(claim: str, said_by: set[str], passages: list[str]) -> list[str]:
    """One reason per quote (or, with none, for what was said) that the passages give only to someone else."""
    if not said_by:
        return []
    quotes = _quotes(claim)
    found = [f"quote of another: {quote}" for quote in quotes if _only_others_say(said_by, _spots(passages, quote))]
    if not quotes and _only_others_say(said_by, _source(claim, said_by, passages)):
        found.append("words of another")
    return found


def _only_others_say(said_by: set[str], spots: list[tuple[frozenset[str], str]]) -> bool:
    return bool(spots) and not any(_may_be_said_by(said_by, speakers, sentence) for speakers, sentence in spots)


def _quotes(claim: str) -> list[str]:
    return [q for q in (_plain(m.group(1)) for m in QUOTED.finditer(claim)) if len(q.split()) >= MIN_QUOTED_WORDS]


def _plain(text: str) -> str:
    """Lower case, one space between words, no punctuation at either end: how quotes are compared."""
    return " ".join(re.sub(r"[’‘]", "'", text).lower().split()).strip(" .,;:!?'")


def _spots(passages: list[str], quote: str) -> list[tuple[frozenset[str], str]]:
    """Each passage sentence holding the quote, with the name words of whoever says it there."""
    return [spot for passage in passages for spot in _speakers_by_sentence(passage) if quote in _plain(spot[1])]


def _source(claim: str, said_by: set[str], passages: list[str]) -> list[tuple[frozenset[str], str]]:
    """The passage sentences holding most of what the claim says was said (its words less the speaker's), when
    they hold MIN_SAID_SHARE of it; else none."""
    said = content_terms(claim) - content_terms(" ".join(said_by))
    spots = [spot for passage in passages for spot in _speakers_by_sentence(passage)]
    shared = [len(said & content_terms(sentence)) for _, sentence in spots]
    most = max(shared, default=0)
    if not said or most < MIN_SAID_SHARE * len(said):
        return []
    return [spot for spot, count in zip(spots, shared, strict=True) if count == most]


@lru_cache(maxsize=4096)
def _speakers_by_sentence(passage: str) -> tuple[tuple[frozenset[str], str], ...]:
    """Each sentence with its named speakers: its own, or, when it names none, those of the sentence before."""
    sentences = passage_sentences(passage)
    own = [frozenset(f.speakers_in(s)) for s in sentences]
    found = []
    for i, sentence in enumerate(sentences):
        earlier = [own[j] for j in range(i - 1, max(i - LOOK_BACK, 0) - 1, -1) if own[j]]
        found.append((own[i] or next(iter(earlier), frozenset()), sentence))
    return tuple(found)


def _may_be_said_by(said_by: set[str], speakers: frozenset[str], sentence: str) -> bool:
    """Whether the claim's speaker may be the one saying the quote: nobody named says it, or the claim's speaker
    is named in the quote's sentence ("Cherney agreed with Shepherdson that …")."""
    if not speakers:
        return True
    named = set(f.facts_in(sentence).names) | set(speakers)
    return any(f.same_name_word(word, named, sentence) for word in said_by)
