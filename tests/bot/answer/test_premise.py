"""The question's premise against hand-made passages: what it names that no passage holds, as it wrote it."""

import pytest

from bot.answer.premise import check_premise, lexical_coverage, with_the_date_asked
from tests.hits import hits

PASSAGES = hits(
    "Morgan Stanley, the US investment bank, said AI spending by Chinese cloud providers would rise by around 60 per cent this year.",
    "The carmaker is cutting 2,000 jobs, and in 2023 an executive at Kroll was barred from leaving China.",
    "Total, the oil group based in France, bought a stake in a Dutch refinery.",
    "The indoor championships in Madrid open on Friday.",
)


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        # answerable questions whose figures and years the passages write differently: nothing missing
        ("Is the carmaker cutting 2000 jobs?", []),
        ("How much will Chinese cloud providers spend on AI in 2025?", []),  # "this year", undated, after 2023
        ("What did Morgan Stanley say about spending in China?", []),
        ("What happened to Kroll in 2023?", []),
        ("What did the American bank Morgan Stanley say?", []),  # "American" for a passage saying "US"
        ("What did the French oil group Total buy?", []),  # a demonym for a passage naming the country
        ("Did Total buy a stake in a refinery in the Netherlands?", []),  # and a country for a demonym
        ("Did Total buy a refinery in Belgium?", ["Belgium"]),
        ("What did the Italian oil group Total buy?", ["Italian"]),  # a demonym of another country
        ("When do the indoor championships in Spain open?", []),  # a passage naming its capital
        ("When do the indoor championships in Paris open?", ["Paris"]),  # a capital is not held by its country
        # false premises: the question's own words for what no passage holds
        ("What did Goldman Sachs say about AI spending?", ["Goldman Sachs"]),
        ("Did Morgan Stanley say AI spending would rise by 85 per cent?", ["85 per cent"]),
        ("Why was the Kroll executive barred from leaving China in 2019?", ["2019"]),  # before 2023: not "this year"
        ("Did the carmaker cut jobs in March?", ["March"]),
        ("Did AI spending rise by 60 billion?", ["60 billion"]),  # the figure is there, with another unit
        ("What did Marks & Spencer say about AI spending?", ["Marks & Spencer"]),  # a name joined by "&"
        ("What did the Bank of England say about AI spending?", ["Bank of England"]),  # or by "of"
        ("How well did Star of the Sea sell?", ["Star of the Sea"]),  # or by "of the"
    ],
)
def test_check_premise(question, missing):
    assert check_premise(question, PASSAGES).missing == missing


@pytest.mark.parametrize(
    ("question", "flagged"),
    [
        ("Why did Barclays, the UK's fourth-biggest bank, make more?", ["fourth-biggest"]),  # a rank, said once
        ("Why did Barclays, the UK's third-biggest bank, make more?", []),
        ("Why did Barclays, the UK's 3rd biggest bank, make more?", []),
        ("Why did oil prices fall on a second day?", []),  # the passages' count of the same: "in two days"
        ("Why did oil prices fall on a fifth day?", ["“fifth”"]),
    ],
)
def test_a_place_in_an_order_the_passages_do_not_give_is_flagged(question, flagged):
    passages = hits("Barclays, the UK's third-biggest bank, made £4.6bn.", "Oil prices have dropped 12% in two days.")
    assert check_premise(question, passages).flagged == flagged


@pytest.mark.parametrize(
    ("question", "turned", "note"),
    [
        (
            "Why did Morgan Stanley say AI spending by Chinese cloud providers would fall?",
            [("fall", "rise")],
            "The articles say “rise”, not “fall”.",
        ),
        ("Why did Morgan Stanley say AI spending by Chinese cloud providers would rise?", [], ""),
        ("Why is the carmaker hiring 2,000 workers?", [], ""),  # no passage word of the same kind among its words
    ],
)
def test_a_question_the_passages_turn_round_is_flagged(question, turned, note):
    premise = check_premise(question, PASSAGES)
    assert premise.turned == turned
    assert premise.note() == note
    assert premise.holds is not turned
    if turned:
        assert premise.note(for_model=True) == "These passages do not say fall: they say rise."


def test_the_note_names_what_is_missing():
    premise = check_premise("Did Goldman Sachs say spending would rise 85 per cent?", PASSAGES)
    assert premise.note() == "The articles do not mention Goldman Sachs or 85 per cent."
    assert check_premise("What did Morgan Stanley say?", PASSAGES).note() == ""


@pytest.mark.parametrize(
    ("question", "left", "figures"),
    [
        (
            "Did Morgan Stanley say AI spending would rise by 85 per cent?",
            "Did Morgan Stanley say AI spending would rise by ?",
            ["85 per cent"],
        ),
        ("What did Goldman Sachs say about AI spending?", "What did   say about AI spending?", []),
        # a subject, place or date the articles lack stays: without it the question is about something else
        ("Did the carmaker cut jobs in March?", "Did the carmaker cut jobs in March?", []),
        ("Did Total buy a refinery in Belgium?", "Did Total buy a refinery in Belgium?", []),
        (
            "Why was the Kroll executive barred from leaving China in 2019?",
            "Why was the Kroll executive barred from leaving China in 2019?",
            [],
        ),
        ("What did Morgan Stanley say?", "What did Morgan Stanley say?", []),  # nothing flagged, nothing left out
    ],
)
def test_a_quote_is_sought_without_what_the_articles_lack(question, left, figures):
    premise = check_premise(question, PASSAGES)
    assert " ".join(premise.without_flagged(question).split()) == " ".join(left.split())
    assert premise.figures == figures


@pytest.mark.parametrize(
    ("question", "at_least", "below"),
    [
        ("What happened to Kroll in 2023?", 0.75, 1.01),  # rare words matched: lexical evidence enough
        ("What is the current price of bitcoin?", 0.0, 0.5),
    ],
)
def test_lexical_coverage(question, at_least, below):
    assert at_least <= lexical_coverage(question, PASSAGES) < below


STORIES = hits(
    "Sir Anthony Meyer, the Tory backbencher who challenged Margaret Thatcher for the party leadership in 1989, has died.",
    "When Britain went to the polls in 1979, Tory leader Margaret Thatcher was swept into power.",
    "Liverpool forward Milan Baros is uncertain whether he remains part of boss Rafa Benitez's plans.",
    "Nothing was decided, said an IAAF spokesman after the meeting on doping.",
)


@pytest.mark.parametrize(
    ("question", "apart", "note"),
    [
        # what the passages hold, but only in a story that never names the question's subject
        (
            "Why did Anthony Meyer challenge Margaret Thatcher for the leadership in 1979?",
            ["1979"],
            "The articles about Anthony Meyer do not mention 1979.",
        ),
        (
            "What did the IAAF decide about Milan Baros?",
            ["IAAF"],
            "The articles about Milan Baros do not mention IAAF.",
        ),
        # held together: nothing to say
        ("Why did Anthony Meyer challenge Margaret Thatcher for the leadership in 1989?", [], ""),
        ("What happened to Margaret Thatcher in 1979?", [], ""),  # the subject's stories include the 1979 one
        ("What did the IAAF spokesman say about doping?", [], ""),
        ("Who won the 1989 Tory leadership race?", [], ""),  # its subject, "Tory", is in both stories
    ],
)
def test_a_premise_held_only_apart_from_its_subject(question, apart, note):
    premise = check_premise(question, STORIES)
    assert (premise.missing, premise.apart, premise.note()) == ([], apart, note)


def test_focus_keeps_the_subjects_stories_only_when_something_is_apart():
    apart = check_premise("What did the IAAF decide about Milan Baros?", STORIES)
    assert [h.passage.article_id for h in apart.focus(STORIES)] == ["a3"]
    together = check_premise("What did the IAAF spokesman say about doping?", STORIES)
    assert together.focus(STORIES) == STORIES


def test_when_the_story_the_question_describes_names_none_of_its_names_that_story_is_the_subject():
    stories = hits(
        "Visa staff must rule on an application every 11 minutes, the committee of MPs said.",
        "Lord Falconer says there will be amendments when the bill goes to the Lords.",
    )
    premise = check_premise(
        "What did Lord Falconer say about visa staff ruling on applications every 11 minutes?", stories
    )
    assert premise.note() == "The article “Story 1” does not mention Lord Falconer."
    assert premise.note(for_model=True) == "These passages do not mention Lord Falconer."  # no title outside them
    assert [h.passage.article_id for h in premise.focus(stories)] == ["a1"]
    answerable = check_premise("What did Lord Falconer say about amendments to the bill?", stories)
    assert answerable.holds


def test_a_country_held_only_by_another_storys_capital_is_apart():
    stories = hits(
        "Total, the oil group based in France, bought a stake in a Dutch refinery.",
        "The indoor championships in Madrid open on Friday.",
    )
    premise = check_premise("What did the Spanish oil group Total buy?", stories)
    assert (premise.missing, premise.apart, premise.subject) == ([], ["Spanish"], "Total")


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("Why did Nintendo give its DS handheld three screens?", ["three screens"]),  # the passage counts two
        ("Why did Nintendo give its DS handheld two screens?", []),
        ("Why did Nintendo give its DS handheld 2 screens?", []),
        ("Did Nintendo sell 2000 units in Japan?", []),  # "2,000 units"
        ("Which two rivals did Nintendo name?", []),  # nothing counts rivals: nothing to contradict
    ],
)
def test_a_count_the_passages_give_another_way_is_missing(question, missing):
    stories = hits("The Nintendo DS handheld opens up to reveal two screens, and 2,000 units were sold in Japan.")
    assert check_premise(question, stories).missing == missing


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("Did Gatlin win the 100m in under ten seconds?", []),  # a limit the passage's 9.85 seconds meets
        ("Did Gatlin win the 100m in nearly ten seconds?", []),
        ("Were more than 100,000 tickets sold?", []),
        ("Did Gatlin win the 100m in under nine seconds?", ["nine"]),  # a limit nothing meets
        ("Did Gatlin win the 100m in nearly twenty seconds?", ["twenty"]),  # "nearly": within a fifth
        ("Were more than 200,000 tickets sold?", ["200,000"]),
        ("Did Gatlin win the 100m in 10 seconds?", ["10"]),  # no limit: the figure itself is asked
    ],
)
def test_a_figure_given_as_a_limit_is_held_by_a_value_inside_it(question, missing):
    stories = hits("Justin Gatlin won the 100m in 9.85 seconds, and more than 150,000 tickets were sold.")
    assert check_premise(question, stories).missing == missing


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("Did Federer win Wimbledon in 2003?", []),  # stated
        ("Did Federer win Wimbledon in 2004?", []),  # an undated "this year" after the article's 2003
        ("Did Federer win Wimbledon in 2018?", ["2018"]),  # not fifteen years later
        ("Did Federer win Wimbledon in 2001?", ["2001"]),  # nor before the years the article names
    ],
)
def test_an_undated_this_year_means_the_articles_latest_year_or_the_next(question, missing):
    stories = hits("Federer, who won Wimbledon in 2003, has won it again this year.")
    assert check_premise(question, stories).missing == missing


JOBLESS = [
    "More than 5.2 million Germans were out of work in February, new figures show.",
    "Unemployment in Germany rose for the 11th consecutive month in December.",
    "The UK's jobless total rose for the second month in a row in December.",
]
NOVEMBER = "Unemployment in Germany rose 7,000 in November to 4.464 million people."


@pytest.mark.parametrize(
    ("question", "spare", "reached"),
    [
        # the month asked for is only in a spare hit about the question's subject: it takes the last place
        ("How many people were out of work in Germany in November?", [NOVEMBER], True),
        # a spare hit with the month but about another country does not
        ("How many people were out of work in Germany in November?", ["French output fell in November."], False),
        # a name no hit holds is not looked for below: that is a near miss or a false premise
        ("What did Angela Merkel say about German unemployment?", ["Angela Merkel said jobs come first."], False),
        # nothing is missing: the hits stay
        ("How many Germans were out of work in February?", [NOVEMBER], False),
    ],
)
def test_a_month_or_year_no_hit_holds_is_reached_in_the_hits_just_below(question, spare, reached):
    top = hits(*JOBLESS)
    below = hits(*JOBLESS, *spare)[len(JOBLESS) :]
    result = with_the_date_asked(question, top, below)
    assert (result != top) == reached
    if reached:
        assert result[:-1] == top[:-1]
        assert result[-1] == below[0]
        assert not check_premise(question, result).flagged
