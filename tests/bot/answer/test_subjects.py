"""Whose figure it is: a claim's figure its passages give only for another named subject is found out."""

import pytest

from bot.answer import facts as f
from bot.answer.subjects import others_figures

SHARK_TALE = (
    "Oscar-nominated animation Shark Tale has raked in $80m (£42.4m) in the first week of its US DVD release."
    " The tally soared past the film's opening week box office takings."
    " The all-time first-week record is held by Lion King followed by Shrek 2 and Finding Nemo."
)
MEYER = "Sir Anthony Meyer has died. He was 84, and died at his London home."
JONES = (
    "Marion Jones has filed a lawsuit against Victor Conte."
    " The Sydney Olympic gold medallist says Conte damaged her reputation and she is seeking $25m in the suit."
)
LG_CARD = (
    "South Korea's largest credit card firm has averted liquidation following a $960m bail-out."
    " LG Card had been threatened with collapse because of its huge debts."
)
MCILROY = "James McIlroy won the 800m in Erfurt. The Northern Ireland runner set a personal best of 46.68 seconds."
SPENDING = "Chinese cloud providers will raise AI spending by 60 per cent this year. Analysts expect more."
CARMAKERS = (
    "Toyota and Nissan saw sales accelerate. Korea's Hyundai was another big gainer."
    " Toyota put its rise down to its redesigned Avalon sedan and a 120% surge in sales of its Prius hybrid."
)
PAINKILLERS = "The painkillers - called COX-2 inhibitors - are sold under brand names such as Celebrex and Vioxx."


@pytest.mark.parametrize(
    ("claim", "passage", "problems"),
    [
        # the figure is another subject's, and the claimed subject is named only sentences away
        (
            "Finding Nemo made $80 million (£42.4 million) in its first week on DVD.",
            SHARK_TALE,
            ["figure 80 of another", "figure 42.4 of another"],
        ),
        ("Shark Tale made $80m in its first week on DVD.", SHARK_TALE, []),
        # the subject is the claim's first name, not one it borrows from the passage's sentence ("Avalon")
        (
            "Nissan's sales rose on its Avalon sedan and a 120% surge in Prius sales.",
            CARMAKERS,
            ["figure 120 of another"],
        ),
        ("Toyota's sales rose on its Avalon sedan and a 120% surge in Prius sales.", CARMAKERS, []),
        # a one-word name opening the claim is its subject when the passage writes it as a name mid-sentence
        ("Shrek made $80m in its first week on DVD.", SHARK_TALE, ["figure 80 of another"]),
        ("Production takes 9 months.", "Jensen Huang said it took Nvidia about 9 months to make chips.", []),
        # no one else is named before the figure: "He", "The firm" may be the subject
        ("Sir Anthony Meyer was 84 when he died.", MEYER, []),
        # someone else is, but the claimed subject is named next to the figure's sentence
        ("Marion Jones is seeking $25 million from Victor Conte.", JONES, []),
        ("LG Card was rescued with a $960m bail-out.", LG_CARD, []),
        # places are no subject
        ("James McIlroy ran 46.68 seconds.", MCILROY, []),
        # a source is judged by the speaker check, not as the subject
        ("According to Morgan Stanley, Chinese cloud providers will raise AI spending by 60 per cent.", SPENDING, []),
        # a number ending a name is no figure; nor is a claim with no named subject before its figure
        ("The FDA panel is reviewing COX-2 inhibitors such as Celebrex.", PAINKILLERS, []),
        ("Some $80m was made in the first week.", SHARK_TALE, []),
    ],
)
def test_others_figures(claim, passage, problems):
    assert others_figures(claim, [passage], f.speakers_in(claim)) == problems


def test_a_figure_any_cited_passage_gives_the_subject_is_enough():
    own = "Finding Nemo made $80m in its first week on DVD in 2003."
    claim = "Finding Nemo made $80m in its first week on DVD."
    assert others_figures(claim, [SHARK_TALE, own], f.speakers_in(claim)) == []
