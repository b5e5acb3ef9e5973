"""What every answer backend provides: a streamed answer from numbered passages, and a condensed follow-up."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Protocol

from bot.answer.prompting import Turn
from retrieval.searcher import Hit

if TYPE_CHECKING:
    from bot.settings import Settings


class AnswerBackend(Protocol):
    name: str

    def stream(
        self, question: str, hits: list[Hit], history: list[Turn], notes: str = "", today: date | None = None
    ) -> Iterator[str]:
        """The answer in pieces as the model writes it, citing passages as [n] (1-based, in hits order).

        notes: what the engine found that the model should know, e.g. names no passage mentions;
        today: the date the answer is written on, which the prompt states."""
        ...

    def condense(self, question: str, history: list[Turn]) -> str:
        """The follow-up question rewritten to stand alone, for retrieval."""
        ...

    def close(self) -> None:
        """Release what the backend holds (the local model's server); idempotent."""
        ...


class BackendFactory(Protocol):
    """A backend class: builds itself from explicit settings."""

    @classmethod
    def from_settings(cls, settings: Settings) -> AnswerBackend: ...
