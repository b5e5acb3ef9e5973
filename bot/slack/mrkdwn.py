"""Text in Slack's mrkdwn dialect: everything from an article or a model is inert text; the only links are
the http(s) URLs of cited sources, built here with escaping. Splitting to Slack's limits."""

from __future__ import annotations

import re

from bot.answer.citations import Citation
from retrieval.sources import is_http_url

MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


def escape(text: str) -> str:
    """Slack's three control characters: no <…> link, mention or <!channel> survives."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_mrkdwn(markdown: str) -> str:
    """The Markdown a model writes, in Slack's dialect: *bold*, headings as bold lines, links as inert text.

    A Markdown link keeps its words and shows its target in brackets, so no target is ever hidden; the
    blocks carrying this text are verbatim, so Slack does not turn the target into a link either."""
    text = escape(markdown)
    text = re.sub(r"\*\*(.+?)\*\*", r"*\1*", text)
    text = re.sub(r"^#{1,6}\s*(.+)$", r"*\1*", text, flags=re.M)
    return MARKDOWN_LINK.sub(r"\1 (\2)", text)


LINKABLE = re.compile(  # a URL or bare domain, without trailing punctuation or an escaped "&gt;"
    r"(?:\b[a-z][a-z0-9+.-]*://|\bwww\.)[^\s`&]*[^\s`&.,;:!?)\]]|\b[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}\b(?:/[^\s`&]*[^\s`&.,;:!?)\]])?",
    re.I,
)


def inert_markdown(text: str) -> str:
    """Model text for a streamed message (standard Markdown): no mention, no link and no hidden target —
    Slack's control characters escaped, a Markdown link shown as words and target, and anything Slack might
    turn into a link (a URL, a bare domain) set as code, which Slack never links."""
    text = MARKDOWN_LINK.sub(r"\1 (\2)", escape(text))
    return LINKABLE.sub(lambda m: f"`{m.group(0)}`", text)


def safe_url(url: str) -> str | None:
    """The URL, escaped for <url|title>, if it is a plain http(s) URL; else None."""
    return url.replace("&", "&amp;") if is_http_url(url) else None


def source_mrkdwn(citation: Citation) -> str:
    """[n] <url|Title> — Outlet, date; the file name stands in for a missing or unusable URL."""
    source = citation.source
    title = escape(source.title)
    url = safe_url(source.url)
    head = f"<{url}|{title}>" if url else title
    where = ", ".join(escape(x) for x in (source.outlet, source.date_label) if x)
    line = f"[{citation.n}] {head}" + (f" — {where}" if where else "")
    if not url:
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
