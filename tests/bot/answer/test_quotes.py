"""The sentence a refusal quotes: verbatim, from a passage about the question's rarest name, close enough."""

import pytest

from bot.answer.quotes import best_sentences, rarest_name
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
    ("question", "anchor"),
    [
        ("What did Sam Allardyce say about Candela and France?", "Allardyce"),  # in one sentence; Candela in two
        ("What did Arsenal say?", ""),  # a name no passage holds is no anchor
        ("what is the price of bitcoin?", ""),  # no names at all
    ],
)
def test_rarest_name(question, anchor):
    assert rarest_name(question, PASSAGES) == anchor
