"""The question's own claims: names, numbers and dates it takes for granted that no retrieved passage holds.

"What did Goldman Sachs say about the H20?" over passages that only quote Morgan Stanley has a false premise;
the engine tells the model so, and tells the reader so, rather than let an answer affirm it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.answer import facts as f
from bot.answer.claims import Evidence, evidence_for
from bot.answer.text import content_terms
from retrieval.searcher import Hit


@dataclass(frozen=True)
class Premise:
    missing: list[str]  # the question's own words for what no passage holds: "Goldman Sachs", "85 per cent"

    @property
    def holds(self) -> bool:
        return not self.missing

    def note(self) -> str:
        """One sentence for the reader, e.g. "The articles do not mention Goldman Sachs or 85 per cent."."""
        if self.holds:
            return ""
        listed = ", ".join(self.missing[:-1]) + (" or " if len(self.missing) > 1 else "") + self.missing[-1]
        return f"The articles do not mention {listed}."


def check_premise(question: str, hits: list[Hit]) -> Premise:
    """Which of the question's names, numbers, months and years none of the retrieved passages holds."""
    evidence = evidence_for(hits)
    asked = f.facts_in(question, question=True)
    missing = [
        w
        for w in sorted(asked.names)
        if not any(e.holds_name(w) or f.alias_in(w, set(e.facts.names)) for e in evidence)
    ]
    missing += [n for n in sorted(asked.numbers) if not any(n in e.facts.numbers for e in evidence)]
    missing += [  # a figure the passages hold, but not with the question's unit ("five years" vs "five days")
        n
        for n, u in sorted(asked.quantities)
        if n not in missing and not any((n, u) in e.facts.quantities for e in evidence)
    ]
    missing += [m for m in sorted(asked.months) if not any(m in e.facts.months for e in evidence)]
    about = [e for e in evidence if all(e.holds_name(w) for w in asked.names)]  # passages on what it names
    missing += [
        y
        for y in sorted(asked.years)
        if not any(e.states_year(y) for e in evidence) and not any(e.may_mean_year(y) for e in about)
    ]
    return Premise(_as_written(question, missing))


def _as_written(question: str, missing: list[str]) -> list[str]:
    """Each missing item as the question writes it: whole names ("Goldman Sachs"), numbers with their unit."""
    phrases: list[str] = []
    for item in missing:
        phrase = _name_phrase(question, item) if item[0].isalpha() else _number_phrase(question, item)
        if phrase and phrase not in phrases:
            phrases.append(phrase)
    return phrases


def _name_phrase(question: str, word: str) -> str:
    cap = r"[A-Z][\w'’&.-]*"
    match = re.search(rf"(?:{cap}\s+)*\b{re.escape(word)}[\w'’.-]*(?:\s+{cap})*", question.replace(".", ". "))
    if not match:
        return word
    words = [w for w in match.group(0).split() if w not in f.NOT_NAMES]
    return re.sub(r"['’]s$", "", " ".join(words)).strip(" .") or word


def _number_phrase(question: str, number: str) -> str:
    for match in re.finditer(rf"(?<![\w.]){re.escape(number)}(?:[.,]\d+)*|\b\w+\b", question):
        text = match.group(0)
        if text.replace(",", "") == number or f.NUMBER_WORDS.get(text.lower()) == number:
            unit = re.match(f.UNIT, question[match.end() :], re.I)
            return (text + (unit.group(0) if unit else "")).strip()
    return number


def lexical_coverage(question: str, hits: list[Hit]) -> float:
    """The largest share of the question's content words that one passage (with its title) holds; the rare
    words that pin a question down (names, figures) weigh double."""
    terms = content_terms(question)
    if not terms or not hits:
        return 0.0
    rare = content_terms(" ".join(sorted(f.name_words(question)))) | {t for t in terms if t[0].isdigit()}
    weights = {t: 2.0 if t in rare else 1.0 for t in terms}
    total = sum(weights.values())
    return max(sum(weights[t] for t in terms & Evidence.of(h).terms) / total for h in hits)
