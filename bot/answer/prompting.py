"""Turn passages, history and a question into chat messages, from the templates in prompts/."""

from __future__ import annotations

import re
from dataclasses import dataclass
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
    question: str, hits: list[Hit], history: list[Turn], notes: str = "", evidence_sentences: int = 0
) -> list[ChatMessage]:
    """System rules, then one user message holding the numbered passages as quoted data (and the engine's
    notes on the question, when it has any). With evidence_sentences > 0 each passage is cut to that many of
    its sentences that bear most on the question (and the conversation), in their own order."""
    focus = " ".join([question, *(t.text for t in history[-2:])])
    passages = "\n".join(
        _passage_block(n, hit, evidence(hit.passage.text, focus, evidence_sentences))
        for n, hit in enumerate(hits, start=1)
    )
    user = load_prompt("answer").format(
        passages=passages,
        history=_history_block(history),
        question=question,
        notes=load_prompt("notes").format(notes=notes) + "\n" if notes else "",
    )
    return [
        ChatMessage(role=MessageRole.SYSTEM, content=load_prompt("system")),
        ChatMessage(role=MessageRole.USER, content=user),
    ]


def condense_prompt(question: str, history: list[Turn]) -> list[ChatMessage]:
    text = load_prompt("condense").format(turns=_turns(history), question=question)
    return [ChatMessage(role=MessageRole.USER, content=text)]


def evidence(text: str, focus: str, keep: int) -> str:
    """The keep sentences of text sharing most content words with focus, in reading order ("…" where cut);
    the whole text when keep is 0 or the text is no longer than that."""
    sentences = split_sentences(text)
    if keep <= 0 or len(sentences) <= keep:
        return text
    terms = content_terms(focus)
    ranked = sorted(range(len(sentences)), key=lambda i: (-len(terms & content_terms(sentences[i])), i))
    chosen = sorted(ranked[:keep])
    parts = [("… " if i and i - 1 not in chosen else "") + sentences[i] for i in chosen]
    return " ".join(parts) + (" …" if chosen[-1] < len(sentences) - 1 else "")


def _passage_block(n: int, hit: Hit, text: str) -> str:
    source = hit.passage.source
    return load_prompt("passage").format(
        n=n,
        title=_attr(source.title),
        outlet=_attr(source.outlet or "unknown"),
        published=_attr(source.published or "unknown"),
        text=as_data(text),
    )


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
