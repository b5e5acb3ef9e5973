"""Text in Slack's mrkdwn dialect: escaping, the Markdown a model writes, source lines, splitting to limits."""

from __future__ import annotations

import re

from bot.answer.citations import Citation


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
    source = citation.source
    title = escape(source.title)
    head = f"<{source.url}|{title}>" if source.url else title
    where = ", ".join(escape(x) for x in (source.outlet, source.published) if x)
    line = f"[{citation.n}] {head}" + (f" — {where}" if where else "")
    if not source.url:
        line += f" ({escape(source.source_path)})"
    if citation.also_in:
        line += "; also in " + "; ".join(escape(s.title) for s in citation.also_in)
    return line


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
    return [*pieces, rest] if rest else pieces or [""]
