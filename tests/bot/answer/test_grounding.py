"""Number grounding on hand-made passages: numbers normalised, sentences with unknown numbers dropped."""

import pytest

from bot.answer.grounding import drop_ungrounded_numbers, numbers_in, years_not_covered
from tests.hits import hits

PASSAGES = hits(
    "Spending will rise by 60 per cent to 380 billion yuan, about 1,200 firms said in 2025.",
    "Production takes nine months.",
)


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("60 per cent", {"60"}),
        ("1,200 firms", {"1200"}),
        ("nine months", {"9"}),
        ("4.5 billion.", {"4.5"}),
        ("cited [3] only", set()),
        ("no numbers", set()),
    ],
)
def test_numbers_in_normalises_separators_words_and_skips_markers(text, numbers):
    assert numbers_in(text) == numbers


@pytest.mark.parametrize(
    ("answer", "kept"),
    [
        ("Spending will rise 60 per cent [1].", "Spending will rise 60 per cent [1]."),
        ("About 1200 firms said so [1].", "About 1200 firms said so [1]."),
        ("It takes 9 months [2].", "It takes 9 months [2]."),
        ("Spending will rise 85 per cent [1]. It takes nine months [2].", "It takes nine months [2]."),
        ("It will ship 4 million chips [1].", ""),
    ],
)
def test_sentences_stating_numbers_no_passage_holds_are_dropped(answer, kept):
    assert drop_ungrounded_numbers(answer, PASSAGES) == kept


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("What happened in 2025?", set()),
        ("What happened in 2019?", {"2019"}),
        ("What happened between 2019 and 2025?", {"2019"}),
        ("What happened?", set()),
    ],
)
def test_years_not_covered(question, missing):
    assert years_not_covered(question, PASSAGES) == missing
