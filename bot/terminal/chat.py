"""The terminal chat loop: takes an engine, keeps the conversation, streams answers as Markdown."""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Console
from rich.live import Live

from bot.answer.engine import Answer, Engine
from bot.answer.prompting import Turn
from bot.errors import BackendError
from bot.terminal.render import answer_markdown, answer_renderable, sources_renderable
from bot.terminal.safe import markup_safe

HELP = "Ask a question about the articles. Commands: /sources (passages behind the last answer), /new (forget the conversation), /help, /quit"


def run_chat(engine: Engine, console: Console, read_line: Callable[[str], str] = input) -> None:
    """Read questions until /quit or end of input; each answer sees the conversation so far."""
    history: list[Turn] = []
    last: Answer | None = None
    console.print(f"[bold]newsbot[/bold] — {engine.backend.name} backend. {HELP}")
    while True:
        try:
            line = read_line("> ").strip()
        except (EOFError, KeyboardInterrupt):
            console.print()
            return
        if not line:
            continue
        if line in ("/quit", "/exit", "/q"):
            return
        if line == "/help":
            console.print(HELP)
        elif line == "/sources":
            console.print(sources_renderable(last))
        elif line == "/new":
            history, last = [], None
            console.print("Started a new conversation.")
        elif line.startswith("/"):
            console.print(f"Unknown command {line.split()[0]}. {HELP}")
        else:
            last = _answer(engine, console, line, history) or last
            if last and last.question == line:
                history += [Turn("user", line), Turn("assistant", last.answer)]


def _answer(engine: Engine, console: Console, question: str, history: list[Turn]) -> Answer | None:
    """Show the answer sentence by sentence as each passes the claim checks, then the answer with its sources."""
    shown: list[str] = []
    try:
        with Live(answer_markdown("…"), console=console, refresh_per_second=8, transient=True) as live:

            def on_sentence(sentence: str) -> None:
                shown.append(sentence)
                live.update(answer_markdown(" ".join(shown)))

            answer = engine.ask(question, history, on_sentence=on_sentence)
    except BackendError as error:
        console.print(f"[red]Sorry, I couldn't answer: {markup_safe(str(error))}.[/red]")
        return None
    console.print(answer_renderable(answer))
    return answer
