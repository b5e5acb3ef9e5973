"""Whose rank it is: a ranking the passages give the same name at another place."""

import pytest

from bot.answer.claims import Evidence, problems
from bot.answer.ranks import ranks_turned

BANKS = (
    "UFJ Holdings, Japan's fourth-largest bank, has been at the centre of a bid battle."
    " Sumitomo, Japan's third-largest bank, tabled a higher offer."
    " UFJ preferred the offer from Mitsubishi Tokyo Financial Group (MTFG), Japan's second-largest bank."
)
CEMENT = "The deal will give Holcim, the world's second-biggest cement maker, an entry into the UK market."


@pytest.mark.parametrize(
    ("text", "turned"),
    [
        # another place for the same name, scope and kind
        ("Sumitomo Mitsui, Japan's second-largest bank, withdrew its offer.", [("second-largest", "third-largest")]),
        ("Holcim is the world's biggest cement maker.", [("biggest", "second-biggest")]),  # no ordinal: first
        # the same place, in other words ("largest" and "biggest" are one ranking)
        ("Sumitomo Mitsui, Japan's third-biggest bank, withdrew its offer.", []),
        ("MTFG, Japan's second-largest bank, won.", []),
        # another scope or kind, a name the passages do not rank, or no ranking: left to the other checks
        ("Sumitomo, the world's second-largest bank, withdrew.", []),
        ("Holcim, the world's second-biggest brewer, said so.", []),
        ("Nomura, Japan's second-largest bank, said so.", []),
        ("Sumitomo withdrew its offer.", []),
    ],
)
def test_ranks_turned(text, turned):
    assert ranks_turned(text, [BANKS, CEMENT]) == turned


def test_the_claim_checks_drop_a_claim_with_another_rank():
    evidence = [Evidence(CEMENT, None, body=CEMENT)]
    assert "ranked second-biggest" in problems(
        "Holcim, the world's biggest cement maker, entered the UK [1].", evidence
    )
    assert problems("Holcim, the world's second-biggest cement maker, entered the UK [1].", evidence) == []
