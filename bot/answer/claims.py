"""Claim checks for one answer sentence against the passages it cites: numbers, months and years, names,
who said it, and how much of the sentence the passages hold. Never against the question."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property

from bot.answer import facts as f
from bot.answer.affiliations import roles_of_others
from bot.answer.deals import buyer_swapped
from bot.answer.opposites import turned_round
from bot.answer.prompting import NOT_FOUND
from bot.answer.ranks import ranks_turned
from bot.answer.subjects import others_figures
from bot.answer.text import MARKER, content_terms
from bot.answer.whose_words import words_of_another
from retrieval.searcher import Hit

POINTER = "says only where it comes from"  # why a sentence only_points_to_sources is not shown
MIN_SUPPORT = 0.5  # share of a sentence's content words its cited passages must hold (dev split, see README)
POINTER_WORDS = (  # what a sentence that only says where a fact is ("This is stated in passage [1].") is made of
    "passage passages article articles text context source sources information fact facts state states stated "
    "cite cites cited base based find found see seen mention mentions mentioned provide provided quote quoted "
    "accord according refer referred show shown from come comes can could may might read explain explained "
    "you first second third fourth above below"  # "This can be found in the second passage [2]."
)
FIGURE_TERM = re.compile(r"\d+(?:m|bn|k|p)?")  # a figure as content_terms leaves it: "20", "20m", "300p"
FIGURE_SCALES = "hundred hundreds thousand thousands million millions billion billions trillion bn per cent percent"
SPOKEN = re.compile(r"[\"“”]|\b" + f.SPEECH + r"\b")  # a quote or a verb of speech: someone speaks here
CORRECTION = re.compile(r"\b(?:not|rather than|instead of)\s+(?:the\s+|a\s+)?((?:[\w$£€%,.'’-]+\s*){1,4})", re.I)


@dataclass(frozen=True)
class Evidence:
    """What one retrieved passage (with its title and date) offers a claim check."""

    text: str
    published_year: int | None
    article_years: frozenset[str] = frozenset()  # years named anywhere in the article's retrieved passages
    body: str = ""  # the passage alone, without its title and date

    @classmethod
    def of(cls, hit: Hit, article_years: frozenset[str] = frozenset()) -> Evidence:
        source = hit.passage.source
        day = source.published_day
        text = f"{source.title}\n{hit.passage.text}\n{source.published}"
        return cls(text, day.year if day else None, article_years, hit.passage.text)

    @cached_property
    def facts(self) -> f.Facts:
        return f.facts_in(self.text)

    @cached_property
    def years(self) -> set[str]:
        return f.years_supported(self.text, self.published_year)

    @cached_property
    def open_years(self) -> tuple[int, int] | None:
        return f.years_open(self.text, self.published_year, set(self.article_years))

    @cached_property
    def numbers(self) -> frozenset[str]:
        """Its figures as counts or places alike: "on his 2,838th day" holds "2,838 days", "21st time" "21 times"."""
        return self.facts.numbers | self.facts.place_digits

    def holds_place(self, place: str) -> bool:
        """A place in an order ("2" for "second") the passage states, or its count: "a second day of falls"
        over "dropped 12% in two days". "third" over a passage saying only "second" is not held."""
        return place in self.numbers

    @cached_property
    def changes(self) -> set[tuple[str, str]]:
        return f.changes_in(self.text)

    @cached_property
    def speakers(self) -> set[str]:
        return f.speakers_in(self.text)

    @cached_property
    def counts(self) -> set[tuple[str, str]]:
        """What the passage counts, as (figure, thing): ("2", "screen") for "two screens"."""
        return set(f.counts_in(self.text))

    @cached_property
    def terms(self) -> set[str]:
        return content_terms(self.text)

    def holds_year(self, year: str) -> bool:
        """The year stated, implied by a dated "this year", the same figure as a number ("2,000 jobs"), or one an
        undated "this year" may mean."""
        return self.states_year(year) or self.may_mean_year(year)

    def states_year(self, year: str) -> bool:
        return year in self.years or year in self.facts.numbers

    def may_mean_year(self, year: str) -> bool:
        """Whether an undated "this year" here can mean the year: the latest year its article names, or the next."""
        return self.open_years is not None and self.open_years[0] <= int(year) <= self.open_years[1]

    def holds_name(self, word: str) -> bool:
        return f.same_name_word(word, set(self.facts.names) | _lower_words(self.text, word), self.text)


def evidence_for(hits: list[Hit]) -> list[Evidence]:
    """Evidence per hit, each knowing the years its article names in the other retrieved passages."""
    years: dict[str, set[str]] = {}
    for hit in hits:
        years.setdefault(hit.passage.article_id, set()).update(f.YEAR.findall(hit.passage.text))
    return [Evidence.of(h, frozenset(years[h.passage.article_id])) for h in hits]


def _lower_words(text: str, word: str) -> set[str]:
    """The word itself when the text has it in any case ("Internet" in the answer, "internet" in the text)."""
    return {word} if re.search(r"\b" + re.escape(word) + r"\b", text, re.I) else set()


def problems(sentence: str, cited: list[Evidence]) -> list[str]:
    """Why the cited passages do not back the sentence: one short reason per failed check; empty if they do."""
    if not cited:
        return ["no citation"]
    claim = CORRECTION.sub(" ", sentence)  # "60 per cent, not 85": the corrected figure is not claimed
    facts = f.facts_in(claim)
    numbers = set().union(*(e.numbers for e in cited))
    months = set().union(*(e.facts.months for e in cited))
    quantities = set().union(*(e.facts.quantities for e in cited))
    limits = limits_met(f.bounds_in(claim), cited)
    found = [f"number {n}" for n in sorted(facts.numbers - numbers - limits)]  # "under 10 seconds" for a 9.85
    found += [  # the figure with another unit ("60 billion" for "60 per cent"); a bare "He was 84" backs "84 years"
        f"figure {n} {u}"
        for n, u in sorted(facts.quantities - quantities)
        if n in numbers and n not in limits and not _bare(n, cited)
    ]
    found += [f"month {m}" for m in sorted(facts.months - months)]
    days = set().union(*(e.facts.days for e in cited))  # "November 16" is one date, not a month and a 16
    found += [f"date {m} {d}" for d, m in sorted(facts.days - days)]
    found += [f"year {y}" for y in sorted(facts.years) if not any(e.holds_year(y) for e in cited)]
    found += [f"place {p}" for p in sorted(facts.place_digits) if not any(e.holds_place(p) for e in cited)]
    found += _reversed(claim, cited)
    bodies = [e.body for e in cited]
    found += turned_round(claim, bodies)
    said_by = f.speakers_in(claim)
    found += others_figures(claim, bodies, said_by)
    found += roles_of_others(claim, bodies)
    found += buyer_swapped(claim, bodies)
    found += [f"ranked {theirs}" for _, theirs in ranks_turned(claim, bodies)]
    found += [f"name {w}" for w in sorted(facts.names) if not any(e.holds_name(w) for e in cited)]
    opener = f.opening_word(claim)  # a one-word name opening the sentence, or a common word the passage has
    if opener and not any(e.holds_name(opener) or content_terms(opener) <= e.terms for e in cited):
        found.append(f"name {opener}")
    found += _attribution(said_by, cited)
    found += words_of_another(claim, said_by, bodies)
    if support(claim, cited, leave_out=" ".join(said_by)) < MIN_SUPPORT:
        found.append("weak support")
    return found


def only_points_to_sources(sentence: str) -> bool:
    """A sentence whose every content word says where facts are, not what they are ("This is stated in passage
    [1].", "This is based on the passage from [2]."): the reader learns nothing from it, so it is not shown."""
    if NOT_FOUND in sentence:  # the model's refusal is not a pointer, though "ARTICLES" is its one content word
        return False
    terms = content_terms(MARKER.sub(" ", sentence))
    return bool(terms) and terms <= _pointer_terms()


@cache
def _pointer_terms() -> frozenset[str]:
    return frozenset(content_terms(POINTER_WORDS))


def limits_met(bounds: list[f.Bound], evidence: list[Evidence]) -> set[str]:
    """The figures of these limits ("under ten seconds") that a value in the evidence meets ("9.85 seconds")."""
    held = set().union(*(e.facts.quantities | e.counts for e in evidence))
    return {b.figure for b in bounds if b.met_by(held)}


def _bare(number: str, cited: list[Evidence]) -> bool:
    """Whether a cited passage states the number with no unit at all ("He was 84, and had …")."""
    return any(number in e.facts.numbers and all(n != number for n, _ in e.facts.quantities) for e in cited)


def _reversed(claim: str, cited: list[Evidence]) -> list[str]:
    """A figure the sentence says rose that its passages say fell, or the other way round ("fell by 7,000" over
    "rose 7,000"); a passage saying both ways, or neither, leaves it to the other checks."""
    held = set().union(*(e.changes for e in cited))
    other = {"up": "down", "down": "up"}
    return [
        f"direction {figure}"
        for figure, way in sorted(f.changes_in(claim))
        if (figure, other[way]) in held and (figure, way) not in held
    ]


def _attribution(said_by: set[str], cited: list[Evidence]) -> list[str]:
    """A sentence saying who spoke (said_by, its speakers' name words) must name someone its passages have
    speaking (when they name anyone). Passages where nobody speaks at all, with no quote and no verb of
    speech, back no one's words: a listing that names an actor is no statement by her."""
    if not said_by:
        return []
    speakers = set().union(*(e.speakers for e in cited))
    if not speakers:
        return [] if any(SPOKEN.search(e.text) for e in cited) else [f"speaker {' '.join(sorted(said_by))}"]
    text = "\n".join(e.text for e in cited)
    if any(f.same_name_word(w, speakers, text) for w in said_by):
        return []
    if any(re.search(rf"\b{re.escape(w.lower())}\b", text) for w in said_by):  # "Analysts said": a common noun
        return []
    return [f"speaker {' '.join(sorted(said_by))}"]


def support(sentence: str, cited: list[Evidence], leave_out: str = "") -> float:
    """Share of the sentence's content words found in its cited passages; 1.0 for sentences too short to judge.
    Figures count once each, by value, so "$20 million" is held by "$20m" and "twelve" by "12" (the figure
    checks judge their units); "Yes" opening an answer is no claim.
    The speaker's name is left out for a sentence saying who spoke: the speaker check judges the name, and what
    was said must stand on its own words ("Kim Collins said British sprinters lack pride" is not backed by a
    passage where Kim Collins talks about British sprinters)."""
    terms = content_terms(sentence) - content_terms(leave_out)
    words = {t for t in terms if not FIGURE_TERM.fullmatch(t)} - _figure_words()
    stated = f.facts_in(sentence)
    figures = stated.numbers | stated.years
    if len(words) + len(figures) < 3:
        return 1.0
    held_words = set().union(*(e.terms for e in cited))
    held_figures = set().union(*(e.numbers | e.facts.years for e in cited))
    return (len(words & held_words) + len(figures & held_figures)) / (len(words) + len(figures))


@cache
def _figure_words() -> frozenset[str]:
    """Words that belong to a figure ("twenty", "million", "per cent"), and an answer's "Yes", as content_terms
    leaves them."""
    return frozenset(content_terms(" ".join([*f.NUMBER_WORDS, FIGURE_SCALES, "yes"])))
