"""The Slack app over HTTP against the fake Slack: threads, sources, security, retries, follow-ups, feedback."""

import time

import pytest

from bot.answer.text import content_terms
from bot.factory import build_engine
from bot.slack.blocks import FEEDBACK_DOWN, FEEDBACK_UP
from fakes.openai_server import FakeOpenAI
from fakes.slack import BOT_ID, BOT_USER
from tests.bot.slack.conftest import CHANNEL, USER, SlackHarness, make_settings
from tests.conftest import H20_QUESTION, H20_TITLE, make_engine

PLACEHOLDER = "Searching the articles…"


def first_reply(fake, settings, engine, question: str) -> dict:
    """Start an app with this engine, mention it once, and return its finished reply in the thread."""
    harness = SlackHarness(fake, settings, engine)
    try:
        _, ts = harness.mention(question)
        return fake.wait_for(lambda: harness.answers_in(ts))[0]
    finally:
        harness.close()


def context_text(message: dict) -> str:
    return " ".join(e["text"] for b in message["blocks"] if b["type"] == "context" for e in b["elements"])


def test_mention_is_acked_before_the_answer_then_answered_in_its_thread(slack, backend):
    backend.gate.clear()  # the answer cannot be produced until the test opens the gate
    status, ts = slack.mention(H20_QUESTION)
    assert status == 200  # acked while the answer is still held back
    placeholder = slack.fake.wait_for(lambda: slack.fake.called("chat.postMessage"))[0]
    assert (placeholder["thread_ts"], placeholder["text"]) == (ts, PLACEHOLDER)
    backend.gate.set()
    answer = slack.fake.wait_for(lambda: slack.answers_in(ts))[0]
    assert "Morgan Stanley" in answer["text"]
    assert "[1]" in answer["text"]
    sources = context_text(answer)
    assert sources.startswith("*Sources*")
    assert f"[1] {H20_TITLE} — South China Morning Post" in sources
    assert "(001_6618db9024ab068f.txt)" in sources  # no URL: the file name stands in
    assert placeholder["unfurl_links"] in (False, "0", "false")


@pytest.mark.parametrize("how", ["wrong secret", "stale timestamp"])
def test_bad_signature_is_rejected_and_nothing_is_posted(slack, how):
    kwargs = {"secret": "not-the-secret"} if how == "wrong secret" else {"timestamp": int(time.time()) - 6 * 60}
    status, _ = slack.mention(H20_QUESTION, **kwargs)
    assert status == 401
    _, ts = slack.mention("what did Zheng say about DeepSeek?")  # a good request still works afterwards
    slack.fake.wait_for(lambda: slack.answers_in(ts))
    assert len(slack.fake.called("chat.postMessage")) == 1  # its placeholder; nothing for the rejected one


def test_retries_and_double_delivery_never_answer_twice(slack):
    status, ts = slack.mention(H20_QUESTION, event_id="EvSAME")
    retry, _ = slack.event(
        {"type": "app_mention", "user": USER, "text": f"<@{BOT_USER}> {H20_QUESTION}", "ts": ts, "channel": CHANNEL},
        event_id="EvSAME",
        headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"},
    )
    as_message, _ = slack.event(
        {
            "type": "message",
            "channel_type": "channel",
            "user": USER,
            "ts": ts,
            "text": f"<@{BOT_USER}> {H20_QUESTION}",
            "channel": CHANNEL,
        }
    )
    assert (status, retry, as_message) == (200, 200, 200)
    slack.fake.wait_for(lambda: slack.answers_in(ts))
    time.sleep(0.5)  # give a wrongly accepted duplicate the time to post
    assert len([c for c in slack.fake.called("chat.postMessage") if c.get("thread_ts") == ts]) == 1


def test_thread_follow_up_without_mention_uses_the_thread_as_history(slack, backend):
    _, root = slack.mention(H20_QUESTION)
    slack.fake.wait_for(lambda: slack.answers_in(root))
    slack.reply("how long does production take?", root)
    follow_up = slack.fake.wait_for(lambda: [m for m in slack.answers_in(root) if "nine months" in m["text"]])[0]
    assert follow_up["thread_ts"] == root
    assert len(slack.fake.called("conversations.replies")) == 1  # the follow-up reads its thread once
    history = backend.histories[-1]
    assert [t.role for t in history] == ["user", "assistant"]
    assert history[0].text == H20_QUESTION
    assert "Morgan Stanley" in history[1].text


def test_reply_in_a_thread_the_bot_never_joined_is_left_alone(slack):
    root = slack.fake.add_message(CHANNEL, "U0BOB", "lunch?")
    slack.reply("what did Morgan Stanley say?", root)
    _, ts = slack.mention(H20_QUESTION)  # a later question proves the app is processing events
    slack.fake.wait_for(lambda: slack.answers_in(ts))
    assert slack.answers_in(root) == []


def test_direct_message_is_answered_in_its_own_thread(slack):
    ts = slack.fake.add_message("D0ALICE", USER, H20_QUESTION)
    slack.event(
        {"type": "message", "channel_type": "im", "user": USER, "ts": ts, "text": H20_QUESTION, "channel": "D0ALICE"}
    )
    answer = slack.fake.wait_for(lambda: slack.answers_in(ts, channel="D0ALICE"))[0]
    assert H20_TITLE in context_text(answer)


def test_slash_command_posts_the_question_and_answers_in_its_thread(slack):
    status, _ = slack.command(H20_QUESTION)
    assert status == 200
    root = slack.fake.wait_for(lambda: [m for m in slack.fake.bot_messages(CHANNEL) if "asked:" in m["text"]])[0]
    assert root["text"] == f"<@{USER}> asked: {H20_QUESTION}"
    answer = slack.fake.wait_for(lambda: slack.answers_in(root["ts"]))[0]
    assert H20_TITLE in context_text(answer)


@pytest.mark.slack_env(NEWSBOT_SLACK_COMMAND_VISIBILITY="ephemeral")
def test_slash_command_can_answer_only_the_asker(slack):
    slack.command(H20_QUESTION)
    private = slack.fake.wait_for(lambda: slack.fake.called("chat.postEphemeral"))[0]
    assert private["user"] == USER
    assert "Morgan Stanley" in private["text"]
    assert slack.fake.called("chat.postMessage") == []


def test_slash_command_without_a_question_shows_usage(slack):
    status, body = slack.command("   ")
    assert status == 200
    assert "/newsbot what did Morgan Stanley say about H20?" in body


def test_feedback_click_is_stored_and_acknowledged_in_place(slack):
    _, ts = slack.mention(H20_QUESTION)
    answer = slack.fake.wait_for(lambda: slack.answers_in(ts))[0]
    status, _ = slack.click(answer, FEEDBACK_DOWN)
    assert status == 200
    thanked = slack.fake.wait_for(
        lambda: [m for m in slack.answers_in(ts) if "Thanks for the feedback" in context_text(m)]
    )
    assert context_text(thanked[0]).endswith(f"Thanks for the feedback, <@{USER}> 👎")
    [row] = slack.store.feedback()
    assert (row["question"], row["user"], row["verdict"]) == (H20_QUESTION, USER, "down")
    assert "Morgan Stanley" in row["answer"]
    assert row["citations"][0]["title"] == H20_TITLE
    slack.click(thanked[0], FEEDBACK_UP)  # the buttons stay: changing one's mind replaces the verdict
    slack.fake.wait_for(lambda: [r["verdict"] for r in slack.store.feedback()] == ["up"])
    final = slack.fake.wait_for(lambda: [m for m in slack.answers_in(ts) if context_text(m).endswith("👍")])[0]
    assert context_text(final).count("Thanks for the feedback") == 1


def test_messages_from_bots_and_from_itself_are_ignored(slack):
    for extra in ({"bot_id": "B0OTHER", "user": "U0OTHERBOT"}, {"bot_id": BOT_ID, "user": BOT_USER}):
        ts = slack.fake.add_message("D0ALICE", extra["user"], H20_QUESTION)
        slack.event(
            {"type": "message", "channel_type": "im", "ts": ts, "text": H20_QUESTION, "channel": "D0ALICE", **extra}
        )
    _, ts = slack.mention(H20_QUESTION)
    slack.fake.wait_for(lambda: slack.answers_in(ts))
    assert [c for c in slack.fake.called("chat.postMessage") if c["channel"] == "D0ALICE"] == []


@pytest.mark.slack_env(NEWSBOT_SLACK_CHANNELS="C0NEWS")
def test_channels_outside_the_allowed_list_are_ignored(slack):
    slack.mention(H20_QUESTION, channel="C0RANDOM")
    _, ts = slack.mention(H20_QUESTION)
    slack.fake.wait_for(lambda: slack.answers_in(ts))
    assert slack.fake.bot_messages("C0RANDOM") == []


@pytest.mark.slack_env(NEWSBOT_SLACK_RATE_LIMIT="1")
def test_rate_limit_gets_a_polite_message(slack):
    _, first = slack.mention(H20_QUESTION)
    slack.fake.wait_for(lambda: slack.answers_in(first))
    _, second = slack.mention("and what about Uber?")
    polite = slack.fake.wait_for(lambda: slack.answers_in(second))[0]
    assert "please wait a minute" in polite["text"]
    assert "1 questions a minute" in polite["text"]


def test_backend_down_gets_an_apology_in_the_thread(fake_slack, tmp_path, seed_library, state_env):
    settings = make_settings(
        fake_slack, tmp_path, NEWSBOT_LLM="openai", NEWSBOT_LLM_BASE_URL="http://127.0.0.1:9/v1", **state_env
    )
    apology = first_reply(fake_slack, settings, build_engine(settings, seed_library), H20_QUESTION)
    assert apology["text"] == (
        "Sorry, I couldn't answer that: the language model server could not be reached. Please try again in a moment."
    )


class LongBackend:
    """Over 10,000 characters of cited sentences, each adding a word (a sentence repeated is shown once)."""

    name = "long"

    def stream(self, question, hits, history, notes="", today=None):
        answer, said = "", []
        for n, hit in enumerate(hits, 1):
            for sentence in hit.passage.text.split(". "):
                words = sentence.rstrip(".").split()
                for k in range(6, len(words) + 1):
                    terms = content_terms(" ".join(words[:k]))
                    if not any(terms <= earlier for earlier in said):
                        answer += " ".join(words[:k]) + f" [{n}]. "
                        said.append(terms)
        assert len(answer) >= 10_500
        yield answer[: answer.rindex(". ", 0, 10_500) + 1]  # a few prefixes split oddly and are cut by the checks

    def condense(self, question, history):
        return question


def test_a_10000_character_answer_is_split_and_accepted(fake_slack, tmp_path, seed_library, state_env):
    settings = make_settings(fake_slack, tmp_path, **state_env)
    harness = SlackHarness(fake_slack, settings, make_engine(seed_library, LongBackend()))
    try:
        _, ts = harness.mention(H20_QUESTION)
        fake_slack.wait_for(lambda: any(context_text(m) for m in harness.answers_in(ts)))
        parts = harness.answers_in(ts)
    finally:
        harness.close()
    assert len(parts) >= 3  # one message cannot carry 10,000 characters of text
    sections = [b["text"]["text"] for m in parts for b in m["blocks"] if b["type"] == "section"]
    assert sum(len(s) for s in sections) >= 9_900
    assert max(len(s) for s in sections) <= 3000
    assert all(len(m["text"]) <= 4000 and len(m["blocks"]) <= 50 for m in parts)
    assert fake_slack.rejected == []  # Slack accepted every message: none broke its limits


def test_state_survives_a_restart(fake_slack, tmp_path, seed_library, backend, state_env):
    settings = make_settings(fake_slack, tmp_path, **state_env)
    first = SlackHarness(fake_slack, settings, make_engine(seed_library, backend))
    _, ts = first.mention(H20_QUESTION, event_id="EvRESTART")
    fake_slack.wait_for(lambda: first.answers_in(ts))
    first.close()
    second = SlackHarness(fake_slack, settings, make_engine(seed_library, backend))
    try:
        second.event(
            {
                "type": "app_mention",
                "user": USER,
                "text": f"<@{BOT_USER}> {H20_QUESTION}",
                "ts": ts,
                "channel": CHANNEL,
            },
            event_id="EvRESTART",
            headers={"X-Slack-Retry-Num": "2"},
        )
        _, later = second.mention("what did Zheng say about DeepSeek?")
        fake_slack.wait_for(lambda: second.answers_in(later))
    finally:
        second.close()
    assert len([c for c in fake_slack.called("chat.postMessage") if c.get("thread_ts") == ts]) == 1


def test_nothing_relevant_is_said_plainly_without_feedback_buttons(slack):
    _, ts = slack.mention("what is a good recipe for chocolate cake?")
    reply = slack.fake.wait_for(lambda: slack.answers_in(ts))[0]
    assert reply["text"] == "I couldn't find that in the articles."
    assert [b["type"] for b in reply["blocks"]] == ["section"]


def test_backend_slower_than_the_timeout_gets_an_apology_naming_it(fake_slack, tmp_path, seed_library, state_env):
    with FakeOpenAI(lambda body: "too late [1].", delay=3) as llm:
        settings = make_settings(
            fake_slack,
            tmp_path,
            NEWSBOT_LLM="openai",
            NEWSBOT_LLM_BASE_URL=llm.base_url,
            NEWSBOT_LLM_TIMEOUT="1",
            **state_env,
        )
        apology = first_reply(fake_slack, settings, build_engine(settings, seed_library), H20_QUESTION)
    assert "the language model did not answer in 1 s" in apology["text"]


def test_a_click_the_store_cannot_record_is_not_acked(slack, monkeypatch):
    _, ts = slack.mention(H20_QUESTION)
    answer = slack.fake.wait_for(lambda: slack.answers_in(ts))[0]
    monkeypatch.setattr(slack.store, "record_feedback", lambda *a: (_ for _ in ()).throw(OSError("db down")))
    status, _ = slack.click(answer, FEEDBACK_UP)
    assert status != 200  # Slack tells the user the click failed; they can click again
    monkeypatch.undo()
    assert slack.click(answer, FEEDBACK_UP)[0] == 200
    assert [r["verdict"] for r in slack.store.feedback()] == ["up"]
