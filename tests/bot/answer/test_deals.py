"""Who bought whom: a claim with the buyer and the bought the other way round from its passages."""

import pytest

from bot.answer.claims import Evidence, problems
from bot.answer.deals import buyer_swapped
from bot.answer.premise import check_premise
from tests.hits import hits

HOLCIM = (
    "Swiss cement firm Holcim has bid $800m to buy two Indian cement firms."
    " Meanwhile, UK-based firm Aggregate Industries said it had agreed a £1.8bn takeover by Holcim."
)
INBEV = "Brewing giant Inbev has agreed to buy Alfa-Eco's stake in Sun Interbrew, Russia's second-largest brewer."
BOTH_WAYS = "Alpha bought a stake in Beta in 2003. Beta bought Alpha's software arm last year."


@pytest.mark.parametrize(
    ("claim", "passage", "found"),
    [
        # the buyer and the bought swapped, in each way a deal is written
        ("Aggregate Industries agreed to buy Holcim for £1.8bn.", HOLCIM, ["buyer swapped"]),
        ("Alfa-Eco agreed to buy Inbev's stake in Sun Interbrew.", INBEV, ["buyer swapped"]),
        ("Holcim was bought by Aggregate Industries.", HOLCIM, ["buyer swapped"]),
        ("Alfa-Eco's takeover of Inbev was agreed.", INBEV, ["buyer swapped"]),
        # the right way round, in other words
        ("Holcim agreed to buy Aggregate Industries for £1.8bn.", HOLCIM, []),
        ("Aggregate Industries was bought by Holcim.", HOLCIM, []),
        ("Inbev's takeover of Alfa-Eco's stake was agreed.", INBEV, []),
        # a passage with each side buying from the other, or one naming no buyer, leaves it to the other checks
        ("Beta bought a stake in Alpha.", BOTH_WAYS, []),
        ("Aggregate Industries agreed to buy Holcim.", "Aggregate Industries and Holcim agreed a deal.", []),
        ("Holcim makes cement.", HOLCIM, []),  # no deal in the claim
    ],
)
def test_buyer_swapped(claim, passage, found):
    assert buyer_swapped(claim, [passage]) == found


def test_the_claim_checks_drop_a_claim_with_the_buyer_swapped():
    evidence = [Evidence(HOLCIM, None, body=HOLCIM)]
    assert "buyer swapped" in problems("Aggregate Industries agreed to buy Holcim for £1.8bn [1].", evidence)
    assert problems("Holcim agreed a £1.8bn takeover of Aggregate Industries [1].", evidence) == []


@pytest.mark.parametrize(
    ("question", "note"),
    [
        (
            "Why did Aggregate Industries agree to buy Holcim for £1.8bn?",
            "The articles say “Holcim buying Aggregate Industries”, not “Aggregate Industries buying Holcim”.",
        ),
        (
            "Why did Alfa-Eco agree to buy Inbev's stake?",
            "The articles say “Inbev buying Alfa-Eco”, not “Alfa-Eco buying Inbev”.",
        ),
        ("Why is Holcim buying Aggregate Industries?", ""),
    ],
)
def test_a_question_with_the_buyer_swapped_is_told_the_passages_way_round(question, note):
    assert check_premise(question, hits(HOLCIM, INBEV)).note() == note
