"""Every question answered exactly once, whatever Slack does: the fake Slack scripted to fail like Slack."""

import time

import pytest

from fakes.slack import CHANNEL
from tests.conftest import H20_QUESTION

PLACEHOLDER = "Searching the articles…"
pytestmark = pytest.mark.slack_env(NEWSBOT_SLACK_STREAM="false")  # the placeholder path; streaming: test_streaming.py


def thread_state(slack, ts):
    """(answers, placeholders) the bot left in the question's thread."""
    mine = [m for m in slack.fake.bot_messages(CHANNEL) if m.get("thread_ts") == ts]
    return [m for m in mine if m["text"] != PLACEHOLDER], [m for m in mine if m["text"] == PLACEHOLDER]


def answered_once(slack, ts):
    """Waits for the thread to settle (an answer posted, no placeholder), then checks it holds exactly one."""

    def settled():
        answers, placeholders = thread_state(slack, ts)
        return any(m["blocks"] for m in answers) and not placeholders

    slack.fake.wait_for(settled, timeout=60)
    time.sleep(0.3)  # a wrongly repeated answer would land now
    answers, placeholders = thread_state(slack, ts)
    assert len(answers) == 1
    assert "Morgan Stanley" in answers[0]["text"]
    assert placeholders == []
    return answers[0]


@pytest.mark.parametrize(
    ("method", "kind"),
    [
        ("chat.postMessage", "429"),
        ("chat.postMessage", "500"),
        ("chat.postMessage", "drop"),
        ("chat.postMessage", "ok_false"),
        ("chat.update", "429"),
        ("chat.update", "500"),
        ("chat.update", "ok_false"),
        ("chat.update", "drop"),
        ("conversations.replies", "500"),
    ],
)
def test_one_transient_failure_of_any_call_loses_nothing(slack, method, kind):
    slack.fake.fail_next(method, kind)
    if method == "conversations.replies":  # a follow-up reads its thread first
        _, root = slack.mention(H20_QUESTION)
        answered_once(slack, root)
        slack.fake.fail_next(method, kind)
        slack.reply("what did Morgan Stanley say about spending?", root)
        slack.fake.wait_for(lambda: len(thread_state(slack, root)[0]) == 2, timeout=60)
        assert thread_state(slack, root)[1] == []
        return
    _, ts = slack.mention(H20_QUESTION)
    answered_once(slack, ts)
    assert (method, kind) in slack.fake.injected


def test_an_edit_slack_keeps_refusing_becomes_a_new_message_and_the_placeholder_goes(slack):
    slack.fake.fail_next("chat.update", "500", times=20)  # more than the client's retries
    _, ts = slack.mention(H20_QUESTION)
    answered_once(slack, ts)
    assert slack.fake.called("chat.delete")


def test_a_question_slack_will_not_take_any_reply_for_is_released_and_answered_on_redelivery(slack):
    slack.fake.fail_next("chat.postMessage", "500", times=5)  # the placeholder never gets through
    _, ts = slack.mention(H20_QUESTION, event_id="EvHARD")
    slack.fake.wait_for(lambda: len([k for m, k in slack.fake.injected if m == "chat.postMessage"]) == 5, timeout=60)
    assert thread_state(slack, ts) == ([], [])
    # Slack redelivers the event, up to three times; the released claim lets one delivery answer it, once
    for attempt in (1, 2, 3):
        time.sleep(1)
        slack.redeliver(H20_QUESTION, ts, event_id="EvHARD", attempt=attempt)
    answered_once(slack, ts)


@pytest.mark.slack_env(NEWSBOT_SLACK_CHANNELS="C0NEWS")
def test_the_slash_command_respects_the_allowed_channels(slack):
    status, body = slack.command(H20_QUESTION, channel="C0RANDOM")
    assert status == 200
    assert "don't answer in this channel" in body
    slack.command(H20_QUESTION, channel="C0NEWS")
    slack.fake.wait_for(lambda: [m for m in slack.fake.bot_messages("C0NEWS") if m["blocks"]])
    assert slack.fake.bot_messages("C0RANDOM") == []


def test_a_deleted_state_database_is_recreated_and_questions_are_still_answered(slack, store_kind):
    if store_kind == "postgres":
        pytest.skip("a file fault: the SQLite state store")
    slack.settings.state_db.unlink()
    _, ts = slack.mention(H20_QUESTION)
    answered_once(slack, ts)


@pytest.mark.parametrize("fault", ["corrupt", "directory"])
def test_an_unusable_state_database_gets_an_apology_in_the_thread_not_silence(slack, store_kind, fault, caplog):
    if store_kind == "postgres":
        pytest.skip("a file fault: the SQLite state store")
    path = slack.settings.state_db
    for leftover in path.parent.glob(path.name + "*"):
        leftover.unlink()
    if fault == "corrupt":
        path.write_bytes(b"this is not a database" * 100)
    else:
        path.mkdir()
    _, ts = slack.mention(H20_QUESTION)
    [apology] = slack.fake.wait_for(lambda: thread_state(slack, ts)[0])
    assert apology["text"].startswith("Sorry, I couldn't answer that: my state database is unavailable")
    assert any("Slack state database" in r.getMessage() and "\n" not in r.getMessage() for r in caplog.records)
