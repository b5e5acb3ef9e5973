"""Scraped news pages: split one page into its stories and strip the page debris around them."""

from __future__ import annotations

import re
from dataclasses import dataclass

RELATED_HEADING = "related articles"
DEBRIS_LINES = {
    "advertisement",
    "try our ai features",
    "comments",
    "no comments yet...",
    "no comments yet",
    "related articles",
    "share",
    "read more",
}
DEBRIS_PATTERNS = [
    re.compile(r"^explore what .{1,60} can do for you:?$", re.I),
    re.compile(r"^\d{1,2}:\d{2}(:\d{2})?$"),  # bare video timestamps
]
RELATIVE_TIME = re.compile(r"^(\d+|an?|one)\s+(second|minute|hour|day|week|month|year)s?\s+ago$", re.I)
SENTENCE_END = tuple(".!?:;\"'’”)…")
TAG_ITEM = re.compile(r"^[\w][\w.&'’-]*( [\w.&'’-]+){0,2}$")
LONG_LINE = 80  # a line this long that stops mid-sentence was wrapped, not a heading


@dataclass(frozen=True)
class Story:
    title: str
    text: str
    outlet: str = ""
    published: str = ""


def split_stories(lines: list[str]) -> list[Story]:
    """The lead story and each story under "Related Articles", each with its own title and outlet."""
    stripped = [line.strip() for line in lines]
    lead, related = _split_at_related(stripped)
    stories = []
    lead_lines = [line for line in lead if line]
    if lead_lines:
        body = clean_lines(lead_lines[1:])
        stories.append(Story(title=lead_lines[0], text="\n".join(body)))
    stories.extend(_related_stories(related))
    return [s for s in stories if s.text]


def clean_lines(lines: list[str]) -> list[str]:
    """Drop debris lines, repeated captions and a trailing tag line; re-join sentences broken across lines."""
    kept = [line.strip() for line in lines if line.strip() and not _is_debris(line.strip())]
    kept = _drop_repeated_captions(kept)
    if kept and _is_tag_line(kept[-1]):
        kept = kept[:-1]
    return _join_wrapped(kept)


def _split_at_related(lines: list[str]) -> tuple[list[str], list[str]]:
    for i, line in enumerate(lines):
        if line.lower() == RELATED_HEADING:
            return lines[:i], lines[i + 1 :]
    return lines, []


def _related_stories(lines: list[str]) -> list[Story]:
    """Blocks shaped: outlet / relative time / "- outlet" / title / body lines."""
    lines = [line for line in lines if line]
    starts = [i for i in range(len(lines) - 3) if _is_block_start(lines, i)]
    stories = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        outlet, published, title = lines[start], lines[start + 1], lines[start + 3]
        body = clean_lines(lines[start + 4 : end])
        stories.append(Story(title=title, text="\n".join(body), outlet=outlet, published=published))
    return stories


def _is_block_start(lines: list[str], i: int) -> bool:
    outlet = lines[i]
    return bool(RELATIVE_TIME.match(lines[i + 1])) and lines[i + 2].lstrip("-– ").strip() == outlet


def _is_debris(line: str) -> bool:
    return line.lower() in DEBRIS_LINES or any(p.match(line) for p in DEBRIS_PATTERNS)


def _drop_repeated_captions(lines: list[str]) -> list[str]:
    """A line printed twice in a row is a video caption, not article text: drop both copies."""
    kept, i = [], 0
    while i < len(lines):
        if i + 1 < len(lines) and lines[i] == lines[i + 1]:
            i += 2
            continue
        kept.append(lines[i])
        i += 1
    return kept


def _is_tag_line(line: str) -> bool:
    """A trailing keyword line such as "China, AI, DeepSeek, Technology"."""
    items = [item.strip() for item in line.split(",")]
    return len(items) >= 3 and not line.endswith(SENTENCE_END) and all(TAG_ITEM.match(i) for i in items)


def _join_wrapped(lines: list[str]) -> list[str]:
    joined: list[str] = []
    for line in lines:
        if joined and _continues(joined[-1], line):
            joined[-1] = f"{joined[-1]} {line}"
        else:
            joined.append(line)
    return joined


def _continues(previous: str, line: str) -> bool:
    if previous.endswith(SENTENCE_END):
        return False
    return line[:1].islower() or len(previous) >= LONG_LINE
