"""The no-LLM backend: answer with the passage sentences that best match the question, cited."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

from bot.answer.prompting import NOT_FOUND, Turn
from bot.answer.text import append_marker, content_terms, split_sentences
from retrieval.searcher import Hit

if TYPE_CHECKING:
    from bot.settings import Settings

MAX_SENTENCES = 2
RANK_BONUS = 0.05  # a small preference for better-ranked passages on ties


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
        """Deterministic: the sentences sharing most words with the question, each with its passage number.

        Measured on tests/eval: weighting words by rarity answered no more questions than plain overlap."""
        terms = content_terms(question)
        scored = sorted(
            (
                (len(terms & s_terms) / max(len(terms), 1) + RANK_BONUS / n, -n, -position, text, n)
                for n, position, text, s_terms in _sentences(hits)
                if terms & s_terms
            ),
            reverse=True,
        )
        best = scored[:MAX_SENTENCES]
        if not best:
            return NOT_FOUND
        return " ".join(append_marker(text, n) for *_, text, n in best)

    def condense(self, question: str, history: list[Turn]) -> str:
        """Without a model, the last user question gives the follow-up its subject."""
        previous = next((t.text for t in reversed(history) if t.role == "user"), "")
        return f"{previous} {question}".strip()

    def close(self) -> None:
        pass


def _sentences(hits: list[Hit]) -> list[tuple[int, int, str, set[str]]]:
    """(passage number, position, sentence, its terms), each distinct sentence once (passages overlap)."""
    seen: set[str] = set()
    rows = []
    for n, hit in enumerate(hits, start=1):
        for position, sentence in enumerate(split_sentences(hit.passage.text)):
            if sentence not in seen:
                seen.add(sentence)
                rows.append((n, position, sentence, content_terms(sentence)))
    return rows
