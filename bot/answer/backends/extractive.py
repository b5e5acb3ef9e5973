"""The no-LLM backend: answer with the passage sentences that best match the question, cited."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

from bot.answer.prompting import NOT_FOUND, Turn
from bot.answer.quotes import best_sentences
from retrieval.searcher import Hit

if TYPE_CHECKING:
    from bot.settings import Settings


class ExtractiveBackend:
    name = "extractive"

    @classmethod
    def from_settings(cls, settings: Settings) -> ExtractiveBackend:
        return cls()

    def stream(
        self, question: str, hits: list[Hit], history: list[Turn], notes: str = "", today: date | None = None
    ) -> Iterator[str]:
        yield self.answer(question, hits)

    def answer(self, question: str, hits: list[Hit]) -> str:
        """Deterministic: the sentences sharing most words with the question, each with its passage number."""
        return best_sentences(question, hits) or NOT_FOUND

    def condense(self, question: str, history: list[Turn]) -> str:
        """Without a model, the last user question gives the follow-up its subject."""
        previous = next((t.text for t in reversed(history) if t.role == "user"), "")
        return f"{previous} {question}".strip()

    def close(self) -> None:
        pass
