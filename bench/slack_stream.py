"""Streaming benchmark: how soon a Slack user sees the answer, streamed against placeholder + update.

    .venv/bin/python bench/slack_stream.py [--backend local] [--questions 5]

The local model by default, over the bundled articles, one real Bolt app over HTTP, the fake Slack. Each
question is asked twice in the same run: with streaming (NEWSBOT_SLACK_STREAM=true) and without, each mode
with its own engine, so llama.cpp's prompt cache never serves the second mode the first mode's prompts. Times
come from the fake Slack's own clock (the moment each Web API call arrived), from the moment the mention was
sent: first visible answer words (chat.startStream, or the chat.update that replaces the placeholder) and the
full answer (chat.stopStream, or that same update). The engine's own time to its first checked sentence is
printed beside them: streaming should show words within ~0.5 s of it.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from retrieval.offline import enforce_offline

enforce_offline()

from bot.factory import build_engine, build_library, ensure_index
from bot.settings import load_settings
from bot.slack.app import create_app, local_http_server
from bot.slack.state import open_state_store
from fakes.newsbot_http import SEED_QUESTIONS
from fakes.slack import SECRET, FakeSlack, SlackSender


class TimedEngine:
    """The engine, noting when it hands out its first checked sentence for each question."""

    def __init__(self, engine) -> None:
        self._engine = engine
        self.retriever = engine.retriever
        self.backend = engine.backend
        self.first_sentence: dict[str, float] = {}

    def ask(self, question, history=None, on_sentence=None, **hooks):
        def noted(sentence: str) -> None:
            self.first_sentence.setdefault(question, time.monotonic())
            if on_sentence:
                on_sentence(sentence)

        return self._engine.ask(question, history, on_sentence=noted, **hooks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", default="local")
    parser.add_argument("--questions", type=int, default=5)
    args = parser.parse_args()
    questions = SEED_QUESTIONS[: args.questions]
    with tempfile.TemporaryDirectory() as scratch:
        settings = load_settings(
            {"NEWSBOT_LLM": args.backend, "NEWSBOT_INDEX_DIR": str(Path(scratch) / "index")}, dotenv_path=None
        )
        library = build_library(settings)
        ensure_index(library, settings)
        rows = {}
        for mode in ("stream", "placeholder"):  # one engine (one llama.cpp server, one prompt cache) per mode
            engine = TimedEngine(build_engine(settings, library))
            try:
                rows[mode] = measure(engine, Path(scratch), questions, mode)
            finally:
                engine._engine.close()
    report(rows, args.backend, len(questions))


def measure(engine: TimedEngine, scratch: Path, questions: list[str], mode: str) -> list[dict]:
    with FakeSlack() as fake:
        env = {
            "SLACK_BOT_TOKEN": "xoxb-bench",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": fake.api_url,
            "NEWSBOT_STATE_DB": str(scratch / f"{mode}.sqlite3"),
            "NEWSBOT_SLACK_STREAM": "true" if mode == "stream" else "false",
            "NEWSBOT_SLACK_RATE_LIMIT": "100",
        }
        settings = load_settings(env, dotenv_path=None)
        app = create_app(settings, engine, open_state_store(settings), http=True)  # type: ignore[arg-type]
        server = local_http_server(app, settings, 0)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        sender = SlackSender(fake, f"http://127.0.0.1:{server.server_address[1]}/slack/events")
        try:
            return [one(fake, sender, engine, question, mode) for question in questions]
        finally:
            server.shutdown()
            server.server_close()


def one(fake: FakeSlack, sender: SlackSender, engine: TimedEngine, question: str, mode: str) -> dict:
    sent = time.monotonic()
    _, ts = sender.mention(question)
    fake.wait_for(lambda: sender.answers_in(ts), timeout=300)
    calls = list(zip(fake.times, fake.calls, strict=True))
    mine = [(t, name, params) for t, (name, params) in calls if t >= sent]
    if mode == "stream":
        words = next((t for t, name, _ in mine if name == "chat.startStream"), None)
        full = next((t for t, name, _ in mine if name == "chat.stopStream"), None)
    else:
        words = full = next((t for t, name, _ in mine if name == "chat.update"), None)
    if words is None:  # a refusal or a fallback: the one message that carried the answer
        words = full = max(t for t, name, _ in mine if name in ("chat.update", "chat.postMessage"))
    first = engine.first_sentence.pop(question, None)
    return {
        "words": words - sent,
        "full": (full or words) - sent,
        "checked": (first - sent) if first else None,
    }


def report(rows: dict[str, list[dict]], backend: str, n: int) -> None:
    print(f"\nSlack streaming: {n} questions over data/articles, {backend} backend, seconds from the mention\n")
    print(
        f"  {'reply':<26} {'first words p50':>16} {'max':>6} {'full answer p50':>16} {'max':>6} {'first checked sentence p50':>27}"
    )
    for mode, label in (("stream", "streamed (startStream)"), ("placeholder", "placeholder + chat.update")):
        r = rows[mode]
        checked = [x["checked"] for x in r if x["checked"] is not None]
        print(
            f"  {label:<26} {statistics.median(x['words'] for x in r):16.2f} {max(x['words'] for x in r):6.2f} "
            f"{statistics.median(x['full'] for x in r):16.2f} {max(x['full'] for x in r):6.2f} "
            f"{(statistics.median(checked) if checked else float('nan')):27.2f}"
        )
    gaps = [x["words"] - x["checked"] for x in rows["stream"] if x["checked"] is not None]
    if gaps:
        print(f"\n  streamed: first words after the first checked sentence, max {max(gaps):.2f} s (target ≤ 0.5 s)")


if __name__ == "__main__":
    main()
