"""Opposite wording: a claim whose word of direction or stance reverses its passage's, among the same words."""

import pytest

from bot.answer.claims import Evidence, problems
from bot.answer.opposites import turned_round, turns_in

SPENDING = (
    "South Korea will boost state spending next year in an effort to create jobs and kick start its sputtering"
    " economy. It aims to create 400,000 jobs."
)
STEM_CELLS = (
    "Michael Howard has backed stem cell research, saying it is important people are not frightened of the future."
    " The issue was a feature of the US election, where George Bush opposed extending it."
)
LEAGUE = "But Mr Letwin said Britain had fallen from fourth to 11th in the international competitiveness league."
HOUSES = (
    "House prices fell further in November and property sale times lengthened as rate rises took their toll."
    " The decision by the Bank of England not to increase interest rates further and the healthy economy is allowing"
    " confidence to consolidate."
)
CARS = (
    "US sales at GM sank 12.7% in February compared to a year ago."
    " Meanwhile, Asian carmakers fared well - Toyota sales jumped 11% while rival Nissan notched up a 10% increase."
)
CAIRN = (
    "Shares in Cairn Energy rose 3.8% to 1,088 pence on Tuesday after the UK firm announced a fresh gas discovery"
    " in northern India."
)
BUDGET = (
    "Correcting the error would mean reducing current expenditure and increasing net investment, thus helping"
    " Mr Brown to meet his golden rule."
)
TWO_DAYS = (
    "Shares in Cairn Energy fell on Monday after its drilling update. Shares in Cairn Energy rose on Tuesday after"
    " its drilling update."
)
RETAIL = "US retail sales fell 0.3% in January, the biggest monthly decline since last August."
EXIT_BAN = "She is under an exit ban while the Chinese authorities investigate a criminal case."


@pytest.mark.parametrize(
    ("claim", "passage", "problems_found"),
    [
        # the passage says the reverse, among the same words
        ("South Korea is cutting state spending next year to create jobs.", SPENDING, ["opposite of boost"]),
        ("Michael Howard opposed stem cell research.", STEM_CELLS, ["opposite of backed"]),
        ("Mr Letwin said Britain had risen to fourth in the competitiveness league.", LEAGUE, ["opposite of fallen"]),
        ("House prices rose further in November.", HOUSES, ["opposite of fell"]),
        # "not" turns a word round, on either side
        ("The Bank of England increased interest rates further.", HOUSES, ["opposite of increase"]),
        ("The Bank of England did not increase interest rates further.", HOUSES, []),
        ("South Korea is not cutting state spending next year.", SPENDING, []),
        # the same way, in other words of the same kind
        ("South Korea is raising state spending next year to create jobs.", SPENDING, []),
        ("Michael Howard backed stem cell research.", STEM_CELLS, []),
        ("House prices dropped further in November.", HOUSES, []),
        # another subject, another event, or too few shared words: left to the other checks
        ("Toyota's US sales fell in February.", CARS, []),
        ("Cairn Energy shares fell after a disappointing drilling update.", CAIRN, []),
        ("George Bush backed extending it.", STEM_CELLS, ["opposite of opposed"]),  # his stance, not Howard's
        ("Prices rose.", HOUSES, []),
        ("US retail sales rose in December.", RETAIL, []),  # another month
        ("US retail sales rose in January.", RETAIL, ["opposite of fell"]),
        ("US sales at Toyota rose in February.", "US sales at GM fell in February.", []),  # GM's, not Toyota's
        ("US sales at GM rose in February.", "US sales at GM fell in February.", ["opposite of fell"]),
        # a passage saying both ways about the same words, or a name holding a stance word
        ("Shares in Cairn Energy rose after its drilling update.", TWO_DAYS, []),
        ("The error helped Gordon Brown by reducing current expenditure and increasing net investment.", BUDGET, []),
        ("She is not allowed to leave China because of an exit ban in a criminal case.", EXIT_BAN, []),
    ],
)
def test_turned_round(claim, passage, problems_found):
    assert turned_round(claim, [passage]) == problems_found


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Sales rose, but profits fell.", [("rose", True), ("profits", True), ("fell", False)]),
        ("The board decided not to cut jobs.", [("cut", True)]),  # "not to cut" points up
        ("The Child Support Agency backed the plan.", [("backed", True)]),  # "Support" is part of a name
    ],
)
def test_turns_in(text, words):
    assert [(t.word, t.way) for t in turns_in(text)] == words


@pytest.mark.parametrize(
    ("text", "around", "dates"),
    [
        # a comma after a figure ends the clause, and a year before a comma is still a year
        ("Sales rose 5%, staff numbers were cut.", {"sale"}, set()),
        ("Exports fell in 2004, the firm said.", {"export"}, {"2004"}),
        ("Output fell 2,000.5 tonnes in March.", {"output", "tonn", "march"}, {"March"}),
    ],
)
def test_turns_in_reads_a_clause_past_its_figures(text, around, dates):
    first = turns_in(text)[0]
    assert (set(first.around), set(first.dates)) == (around, dates)


def test_the_claim_checks_drop_a_claim_turned_round():
    evidence = [Evidence(SPENDING, None, body=SPENDING)]
    claim = "South Korea is cutting state spending next year to create jobs [1]."
    assert "opposite of boost" in problems(claim, evidence)
    assert problems(claim.replace("cutting", "boosting"), evidence) == []
