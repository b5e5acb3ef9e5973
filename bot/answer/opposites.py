"""Opposite wording: a claim that says the reverse of its passage in words rather than figures.

"South Korea is cutting state spending next year [1]" over "South Korea will boost state spending next year":
every name and nearly every word is held, but the passage says the opposite. A claim's word of direction or
stance ("cut", "opposed", "risen", "banned") is compared with the passage's words of the same kind that stand
among the same words ("state spending", "stem cell research"): when the passage's closest such word says the
opposite ("boost", "backed", "fallen from"), and none among the same words says the same, the claim is turned
round. "not" flips a word ("decided not to increase rates" is the opposite of "increased rates").

No offline word list of antonyms installs from the registry (WordNet's relations need a download), so the
pairs below are the few that news turns on; the figure check (claims._reversed) already judges "rose 5%"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from llama_index.core.utils import globals_helper

from bot.answer import facts as f
from bot.answer.text import STOPWORDS, passage_sentences, stems

OPPOSITES = [  # (one way, the other way), as words; each is stemmed when read
    (
        "rise rose risen increase grow grew grown gain climb jump boost raise lift hike expand surge soar rocket "
        "rebound higher strengthen stronger rally",
        "fall fell fallen decrease decline drop dip slip cut trim reduce lower shrink shrank slump plunge plummet "
        "dive slash halve tumble weaken weaker lose lost slide slid sink sank",
    ),
    ("back support favour favor endorse welcome praise", "oppose reject criticise criticize condemn denounce"),
    ("allow permit approve legalise", "ban bar block forbid prohibit outlaw veto reject refuse"),
    ("win won", "lose lost"),
    ("hire recruit", "sack fire axe shed"),
    ("profit", "loss"),
    ("convict guilty", "acquit"),
]
OPPOSITE = "opposite of"  # how a reason from this check begins
NEGATIONS = {"not", "no", "never", "without", "nor"}  # and any word ending "n't"
NEGATION_REACH = 3  # words before a word of direction that can turn it round ("decided not to increase")
CONTEXT_WORDS = 6  # content words of its clause either side of a word of direction: what it is about
MIN_SHARED = 3  # context words a passage's word must share with the claim's to be about the same thing
MIN_HELD = 0.6  # and the share of its context words the claim holds: "jumped 6% after the firm said an Indian
# oilfield was larger" is another event than "fell by 18% after a disappointing drilling update"
TOKEN = re.compile(  # words; figures ("2,000", "5.5%", not the comma after "in 2004,"); clause marks
    r"[A-Za-z][\w'’-]*|\d[\w%]*(?:[,.]\d[\w%]*)*|[,;:()\"“”–—]|\s-\s"
)
CLAUSE_JOINS = {"and", "but", "while", "whereas", "although", "though", "yet", "or"}


@dataclass(frozen=True)
class Turn:
    """A word of direction or stance where it stands: its pair, which way it points, and what is around it."""

    word: str
    pair: int
    way: bool  # True for the first side of its pair, after any "not"
    around: frozenset[str]  # stemmed content words nearby
    names: frozenset[str]  # who or what is named nearby (not places): "GM" in "US sales at GM sank 12.7%"
    dates: frozenset[str]  # months and years near it in its clause: "fell 0.3% in January" is not December's rise


def turned_round(claim: str, passages: list[str]) -> list[str]:
    """One reason per word of the claim that its passages turn round (see reversals): "opposite of boost"."""
    return [f"{OPPOSITE} {theirs}" for _, theirs in reversals(claim, passages)]


def reversals(text: str, passages: list[str]) -> list[tuple[str, str]]:
    """Each word of direction or stance in text, with the passages' word saying the opposite among the same
    words (MIN_SHARED of them), where no passage says the same: ("cutting", "boost"). A passage saying both ways
    ("reducing current expenditure and increasing net investment") leaves the text to the other checks."""
    mine_all = turns_in(text)
    if not mine_all:  # most texts: no passage need be read
        return []
    found = []
    named = set(f.facts_in(text).names) | {f.opening_word(text)}
    theirs_all = [t for p in passages for sentence in passage_sentences(p) for t in turns_in(sentence)]
    for mine in mine_all:
        same = opposite = 0
        closest = ""
        for theirs in theirs_all:
            shared = _shared(mine, theirs, named, text)
            if theirs.way == mine.way:
                same = max(same, shared)
            elif shared > opposite:
                opposite, closest = shared, theirs.word
        if opposite >= MIN_SHARED > same:
            found.append((mine.word, closest))
    return found


def _shared(mine: Turn, theirs: Turn, named: set[str], text: str) -> int:
    """How many context words a passage's word shares with the text's, or 0 when it cannot speak of the same
    thing: another pair, someone the text does not name, another month or year, or under MIN_HELD of its own
    context words in the text's."""
    if theirs.pair != mine.pair or not theirs.around:
        return 0
    if not all(f.same_name_word(name, named, text) for name in theirs.names):
        return 0
    if mine.dates and theirs.dates and not mine.dates & theirs.dates:
        return 0
    shared = len(mine.around & theirs.around)
    return shared if shared >= MIN_HELD * len(theirs.around) else 0


@lru_cache(maxsize=16384)
def turns_in(text: str) -> tuple[Turn, ...]:
    """The words of direction or stance in text, lowercase ones only (a name such as "Child Support Agency" is
    no stance), each with the content words of its clause around it."""
    tokens = TOKEN.findall(text)
    stemmed = stems([t.lower() for t in tokens])
    turns = []
    for i, token in enumerate(tokens):
        if not token[0].islower():
            continue
        for pair, way in _sides().get(stemmed[i], ()):
            near = _clause_words(tokens, i)
            around = frozenset(stemmed[c] for c in near if stemmed[c] not in _sides())
            dates = frozenset(tokens[c] for c in _clause_words(tokens, i, everything=True) if _is_date(tokens[c]))
            turns.append(Turn(token, pair, way != _negated(tokens, i), around, _doers(tokens, near), dates))
    return tuple(turns)


def _clause_words(tokens: list[str], i: int, everything: bool = False) -> list[int]:
    """Positions of the content words of token i's clause, up to CONTEXT_WORDS either side: a clause ends at a
    punctuation mark or a joining word ("and", "while"), so "House prices fell further in November and property
    sale times lengthened" gives "fell" only house, prices, further and November. everything: figures and
    function words too."""

    def side(step: int) -> list[int]:
        found: list[int] = []
        j = i + step
        while 0 <= j < len(tokens) and len(found) < CONTEXT_WORDS and not _ends_clause(tokens[j]):
            if everything or _content(tokens[j]):
                found.append(j)
            j += step
        return found

    return side(-1)[::-1] + side(1)


def _is_date(token: str) -> bool:
    return bool(f.MONTH.fullmatch(token) or f.YEAR.fullmatch(token))


def _ends_clause(token: str) -> bool:
    return not token[0].isalnum() or token.lower() in CLAUSE_JOINS


def _content(token: str) -> bool:
    return len(token) > 1 and token.lower() not in _function_words() and not token[0].isdigit()


@cache
def _function_words() -> frozenset[str]:
    """NLTK's English stopwords as LlamaIndex bundles them ("he", "had", "from"), and the claim checks' own."""
    return frozenset(globals_helper.stopwords) | STOPWORDS


def _doers(tokens: list[str], near: list[int]) -> frozenset[str]:
    """The name words among these tokens, the text's first word (capitalised anyway) and places aside."""
    words = {f.name_word(tokens[i]) for i in near if i > 0}
    return frozenset(w for w in words if w and w not in f.NOT_NAMES and w not in f.place_words())


def _negated(tokens: list[str], i: int) -> bool:
    before = [t.lower() for t in tokens[max(i - NEGATION_REACH, 0) : i]]
    return any(t in NEGATIONS or t.endswith(("n't", "n’t")) for t in before)


@cache
def _sides() -> dict[str, tuple[tuple[int, bool], ...]]:
    """Stem → each (pair, way) it belongs to: "cut" is a fall and a cut in jobs alike."""
    table: dict[str, list[tuple[int, bool]]] = {}
    for pair, (first, second) in enumerate(OPPOSITES):
        for way, words in ((True, first), (False, second)):
            for stem in stems(words.split()):
                table.setdefault(stem, []).append((pair, way))
    return {stem: tuple(sides) for stem, sides in table.items()}
