"""The sentence a refusal quotes: verbatim, from a passage about the question's rarest name, close enough."""

import pytest

from bot.answer.quotes import best_sentences, rarest_name
from retrieval.passages import Passage
from retrieval.searcher import Hit
from retrieval.sources import Source
from tests.hits import hits

PASSAGES = hits(
    "Bolton boss Sam Allardyce has signed Roma defender Vincent Candela on a five-month deal. He joins on Monday.",
    "The price of an average UK property now stands at £152,879. Prices rose 0.4% in March.",
    "Candela played for France at the 1998 World Cup. He has also played for Guingamp.",
)


@pytest.mark.parametrize(
    ("question", "anchor", "min_share", "quote"),
    [
        (
            "Which Roma defender signed a short contract with Sam Allardyce's club?",
            "Roma",
            0.4,
            "Bolton boss Sam Allardyce has signed Roma defender Vincent Candela on a five-month deal [1].",
        ),
        ("What is the current price of bitcoin?", "", 0.4, ""),  # one word of three: not close enough
        (
            "What is the current price of bitcoin?",
            "",
            0.0,
            "The price of an average UK property now stands at £152,879 [2].",
        ),
        # the anchor keeps the quote to passages about Candela, even where a sentence says "He"
        ("Has Candela also played for Guingamp?", "Guingamp", 0.4, "He has also played for Guingamp [3]."),
    ],
)
def test_best_sentence(question, anchor, min_share, quote):
    assert best_sentences(question, PASSAGES, 1, anchor, min_share) == quote


@pytest.mark.parametrize(
    ("prefer_figures", "quote"),
    [
        (False, "Sales of hybrid cars in the US are set to double in 2005 [1]."),  # first, on a tie
        (True, "JD Power estimates sales will hit 200,000 in 2005 [1]."),  # the one that can correct a figure
    ],
)
def test_a_sentence_stating_a_figure_comes_first_when_asked_for(prefer_figures, quote):
    hybrids = hits(
        "Sales of hybrid cars in the US are set to double in 2005. JD Power estimates sales will hit 200,000 in 2005."
    )
    question = "Why does JD Power expect US hybrid sales to reach in 2005?"  # "500,000" left out: no passage has it
    assert best_sentences(question, hybrids, 1, "", 0.4, prefer_figures=prefer_figures) == quote


@pytest.mark.parametrize(
    ("question", "anchor"),
    [
        ("What did Sam Allardyce say about Candela and France?", "Allardyce"),  # in one sentence; Candela in two
        ("What did Arsenal say?", ""),  # a name no passage holds is no anchor
        ("what is the price of bitcoin?", ""),  # no names at all
    ],
)
def test_rarest_name(question, anchor):
    assert rarest_name(question, PASSAGES) == anchor


def _dated(text: str, article_id: str, day: str | None) -> Hit:
    source = Source(article_id, "Orbital AI", "Wire", "", f"{article_id}.txt", published_at=day, date_precision="day")
    return Hit(1, 1.0, Passage(f"{article_id}-0", source, text, 0), 0.5, 1.0)


RUNNING_STORY = [  # the older story shares more words with the question, and ranks first
    _dated(
        "Orbital AI released Orbit-2, its most capable model, to business customers.", "old", "2026-08-01T00:00:00Z"
    ),
    _dated("Orbital AI released Orbit-3 on Monday.", "new", "2026-11-20T00:00:00Z"),
    _dated("Orbital AI released a model for customers of its cloud.", "undated", None),
]


@pytest.mark.parametrize(
    ("newest_first", "quote"),
    [
        (False, "Orbital AI released Orbit-2, its most capable model, to business customers [1]."),
        (True, "Orbital AI released Orbit-3 on Monday [2]."),  # "latest" questions: the newest article's sentence
    ],
)
def test_a_latest_question_quotes_the_newest_article(newest_first, quote):
    question = "Which model did Orbital AI release most recently for business customers?"
    assert best_sentences(question, RUNNING_STORY, 1, "Orbital", 0.3, newest_first) == quote
