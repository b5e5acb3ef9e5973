"""Whose rank it is: a claim that gives a named firm or person another place in a ranking than its passages do.

"Sumitomo Mitsui, Japan's second-largest bank" over "Sumitomo, Japan's third-largest bank. … Mitsubishi Tokyo
Financial Group (MTFG), Japan's second-largest bank": the place is in the passage, but it is another bank's. A
ranking given in apposition ("A, Japan's third-largest bank", "A is the world's biggest brewer") is read as
(name, scope, superlative, noun) and its place (1 when no ordinal is given); a claim's ranking is turned round
when the passages rank the same name in the same scope and noun at another place, and never at the claim's."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.answer import facts as f

NAME = f.NAME_RUN
SUPERLATIVES = {"largest": "biggest", "biggest": "biggest", "smallest": "smallest", "oldest": "oldest"}
RANKED = re.compile(
    rf"({NAME})(?:,\s+|\s+(?:is|was|became|remains)\s+)(?:the\s+)?(?:([A-Z][\w.]*(?:\s+[A-Z][\w.]*)?|world|country|region)['’]s\s+)?"
    rf"(?:({'|'.join(f.ORDINAL_WORDS)})[- ])?({'|'.join(SUPERLATIVES)})\s+([a-z][a-z-]+)"
)


@dataclass(frozen=True)
class Rank:
    name: frozenset[str]  # the ranked one's name words
    scope: str  # "japan", "world", or "" when unsaid
    kind: tuple[str, str]  # ("biggest", "bank")
    place: str  # "3"
    written: str  # "third-largest", as the text writes it


def ranks_turned(text: str, passages: list[str]) -> list[tuple[str, str]]:
    """(the text's ranking, the passages' ranking of the same name) for each ranking the passages give
    otherwise and never as the text does: ("second-largest", "third-largest")."""
    mine = ranks_in(text)
    if not mine:  # most texts: no passage need be read
        return []
    theirs = [r for p in passages for r in ranks_in(p)]
    found = []
    for rank in mine:
        same = [r for r in theirs if r.name & rank.name and r.kind == rank.kind and r.scope == rank.scope]
        if same and not any(r.place == rank.place for r in same):
            found.append((rank.written, same[0].written))
    return found


@lru_cache(maxsize=8192)
def ranks_in(text: str) -> tuple[Rank, ...]:
    """The rankings the text gives in apposition or after "is"."""
    found = []
    for m in RANKED.finditer(text):
        name = f.words_of_name(m.group(1))
        scope = (m.group(2) or "").lower()
        place = f.ORDINAL_WORDS.get(m.group(3) or "", "1")
        written = f"{m.group(3)}-{m.group(4)}" if m.group(3) else m.group(4)
        if name:
            found.append(Rank(name, scope, (SUPERLATIVES[m.group(4)], m.group(5)), place, written))
    return tuple(found)
