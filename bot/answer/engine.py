"""The answer engine: question (+ history) → passages (through the retriever) → prompt → backend → Answer
with checked citations."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.answer.backends.base import AnswerBackend
from bot.answer.citations import CheckedAnswer, Citation, check_citations, invented_markers
from bot.answer.draft import Draft, Listeners, unbacked_facts, write_draft
from bot.answer.facts import facts_in, figures_as_digits, load_tables
from bot.answer.premise import Premise, best_story, check_premise, lexical_coverage, listed, with_the_date_asked
from bot.answer.prompting import Turn
from bot.answer.quotes import best_sentences, rarest_name
from bot.answer.text import content_terms
from retrieval.llamaindex import HybridRetriever
from retrieval.searcher import NO_FILTERS, Filters, Hit, SearchResult
from retrieval.timewords import TimeScope, scoped_filters, time_scope

STALE_DAYS = 7  # a "latest" answer from articles older than this says how old they are
CLOSEST_LEAD = "The closest the articles come:"  # before the quoted sentence a model refusal is given
CLOSEST_SENTENCES = 1
CLOSEST_MIN_SHARE = (
    0.4  # of the question's content words in the quote; dev split: useful quotes 0.45-0.88, noise 0.12-0.36
)
NOT_FOUND_REPLY = "I couldn't find that in the articles."  # what the user reads when the articles lack the answer
WARM_UP_QUESTION = "What did French banks say on 3 March 2025 about a 60 per cent rise?"  # names, a date, a figure


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Answer:
    question: str
    answer: str
    refused: bool
    citations: list[Citation]
    backend: str
    hits: list[Hit] = field(default_factory=list)
    search_query: str = ""
    timings_ms: dict[str, float] = field(default_factory=dict)
    invented_citations: int = 0  # markers the model wrote that pointed at no passage (dropped)
    premise_missing: list[str] = field(default_factory=list)  # what the question names that no passage holds
    dropped: list[tuple[str, list[str]]] = field(default_factory=list)  # model sentences cut, and why

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.answer,
            "refused": self.refused,
            "citations": [c.to_dict() for c in self.citations],
            "backend": self.backend,
            "premise_missing": self.premise_missing,
            "dropped": [{"sentence": s, "why": why} for s, why in self.dropped],
            "timings_ms": self.timings_ms,
        }


class Engine:
    """Stateless per question; conversation history is passed in by the caller (CLI chat or Slack thread)."""

    def __init__(
        self,
        retriever: HybridRetriever,
        backend: AnswerBackend,
        min_relevance: float,
        min_coverage: float,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.retriever = retriever
        self.backend = backend
        self.min_relevance = min_relevance  # dense evidence: best passage cosine
        self.min_coverage = min_coverage  # lexical evidence: share of the question's words one passage holds
        self.clock = clock  # "now" for time words, recency and the prompt's date; tests fix it

    def ask(
        self,
        question: str,
        history: list[Turn] | None = None,
        on_token: Callable[[str], None] | None = None,
        filters: Filters = NO_FILTERS,
        on_sentence: Callable[[str], None] | None = None,
        on_reading: Callable[[int], None] | None = None,
        now: datetime | None = None,
    ) -> Answer:
        """Answer from the articles or refuse. on_token gets each piece of the model's draft as it is written;
        on_sentence gets each sentence of the answer as shown, once it has passed the claim checks (the premise
        note first), so a caller can stream the answer without ever showing a sentence that is then withdrawn.
        on_reading gets the number of articles the model is about to read (for a status line). now is when the
        question is asked (default: the engine's clock): time words, recency and the prompt's date use it.
        A model that finds nothing gets one second look at the story most about the question (README)."""
        history = history or []
        timings: dict[str, float] = {}
        started = time.perf_counter()
        query = self.backend.condense(question, history) if history else question
        timings["condense"] = _ms(started)
        now = now or self.clock()
        scope = time_scope(question, now.date())
        searched = scoped_filters(filters, scope, now, self.retriever.config)
        result = self.retriever.search(query, searched)
        timings["retrieve"] = result.timings_ms.get("total", 0.0)
        time_note, unfiltered = "", False
        if scope.explicit and not result.hits:
            if self._any_dated():
                return self._empty_window(question, query, scope, filters, timings, started)
            searched = filters
            result = self.retriever.search(query, searched)  # an undated library: a window cannot filter it
            time_note, unfiltered = _undated_note(scope.phrase), True
        checking = time.perf_counter()
        applied = scope.explicit and not unfiltered  # a window the filter applied: its words need no other check
        asked_of_passages = scope.without_phrase(question) if applied else question
        premise = check_premise(asked_of_passages, result.hits)
        if premise.dates and result.hits and not searched.newest_first:
            result, premise = self._reach_the_date(query, asked_of_passages, result, searched, premise)
        timings["premise"] = _ms(checking)
        lead = " ".join(note for note in (time_note, premise.note()) if note)  # said before the answer
        if not self._relevant(query, result.hits):
            return self._refusal(question, result.hits, query, timings, started, premise)
        hits = premise.focus(result.hits)
        if on_reading:
            on_reading(len({h.passage.article_id for h in hits}))
        listeners = Listeners(on_token, on_sentence, lead)
        asked = figures_as_digits(question)  # "eighteen percent" as "18 percent": the passages' way
        before_draft = _ms(started)
        notes = premise.note(for_model=True)
        draft = write_draft(self.backend, asked, hits, history, notes, now.date(), listeners)
        timings["first_token"] = round(before_draft + draft.first_token_s * 1000, 1)
        timings["check"] = round(draft.check_ms, 1)
        if draft.found_nothing and not draft.shown and premise.holds:
            draft, hits = self._second_look(question, asked, hits, history, now, listeners, timings, draft)
        checked, raw = draft.checked, draft.raw
        if draft.found_nothing:  # nothing left that a passage backs: say so, invent nothing
            closest = closest_quote(question, hits, newest_first=scope.recency == "strong", premise=premise)
            return self._refusal(question, hits, query, timings, started, premise, checked.dropped, closest)
        timings["total"] = _ms(started)
        age = age_note(checked.citations, scope, now)
        return Answer(
            question,
            f"{lead} {checked.text} {age}".strip(),
            False,
            checked.citations,
            self.backend.name,
            hits,
            query,
            timings,
            invented_markers(raw, len(hits)),
            premise.flagged,
            checked.dropped,
        )

    def _second_look(
        self,
        question: str,
        asked: str,
        hits: list[Hit],
        history: list[Turn],
        now: datetime,
        listeners: Listeners,
        timings: dict[str, float],
        first: Draft,
    ) -> tuple[Draft, list[Hit]]:
        """The model asked again over the one story holding min_coverage of the question, told which facts of
        its first draft no passage backs ("These passages do not mention 14 or December."); its answer replaces
        the refusal only if it rests on a passage sentence close to the question. Otherwise the first draft.
        With nothing to tell it, the same passages would get the same answer, so then it needs fewer."""
        story, share = best_story(asked, hits)  # figures as digits, as the passages write them
        unbacked = unbacked_facts(first.checked.dropped)
        if share < self.min_coverage or (len(story) == len(hits) and not unbacked):
            return first, hits
        notes = f"These passages do not mention {listed(unbacked)}." if unbacked else ""
        looking = time.perf_counter()
        second = write_draft(self.backend, asked, story, history, notes, now.date(), listeners)
        timings["second_look"] = _ms(looking)
        timings["check"] = round(timings["check"] + second.check_ms, 1)
        if second.found_nothing or not _rests_on_a_close_sentence(asked, second.checked.citations):
            return first, hits
        return second, story

    def _reach_the_date(
        self, query: str, question: str, result: SearchResult, searched: Filters, premise: Premise
    ) -> tuple[SearchResult, Premise]:
        """When no hit holds the month or year asked for, the hits ranked just below may: see with_the_date_asked."""
        spare = self.retriever.search(query, searched, top_k=2 * len(result.hits)).hits[len(result.hits) :]
        hits = with_the_date_asked(question, result.hits, spare)
        if hits == result.hits:
            return result, premise
        return replace(result, hits=hits), check_premise(question, hits)

    def warm_up(self) -> None:
        """Do at start-up what the first question would otherwise wait for: load the index (one search) and the
        tables the premise and claim checks read (countries and demonyms)."""
        load_tables()
        hits = self.retriever.search(WARM_UP_QUESTION).hits
        check_premise(WARM_UP_QUESTION, hits)
        check_citations("French banks said sales rose 60 per cent in March 2025 [1].", hits)

    def close(self) -> None:
        """Release the backend (the local model's in-process server)."""
        self.backend.close()

    def _relevant(self, query: str, hits: list[Hit]) -> bool:
        """Dense evidence (a close passage) or lexical evidence (one passage holding most of the question's words)."""
        if not hits:
            return False
        if self.retriever.dense_enabled and max(h.dense_score for h in hits) >= self.min_relevance:
            return True
        return lexical_coverage(query, hits) >= self.min_coverage

    def _any_dated(self) -> bool:
        """Whether the library holds any dated article (the newest would be one)."""
        newest = self.retriever.newest(1)
        return bool(newest) and newest[0].published_moment is not None

    def _empty_window(
        self,
        question: str,
        query: str,
        scope: TimeScope,
        filters: Filters,
        timings: dict[str, float],
        started: float,
    ) -> Answer:
        """Nothing dated in the question's window: say so, naming the newest relevant article before it."""
        text = f"No article in the index is dated {scope.describe()}."
        if scope.since is not None:
            before = replace(filters, since=None, until=scope.since - timedelta(days=1), newest_first=True)
            earlier = self.retriever.search(query, before).hits
            if earlier:
                source = earlier[0].passage.source
                text += f" The newest one before it on this is “{source.title}” ({source.date_label})."
        timings["total"] = _ms(started)
        return Answer(question, text, True, [], self.backend.name, [], query, timings)

    def _refusal(
        self,
        question: str,
        hits: list[Hit],
        query: str,
        timings: dict[str, float],
        started: float,
        premise: Premise | None = None,
        dropped: list[tuple[str, list[str]]] | None = None,
        closest: CheckedAnswer | None = None,
    ) -> Answer:
        """The refusal, the premise note, and (when given) the closest the articles come, quoted and cited."""
        timings["total"] = _ms(started)
        parts = [NOT_FOUND_REPLY, premise.note() if premise else ""]
        if closest is not None:
            parts.append(f"{CLOSEST_LEAD} {closest.text}")
        text = " ".join(part for part in parts if part)
        missing = premise.flagged if premise else []
        citations = closest.citations if closest else []
        return Answer(
            question, text, True, citations, self.backend.name, hits, query, timings, 0, missing, dropped or []
        )


def closest_quote(
    question: str, hits: list[Hit], newest_first: bool = False, premise: Premise | None = None
) -> CheckedAnswer | None:
    """When the model finds no answer in passages the gate judged relevant: the one passage sentence closest
    to the question, verbatim and cited, so the reader sees what the articles do say. It must hold the
    question's rarest name (its subject, as far as words tell) and share CLOSEST_MIN_SHARE of its content words;
    None when no sentence does. What the premise check found the articles lack is not a word to share, and
    when that is a figure, a sentence stating a figure comes first: it is the one that can correct it."""
    if premise is not None:
        question = premise.without_flagged(question)
    anchor = rarest_name(question, hits)
    prefer_figures = premise is not None and bool(premise.figures)
    quote = best_sentences(question, hits, CLOSEST_SENTENCES, anchor, CLOSEST_MIN_SHARE, newest_first, prefer_figures)
    checked = check_citations(quote, hits) if quote else None
    return checked if checked and checked.citations else None


def age_note(citations: list[Citation], scope: TimeScope, now: datetime) -> str:
    """For a question about what is new ("latest", "now", "still"): how old the newest cited article is, when
    that is more than STALE_DAYS; or that the cited articles are undated."""
    if scope.recency != "strong" or not citations:
        return ""
    moments = [m for m in (c.source.published_moment for c in citations) if m is not None]
    if not moments:
        return "The articles cited are undated, so this may not be the latest."
    newest = max(moments)
    days = (now - newest).days
    if days <= STALE_DAYS:
        return ""
    return f"The newest article cited is from {newest.date().isoformat()}, {days} days ago."


def _undated_note(phrase: str) -> str:
    """What a window over undated articles tells the reader: that "last month" cannot be checked. A named month
    or year ("in January", "in March 2024") is said nowhere: the premise check reads it in the passages' text,
    as it reads any other date, and says so only when no passage holds it."""
    named = facts_in(phrase, question=True)
    if named.months or named.years:
        return ""
    return f"The articles are undated, so I cannot check “{phrase}” against them."


def _rests_on_a_close_sentence(question: str, citations: list[Citation]) -> bool:
    """Whether a cited passage sentence shares CLOSEST_MIN_SHARE of the question's content words, as a quote
    must: a second look that only says something cited about the story ("The add-on for the DS …") is no
    answer, while "It takes about nine months [1]." rests on the sentence the question describes."""
    terms = content_terms(question)
    shares = [len(terms & content_terms(c.quote)) for c in citations]
    return not terms or max(shares, default=0) >= CLOSEST_MIN_SHARE * len(terms)


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)
