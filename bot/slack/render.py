"""Answer → Slack messages: mrkdwn sections, a Sources context block, feedback buttons; split to Slack's limits."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.citations import Citation
from bot.engine import Answer

SECTION_LIMIT = 3000  # characters in one section block
TEXT_LIMIT = 3900  # characters of text per message (Slack truncates past ~4,000)
BLOCK_LIMIT = 50  # blocks per message
CONTEXT_ELEMENTS = 10  # elements per context block
FEEDBACK_UP, FEEDBACK_DOWN = "newsbot_feedback_up", "newsbot_feedback_down"


@dataclass
class SlackMessage:
    text: str  # plain fallback (notifications, screen readers) and what the thread history reads back
    blocks: list[dict] = field(default_factory=list)


def escape(text: str) -> str:
    """Slack's three control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_mrkdwn(markdown: str) -> str:
    """The Markdown a model writes, in Slack's dialect: *bold*, <url|links>, headings as bold lines."""
    text = escape(markdown)
    text = re.sub(r"\*\*(.+?)\*\*", r"*\1*", text)
    text = re.sub(r"^#{1,6}\s*(.+)$", r"*\1*", text, flags=re.M)
    return re.sub(r"\[([^\]]+)\]\((https?://[^)\s]+)\)", r"<\2|\1>", text)


def source_mrkdwn(citation: Citation) -> str:
    """[n] <url|Title> — Outlet, date; the file name stands in for a missing URL."""
    title = escape(citation.title)
    head = f"<{citation.url}|{title}>" if citation.url else title
    where = ", ".join(escape(x) for x in (citation.outlet, citation.published) if x)
    line = f"[{citation.n}] {head}" + (f" — {where}" if where else "")
    if not citation.url:
        line += f" ({escape(citation.source_path)})"
    if citation.also_in:
        line += "; also in " + "; ".join(escape(s.title) for s in citation.also_in)
    return line


def answer_messages(answer: Answer, answer_id: str | None) -> list[SlackMessage]:
    """One or more messages: the answer in sections, then Sources and (with an answer_id) feedback buttons."""
    sections = [{"type": "section", "text": {"type": "mrkdwn", "text": chunk}}
                for chunk in split_text(to_mrkdwn(answer.answer), SECTION_LIMIT)]
    tail = _sources_blocks(answer.citations)
    if answer_id and not answer.refused:
        tail.append(feedback_block(answer_id))
    return _pack(sections, tail)


def feedback_block(answer_id: str) -> dict:
    return {"type": "actions", "block_id": "newsbot_feedback", "elements": [
        {"type": "button", "action_id": FEEDBACK_UP, "value": answer_id, "text": {"type": "plain_text", "text": "👍"}},
        {"type": "button", "action_id": FEEDBACK_DOWN, "value": answer_id, "text": {"type": "plain_text", "text": "👎"}},
    ]}


def _sources_blocks(citations: list[Citation]) -> list[dict]:
    lines = ["*Sources*"] + [source_mrkdwn(c) for c in citations]
    if len(lines) == 1:
        return []
    groups = [lines[i : i + CONTEXT_ELEMENTS] for i in range(0, len(lines), CONTEXT_ELEMENTS)]
    return [{"type": "context", "elements": [{"type": "mrkdwn", "text": line[:SECTION_LIMIT]} for line in group]}
            for group in groups]


def _pack(sections: list[dict], tail: list[dict]) -> list[SlackMessage]:
    """Fill messages with sections under the text and block limits; the tail goes on the last one."""
    messages: list[SlackMessage] = []
    current: list[dict] = []
    for section in sections:
        size = sum(len(b["text"]["text"]) for b in current) + len(section["text"]["text"])
        if current and (size > TEXT_LIMIT or len(current) + 1 > BLOCK_LIMIT - len(tail)):
            messages.append(_message(current))
            current = []
        current.append(section)
    messages.append(_message(current + tail))
    return messages


def _message(blocks: list[dict]) -> SlackMessage:
    text = "\n".join(b["text"]["text"] for b in blocks if b["type"] == "section")
    return SlackMessage(text=text[:TEXT_LIMIT] or "Sources", blocks=blocks)


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most limit characters, cut at paragraph, then sentence, then word boundaries."""
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        cut = max(rest.rfind("\n", 0, limit), rest.rfind(". ", 0, limit) + 1, 0)
        if cut < limit // 2:
            cut = rest.rfind(" ", 0, limit)
        if cut <= 0:
            cut = limit
        pieces.append(rest[:cut].strip())
        rest = rest[cut:].strip()
    return pieces + [rest] if rest else pieces or [""]
