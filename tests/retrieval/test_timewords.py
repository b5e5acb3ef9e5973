"""Golden table: questions -> the date window or recency their time words ask for (today is Tue 2026-11-24)."""

from datetime import UTC, date, datetime

import pytest

from retrieval.searcher import NO_FILTERS, Filters, SearchConfig
from retrieval.timewords import scoped_filters, time_scope

TODAY = date(2026, 11, 24)  # a Tuesday
D = date


@pytest.mark.parametrize(
    ("question", "since", "until"),
    [
        ("What happened this week?", D(2026, 11, 23), TODAY),
        ("What did Nvidia say last week?", D(2026, 11, 16), D(2026, 11, 22)),
        ("Any news on H20 today?", TODAY, TODAY),
        ("What happened yesterday in markets?", D(2026, 11, 23), D(2026, 11, 23)),
        ("What did the Fed do in March?", D(2026, 3, 1), D(2026, 3, 31)),
        ("What did the Fed do in December?", D(2025, 12, 1), D(2025, 12, 31)),  # the latest December
        ("Chip news in November", D(2026, 11, 1), TODAY),  # this month so far
        ("What happened in March 2025?", D(2025, 3, 1), D(2025, 3, 31)),
        ("Stories since Monday", D(2026, 11, 23), TODAY),
        ("What was said on Friday about tariffs?", D(2026, 11, 20), D(2026, 11, 20)),
        ("What happened in the last 3 days?", D(2026, 11, 22), TODAY),
        ("Headlines from the past two weeks", D(2026, 11, 11), TODAY),
        ("Anything in the past week on Tencent?", D(2026, 11, 18), TODAY),
        ("How did shares move last month?", D(2026, 10, 1), D(2026, 10, 31)),
        ("What happened this month?", D(2026, 11, 1), TODAY),
        ("Which deals were announced this year?", D(2026, 1, 1), TODAY),
        ("What changed since March?", D(2026, 3, 1), TODAY),
        ("What did regulators do before April?", None, D(2026, 3, 31)),
        ("Profits last year?", D(2025, 1, 1), D(2025, 12, 31)),
        ("What happened in March to the bank?", D(2026, 3, 1), D(2026, 3, 31)),  # lower-case words may follow
        ("What did Valen report in July 2025 about sales?", D(2025, 7, 1), D(2025, 7, 31)),
    ],
)
def test_windows(question, since, until):
    scope = time_scope(question, TODAY)
    assert (scope.since, scope.until, scope.recency) == (since, until, "date")


@pytest.mark.parametrize(
    ("question", "recency"),
    [
        ("May I ask what Morgan Stanley said about H20?", "mild"),  # "May" without a cue word
        ("Who won March Madness?", "mild"),
        ("What was announced in March Madness coverage?", "mild"),
        ("What did Apple show at WWDC 2025?", "mild"),
        ("What happened to Kroll in 2023?", "mild"),  # a year names an event, not a window
        ("How much did AI spending rise?", "mild"),
        ("What's the latest on H20?", "strong"),
        ("Is Mao still barred from leaving China?", "strong"),
        ("What are the most recent chip export rules?", "strong"),
        ("What is Nvidia doing now?", "strong"),
    ],
)
def test_no_window(question, recency):
    scope = time_scope(question, TODAY)
    assert not scope.explicit
    assert scope.recency == recency


def test_a_window_narrows_the_given_filters_and_orders_by_date():
    now = datetime(2026, 11, 24, 12, tzinfo=UTC)
    given = Filters(outlet="BBC", since=D(2026, 11, 20))
    filters = scoped_filters(given, time_scope("What happened this week?", TODAY), now, SearchConfig())
    assert (filters.outlet, filters.since, filters.until, filters.newest_first) == ("BBC", D(2026, 11, 23), TODAY, True)
    assert filters.recency is None


@pytest.mark.parametrize(
    ("question", "age_days", "factor"),
    [
        ("How much did AI spending rise?", 0, 1.0),
        ("How much did AI spending rise?", 14, 0.975),
        ("How much did AI spending rise?", 10_000, 0.95),
        ("What's the latest on H20?", 7, 0.85),
        ("What's the latest on H20?", 10_000, 0.7),
    ],
)
def test_recency_ranks_without_dropping(question, age_days, factor):
    now = datetime(2026, 11, 24, tzinfo=UTC)
    filters = scoped_filters(NO_FILTERS, time_scope(question, TODAY), now, SearchConfig())
    assert filters.recency is not None
    assert not filters.newest_first
    published = datetime.fromtimestamp(now.timestamp() - age_days * 86400, tz=UTC)
    assert filters.recency.factor(published) == pytest.approx(factor, abs=1e-3)
    assert filters.recency.factor(None) == pytest.approx(1 - filters.recency.weight)


@pytest.mark.parametrize(
    ("question", "rest"),
    [
        ("What revenue did Valen report in July?", "What revenue did Valen report ?"),
        ("What did Valen report in July 2025 about July sales?", "What did Valen report about July sales?"),
        ("Rates in March?", "Rates ?"),
        ("What is the latest on Valen?", "What is the latest on Valen?"),  # no window: nothing removed
    ],
)
def test_a_window_phrase_leaves_the_question_for_the_premise_check(question, rest):
    assert time_scope(question, TODAY).without_phrase(question) == rest
