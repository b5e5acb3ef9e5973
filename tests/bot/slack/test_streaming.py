"""Answers streamed into Slack threads, and the AI-app panel, through a real Bolt app against the fake Slack.

The fake Slack enforces the streaming methods' rules (a stream is a thread reply; in a channel it names its
recipient; appends need text and a live stream), so a wrong call order or argument fails here."""

import time

import pytest

from fakes.slack import CHANNEL, DM, TEAM, USER, FakeSlack
from tests.bot.slack.conftest import SlackHarness, make_settings
from tests.conftest import H20_QUESTION, H20_TITLE, make_engine

STREAM_METHODS = ("chat.startStream", "chat.appendStream", "chat.stopStream")


def call_order(fake, *methods):
    """The methods called, in order, keeping only the ones named."""
    return [name for name, _ in list(fake.calls) if name in methods]


def context_text(message: dict) -> str:
    return " ".join(e["text"] for b in message["blocks"] if b["type"] == "context" for e in b["elements"])


def settled_answer(slack, ts, channel=CHANNEL, before=0):
    """The one finished answer in the thread (after `before` earlier bot messages), once nothing more arrives."""
    slack.fake.wait_for(lambda: len(slack.answers_in(ts, channel)) > before, timeout=60)
    time.sleep(0.3)  # a wrongly repeated answer would land now
    [answer] = slack.answers_in(ts, channel)[before:]
    return answer


def test_a_mention_streams_checked_sentences_then_stops_with_sources_and_buttons(slack):
    _, ts = slack.mention(H20_QUESTION)
    answer = settled_answer(slack, ts)
    assert call_order(slack.fake, "chat.postMessage", *STREAM_METHODS, "chat.delete")[:3] == [
        "chat.postMessage",  # the placeholder, at once
        "chat.startStream",  # the first checked sentence
        "chat.delete",  # the placeholder goes once the stream has started
    ]
    assert call_order(slack.fake, *STREAM_METHODS)[-1] == "chat.stopStream"
    [start] = slack.fake.called("chat.startStream")
    assert (start["thread_ts"], start["recipient_user_id"], start["recipient_team_id"]) == (ts, USER, TEAM)
    assert "Morgan Stanley" in answer["text"]
    assert "[1]" in answer["text"]
    assert context_text(answer).startswith("*Sources*")
    assert H20_TITLE in context_text(answer)
    assert any(b["type"] == "actions" for b in answer["blocks"])  # 👍 / 👎
    assert slack.fake.rejected == []


def test_every_streamed_sentence_is_one_the_answer_keeps(slack):
    _, ts = slack.mention(H20_QUESTION)
    answer = settled_answer(slack, ts)
    pieces = [c.get("chunks") or [{"text": c.get("markdown_text", "")}] for c in slack.fake.called("chat.startStream")]
    pieces += [c["chunks"] for c in slack.fake.called("chat.appendStream")]
    streamed = "".join(chunk["text"] for chunks in pieces for chunk in chunks)
    assert streamed == answer["text"]
    assert len(slack.fake.called("chat.appendStream")) >= 1  # more than one sentence, each sent as it was checked


def test_redelivered_events_never_stream_twice(slack):
    _, ts = slack.mention(H20_QUESTION, event_id="EvSTREAM")
    for attempt in (1, 2):
        slack.redeliver(H20_QUESTION, ts, event_id="EvSTREAM", attempt=attempt)
    settled_answer(slack, ts)
    assert len(slack.fake.called("chat.startStream")) == 1


def test_a_stream_that_breaks_off_is_replaced_by_the_whole_answer(slack):
    slack.fake.fail_next("chat.stopStream", "500", times=20)  # more than the client's retries
    _, ts = slack.mention(H20_QUESTION)
    answer = settled_answer(slack, ts)
    assert slack.fake.called("chat.update")
    assert "Morgan Stanley" in answer["text"]
    assert context_text(answer).startswith("*Sources*")


@pytest.mark.parametrize("fault", ["429", "500", "drop"])
def test_a_transient_failure_to_start_the_stream_is_retried_and_answers_once(slack, fault):
    slack.fake.fail_next("chat.startStream", fault)
    _, ts = slack.mention(H20_QUESTION)
    settled_answer(slack, ts)
    assert ("chat.startStream", fault) in slack.fake.injected


def test_a_workspace_without_streaming_gets_the_placeholder_replaced_once(tmp_path, seed_library, backend, state_env):
    with FakeSlack(streaming=False) as fake:
        harness = SlackHarness(fake, make_settings(fake, tmp_path, **state_env), make_engine(seed_library, backend))
        try:
            _, first = harness.mention(H20_QUESTION)
            answer = settled_answer(harness, first)
            assert fake.called("chat.update")  # the placeholder became the answer
            assert context_text(answer).startswith("*Sources*")
            _, second = harness.mention("what did Zheng say about DeepSeek?")
            settled_answer(harness, second)
        finally:
            harness.close()
    assert len(fake.called("chat.startStream")) == 1  # tried once, then not again in this process
    assert ("chat.startStream", "feature_not_enabled") in fake.rejected


def test_an_assistant_thread_opens_with_questions_about_the_newest_articles(slack):
    _, thread = slack.assistant_thread_started()
    [prompts] = slack.fake.wait_for(lambda: slack.fake.called("assistant.threads.setSuggestedPrompts"))
    titles = [p["title"] for p in prompts["prompts"]]
    assert 1 <= len(titles) <= 4
    newest = {s.title for s in slack.app_engine.retriever.newest(4)}
    assert all(any(t.rstrip("…") in n for n in newest) for t in titles)
    assert all(p["message"].startswith("What do the articles say about") for p in prompts["prompts"])
    [greeting] = slack.fake.called("chat.postMessage")
    assert (greeting["channel"], greeting["thread_ts"]) == (DM, thread)


def test_an_assistant_question_gets_a_title_a_status_and_a_streamed_answer(slack):
    _, thread = slack.assistant_thread_started()
    slack.fake.wait_for(lambda: slack.answers_in(thread, DM))  # the greeting
    slack.assistant_message(H20_QUESTION, thread)
    answer = settled_answer(slack, thread, channel=DM, before=1)
    calls = call_order(
        slack.fake, "assistant.threads.setTitle", "assistant.threads.setStatus", "chat.postMessage", *STREAM_METHODS
    )
    order = calls[calls.index("assistant.threads.setTitle") :]  # from the question on (the greeting came before)
    assert order.index("assistant.threads.setStatus") < order.index("chat.startStream")
    assert [s for _, t, s in slack.fake.statuses if t == thread][:2] == [
        "is searching the articles…",
        "is reading 2 articles…",
    ]
    assert "chat.postMessage" not in order  # no placeholder: the status line says what is happening
    assert "Morgan Stanley" in answer["text"]
    assert context_text(answer).startswith("*Sources*")


def test_a_follow_up_in_an_assistant_thread_uses_the_thread_as_its_conversation(slack, backend):
    _, thread = slack.assistant_thread_started()
    slack.fake.wait_for(lambda: slack.answers_in(thread, DM))  # the greeting
    slack.assistant_message(H20_QUESTION, thread)
    slack.fake.wait_for(lambda: len(slack.answers_in(thread, DM)) == 2, timeout=60)
    slack.assistant_message("how long does production take?", thread)
    slack.fake.wait_for(lambda: len(slack.answers_in(thread, DM)) == 3, timeout=60)
    assert ("user", H20_QUESTION) in [(t.role, t.text) for t in backend.histories[-1]]
    assert "nine months" in slack.answers_in(thread, DM)[-1]["text"]
