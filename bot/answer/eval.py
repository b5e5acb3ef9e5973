"""`newsbot eval`: retrieval and answer quality over a JSONL question set, with thresholds for CI."""

from __future__ import annotations

import json
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bot.answer.engine import Engine
from bot.answer.prompting import Turn
from bot.errors import NewsbotError
from retrieval.library import Library
from retrieval.passages import Passage
from retrieval.sources import Source
from retrieval.stores.base import FileEntry

SEARCH_DEPTH = 5


class EvalFileError(NewsbotError, ValueError):
    """A question file newsbot cannot read; the message names the line."""


@dataclass(frozen=True)
class EvalQuestion:
    question: str
    gold_article: str | None  # article id, title or source path
    expect: list[str]  # phrases or regexes the answer must contain (case-insensitive)
    should_refuse: bool
    history: list[Turn] = field(default_factory=list)  # for follow-up questions


@dataclass
class QuestionResult:
    question: str
    gold_rank: int | None  # 1-based rank of the gold article among distinct retrieved articles
    expected_found: bool
    gold_cited: bool | None
    invented_citations: int
    refused: bool
    refusal_correct: bool
    latency_ms: float
    answer: str


def load_questions(path: Path) -> list[EvalQuestion]:
    questions = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            history = [Turn(t["role"], t["text"]) for t in row.get("history", [])]
            questions.append(
                EvalQuestion(
                    row["question"],
                    row.get("gold_article"),
                    list(row.get("expect", [])),
                    bool(row.get("should_refuse", False)),
                    history,
                )
            )
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            raise EvalFileError(f"{path}:{number}: not a question line ({error})") from error
    if not questions:
        raise EvalFileError(f"{path}: no questions")
    return questions


class GoldMatcher:
    """Whether a passage belongs to the gold article named by id, title or source path."""

    def __init__(self, registry: dict[str, FileEntry]) -> None:
        self._ids_by_path: dict[str, set[str]] = {}
        for entry in registry.values():
            self._ids_by_path.setdefault(entry.source_path, set()).update(entry.article_ids)

    def matches(self, source: Source, gold: str) -> bool:
        return gold in (
            source.article_id,
            source.title,
            source.source_path,
        ) or source.article_id in self._ids_by_path.get(gold, ())

    def passage_matches(self, passage: Passage, gold: str) -> bool:
        return self.matches(passage.source, gold)


def evaluate(engine: Engine, library: Library, questions: list[EvalQuestion]) -> list[QuestionResult]:
    matcher = GoldMatcher(library.registry())
    return [_evaluate_one(engine, matcher, q) for q in questions]


def _evaluate_one(engine: Engine, matcher: GoldMatcher, q: EvalQuestion) -> QuestionResult:
    started = time.perf_counter()
    answer = engine.ask(q.question, q.history)
    latency = (time.perf_counter() - started) * 1000
    gold_rank = _gold_rank(engine, matcher, q) if q.gold_article else None
    expected = all(re.search(pattern, answer.answer, re.I) for pattern in q.expect)
    cited = None
    if q.gold_article:
        sources = [c.source for c in answer.citations] + [s for c in answer.citations for s in c.also_in]
        cited = any(matcher.matches(source, q.gold_article) for source in sources)
    return QuestionResult(
        q.question,
        gold_rank,
        expected,
        cited,
        answer.invented_citations,
        answer.refused,
        answer.refused == q.should_refuse,
        round(latency, 1),
        answer.answer,
    )


def _gold_rank(engine: Engine, matcher: GoldMatcher, q: EvalQuestion) -> int | None:
    """Rank of the gold article in retrieval for the (condensed) question; near-duplicates count with their hit."""
    assert q.gold_article is not None
    query = engine.backend.condense(q.question, q.history) if q.history else q.question
    hits = engine.retriever.search(query, top_k=SEARCH_DEPTH).hits
    articles: list[str] = []
    for hit in hits:
        if any(matcher.passage_matches(p, q.gold_article) for p in [hit.passage, *hit.also_in]):
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

    return {
        "questions": len(results),
        **{f"hit@{k}": share(ranks, _within(k)) for k in (1, 3, 5)},
        "mrr": round(sum(1 / r for r in ranks if r) / len(ranks), 3) if ranks else 0.0,
        "answer_contains_expected": share(with_gold, lambda r: r.expected_found),
        "gold_cited": share(answerable, lambda r: r.gold_cited),
        "invented_citations": sum(r.invented_citations for r in results),
        "refusal_accuracy": share(results, lambda r: r.refusal_correct),
        "latency_ms_p50": round(statistics.median(r.latency_ms for r in results), 1),
        "latency_ms_max": round(max(r.latency_ms for r in results), 1),
    }


def _within(k: int) -> Callable[[int | None], bool]:
    """Whether a gold rank is in the top k."""
    return lambda rank: rank is not None and rank <= k


def failures(summary: dict[str, Any], thresholds: dict[str, float]) -> list[str]:
    """One line per threshold missed; invented_citations is a maximum, the rest are minimums."""
    missed = []
    for name, bound in thresholds.items():
        value = summary[name]
        if (value > bound) if name == "invented_citations" else (value < bound):
            missed.append(f"{name} {value} is {'above' if name == 'invented_citations' else 'below'} {bound}")
    return missed


def to_json(results: list[QuestionResult], summary: dict[str, Any], backend: str) -> str:
    return json.dumps(
        {"backend": backend, "summary": summary, "questions": [asdict(r) for r in results]}, ensure_ascii=False
    )
