"""Article and model text made inert for a terminal: no escape sequences, no rich markup, no hyperlinks."""

from __future__ import annotations

import re

from rich.markup import escape

ESCAPE_SEQUENCE = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # all C0 and C1 controls but tab and newline


def plain(text: str) -> str:
    """The text without ANSI/OSC escape sequences or other control characters (tab and newline stay)."""
    return CONTROL.sub("", ESCAPE_SEQUENCE.sub("", text))


def markup_safe(text: str) -> str:
    """Plain text that rich prints literally inside a markup string: [bold] and [link=…] stay text."""
    return escape(plain(text))
