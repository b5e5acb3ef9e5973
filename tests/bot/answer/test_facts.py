"""The facts a sentence states, normalised: figures, months, years, names and speakers (pure functions)."""

import pytest

from bot.answer.facts import (
    Bound,
    bounds_in,
    changes_in,
    counts_in,
    facts_in,
    figures_as_digits,
    same_name_word,
    speakers_in,
)


@pytest.mark.parametrize(
    ("text", "numbers", "years"),
    [
        ("The carmaker is cutting 2,000 jobs.", {"2000"}, set()),  # separators do not make a new number
        ("Spending will rise 60 per cent, or 60%.", {"60"}, set()),
        ("It takes nine months [1].", {"9"}, set()),  # number words count; citation markers do not
        ("Released in early 2024, it sold 4.0 million.", {"4"}, {"2024"}),
        ("Revenue in Q1 2021 beat Q2 2020.", set(), {"2021", "2020"}),  # quarters are names: Q1, Q2
        ("According to passage 2, downloads rose 150% [1].", {"150"}, set()),  # the model's pointer is no figure
        ("He was jailed for three and a half years in '23.", {"3.5"}, {"2023"}),
        ("Profits rose fifty-six per cent, for the twenty-first time.", {"56", "20"}, set()),
    ],
)
def test_numbers_and_years_are_normalised(text, numbers, years):
    facts = facts_in(text)
    assert set(facts.numbers) == numbers
    assert set(facts.years) == years


@pytest.mark.parametrize(
    ("question", "numbers"),
    [
        ("Is the carmaker cutting 2000 jobs?", set()),  # 2000 is read as a year-like figure, checked as either
        ("Which two bodies would the agency have merged?", set()),  # a count the question asks about is no claim
        ("Does Nvidia need six months to make chips?", {"6"}),  # a number word with a unit is a claim
        ("Did spending rise by 85 per cent?", {"85"}),
    ],
)
def test_a_question_claims_figures_with_digits_or_units(question, numbers):
    assert set(facts_in(question, question=True).numbers) == numbers


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Goldman Sachs said chips were short.", {"Goldman", "Sachs"}),  # a two-word name opening a sentence
        ("Nvidia said chips were short.", set()),  # one capitalised opening word may be any word
        ("The U.S. Federal Reserve's decision surprised Mr Smith.", {"US", "Federal", "Reserve", "Smith"}),
        ("It happened in April, on Monday.", set()),  # months and days are dates, not names
    ],
)
def test_names(text, names):
    assert set(facts_in(text).names) == names


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        ("Morgan Stanley said spending would rise.", {"Morgan", "Stanley"}),
        ("Morgan Stanley, the US investment bank, said spending would rise.", {"Morgan", "Stanley"}),
        ("Spending will rise, according to Morgan Stanley.", {"Morgan", "Stanley"}),
        ("According to the Labor Department, the jobless rate was 5.4%.", {"Labor", "Department"}),
        ('"I was nervous," said Safin.', {"Safin"}),
        ("Analysts said AI spending would rise.", {"Analysts"}),  # "said AI …" does not make AI a speaker
        ("Yes, WeChat added Uber rides in nine more countries.", set()),  # "added" is no speech verb here
        ("A separate study by Gartner has also said TV on mobiles is unlikely.", {"Gartner"}),
        # statements other than "said" name their speaker too
        ("Beijing confirmed Monday that an employee was barred from leaving.", {"Beijing"}),
        ("Wells Fargo has denied the report.", {"Wells", "Fargo"}),
        ("The Washington Post reported on Sunday that an employee was held.", {"Washington", "Post"}),
        ("Apple announced a new iPod, and the reports were denied.", {"Apple"}),  # nouns are no speakers
        # a name set off by commas after the speaker's title speaks too
        ("The Turkish economics minister, Ali Babacan, said the sides agreed.", {"Ali", "Babacan"}),
        ("In Paris, Lyon, Nice and Lille, sales rose.", set()),  # a list of names, no verb of speech
    ],
)
def test_speakers(text, speakers):
    assert speakers_in(text) == speakers


@pytest.mark.parametrize(
    ("word", "words", "text", "same"),
    [
        ("Chinese", {"China"}, "China", True),
        ("British", {"Britain"}, "Britain", True),
        ("US", set(), "the United States said", True),  # an acronym of a name the text spells out
        ("LSE", set(), "the London Stock Exchange", True),
        ("Goldman", {"Gold"}, "Gold", False),
        ("Austria", {"Australia"}, "Australia", False),
    ],
)
def test_same_name_word(word, words, text, same):
    assert same_name_word(word, words, text) is same


@pytest.mark.parametrize(
    ("text", "quantities"),
    [
        ("rise 60 per cent to 380 billion yuan (US$53bn)", {("60", "per cent"), ("380", "billion"), ("53", "billion")}),
        ("rise 60% in five years", {("60", "per cent"), ("5", "year")}),
        ("a 10-year absence", {("10", "year")}),
        ("marked his 2,838th day, blocked for the 21st time", {("2838", "day"), ("21", "times")}),
        ("rose by fifty-six per cent", {("56", "per cent")}),
    ],
)
def test_figures_keep_their_units(text, quantities):
    assert set(facts_in(text).quantities) == quantities


@pytest.mark.parametrize(
    ("question", "as_digits"),
    [
        ("Were one hundred and fifty thousand tickets sold?", "Were 150000 tickets sold?"),
        ("Did shares close down eighteen percent?", "Did shares close down 18 percent?"),
        ("Did he die aged eighty-four?", "Did he die aged 84?"),
        ("Does JD Power expect 200 thousand sales?", "Does JD Power expect 200000 sales?"),
        ("Is the carmaker cutting two thousand jobs?", "Is the carmaker cutting 2000 jobs?"),
        ("What did one analyst say about the two firms?", "What did one analyst say about the two firms?"),
        ("Did Diageo buy Chalone for 260 million dollars?", "Did Diageo buy Chalone for 260 million dollars?"),
        ("Is she seeking twenty-five million dollars?", "Is she seeking 25 million dollars?"),
        ("Did the film take 28.5 million dollars?", "Did the film take 28.5 million dollars?"),
        ("Was the deal worth 2.5 billion euros?", "Was the deal worth 2.5 billion euros?"),
        ("What did Morgan Stanley say about the H20 in 2025?", "What did Morgan Stanley say about the H20 in 2025?"),
        ("How much did it take in its third weekend?", "How much did it take in its third weekend?"),  # words
        ("Was it blocked for the twenty-first time?", "Was it blocked for the 21st time?"),  # digits from 10th
        ("What keeps him out of Wales' Six Nations games?", "What keeps him out of Wales' Six Nations games?"),
        ("Did Formula One lose fifteen teams?", "Did Formula One lose 15 teams?"),  # a name, then a figure
    ],
)
def test_figures_as_digits_for_the_model(question, as_digits):
    assert figures_as_digits(question) == as_digits


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        ("The device opens to reveal two screens.", {("2", "screen"): "two screens"}),
        ("It cut 2,000 jobs and 3 stores.", {("2000", "job"): "2,000 jobs", ("3", "store"): "3 stores"}),
        ("one of the firms rose 60 per cent in five years", {}),  # function words and units count nothing
        ("sales hit 200,000 in 2005", {}),
        ("Eight megabit broadband", {("8", "megabit"): "Eight megabit"}),
        ("He won fifty-one England caps", {}),  # a name after the figure: not the thing counted
        ("Who will take over John Peel's Radio 1 slot?", {}),  # a figure in a name
        ("He won fifty-one caps", {("51", "cap"): "51 caps"}),
        ("Does it expect 200 thousand hybrid sales?", {("200000", "sale"): "200000 hybrid sales"}),  # head last
        ("It added three new screens.", {("3", "screen"): "three new screens"}),
        ("It sold three hybrids this year.", {("3", "hybrid"): "three hybrids"}),  # a plural is the head itself
        ("He was two goals ahead.", {("2", "goal"): "two goals"}),
        ("a target of eight thousand applications", {}),  # "thousand" is the figure's own word, as before
    ],
)
def test_counts_of_things(text, counts):
    assert counts_in(text) == counts


@pytest.mark.parametrize(
    ("text", "bounds"),
    [
        ("Did he run the 100m in under ten seconds?", [Bound("10", "below", "second")]),
        ("Were more than 150,000 tickets sold?", [Bound("150000", "above", "ticket")]),
        ("Did prices rise nearly 10%?", [Bound("10", "near", "per cent")]),
        ("Did it cost up to £5m?", [Bound("5", "below", "million")]),
        ("He was 84 years old and sold 2,000 units.", []),  # values, not limits
    ],
)
def test_bounds_in(text, bounds):
    assert bounds_in(text) == bounds


@pytest.mark.parametrize(
    ("bound", "held", "met"),
    [
        (Bound("10", "below", "second"), {("9.85", "second")}, True),
        (Bound("10", "below", "second"), {("9.85", "minute")}, False),  # another unit
        (Bound("9", "below", "second"), {("9.85", "second")}, False),
        (Bound("150000", "above", "ticket"), {("200000", "ticket")}, True),
        (Bound("10", "near", "per cent"), {("9.5", "per cent")}, True),
        (Bound("10", "near", "per cent"), {("2", "per cent")}, False),  # "nearly": below, within a fifth
    ],
)
def test_a_bound_is_met_by_a_value_inside_it(bound, held, met):
    assert bound.met_by(held) is met


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("It was announced on November 16, 2026.", {("16", "November")}),
        (
            "The strike runs from 17 November; talks resume on the 3rd of December.",
            {("17", "November"), ("3", "December")},
        ),
        ("Dated 2026-10-16T12:00:00Z", {("16", "October")}),  # an article's date
        ("Nov. 3 and Dec 25th", {("3", "November"), ("25", "December")}),
        ("in March 2026, and 16 per cent in May", set()),  # a month with a year or alone names no day
    ],
)
def test_days_of_a_month(text, days):
    assert facts_in(text).days == days


@pytest.mark.parametrize(
    ("text", "changes"),
    [
        ("German unemployment rose 7,000 in November.", {("7000", "up")}),
        ("Shares fell by 18% on Tuesday.", {("18", "down")}),
        ("The bank cut its main rate to 4.25 per cent.", {("4.25", "down")}),
        ("The cut could cost up to 5,000 jobs; sales of 200 cars.", set()),  # no verb of change before a figure
    ],
)
def test_figures_said_to_rise_or_fall(text, changes):
    assert changes_in(text) == changes


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("Barclays, the UK's third-biggest bank, is 3rd in the list.", {"3"}),
        ("It came second; Japan's fourth-largest bank.", {"2", "4"}),
        ("A third Spider-Man film is due; a second referendum.", {"3", "2"}),  # "a" is no fraction alone
        ("a third of staff, one-third, one third, two thirds", set()),  # fractions
        ("the Second World War; Second, the firm said", set()),  # names and openers are capitalised
        ("the first time, the 1st; seconds later; the 15th week", {"15"}),  # not "first" nor a unit
    ],
)
def test_places_in_an_order(text, places):
    assert facts_in(text).place_digits == places
