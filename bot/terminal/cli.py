"""The `newsbot` command: ingest, search, ask, chat (and slack, eval)."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import threading
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

import typer
from rich.console import Console

from bot.answer.backends import BACKENDS
from bot.answer.eval import QuestionResult
from bot.errors import NewsbotError
from bot.factory import build_engine, build_intake, build_library, ensure_index
from bot.settings import Settings, load_settings
from bot.terminal.intake import feeds_json, feeds_table
from bot.terminal.render import IngestProgress, answer_renderable, hit_renderable
from bot.terminal.safe import plain
from retrieval.dates import Moment, parse_moment
from retrieval.index import IngestReport
from retrieval.intake.schedule import parse_interval
from retrieval.intake.watcher import PollReport
from retrieval.library import Library
from retrieval.offline import enforce_offline
from retrieval.searcher import Filters
from retrieval.sources import is_http_url

BACKEND_HELP = f"{', '.join(BACKENDS)} (NEWSBOT_LLM)."  # the registry is the one list of backends
app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="Ask news articles questions; get short answers that cite them.",
)


def _err() -> Console:
    """Progress, warnings and summaries go to stderr, so stdout holds only answers and JSON."""
    return Console(stderr=True)


@app.callback()
def options(
    ctx: typer.Context,
    index_dir: Path | None = typer.Option(None, "--index-dir", help="Index directory (NEWSBOT_INDEX_DIR)."),
    env_file: Path = typer.Option(Path(".env"), "--env-file", help="Settings file read under the environment."),
) -> None:
    enforce_offline()
    ctx.obj = load_settings(dotenv_path=env_file).with_overrides(index_dir=index_dir)


def _settings(ctx: typer.Context, **overrides: Any) -> Settings:
    settings: Settings = ctx.obj.with_overrides(**overrides)
    return settings


def _ready_library(settings: Settings) -> Library:
    """The library, built from the bundled articles first if the index is empty."""
    library = build_library(settings)
    with IngestProgress(_err()) as progress:
        report = ensure_index(library, settings, progress)
    if report:
        _err().print(f"Built the index from {settings.articles_dir}: {report.summary()}")
    return library


@app.command()
def ingest(
    ctx: typer.Context,
    sources: list[str] = typer.Argument(
        None, help="Files, folders or article URLs (default: the bundled data/articles)."
    ),
    prune: bool = typer.Option(False, "--prune", help="Drop articles whose files are gone."),
    captured_at: str | None = typer.Option(
        None, "--captured-at", help="When the files were scraped (ISO, UTC): resolves '4 hours ago'."
    ),
) -> None:
    """Add or update articles in the index (unchanged files and pages are skipped)."""
    settings = _settings(ctx)
    library = build_library(settings)
    urls = [s for s in sources or [] if is_http_url(s)]
    paths = [Path(s) for s in sources or [] if not is_http_url(s)]
    if urls:
        report = build_intake(settings, library).ingest_urls(urls)
        _print_ingest(report)
    if paths or not urls:
        captured = _moment(captured_at)
        with IngestProgress(_err()) as progress:
            report = library.ingest(paths or [settings.articles_dir], prune=prune, progress=progress, captured=captured)
        _print_ingest(report)


def _print_ingest(report: IngestReport) -> None:
    for warning in report.warnings:
        _err().print(f"warning: {plain(warning)}", highlight=False, markup=False, soft_wrap=True)
    _err().print(report.summary(), highlight=False, soft_wrap=True)


feeds_app = typer.Typer(no_args_is_help=True, help="Follow RSS/Atom feeds: add, list, pause, resume, rm.")
app.add_typer(feeds_app, name="feeds")


@feeds_app.command("add")
def feeds_add(
    ctx: typer.Context,
    url: str = typer.Argument(..., help="A feed, or a page that announces one."),
    interval: str | None = typer.Option(None, "--interval", help="How often to check it: 30m, 2h, 1d."),
) -> None:
    """Follow a feed (given an HTML page, the feed it announces)."""
    settings = _settings(ctx)
    try:
        seconds = parse_interval(interval or settings.feed_interval)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    feed = build_intake(settings, build_library(settings)).add_feed(url, seconds)
    _err().print(
        f"following {plain(feed.url)} ({plain(feed.title) or 'untitled'}) every {seconds / 60:g} min",
        highlight=False,
        markup=False,
    )


@feeds_app.command("list")
def feeds_list(ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="JSON on stdout.")) -> None:
    """The feeds followed: last status, error count, validators seen, next check."""
    feeds = build_library(_settings(ctx)).feed_store().feeds()
    if as_json:
        print(feeds_json(feeds))
    elif feeds:
        Console().print(feeds_table(feeds))
    else:
        _err().print("no feeds yet: newsbot feeds add URL")


@feeds_app.command("pause")
def feeds_pause(ctx: typer.Context, url: str = typer.Argument(...)) -> None:
    """Stop polling a feed (its articles stay)."""
    build_library(_settings(ctx)).feed_store().set_paused(url, True)


@feeds_app.command("resume")
def feeds_resume(ctx: typer.Context, url: str = typer.Argument(...)) -> None:
    """Poll a paused feed again."""
    build_library(_settings(ctx)).feed_store().set_paused(url, False)


@feeds_app.command("rm")
def feeds_rm(ctx: typer.Context, url: str = typer.Argument(...)) -> None:
    """Stop following a feed (its articles stay in the index)."""
    build_library(_settings(ctx)).feed_store().remove(url)


@app.command()
def watch(
    ctx: typer.Context,
    once: bool = typer.Option(False, "--once", help="Poll the due feeds once and exit (for cron)."),
) -> None:
    """Poll the feeds that are due, then sleep until the next one is; Ctrl-C stops."""
    settings = _settings(ctx)
    intake = build_intake(settings, build_library(settings))
    if once:
        _print_poll(intake.poll())
        return
    stop = threading.Event()
    try:
        intake.watch(stop, _print_poll)
    except KeyboardInterrupt:
        stop.set()


def _print_poll(report: PollReport) -> None:
    for warning in report.warnings:
        _err().print(f"warning: {plain(warning)}", highlight=False, markup=False, soft_wrap=True)
    _err().print(report.summary(), highlight=False, markup=False, soft_wrap=True)


def _moment(value: str | None, option: str = "") -> Moment | None:
    """A date or date-time option as a Moment, or a usage error (naming the option, when given)."""
    if value is None:
        return None
    try:
        return parse_moment(value)
    except ValueError as exc:
        raise typer.BadParameter(f"{option}: {exc}" if option else str(exc)) from None


@app.command()
def search(
    ctx: typer.Context,
    query: str = typer.Argument(..., help="What to look for.", callback=lambda value: _not_blank(value, "QUERY")),
    top_k: int = typer.Option(5, "--top-k", "-k", min=1, max=100),
    as_json: bool = typer.Option(False, "--json", help="JSON on stdout."),
    outlet: str | None = typer.Option(None, help="Only this outlet (substring, any case)."),
    since: str | None = typer.Option(None, help="Only articles published on or after YYYY-MM-DD."),
    until: str | None = typer.Option(None, help="Only articles published on or before YYYY-MM-DD."),
) -> None:
    """Ranked passages for a query (no LLM)."""
    library = _ready_library(_settings(ctx))
    result = library.search(query, top_k, Filters(outlet, _day(since), _day(until)))
    if as_json:
        print(json.dumps(result.to_dict(), ensure_ascii=False))
        return
    out = Console()
    for hit in result.hits:
        out.print(hit_renderable(hit))


@app.command()
def ask(
    ctx: typer.Context,
    question: str = typer.Argument(..., help="Your question.", callback=lambda value: _not_blank(value, "QUESTION")),
    as_json: bool = typer.Option(False, "--json", help="JSON on stdout."),
    backend: str | None = typer.Option(None, help=BACKEND_HELP),
) -> None:
    """One question, one cited answer."""
    settings = _settings(ctx, llm=backend)
    with contextlib.closing(build_engine(settings, _ready_library(settings))) as engine:
        answer = engine.ask(question)
    if as_json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False))
        return
    Console().print(answer_renderable(answer))


@app.command()
def chat(
    ctx: typer.Context,
    backend: str | None = typer.Option(None, help=BACKEND_HELP),
) -> None:
    """Talk to the articles: follow-up questions keep the conversation."""
    from bot.terminal.chat import run_chat

    settings = _settings(ctx, llm=backend)
    library = _ready_library(settings)
    if settings.llm == "local":
        _err().print("Loading the local model…")
    with contextlib.closing(build_engine(settings, library)) as engine:
        _enable_line_editing()
        run_chat(engine, Console())


@app.command()
def slack(
    ctx: typer.Context,
    http: bool = typer.Option(False, "--http", help="Serve /slack/events over HTTP (gunicorn) instead of Socket Mode."),
    port: int | None = typer.Option(None, "--port", help="HTTP port (NEWSBOT_SLACK_PORT, default 3000)."),
    workers: int = typer.Option(1, "--workers", min=1, max=64, help="HTTP worker processes, each with its own engine."),
    backend: str | None = typer.Option(None, help=BACKEND_HELP),
    watch_feeds: bool = typer.Option(False, "--watch", help="Also poll the followed feeds, in this process."),
) -> None:
    """Run the Slack app: Socket Mode with SLACK_APP_TOKEN, or HTTP with --http."""
    import logging

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from bot.slack.app import check_slack_settings

    settings = _settings(ctx, llm=backend, slack_port=port)
    check_slack_settings(settings, http)
    if http and watch_feeds:
        raise typer.BadParameter("--watch runs beside Socket Mode; with --http run `newsbot watch` as its own service")
    if http:
        from bot.slack.server import serve
        from bot.slack.wsgi import create_application

        _err().print(
            f"newsbot: serving Slack events on http://0.0.0.0:{settings.slack_port}/slack/events "
            f"with {workers} worker(s)"
        )
        # Nothing is built here: a process that forks after starting threads (the embedder's, progress bars')
        # can hand its workers a lock held forever. Each worker builds its engine, and the first the index.
        serve(lambda: create_application(settings), settings.slack_port, workers)
        return
    from bot.slack.app import create_app, socket_mode_handler
    from bot.slack.state import open_state_store

    library = _ready_library(settings)
    engine = build_engine(settings, library)
    slack_app = create_app(settings, engine, open_state_store(settings))
    if watch_feeds:
        intake = build_intake(settings, library)
        threading.Thread(target=intake.watch, args=(threading.Event(), _print_poll), daemon=True, name="watch").start()
        _err().print("newsbot: watching the followed feeds")
    _err().print("newsbot: connecting to Slack over Socket Mode")
    socket_mode_handler(slack_app, settings).start()


@app.command("eval")
def eval_command(
    ctx: typer.Context,
    file: Path = typer.Argument(
        ..., exists=True, dir_okay=False, help="JSONL: question, gold_article, expect, should_refuse."
    ),
    backend: str | None = typer.Option(None, help=BACKEND_HELP),
    corpus: Path | None = typer.Option(None, help="Ingest this folder first (default: the index as it is)."),
    as_json: bool = typer.Option(False, "--json", help="JSON on stdout."),
    min_hit3: float | None = typer.Option(None, help="Fail below this retrieval hit@3."),
    min_mrr: float | None = typer.Option(None, help="Fail below this MRR."),
    min_expected: float | None = typer.Option(
        None, help="Fail below this share of answers containing the expected text."
    ),
    min_cited: float | None = typer.Option(None, help="Fail below this share of answers citing the gold article."),
    min_refusal: float | None = typer.Option(None, help="Fail below this refusal accuracy."),
    max_invented: int | None = typer.Option(None, help="Fail above this many invented citations."),
    asked_on: str | None = typer.Option(
        None, help="Ask every question that names no day of its own as on this date (YYYY-MM-DD): reproducible runs."
    ),
) -> None:
    """Measure retrieval and answers on a question set; exits 1 below the given thresholds."""
    from bot.answer import eval as evaluation

    day = _moment(asked_on, "--asked-on")

    settings = _settings(ctx, llm=backend)
    library = build_library(settings)
    with IngestProgress(_err()) as progress:
        if corpus:
            library.ingest([corpus], progress=progress)
        else:
            ensure_index(library, settings, progress)
    try:
        questions = evaluation.load_questions(file, day.at if day else None)
    except evaluation.EvalFileError as error:
        raise typer.BadParameter(str(error)) from None
    with contextlib.closing(build_engine(settings, library)) as engine:
        results = evaluation.evaluate(engine, library, questions)
    summary = evaluation.summarize(results)
    if as_json:
        print(evaluation.to_json(results, summary, engine.backend.name))
    else:
        _print_eval(file, engine.backend.name, results, summary)
    thresholds = {
        "hit@3": min_hit3,
        "mrr": min_mrr,
        "answer_contains_expected": min_expected,
        "gold_cited": min_cited,
        "refusal_accuracy": min_refusal,
        "invented_citations": max_invented,
    }
    missed = evaluation.failures(summary, {k: v for k, v in thresholds.items() if v is not None})
    if missed:
        _fail("; ".join(missed))


def _print_eval(file: Path, backend: str, results: list[QuestionResult], summary: dict[str, Any]) -> None:
    from rich.table import Table

    table = Table(title=f"{file.name} — {backend} backend", show_lines=False)
    for column in ("question", "kind", "gold rank", "expected", "gold cited", "refusal ok", "flag", "wrong", "ms"):
        table.add_column(column, overflow="fold")
    mark = {True: "✓", False: "✗", None: "—"}
    for r in results:
        table.add_row(
            r.question[:60],
            r.kind,
            str(r.gold_rank or "—"),
            mark[r.expected_found],
            mark[r.gold_cited],
            mark[r.refusal_correct],
            "!" if r.flagged else "",
            "✗" if r.affirmed_wrong else "",
            f"{r.latency_ms:.0f}",
        )
    out = Console()
    out.print(table)
    out.print("  ".join(f"{k} {v}" for k, v in summary.items()), highlight=False)


def _enable_line_editing() -> None:
    with contextlib.suppress(ImportError):
        import readline  # noqa: F401  (arrow keys and history for input())


def _not_blank(value: str, name: str) -> str:
    """A usage error (exit 2) for an empty or blank query or question."""
    if not value.strip():
        raise typer.BadParameter(f"{name} is empty: ask something")
    return value


def _day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date like 2025-01-31") from None


def main() -> None:
    """Console-script entry: usage errors exit 2, failures exit 1, each with one line on stderr."""
    try:
        app()  # typer's standalone mode prints usage errors and exits 2 itself
    except (NewsbotError, OSError) as error:
        _fail(str(error))
    except Exception as error:
        if os.environ.get("NEWSBOT_DEBUG"):
            raise
        _fail(f"unexpected {type(error).__name__}: {error} (set NEWSBOT_DEBUG=1 for details)")


def _fail(message: str) -> NoReturn:
    print(f"newsbot: error: {message}", file=sys.stderr)
    sys.exit(1)
