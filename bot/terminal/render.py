"""Terminal rendering with rich: answers as Markdown with their sources, search hits, ingest progress."""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.markdown import Markdown
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn
from rich.text import Text

from bot.answer.citations import Citation
from bot.answer.engine import Answer
from bot.terminal.safe import plain
from retrieval.searcher import Hit


class IngestProgress:
    """A rich progress bar on stderr for passages embedded."""

    def __init__(self, console: Console) -> None:
        self._bar = Progress(
            TextColumn("embedding passages"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=True,
        )
        self._task: TaskID | None = None

    def __enter__(self) -> IngestProgress:
        self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._bar.stop()

    def start(self, total: int) -> None:
        self._task = self._bar.add_task("embed", total=total)

    def advance(self, count: int) -> None:
        if self._task is not None:
            self._bar.advance(self._task, count)


def source_line(citation: Citation) -> str:
    """[n] Title — Outlet, date (link or file); outlets and dates left out when unknown."""
    source = citation.source
    where = ", ".join(x for x in (source.outlet, source.date_label) if x)
    line = (
        f"[{citation.n}] {source.title}" + (f" — {where}" if where else "") + f" ({source.url or source.source_path})"
    )
    if citation.also_in:
        line += "; also in " + "; ".join(f"{s.title} ({s.url or s.source_path})" for s in citation.also_in)
    return line


def answer_renderable(answer: Answer) -> Group:
    parts: list[RenderableType] = [answer_markdown(answer.answer)]
    if answer.citations:
        parts.append(Text("\nSources", style="bold"))
        parts.extend(Text(plain(source_line(c)), style="dim") for c in answer.citations)
    return Group(*parts)


def sources_renderable(answer: Answer | None) -> Group:
    """The passages the last answer was given, numbered as the model saw them."""
    if answer is None or not answer.hits:
        return Group(Text("No passages yet: ask a question first."))
    rows = []
    for hit in answer.hits:
        source, text = hit.passage.source, hit.passage.text
        head = f"[{hit.rank}] {source.title} — {source.outlet or 'unknown outlet'} ({source.url or source.source_path})"
        rows.append(Text(plain(head), style="bold"))
        rows.append(Text(plain(text[:400] + ("…" if len(text) > 400 else "") + "\n")))
    return Group(*rows)


def hit_renderable(hit: Hit) -> Group:
    """One search hit: rank, title, outlet, file and score, then the start of the passage, all literal text."""
    source, text = hit.passage.source, hit.passage.text
    head = f"{hit.rank}. {source.title}"
    rest = f" — {source.outlet or 'unknown outlet'} ({source.source_path}) score {hit.score:.4f}"
    return Group(
        Text(plain(head), style="bold") + Text(plain(rest)), Text(plain(text[:300] + ("…" if len(text) > 300 else "")))
    )


def answer_markdown(text: str) -> Markdown:
    """A model's answer as Markdown, with escape sequences removed and links shown, never hidden behind words."""
    return Markdown(plain(text), hyperlinks=False)
