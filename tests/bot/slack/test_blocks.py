"""Answers as Block Kit messages: sections, Sources, feedback buttons, and Slack's limits."""

import pytest

from bot.answer.citations import Citation
from bot.answer.engine import Answer
from bot.slack.blocks import (
    BLOCK_LIMIT,
    FEEDBACK_DOWN,
    FEEDBACK_UP,
    SECTION_LIMIT,
    TEXT_LIMIT,
    THANKS_BLOCK,
    answer_messages,
    with_thanks,
)
from retrieval.sources import Source

SOURCE = Source("a1", "Rates held", "BBC", "2005-01-02", "", "business/042.txt")


def answer(text: str, refused: bool = False, cited: int = 1) -> Answer:
    citations = [Citation(n, SOURCE, "quote") for n in range(1, cited + 1)]
    return Answer("q?", text, refused, [] if refused else citations, "test")


def kinds(message) -> list[str]:
    return [b.type for b in message.blocks]


@pytest.mark.parametrize(
    ("made", "answer_id", "expected"),
    [
        (answer("Rates held [1]."), "id1", [["section", "context", "actions"]]),
        (answer("Rates held [1]."), None, [["section", "context"]]),
        (answer("I couldn't find that in the articles.", refused=True), "id1", [["section"]]),
        (answer("Rates held [1].", cited=12), None, [["section", "context", "context"]]),
    ],
)
def test_message_shapes(made, answer_id, expected):
    assert [kinds(m) for m in answer_messages(made, answer_id)] == expected


def test_a_long_answer_is_split_within_every_limit_and_sources_come_last():
    messages = answer_messages(answer(("Rates held at four per cent [1]. " * 400).strip()), "id1")
    assert len(messages) >= 3
    for message in messages:
        assert len(message.text) <= TEXT_LIMIT
        assert len(message.blocks) <= BLOCK_LIMIT
        assert all(len(b.text.text) <= SECTION_LIMIT for b in message.blocks if b.type == "section")
    assert kinds(messages[-1])[-2:] == ["context", "actions"]
    assert all("actions" not in kinds(m) for m in messages[:-1])


def test_feedback_buttons_carry_the_answer_id():
    [message] = answer_messages(answer("Rates held [1]."), "id1")
    buttons = message.blocks[-1].to_dict()["elements"]
    assert [(b["action_id"], b["value"]) for b in buttons] == [(FEEDBACK_UP, "id1"), (FEEDBACK_DOWN, "id1")]


def test_thanks_replace_earlier_thanks_and_keep_the_buttons():
    posted = [{"type": "section"}, {"type": "actions", "block_id": "newsbot_feedback"}]
    once = with_thanks(posted, "U1", "down")
    twice = with_thanks(once, "U1", "up")
    assert [b.get("block_id") for b in twice] == [None, "newsbot_feedback", THANKS_BLOCK]
    assert twice[-1]["elements"][0]["text"].endswith("<@U1> 👍")


def test_suggested_questions_come_from_headlines_as_plain_text():
    from bot.slack.listeners.assistant import suggested_prompts
    from retrieval.sources import Source

    newest = [
        Source("a", "Return of Nvidia H20 chip <@U1> clears & bottleneck"),
        Source("b", "x" * 100),
        Source("c", ""),
        Source("d", "Four"),
        Source("e", "Five"),
    ]
    prompts = suggested_prompts(newest)
    assert prompts[0]["title"] == "Return of Nvidia H20 chip @U1 clears and bottleneck"
    assert len(prompts[1]["title"]) <= 70
    assert len(prompts) == 3  # at most four headlines looked at; an empty one gives no question
    assert all("<" not in p["message"] for p in prompts)
