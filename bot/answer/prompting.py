"""Turn passages, history and a question into chat messages, from the templates in prompts/."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from llama_index.core.llms import ChatMessage, MessageRole

from prompts import load_prompt
from retrieval.searcher import Hit

HISTORY_TURNS = 6  # most recent turns given to the model
TAG = re.compile(r"</?\s*passage\b[^>]*>", re.I)
NOT_FOUND = "NOT_IN_ARTICLES"  # what the system prompt tells the model to reply when the passages lack the answer


@dataclass(frozen=True)
class Turn:
    role: Literal["user", "assistant"]
    text: str


def answer_prompt(question: str, hits: list[Hit], history: list[Turn]) -> list[ChatMessage]:
    """System rules, then one user message holding the numbered passages as quoted data."""
    passages = "\n".join(_passage_block(n, hit) for n, hit in enumerate(hits, start=1))
    user = load_prompt("answer").format(passages=passages, history=_history_block(history), question=question)
    return [
        ChatMessage(role=MessageRole.SYSTEM, content=load_prompt("system")),
        ChatMessage(role=MessageRole.USER, content=user),
    ]


def condense_prompt(question: str, history: list[Turn]) -> list[ChatMessage]:
    text = load_prompt("condense").format(turns=_turns(history), question=question)
    return [ChatMessage(role=MessageRole.USER, content=text)]


def _passage_block(n: int, hit: Hit) -> str:
    source = hit.passage.source
    return load_prompt("passage").format(
        n=n,
        title=_attr(source.title),
        outlet=_attr(source.outlet or "unknown"),
        published=_attr(source.published or "unknown"),
        text=TAG.sub("", hit.passage.text),
    )


def _attr(value: str) -> str:
    return value.replace('"', "'")


def _history_block(history: list[Turn]) -> str:
    return load_prompt("history").format(turns=_turns(history)) + "\n" if history else ""


def _turns(history: list[Turn]) -> str:
    names = {"user": "User", "assistant": "Assistant"}
    return "\n".join(f"{names.get(t.role, 'User')}: {t.text}" for t in history[-HISTORY_TURNS:])
