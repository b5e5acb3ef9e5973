"""eval's independent re-check of final answers, on hand-made passages."""

import pytest

from bot.answer.citations import Citation
from bot.answer.engine import Answer
from bot.answer.unsupported import unsupported_sentences
from tests.hits import hits

PASSAGES = hits(
    "An eight megabit service comes with a hefty £39.99 monthly price tag, said UK Online's Mr Stening, after a"
    " six-try victory. A court jailed a businessman for three and a half years."
)


def answer(text: str) -> Answer:
    citation = Citation(1, PASSAGES[0].passage.source, PASSAGES[0].passage.text)
    return Answer("q", text, False, [citation], "test", PASSAGES)


@pytest.mark.parametrize(
    ("text", "unsupported"),
    [
        ("The 8 megabit service costs £39.99 a month [1].", 0),  # a figure the passage spells out
        ("The eight megabit service costs £39.99 a month [1].", 0),
        ("Mr Stening spoke after 6 tries [1].", 0),  # "six-try"
        ("The 10 megabit service costs £39.99 a month [1].", 1),  # a figure the passage lacks
        ("The service costs £29.99 a month [1].", 1),
        ("The service costs £39.99 a month, said Ofcom [1].", 1),  # a name the passage lacks
        ("The service costs £39.99 a month, said Mr Stening [1].", 0),
        ("A court jailed a businessman for 3.5 years [1].", 0),  # "three and a half years"
        ("A court jailed a businessman for 4.5 years [1].", 1),
    ],
)
def test_cited_sentences_whose_figures_or_names_the_cited_text_lacks(text, unsupported):
    assert len(unsupported_sentences(answer(text))) == unsupported
