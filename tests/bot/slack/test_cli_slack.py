"""`newsbot slack --http` as a user runs it: gunicorn in a separate process, the fake Slack as its API."""

import pytest

from fakes.newsbot_http import newsbot_http, slack_env
from tests.bot.slack.conftest import CHANNEL, SECRET, SlackSender
from tests.conftest import H20_QUESTION, H20_TITLE


def test_newsbot_slack_http_answers_a_mention_in_its_thread(fake_slack, seed_index_dir, tmp_path):
    env = slack_env(fake_slack, seed_index_dir, tmp_path / "state.sqlite3")
    with newsbot_http(env) as server:
        status, ts = SlackSender(fake_slack, server.url).mention(H20_QUESTION)
        assert status == 200
        answer = fake_slack.wait_for(
            lambda: [m for m in fake_slack.bot_messages(CHANNEL) if m.get("thread_ts") == ts and m["blocks"]],
            timeout=60,
        )[0]
    stderr = server.stderr
    sources = " ".join(e["text"] for b in answer["blocks"] if b["type"] == "context" for e in b["elements"])
    assert "Morgan Stanley" in answer["text"]
    assert f"[1] {H20_TITLE}" in sources
    assert "xoxb-test" not in stderr
    assert SECRET not in stderr  # secrets never reach the log


@pytest.mark.parametrize("workers", [2])
def test_several_workers_answer_each_question_once_despite_duplicate_deliveries(
    fake_slack, seed_index_dir, tmp_path, workers
):
    env = slack_env(fake_slack, seed_index_dir, tmp_path / "state.sqlite3", NEWSBOT_SLACK_RATE_LIMIT="0")
    with newsbot_http(env, workers=workers) as server:
        sender = SlackSender(fake_slack, server.url)
        threads = []
        for n in range(6):
            _, ts = sender.mention(H20_QUESTION, event_id=f"EvW{n}")
            sender.redeliver(H20_QUESTION, ts, event_id=f"EvW{n}")
            threads.append(ts)

        def answers():
            return [m for m in fake_slack.bot_messages(CHANNEL) if m.get("thread_ts") in threads and m["blocks"]]

        fake_slack.wait_for(lambda: len({m["thread_ts"] for m in answers()}) == len(threads), timeout=60)
    assert sorted(m["thread_ts"] for m in answers()) == sorted(threads)  # one answer per thread, no duplicate
