"""The per-user rate limit, on an explicit clock."""

import pytest

from bot.slack.ratelimit import RateLimiter


@pytest.mark.parametrize(
    ("per_minute", "asks", "allowed"),
    [
        (2, [("u", 0), ("u", 1), ("u", 2)], [True, True, False]),
        (2, [("u", 0), ("u", 1), ("u", 61)], [True, True, True]),  # the first question left the window
        (1, [("u", 0), ("v", 0), ("u", 30)], [True, True, False]),  # counted per user
        (0, [("u", 0)] * 5, [True] * 5),  # 0 = no limit
    ],
)
def test_allow(per_minute, asks, allowed):
    limiter = RateLimiter(per_minute)
    assert [limiter.allow(user, now=float(t)) for user, t in asks] == allowed


def test_a_refused_question_does_not_count():
    limiter = RateLimiter(1)
    assert [limiter.allow("u", now=t) for t in (0.0, 59.0, 60.5)] == [True, False, True]
