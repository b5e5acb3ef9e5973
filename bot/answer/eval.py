"""`newsbot eval`: retrieval and answer quality over a JSONL question set, with thresholds for CI."""

from __future__ import annotations

import json
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bot.answer.citations import Citation
from bot.answer.engine import Engine
from bot.answer.prompting import Turn
from bot.answer.unsupported import unsupported_sentences
from bot.errors import NewsbotError
from retrieval.dates import parse_moment
from retrieval.library import Library
from retrieval.passages import Passage
from retrieval.sources import Source
from retrieval.stores.base import FileEntry
from retrieval.timewords import time_scope

SEARCH_DEPTH = 5
MAXIMUMS = {
    "invented_citations",
    "false_refusals",
    "false_premises_affirmed",
    "misattributions",
    "unsupported_sentences",
    "cited_outside_window",
}


class EvalFileError(NewsbotError, ValueError):
    """A question file newsbot cannot read; the message names the line."""


KINDS = ("answer", "refuse", "near_miss", "false_premise", "misattribution", "forms")
UNANSWERABLE = ("refuse", "near_miss")


@dataclass(frozen=True)
class EvalQuestion:
    question: str
    gold: list[str]  # articles that answer it (id, title or source path); any of them counts
    expect: list[str]  # regexes the answer must contain (case-insensitive); for a false premise, the true fact
    should_refuse: bool
    history: list[Turn] = field(default_factory=list)  # for follow-up questions
    kind: str = "answer"  # one of KINDS: what the question probes
    wrong: str | None = None  # the false premise or wrong speaker, as a regex the answer must not affirm
    asked_on: datetime | None = None  # when the question is asked: its time words mean dates relative to this


@dataclass
class QuestionResult:
    question: str
    kind: str
    gold_rank: int | None  # 1-based rank of the gold article among distinct retrieved articles
    expected_found: bool
    gold_cited: bool | None
    invented_citations: int
    refused: bool
    refusal_correct: bool
    latency_ms: float
    answer: str
    flagged: bool = False  # the answer says the articles do not mention something the question names
    affirmed_wrong: bool = False  # a false premise or wrong speaker stated as fact
    unsupported: int = 0  # cited sentences the independent re-check (unsupported.py) does not find backed
    check_ms: float = 0.0  # the premise and claim checks' share of the latency
    dropped: list[str] = field(default_factory=list)  # why the claim checks cut each model sentence they cut
    premise_missing: list[str] = field(default_factory=list)
    window: str = ""  # the question's explicit time window, if it has one ("this week (2026-11-23 to …)")
    outside_window: int = 0  # citations of articles not dated inside that window


def load_questions(path: Path, asked_on: datetime | None = None) -> list[EvalQuestion]:
    """The file's questions; asked_on, when given, for each that names no day of its own. The prompt tells the
    model today's date, so a set asked on no fixed day may get other drafts on another day."""
    questions = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            question = _question(row)
            questions.append(replace(question, asked_on=question.asked_on or asked_on))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
            raise EvalFileError(f"{path}:{number}: not a question line ({error})") from error
    if not questions:
        raise EvalFileError(f"{path}: no questions")
    return questions


def _question(row: dict[str, Any]) -> EvalQuestion:
    gold = row.get("gold_article") or []
    kind = row.get("kind") or ("refuse" if row.get("should_refuse") else "answer")
    if kind not in KINDS:
        raise ValueError(f"kind {kind!r} is not one of {', '.join(KINDS)}")
    return EvalQuestion(
        row["question"],
        [gold] if isinstance(gold, str) else list(gold),
        list(row.get("expect", [])),
        bool(row.get("should_refuse", kind in UNANSWERABLE)),
        [Turn(t["role"], t["text"]) for t in row.get("history", [])],
        kind,
        row.get("wrong"),
        parse_moment(row["asked_on"]).at if row.get("asked_on") else None,
    )


class GoldMatcher:
    """Whether a passage belongs to the gold article named by id, title or source path."""

    def __init__(self, registry: dict[str, FileEntry]) -> None:
        self._ids_by_path: dict[str, set[str]] = {}
        for entry in registry.values():
            self._ids_by_path.setdefault(entry.source_path, set()).update(entry.article_ids)

    def matches(self, source: Source, gold: list[str]) -> bool:
        """Whether the source is any of the gold articles."""
        return any(
            g in (source.article_id, source.title, source.source_path)
            or source.article_id in self._ids_by_path.get(g, ())
            for g in gold
        )

    def passage_matches(self, passage: Passage, gold: list[str]) -> bool:
        return self.matches(passage.source, gold)


def evaluate(engine: Engine, library: Library, questions: list[EvalQuestion]) -> list[QuestionResult]:
    matcher = GoldMatcher(library.registry())
    return [_evaluate_one(engine, matcher, q) for q in questions]


def _evaluate_one(engine: Engine, matcher: GoldMatcher, q: EvalQuestion) -> QuestionResult:
    started = time.perf_counter()
    answer = engine.ask(q.question, q.history, now=q.asked_on)
    latency = (time.perf_counter() - started) * 1000
    gold_rank = _gold_rank(engine, matcher, q) if q.gold else None
    expected = all(re.search(pattern, answer.answer, re.I) for pattern in q.expect)
    cited = None
    if q.gold:
        sources = [c.source for c in answer.citations] + [s for c in answer.citations for s in c.also_in]
        cited = any(matcher.matches(source, q.gold) for source in sources)
    flagged = bool(answer.premise_missing)
    return QuestionResult(
        q.question,
        q.kind,
        gold_rank,
        expected,
        cited,
        answer.invented_citations,
        answer.refused,
        answer.refused == q.should_refuse,
        round(latency, 1),
        answer.answer,
        flagged,
        _affirms_wrong(q, answer.answer, answer.refused, flagged, expected),
        len(unsupported_sentences(answer)),
        answer.timings_ms.get("premise", 0.0) + answer.timings_ms.get("check", 0.0),
        [f"{sentence} — {', '.join(why)}" for sentence, why in answer.dropped],
        answer.premise_missing,
        *_window_check(q, answer.citations),
    )


def _window_check(q: EvalQuestion, citations: list[Citation]) -> tuple[str, int]:
    """The question's explicit window, and how many citations fall outside it (undated ones count as outside)."""
    scope = time_scope(q.question, (q.asked_on or datetime.now(UTC)).date())
    if not scope.explicit:
        return "", 0
    since, until = scope.since or date.min, scope.until or date.max
    days = [c.source.published_day for c in citations]
    return scope.describe(), sum(1 for day in days if day is None or not since <= day <= until)


def _affirms_wrong(q: EvalQuestion, text: str, refused: bool, flagged: bool, expected: bool) -> bool:
    """Whether an answer states the question's false premise (or wrong speaker) as fact.

    Outside the engine's own "do not mention" note, the wrong term must not appear; and a false-premise
    answer that neither flags nor states the true fact has affirmed the premise by silence."""
    if refused or q.kind not in ("false_premise", "misattribution"):
        return False
    notes = (
        r"The articles? (?:about [^.]*? |“[^”]*” )?do(?:es)? not mention [^.]*\.|The articles are undated, [^.]*\."
        r"|The articles say “[^”]*”, not “[^”]*”(?:; “[^”]*”, not “[^”]*”)*\."
    )
    claims = re.sub(notes, " ", text)  # the engine's own notes quote the question; they claim nothing
    if q.wrong and re.search(q.wrong, claims, re.I):
        return True
    return q.kind == "false_premise" and not flagged and not expected


def _gold_rank(engine: Engine, matcher: GoldMatcher, q: EvalQuestion) -> int | None:
    """Rank of the gold article in retrieval for the (condensed) question; near-duplicates count with their hit."""
    query = engine.backend.condense(q.question, q.history) if q.history else q.question
    hits = engine.retriever.search(query, top_k=SEARCH_DEPTH).hits
    articles: list[str] = []
    for hit in hits:
        if any(matcher.passage_matches(p, q.gold) for p in [hit.passage, *hit.also_in]):
            return len(articles) + 1
        if hit.passage.article_id not in articles:
            articles.append(hit.passage.article_id)
    return None


def summarize(results: list[QuestionResult]) -> dict[str, Any]:
    with_gold = [r for r in results if r.gold_cited is not None]
    ranks = [r.gold_rank for r in with_gold]
    answerable = [r for r in with_gold if not r.refused]

    def share(items: list[Any], test: Callable[[Any], object]) -> float:
        return round(sum(1 for i in items if test(i)) / len(items), 3) if items else 0.0

    kind = _of_kind(results)
    answerable_kinds = kind("answer", "forms")
    return {
        "questions": len(results),
        **{f"hit@{k}": share(ranks, _within(k)) for k in (1, 3, 5)},
        "mrr": round(sum(1 / r for r in ranks if r) / len(ranks), 3) if ranks else 0.0,
        # over answerable questions; a "forms" question's expected text is the passage's own way of writing a
        # figure the question states, so an answer echoing the question's way is right but unproven
        "answer_contains_expected": share(kind("answer"), lambda r: r.expected_found),
        "forms_expected": share(kind("forms"), lambda r: r.expected_found),
        "gold_cited": share(answerable, lambda r: r.gold_cited),
        "invented_citations": sum(r.invented_citations for r in results),
        "refusal_accuracy": share(kind("answer", "forms", "refuse"), lambda r: r.refusal_correct),
        "false_refusals": share(answerable_kinds, lambda r: r.refused or r.flagged),
        "near_miss_refused": share(kind("near_miss"), lambda r: r.refused or r.flagged),
        "near_miss_refused_outright": share(kind("near_miss"), lambda r: r.refused),
        "false_premises_affirmed": sum(r.affirmed_wrong for r in kind("false_premise")),
        "false_premises": len(kind("false_premise")),
        "misattributions": sum(r.affirmed_wrong for r in kind("misattribution")),
        "misattribution_questions": len(kind("misattribution")),
        "unsupported_sentences": sum(r.unsupported for r in results),
        "window_questions": sum(1 for r in results if r.window),
        "cited_outside_window": sum(r.outside_window for r in results),
        "latency_ms_p50": round(statistics.median(r.latency_ms for r in results), 1),
        "check_ms_p50": round(statistics.median(r.check_ms for r in results), 1),
        "check_ms_max": round(max(r.check_ms for r in results), 1),
        "latency_ms_max": round(max(r.latency_ms for r in results), 1),
    }


def _of_kind(results: list[QuestionResult]) -> Callable[..., list[QuestionResult]]:
    return lambda *kinds: [r for r in results if r.kind in kinds]


def _within(k: int) -> Callable[[int | None], bool]:
    """Whether a gold rank is in the top k."""
    return lambda rank: rank is not None and rank <= k


def failures(summary: dict[str, Any], thresholds: dict[str, float]) -> list[str]:
    """One line per threshold missed; MAXIMUMS are upper bounds, the rest are minimums."""
    missed = []
    for name, bound in thresholds.items():
        value = summary[name]
        if (value > bound) if name in MAXIMUMS else (value < bound):
            missed.append(f"{name} {value} is {'above' if name in MAXIMUMS else 'below'} {bound}")
    return missed


def to_json(results: list[QuestionResult], summary: dict[str, Any], backend: str) -> str:
    return json.dumps(
        {"backend": backend, "summary": summary, "questions": [asdict(r) for r in results]}, ensure_ascii=False
    )
