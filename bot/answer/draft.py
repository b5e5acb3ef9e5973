"""One pass of the backend over passages: its reply streamed, cut into sentences, and each sentence checked
against the passages it cites as soon as it is finished."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from bot.answer.backends.base import AnswerBackend
from bot.answer.citations import AnswerChecker, CheckedAnswer, SentenceStream
from bot.answer.prompting import NOT_FOUND, Turn
from bot.answer.text import MARKER
from retrieval.searcher import Hit

REFUSAL_PHRASES = re.compile(
    r"(i (could not|couldn't|cannot|can't) find|(passages|articles|context) do(es)? not (mention|contain|say|provide)"
    r"|not (mentioned|stated|provided|given|found|available) in the (given |provided )?(passages|articles|context)"
    r"|there is no information|no information (is )?(given|provided|available))",
    re.I,
)


@dataclass
class Listeners:
    """Who hears the draft: on_token each raw piece, on_sentence each checked sentence (the lead first)."""

    on_token: Callable[[str], None] | None = None
    on_sentence: Callable[[str], None] | None = None
    lead: str = ""  # notes said before the answer's first sentence


@dataclass
class Draft:
    raw: str
    checked: CheckedAnswer
    shown: list[str] = field(default_factory=list)  # the checked sentences listeners were given
    first_token_s: float = 0.0  # seconds from the start of the pass to the model's first piece
    check_ms: float = 0.0  # the claim checks' share of the pass

    @property
    def found_nothing(self) -> bool:
        """NOT_IN_ARTICLES, a refusal in the model's words, or no sentence a passage backs."""
        return is_refusal(self.raw) or not self.checked.citations


def write_draft(
    backend: AnswerBackend,
    question: str,
    hits: list[Hit],
    history: list[Turn],
    notes: str,
    today: date,
    listeners: Listeners,
) -> Draft:
    """Stream the backend's answer over hits, checking each finished sentence against the passages it cites."""
    started = time.perf_counter()
    checker, sentences = AnswerChecker(hits), SentenceStream()
    draft = Draft("", checker.result())
    pieces: list[str] = []

    def check(finished: list[str]) -> None:
        checking = time.perf_counter()
        for sentence in finished:
            kept = checker.add(sentence)
            if kept and listeners.on_sentence:
                if not draft.shown and listeners.lead:
                    listeners.on_sentence(listeners.lead)
                listeners.on_sentence(kept)
            draft.shown.extend([kept] if kept else [])
        draft.check_ms += (time.perf_counter() - checking) * 1000

    for piece in backend.stream(question, hits, history, notes, today):
        if not pieces:
            draft.first_token_s = time.perf_counter() - started
        pieces.append(piece)
        if listeners.on_token:
            listeners.on_token(piece)
        check(sentences.feed(piece))
    check(sentences.close())
    draft.raw, draft.checked = "".join(pieces), checker.result()
    draft.first_token_s = draft.first_token_s or time.perf_counter() - started
    return draft


UNBACKED = re.compile(r"^(?:number|month|year|name) (.+)$")  # the claim checks' reasons that name a fact


def unbacked_facts(dropped: list[tuple[str, list[str]]]) -> list[str]:
    """The figures, months, years and names the dropped sentences stated that their passages lack, once each
    in order: what a second draft is told the passages do not mention ("14", "December")."""
    facts = [m.group(1) for _, why in dropped for m in map(UNBACKED.match, why) if m]
    return list(dict.fromkeys(facts))


def is_refusal(raw: str) -> bool:
    """NOT_IN_ARTICLES anywhere, or a refusal in the model's own words that cites nothing."""
    return NOT_FOUND in raw or (bool(REFUSAL_PHRASES.search(raw)) and not MARKER.search(raw))
