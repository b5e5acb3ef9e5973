"""The question's own claims: names, numbers and dates it takes for granted that no retrieved passage holds.

"What did Goldman Sachs say about the H20?" over passages that only quote Morgan Stanley has a false premise;
the engine tells the model so, and tells the reader so, rather than let an answer affirm it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.answer import facts as f
from bot.answer.claims import Evidence, evidence_for, limits_met
from bot.answer.deals import swapped_deals
from bot.answer.opposites import reversals
from bot.answer.ranks import ranks_turned
from bot.answer.text import content_terms
from retrieval.searcher import Hit


@dataclass(frozen=True)
class Premise:
    missing: list[str]  # the question's own words for what no passage holds: "Goldman Sachs", "85 per cent"
    apart: list[str] = field(default_factory=list)  # held by passages, but none in an article about the subject
    subject: str = ""  # the question's rarest name the passages hold, as written: "Anthony Meyer"
    subject_articles: frozenset[str] = frozenset()  # the retrieved articles that name it
    by_title: bool = False  # the subject is one article, named by its title (it holds none of the question's names)
    turned: list[tuple[str, str]] = field(default_factory=list)  # the question's word, the passages' opposite

    @property
    def holds(self) -> bool:
        return not self.flagged

    @property
    def flagged(self) -> list[str]:
        """Everything the note says the articles lack, or say the other way ("cutting" where they say "boost")."""
        return self.missing + self.apart + [asked for asked, _ in self.turned]

    @property
    def dates(self) -> list[str]:
        """The months and years among what the articles lack: "November", "2021"."""
        return [item for item in self.flagged if _is_date(item)]

    def focus(self, hits: list[Hit]) -> list[Hit]:
        """With something held only apart from the subject, the hits about the subject: the model then cannot
        take "1979" from another story for the question's Anthony Meyer. Otherwise all hits."""
        if not self.apart:
            return hits
        return [h for h in hits if h.passage.article_id in self.subject_articles]

    @property
    def figures(self) -> list[str]:
        """The figures among what the articles lack, dates aside: "85 per cent", "twenty billion"."""
        return [item for item in self.flagged if f.figures_at(item) and not _is_date(item)]

    def without_flagged(self, question: str) -> str:
        """The question without the wrong details the articles lack: its figures ("Did Turkey borrow twenty
        billion dollars?" less "twenty billion") and its speaker ("What did Lord Falconer say about …"). What
        is left is what a quote about the question can share. A missing subject, place or date stays: a
        question about Tesla in 2023 is not one about any carmaker in any year."""
        speakers = f.speakers_in(question)
        details = self.figures + [p for p in self.flagged if f.name_words(p) & speakers]
        for phrase in details:
            question = re.sub(rf"(?<!\w){re.escape(phrase)}(?!\w)", " ", question, flags=re.I)
        return question

    def note(self, for_model: bool = False) -> str:
        """For the reader: "The articles do not mention Goldman Sachs or 85 per cent.", "The articles about Anthony
        Meyer do not mention 1979." and/or "The articles say “boost”, not “cutting”.". For the model, an
        article's title (article text, so data) is not repeated outside the passages: it reads only that
        article's passages, and "These passages"."""
        notes = [f"The articles do not mention {listed(self.missing)}." if self.missing else ""]
        about = f"The articles about {self.subject} do"
        if self.by_title:
            about = "These passages do" if for_model else f"The article {self.subject} does"
        notes += [f"{about} not mention {listed(self.apart)}." if self.apart else ""]
        notes += [_turned_note(self.turned, for_model)]
        return " ".join(n for n in notes if n)


def _turned_note(turned: list[tuple[str, str]], for_model: bool) -> str:
    """ "The articles say “boost”, not “cutting”." For the model, in the words its notes line expects."""
    if not turned:
        return ""
    if for_model:
        return " ".join(f"These passages do not say {asked}: they say {theirs}." for asked, theirs in turned)
    return "The articles say " + "; ".join(f"“{theirs}”, not “{asked}”" for asked, theirs in turned) + "."


def listed(items: list[str]) -> str:
    """ "a", "a or b", "a, b or c"."""
    return ", ".join(items[:-1]) + (" or " if len(items) > 1 else "") + items[-1]


def check_premise(question: str, hits: list[Hit]) -> Premise:
    """Which of the question's names, numbers, months and years none of the retrieved passages holds; and which
    the passages hold only in articles that never name the question's subject (its rarest name they hold):
    "Why did Sir Anthony Meyer challenge Thatcher in 1979?" over a Meyer story and another story saying 1979.
    When the article holding most of the question's words names none of its names, it is the subject."""
    evidence = evidence_for(hits)
    asked = f.facts_in(question, question=True)
    bounds = f.bounds_in(question)
    met = sorted(limits_met(bounds, evidence))
    everywhere = _absent(asked, evidence, met)
    phrases = _as_written(question, everywhere) + _miscounted(question, evidence, everywhere + met)
    bodies = [e.body for e in evidence]
    ranked = ranks_turned(question, bodies)  # "second-largest" where the passages rank the same firm third
    turned = reversals(question, bodies) + ranked + swapped_deals(question, bodies)  # and who bought whom
    phrases = _not_said_as_a_rank(phrases, ranked)
    best = _best_article(question, hits, evidence)
    if best is None or not asked.names:
        return Premise(phrases, turned=turned)
    subject = _rarest_name(asked, best, evidence, everywhere)
    if subject:
        articles = frozenset(h.passage.article_id for h, e in zip(hits, evidence, strict=True) if e.holds_name(subject))
        named = _name_phrase(question, subject)
    else:
        articles, named = frozenset({best.article_id}), f"“{best.title}”"
    on_subject = [e for h, e in zip(hits, evidence, strict=True) if h.passage.article_id in articles]
    limits = sorted(limits_met(bounds, on_subject))
    apart = [item for item in _absent(asked, on_subject, limits) if item not in everywhere]
    apart_phrases = _as_written(question, apart) + _miscounted(question, on_subject, everywhere + limits)
    apart_phrases = [p for p in apart_phrases if p not in phrases and not _overlap(p, named)]
    apart_phrases = _not_said_as_a_rank(apart_phrases, ranked)
    return Premise(phrases, apart_phrases, named, articles, by_title=not subject, turned=turned)


def _not_said_as_a_rank(phrases: list[str], ranked: list[tuple[str, str]]) -> list[str]:
    """The phrases less a place the rank note already corrects ("“second”" for "second-largest")."""
    places = {f"“{asked.split('-')[0]}”" for asked, _ in ranked}
    return [p for p in phrases if p not in places]


def with_the_date_asked(question: str, hits: list[Hit], spare: list[Hit]) -> list[Hit]:
    """The hits, the last replaced by the first spare hit (ranked just below them) that holds a month or year
    the question asks for and no hit holds, and that names the question's subject: "How many Germans were out
    of work in November?" over February's and December's figures reaches November's. A recurring report is
    told alike every month, so its date is what tells them apart. Nothing else the question names is looked
    for this way: a name no hit holds is a near miss or a false premise, not a ranking slip."""
    before = check_premise(question, hits)
    if not before.dates or not before.subject or before.by_title:
        return hits
    for candidate in spare:
        trial = [*hits[:-1], candidate]
        after = check_premise(question, trial)
        lost = set(before.flagged) - set(after.flagged)
        if (
            set(after.flagged) < set(before.flagged)
            and lost <= set(before.dates)
            and candidate.passage.article_id in after.subject_articles
        ):
            return trial
    return hits


def _is_date(item: str) -> bool:
    stated = f.facts_in(item, question=True)
    return bool(stated.months or stated.years) and not stated.names


def _absent(asked: f.Facts, evidence: list[Evidence], limits: list[str]) -> list[str]:
    """The question's names, numbers, quantities, months and years that none of this evidence holds; a figure
    given as a limit that the evidence meets is held."""
    missing = [
        w
        for w in sorted(asked.names)
        if not any(e.holds_name(w) or f.alias_in(w, set(e.facts.names)) for e in evidence)
    ]
    numbers = [n for n in sorted(asked.numbers) if n not in limits]
    missing += [n for n in numbers if not any(n in e.numbers for e in evidence)]
    missing += [  # a figure the passages hold, but not with the question's unit ("five years" vs "five days")
        n
        for n, u in sorted(asked.quantities)
        if n not in missing and n not in limits and not any((n, u) in e.facts.quantities for e in evidence)
    ]
    missing += [m for m in sorted(asked.months) if not any(m in e.facts.months for e in evidence)]
    missing += [  # a place in an order ("finished second"), as the question writes it
        written
        for written, place in sorted(asked.places)
        if place not in missing and not any(e.holds_place(place) for e in evidence)  # "3,000th day": said once
    ]
    about = [e for e in evidence if all(e.holds_name(w) for w in asked.names)]  # passages on what it names
    missing += [
        y
        for y in sorted(asked.years)
        if not any(e.states_year(y) for e in evidence) and not any(e.may_mean_year(y) for e in about)
    ]
    return missing


def _miscounted(question: str, evidence: list[Evidence], missing: list[str]) -> list[str]:
    """The question's counts of a thing ("three screens") that no passage holds while one counts the same thing
    another way ("two screens"), as the question writes them. A figure already missing is not said twice."""
    held = set().union(*(e.counts for e in evidence))
    counted = {noun for _, noun in held}
    return [
        written
        for (figure, noun), written in f.counts_in(question).items()
        if noun in counted and (figure, noun) not in held and figure not in missing
    ]


def best_story(question: str, hits: list[Hit]) -> tuple[list[Hit], float]:
    """The hits from the one article whose passages hold most of the question's words, and that share."""
    best = _best_article(question, hits, evidence_for(hits))
    if best is None:
        return [], 0.0
    return [h for h in hits if h.passage.article_id == best.article_id], _story_share(question, best.evidence)


def _story_share(question: str, evidence: list[Evidence]) -> float:
    """The share of the question's content words an article's passages hold, every word alike: the words that
    tell which story a question is about, where a misplaced name ("What did Ofcom say about …") must not
    weigh more than the rest."""
    terms = content_terms(question)
    held = set().union(*(e.terms for e in evidence))
    return len(terms & held) / len(terms) if terms else 0.0


@dataclass(frozen=True)
class _Article:
    article_id: str
    title: str
    evidence: list[Evidence]


def _best_article(question: str, hits: list[Hit], evidence: list[Evidence]) -> _Article | None:
    """The retrieved article whose passages hold most of the question's words (the first on a tie)."""
    by_article: dict[str, _Article] = {}
    for hit, e in zip(hits, evidence, strict=True):
        source = hit.passage.source
        by_article.setdefault(
            hit.passage.article_id, _Article(hit.passage.article_id, source.title, [])
        ).evidence.append(e)
    if not by_article:
        return None
    return max(by_article.values(), key=lambda a: _story_share(question, a.evidence))


def _rarest_name(asked: f.Facts, best: _Article, evidence: list[Evidence], missing: list[str]) -> str:
    """Of the question's names the best article holds, the one the fewest passages hold; "" if it holds none."""
    names = [w for w in asked.names if w not in missing and any(e.holds_name(w) for e in best.evidence)]
    counts = sorted((sum(1 for e in evidence if e.holds_name(w)), w) for w in names)
    return counts[0][1] if counts else ""


def _overlap(phrase: str, other: str) -> bool:
    """Whether two phrases share a word ("FIFA" is part of "FIFA World Cup")."""
    return bool(set(phrase.split()) & set(other.split()))


def _as_written(question: str, missing: list[str]) -> list[str]:
    """Each missing item as the question writes it: whole names ("Goldman Sachs"), numbers with their unit."""
    phrases: list[str] = []
    for item in missing:
        if f.ORDINAL.fullmatch(item):
            phrase = f"“{item}”"  # "The articles do not mention “second”."
        elif item[0].isalpha():
            phrase = _name_phrase(question, item)
        else:
            phrase = _number_phrase(question, item)
        if phrase and phrase not in phrases:
            phrases.append(phrase)
    return phrases


def _name_phrase(question: str, word: str) -> str:
    """The whole name a name word belongs to, as the question writes it: "Goldman Sachs", "Marks & Spencer",
    "Bank of England", "Star of the Sea"."""
    cap = r"[A-Z][\w'’&.-]*"
    glue = r"(?:&|of(?:\s+the)?)"  # "Marks & Spencer", "Bank of England", "Star of the Sea": one name
    joined = rf"{cap}(?:\s+{glue}\s+{cap})?"
    around = rf"(?:{joined}\s+)*(?:{cap}\s+{glue}\s+)?\b{re.escape(word)}[\w'’.-]*(?:\s+(?:{glue}\s+)?{cap})*"
    match = re.search(around, question.replace(".", ". "))
    if not match:
        return word
    words = [w for w in match.group(0).split() if w not in f.NOT_NAMES]
    return re.sub(r"['’]s$", "", " ".join(words)).strip(" .") or word


def _number_phrase(question: str, number: str) -> str:
    written = rf"(?<![\w.]){re.escape(number)}(?:[.,]\d+)*|(?<![\w.])\d{{1,3}}(?:,\d{{3}})+|\b\w+\b"  # "250,000"
    for match in re.finditer(written, question):
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
