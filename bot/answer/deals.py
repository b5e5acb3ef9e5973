"""Who bought whom: a claim that makes the buyer of a deal the one its passages have being bought.

"Aggregate Industries agreed to buy Holcim for £1.8bn [1]" over "Aggregate Industries said it had agreed a
£1.8bn takeover by Holcim": both names, the figure and the verb's words are in the passage, but the buyer and
the bought are the other way round. A claim's buyer and target ("A buys B", "A's takeover of B", "B was bought
by A") are looked for in the passage sentences naming both: when such a sentence has the claim's target buying
and none has the claim's buyer buying, the claim has them swapped."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.answer import facts as f
from bot.answer.text import passage_sentences

NAME = f.NAME_RUN
BUY = r"(?:buy|buys|bought|buying|acquire|acquires|acquired|acquiring|purchase|purchases|purchased|take over|takes over|took over|taking over|bid for|bids for|swallow|swallows|swallowed)"
TO = r"(?:(?:has|have|had|is|was|will|would)\s+)?(?:(?:agreed|agrees|agree|plans|planned|set|offered|offers|wants|is)\s+to\s+)?"
DEAL = r"(?:takeover|acquisition|purchase|buyout)"
BUYS = [  # (pattern, group of the buyer, group of the target or 0 when the sentence does not say)
    (re.compile(rf"({NAME})\s+{TO}{BUY}\s+(?:(?:a|the)\s+(?:\w+\s+)?stake\s+in\s+|control\s+of\s+)?({NAME})"), 1, 2),
    (re.compile(rf"({NAME})['’]s\s+(?:[\w$£€.,-]+\s+){{0,2}}{DEAL}\s+of\s+({NAME})"), 1, 2),  # "A's $2bn takeover of B"
    (re.compile(rf"{DEAL}\s+of\s+({NAME})\s+by\s+({NAME})"), 2, 1),  # "the takeover of B by A"
    (
        re.compile(
            rf"({NAME})\s+(?:was|is|has been|had been|will be)\s+(?:bought|acquired|taken over)\s+by\s+({NAME})"
        ),
        2,
        1,
    ),
    (re.compile(rf"{DEAL}\s+by\s+({NAME})"), 1, 0),  # "agreed a £1.8bn takeover by Holcim": the buyer only
]
SWAPPED = "buyer swapped"


@dataclass(frozen=True)
class Deal:
    buyer: frozenset[str]  # name words
    target: frozenset[str]  # name words; empty when the text does not say
    written: tuple[str, str]  # the buyer and the target as the text writes them


def buyer_swapped(claim: str, passages: list[str]) -> list[str]:
    """["buyer swapped"] when the passages have the claim's target buying and never its buyer (see above)."""
    return [SWAPPED] if swapped_deals(claim, passages) else []


def swapped_deals(text: str, passages: list[str]) -> list[tuple[str, str]]:
    """(the text's deal, the passages' way round) for each deal of the text the passages have the other way:
    ("Aggregate Industries buying Holcim", "Holcim buying Aggregate Industries")."""
    deals = [d for d in _deals(text) if d.target]
    if not deals:  # most texts: no passage need be read
        return []
    found = []
    for deal in deals:
        both = [s for p in passages for s in passage_sentences(p) if _names(s, deal.buyer) and _names(s, deal.target)]
        buyers = [theirs.buyer for s in both for theirs in _deals(s)]
        if any(b & deal.target for b in buyers) and not any(b & deal.buyer for b in buyers):
            buyer, target = deal.written
            found.append((f"{buyer} buying {target}", f"{target} buying {buyer}"))
    return found


@lru_cache(maxsize=8192)
def _deals(text: str) -> tuple[Deal, ...]:
    """Each deal the text states, its target empty when unsaid ("a takeover by Holcim")."""
    found = []
    for pattern, buyer_group, target_group in BUYS:
        for match in pattern.finditer(text):
            buyer_written = _plain(match.group(buyer_group))
            target_written = _plain(match.group(target_group)) if target_group else ""
            buyer, target = f.words_of_name(buyer_written), f.words_of_name(target_written)
            if buyer and not buyer & target:
                found.append(Deal(buyer, target, (buyer_written, target_written)))
    return tuple(found)


def _plain(name: str) -> str:
    """The name without a possessive: "Inbev's" -> "Inbev"."""
    return re.sub(r"['’]s$", "", name)


def _names(sentence: str, words: frozenset[str]) -> bool:
    named = set(f.facts_in(sentence).names) | {f.opening_word(sentence)}
    return any(f.same_name_word(w, named, sentence) for w in words)
