"""Every Block Kit message newsbot posts, built with slack_sdk.models.blocks; block and action ids live here.

An answer becomes mrkdwn sections, a Sources context block and feedback buttons, split across messages to
respect Slack's limits."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.answer.citations import Citation
from bot.answer.engine import Answer
from bot.slack.mrkdwn import source_mrkdwn, split_text, to_mrkdwn

SECTION_LIMIT = 3000  # characters in one section block
TEXT_LIMIT = 3900  # characters of text per message (Slack truncates past ~4,000)
BLOCK_LIMIT = 50  # blocks per message
CONTEXT_ELEMENTS = 10  # elements per context block
FEEDBACK_UP, FEEDBACK_DOWN = "newsbot_feedback_up", "newsbot_feedback_down"  # action ids
FEEDBACK_BLOCK = "newsbot_feedback"
THANKS_BLOCK = "newsbot_feedback_thanks"  # the buttons stay beside it, so a user can change their verdict


@dataclass
class SlackMessage:
    text: str  # plain fallback (notifications, screen readers) and what the thread history reads back
    blocks: list[Block] = field(default_factory=list)


def answer_messages(answer: Answer, answer_id: str | None) -> list[SlackMessage]:
    """One or more messages: the answer in sections, then Sources and (with an answer_id) feedback buttons."""
    sections = split_text(to_mrkdwn(answer.answer), SECTION_LIMIT)
    tail = sources_blocks(answer.citations)
    if answer_id and not answer.refused:
        tail.append(feedback_block(answer_id))
    return _pack(sections, tail)


def feedback_block(answer_id: str) -> ActionsBlock:
    return ActionsBlock(
        block_id=FEEDBACK_BLOCK,
        elements=[
            ButtonElement(text="👍", action_id=FEEDBACK_UP, value=answer_id),
            ButtonElement(text="👎", action_id=FEEDBACK_DOWN, value=answer_id),
        ],
    )


def thanks_block(user: str, verdict: str) -> ContextBlock:
    """The acknowledgement shown under an answer once a user has judged it."""
    mark = "👍" if verdict == "up" else "👎"
    return ContextBlock(
        block_id=THANKS_BLOCK, elements=[MarkdownTextObject(text=f"Thanks for the feedback, <@{user}> {mark}")]
    )


def with_thanks(blocks: list[dict[str, Any]], user: str, verdict: str) -> list[dict[str, Any]]:
    """A posted message's blocks with one acknowledgement (the latest) in place of any earlier one."""
    kept = [b for b in blocks if b.get("block_id") != THANKS_BLOCK]
    return [*kept, thanks_block(user, verdict).to_dict()]


def sources_blocks(citations: list[Citation]) -> list[Block]:
    lines = ["*Sources*"] + [source_mrkdwn(c) for c in citations]
    if len(lines) == 1:
        return []
    groups = [lines[i : i + CONTEXT_ELEMENTS] for i in range(0, len(lines), CONTEXT_ELEMENTS)]
    return [ContextBlock(elements=[_verbatim(line[:SECTION_LIMIT]) for line in group]) for group in groups]


def _verbatim(text: str) -> MarkdownTextObject:
    """mrkdwn that Slack shows as written: no bare URL, channel name or @word becomes a link or a mention."""
    return MarkdownTextObject(text=text, verbatim=True)


def _pack(sections: list[str], tail: list[Block]) -> list[SlackMessage]:
    """Fill messages with sections under the text and block limits; the tail goes on the last one."""
    messages: list[SlackMessage] = []
    current: list[str] = []
    for section in sections:
        size = sum(len(s) for s in current) + len(section)
        if current and (size > TEXT_LIMIT or len(current) + 1 > BLOCK_LIMIT - len(tail)):
            messages.append(_message(current, []))
            current = []
        current.append(section)
    messages.append(_message(current, tail))
    return messages


def _message(sections: list[str], tail: list[Block]) -> SlackMessage:
    text = "\n".join(sections)
    blocks: list[Block] = [SectionBlock(text=_verbatim(s)) for s in sections]
    return SlackMessage(text=text[:TEXT_LIMIT] or "Sources", blocks=blocks + tail)
