"""The no-LLM backend: answer with the passage sentences that best match the question, cited."""

from __future__ import annotations

from retrieval.search import Hit

from bot.prompting import Turn
from bot.text import append_marker, content_terms, split_sentences

MAX_SENTENCES = 2
RANK_BONUS = 0.05  # a small preference for better-ranked passages on ties


class ExtractiveBackend:
    name = "extractive"

    def generate(self, question: str, hits: list[Hit], history: list[Turn], on_token=None) -> str:
        """Deterministic: the best-overlapping sentences, each followed by its passage number."""
        terms = content_terms(question)
        scored = []
        for n, hit in enumerate(hits, start=1):
            for position, sentence in enumerate(split_sentences(hit.passage.text)):
                overlap = len(terms & content_terms(sentence)) / max(len(terms), 1)
                if overlap > 0:
                    scored.append((overlap + RANK_BONUS / n, -n, -position, sentence, n))
        best = sorted(scored, reverse=True)[:MAX_SENTENCES]
        if not best:
            return "NOT_IN_ARTICLES"
        answer = " ".join(append_marker(sentence, n) for *_, sentence, n in best)
        if on_token:
            on_token(answer)
        return answer

    def condense(self, question: str, history: list[Turn]) -> str:
        """Without a model, the last user question gives the follow-up its subject."""
        previous = next((t.text for t in reversed(history) if t.role == "user"), "")
        return f"{previous} {question}".strip()
