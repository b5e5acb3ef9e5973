"""Turn passages, history and a question into chat messages, from the templates in prompts/."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from llama_index.core.llms import ChatMessage, MessageRole

from bot.answer.text import content_terms, split_sentences
from prompts import load_prompt
from retrieval.searcher import Hit

HISTORY_TURNS = 6  # most recent turns given to the model
DATA_TAG = re.compile(r"</?\s*(passage|turn)\b[^>]*>", re.I)  # the delimiters data is quoted in
NOT_FOUND = "NOT_IN_ARTICLES"  # what the system prompt tells the model to reply when the passages lack the answer


@dataclass(frozen=True)
class Turn:
    role: Literal["user", "assistant"]
    text: str


def answer_prompt(
    question: str,
    hits: list[Hit],
    history: list[Turn],
    notes: str = "",
    evidence_sentences: int = 0,
    today: date | None = None,
) -> list[ChatMessage]:
    """System rules, then one user message holding the numbered passages as quoted data, each with its date,
    today's date, and the engine's notes on the question when it has any. With evidence_sentences > 0 the
    passages keep only that many sentences between them: those bearing most on the question (see evidence)."""
    focus = " ".join([question, *(t.text for t in history[-2:])])
    texts = evidence([h.passage.text for h in hits], focus, evidence_sentences)
    first: dict[str, int] = {}
    blocks = []
    for n, (hit, text) in enumerate(zip(hits, texts, strict=True), start=1):
        blocks.append(_passage_block(n, hit, text, first.get(hit.passage.article_id)))
        first.setdefault(hit.passage.article_id, n)
    passages = "\n".join(blocks)
    user = load_prompt("answer").format(
        passages=passages,
        history=_history_block(history),
        question=question,
        notes=load_prompt("notes").format(notes=notes) + "\n" if notes else "",
        today=_today_line(today, hits),
    )
    return [
        ChatMessage(role=MessageRole.SYSTEM, content=load_prompt("system")),
        ChatMessage(role=MessageRole.USER, content=user),
    ]


def _today_line(today: date | None, hits: list[Hit]) -> str:
    """Today's date, when a passage is dated: it is what "latest" and "when" answers compare against. With
    only undated passages it tells the model nothing and changes its answers (README)."""
    if today is None or not any(h.passage.source.published_moment for h in hits):
        return ""
    return load_prompt("today").format(today=today.isoformat()) + "\n"


def warm_up_prompt() -> list[ChatMessage]:
    """The system rules and an empty question: what every answer prompt begins with."""
    return [
        ChatMessage(role=MessageRole.SYSTEM, content=load_prompt("system")),
        ChatMessage(role=MessageRole.USER, content="Passages:"),
    ]


def condense_prompt(question: str, history: list[Turn]) -> list[ChatMessage]:
    text = load_prompt("condense").format(turns=_turns(history), question=question)
    return [ChatMessage(role=MessageRole.USER, content=text)]


def evidence(passages: list[str], focus: str, budget: int) -> list[str]:
    """Each passage cut to its evidence: of all their sentences, the budget sharing most content words with
    focus (each passage keeps at least its best one), in reading order, "…" where text was cut. Whole passages
    when budget is 0 or covers every sentence."""
    split = [split_sentences(p) for p in passages]
    if budget <= 0 or sum(map(len, split)) <= budget:
        return passages
    terms = content_terms(focus)
    scored = [
        (-len(terms & content_terms(s)), n, i) for n, sentences in enumerate(split) for i, s in enumerate(sentences)
    ]
    best_each = {min(x for x in scored if x[1] == n) for n, sentences in enumerate(split) if sentences}
    chosen = set(best_each)
    for item in sorted(scored):
        if len(chosen) >= max(budget, len(best_each)):
            break
        chosen.add(item)
    keep = {(n, i) for _, n, i in chosen}
    return [_cut(sentences, sorted(i for m, i in keep if m == n)) for n, sentences in enumerate(split)]


def _cut(sentences: list[str], kept: list[int]) -> str:
    parts = [("… " if i and i - 1 not in kept else "") + sentences[i] for i in kept]
    return " ".join(parts) + (" …" if kept and kept[-1] < len(sentences) - 1 else "")


def _passage_block(n: int, hit: Hit, text: str, first_of_article: int | None = None) -> str:
    """One quoted passage; its article's title, outlet and date as attributes, each given once per article
    (a later passage from the same article points back to the first), and none that is unknown."""
    source = hit.passage.source
    if first_of_article is not None:
        attributes = f' article="as passage {first_of_article}"'
    else:
        fields = {"title": source.title, "outlet": source.outlet, "date": source.date_label}
        attributes = "".join(f' {name}="{_attr(value)}"' for name, value in fields.items() if value)
    return load_prompt("passage").format(n=n, attributes=attributes, text=as_data(text))


def as_data(text: str) -> str:
    """Text from an article or a person, unable to close or open the tags it is quoted in."""
    return DATA_TAG.sub("", text)


def _attr(value: str) -> str:
    """An article field quoted as a tag attribute."""
    return as_data(value).replace('"', "'").replace("\n", " ")


def _history_block(history: list[Turn]) -> str:
    return load_prompt("history").format(turns=_turns(history)) + "\n" if history else ""


def _turns(history: list[Turn]) -> str:
    """The latest turns, each quoted as data in a <turn> tag naming who spoke."""
    return "\n".join(f'<turn role="{t.role}">{as_data(t.text)}</turn>' for t in history[-HISTORY_TURNS:])
