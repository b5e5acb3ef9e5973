"""Whom a person works for: a claim that ties a named person to an organisation by their role ("Akamai's
president, Mike Prettejohn", "Mike Prettejohn, president of Akamai") when the passages tie them to another.

"Akamai's president, Mike Prettejohn, speculated that the blocking decision might have been taken to cut costs
[1]" over "Mike Prettejohn, president of Netcraft, speculated …", a sentence after one naming Akamai: each name
is in the passage, but Prettejohn is Netcraft's. A role the claim gives must be backed by a passage sentence
naming the person and the organisation, or naming the person and no one else after a sentence naming the
organisation ("Netcraft watches traffic. Its president, Mike Prettejohn, said …")."""

from __future__ import annotations

import re
from functools import lru_cache

from bot.answer import facts as f
from bot.answer.text import STOPWORDS, passage_sentences

ROLES = (  # nouns that say what someone is at an organisation
    "president|chairman|chairwoman|chair|chief|executive|director|head|spokesman|spokeswoman|spokesperson"
    "|analyst|economist|strategist|founder|boss|manager|secretary|officer|editor|partner|owner|leader|coach"
)
ROLE = rf"(?:[a-z][\w-]*\s+){{0,3}}(?:{ROLES})"  # "president", "chief market analyst", "senior vice president"
NAME = f.NAME_RUN
TIES = [  # (pattern, group of the organisation, group of the person)
    (re.compile(rf"({NAME})['’]s\s+{ROLE},?\s+({NAME})"), 1, 2),  # "Akamai's president, Mike Prettejohn"
    (re.compile(rf"({NAME}),\s+(?:the\s+|a\s+|an\s+)?{ROLE}\s+(?:of|at|for)\s+(?:the\s+)?({NAME})"), 2, 1),
    (re.compile(rf"\b({NAME})\s+{ROLE}\s+({NAME})"), 1, 2),  # "Akamai president Mike Prettejohn"
]


def roles_of_others(claim: str, passages: list[str]) -> list[str]:
    """One reason per person the claim gives a role at an organisation that no passage backs: "role at Akamai"."""
    found = []
    for org, person in _ties(claim):
        spots = [spot for passage in passages for spot in _spots(passage, person)]
        if spots and not any(_names_org(org, person, sentence, before) for sentence, before in spots):
            found.append(f"role at {' '.join(sorted(org))}")
    return list(dict.fromkeys(found))  # two patterns may read one tie


def _ties(claim: str) -> list[tuple[frozenset[str], frozenset[str]]]:
    """(organisation's name words, person's name words) for each role the claim gives; places are no employer."""
    ties = []
    for pattern, org_group, person_group in TIES:
        for match in pattern.finditer(claim):
            person = f.words_of_name(match.group(person_group))
            org = f.words_of_name(match.group(org_group)) - person - f.place_words()
            if org and person:
                ties.append((org, person))
    return ties


def _spots(passage: str, person: frozenset[str]) -> list[tuple[str, str]]:
    """Each passage sentence naming the person (by any of their name words), with the sentence before it."""
    sentences = passage_sentences(passage)
    return [
        (sentence, sentences[i - 1] if i else "")
        for i, sentence in enumerate(sentences)
        if any(f.same_name_word(w, set(_names(sentence)), sentence) for w in person)
    ]


def _names_org(org: frozenset[str], person: frozenset[str], sentence: str, before: str) -> bool:
    """Whether the sentence names the organisation, or names only the person after a sentence that does. A
    sentence giving the organisation's role to someone else names it for them, not for the person: "Nissan
    chairman Carlos Ghosn is to succeed Mr Schweitzer" backs no "Nissan's chairman Louis Schweitzer"."""
    if _ties_org_to_another(org, person, sentence):
        return False
    if any(f.same_name_word(w, set(_names(sentence)), sentence) for w in org):
        return True
    others = _names(sentence) - person - f.place_words()
    return not others and any(f.same_name_word(w, set(_names(before)), before) for w in org)


@lru_cache(maxsize=8192)
def _names(sentence: str) -> frozenset[str]:
    """Every capitalised word of the sentence as a name word, its first too ("Prettejohn said …")."""
    words = (f.name_word(token) for token in re.findall(r"[\w'’&.-]+", sentence))
    return frozenset(w for w in words if w and w not in f.NOT_NAMES and w.lower() not in STOPWORDS)


def _ties_org_to_another(org: frozenset[str], person: frozenset[str], sentence: str) -> bool:
    """Whether the sentence gives a role at the organisation to someone else and none to the person."""
    at_org = [named for their_org, named in _ties(sentence) if their_org & org]
    return bool(at_org) and not any(named & person for named in at_org)
