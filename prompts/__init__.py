"""Every prompt newsbot sends lives here as a text file; load them by name."""

from functools import cache
from pathlib import Path

PROMPT_DIR = Path(__file__).parent


@cache
def load_prompt(name: str) -> str:
    """The text of prompts/<name>.txt, without its trailing newline."""
    path = PROMPT_DIR / f"{name}.txt"
    if not path.is_file():
        raise KeyError(f"no prompt named {name!r} in {PROMPT_DIR}")
    return path.read_text(encoding="utf-8").rstrip("\n")
