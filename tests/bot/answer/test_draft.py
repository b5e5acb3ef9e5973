"""What a second draft is told: the facts the first draft's dropped sentences stated and no passage holds."""

import pytest

from bot.answer.draft import unbacked_facts


@pytest.mark.parametrize(
    ("dropped", "facts"),
    [
        ([("Shares fell 18% on December 14.", ["number 14", "month December"])], ["14", "December"]),
        ([("Freddy Shepherd stood by him.", ["name Freddy", "name Shepherd"])], ["Freddy", "Shepherd"]),
        ([("It grew by 2020.", ["year 2020", "weak support"])], ["2020"]),
        ([("NOT_IN_ARTICLES", ["no citation"]), ("This is in passage.", ["weak support"])], []),
        ([("A said so.", ["name Mary", "speaker Mary"]), ("Mary again.", ["name Mary"])], ["Mary"]),  # once
    ],
)
def test_unbacked_facts(dropped, facts):
    assert unbacked_facts(dropped) == facts
