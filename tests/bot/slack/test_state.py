"""Slack state in either store: one claim per message, a dead worker's claim re-taken, feedback kept."""

import pytest

from bot.settings import load_settings
from bot.slack.state import open_state_store


def store_for(tmp_path, state_env):
    settings = load_settings({"NEWSBOT_STATE_DB": str(tmp_path / "state.sqlite3"), **state_env}, dotenv_path=None)
    return open_state_store(settings)


def test_a_message_is_claimed_once_and_a_dead_workers_claim_is_retaken(tmp_path, state_env):
    store = store_for(tmp_path, state_env)
    assert store.claim("msg:C1:1.1") is True
    assert store.claim("msg:C1:1.1") is False  # a retry while the first worker is still answering
    assert store_for(tmp_path, state_env).claim("msg:C1:1.1", lease=0) is True  # the first worker died
    store.finish("msg:C1:1.1")
    assert store.claim("msg:C1:1.1", lease=0) is False  # answered: never again, however late the retry


def test_feedback_survives_a_new_store_and_a_changed_mind(tmp_path, state_env):
    store = store_for(tmp_path, state_env)
    answer_id = store.save_answer("q?", "a [1].", [{"n": 1, "title": "T"}], "C1", "1.1", "U1")
    store.record_feedback(answer_id, "U1", "down")
    store.record_feedback(answer_id, "U2", "up")
    store_for(tmp_path, state_env).record_feedback(answer_id, "U1", "up")
    rows = store_for(tmp_path, state_env).feedback()
    assert sorted((r["user"], r["verdict"]) for r in rows) == [("U1", "up"), ("U2", "up")]
    assert rows[0]["question"] == "q?"
    assert rows[0]["citations"] == [{"n": 1, "title": "T"}]


def test_a_released_claim_is_claimed_again_but_a_finished_one_never(tmp_path, state_env):
    store = store_for(tmp_path, state_env)
    assert store.claim("msg:C1:2.2") is True
    store.release("msg:C1:2.2")  # delivery failed: Slack's next delivery may answer
    assert store.claim("msg:C1:2.2") is True
    store.finish("msg:C1:2.2")
    store.release("msg:C1:2.2")  # releasing an answered question changes nothing
    assert store.claim("msg:C1:2.2", lease=0) is False


@pytest.mark.parametrize(
    ("per_minute", "asks", "allowed"),
    [
        (2, [("u", 0), ("u", 1), ("u", 2)], [True, True, False]),
        (2, [("u", 0), ("u", 1), ("u", 61)], [True, True, True]),  # the first question left the window
        (1, [("u", 0), ("v", 0), ("u", 30)], [True, True, False]),  # counted per user
        (0, [("u", 0)] * 5, [True] * 5),  # 0 = no limit
        (1, [("u", 0), ("u", 59), ("u", 60.5)], [True, False, True]),  # a refused question does not count
    ],
)
def test_the_rate_limit_is_counted_in_the_store(tmp_path, state_env, per_minute, asks, allowed):
    stores = [store_for(tmp_path, state_env), store_for(tmp_path, state_env)]  # two workers, one database
    got = [stores[n % 2].allow(user, per_minute, now=1_000.0 + t) for n, (user, t) in enumerate(asks)]
    assert got == allowed
