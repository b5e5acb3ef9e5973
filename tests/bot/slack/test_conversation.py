"""A Slack thread as conversation turns."""

import pytest

from bot.answer.prompting import Turn
from bot.slack.conversation import PLACEHOLDER, question_text, thread_turns

BOT_USER, BOT_ID = "UBOT", "BBOT"


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("<@UBOT> what about H20?", "what about H20?"),
        ("what about <@W123> and H20?", "what about  and H20?"),
        ("<@UBOT>", ""),
        (None, ""),
    ],
)
def test_question_text_drops_mentions(text, question):
    assert question_text(text) == question


def message(ts: str, text: str, user: str = "U1", **extra) -> dict:
    return {"ts": ts, "text": text, "user": user, **extra}


@pytest.mark.parametrize(
    ("messages", "turns"),
    [
        (
            [message("1.0", "<@UBOT> first?"), message("2.0", "Answer [1].", user=BOT_USER)],
            [Turn("user", "first?"), Turn("assistant", "Answer [1].")],
        ),
        ([message("1.0", "q?"), message("2.0", PLACEHOLDER, user=BOT_USER)], [Turn("user", "q?")]),
        ([message("1.0", "q?"), message("2.0", "other bot", user="U9", bot_id="B9")], [Turn("user", "q?")]),
        (
            [message("1.0", "q?"), message("2.0", "by bot id", user="", bot_id=BOT_ID)],
            [Turn("user", "q?"), Turn("assistant", "by bot id")],
        ),
        ([message("1.0", "q?"), message("3.0", "the question itself"), message("4.0", "later")], [Turn("user", "q?")]),
    ],
)
def test_thread_turns_before_the_question(messages, turns):
    assert thread_turns(messages, BOT_USER, BOT_ID, before_ts="3.0") == turns
