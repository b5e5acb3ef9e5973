"""Slack load test: N mentions at once over HTTP mode against the local fake Slack, each also retried once.

    .venv/bin/python bench/slack_load.py [--mentions 50] [--backend extractive] [--workers 4]

Reports ack latency p50/p99, answers posted, duplicates (must be 0) and lost (must be 0) for
`newsbot slack --http --workers N` (gunicorn, one shared state file), for one process on the standard
library's server, and for the baseline in the same run: that process built to answer before it acks
(Bolt's process_before_response=True).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from retrieval.offline import enforce_offline

enforce_offline()

from bot.factory import build_engine, build_library, ensure_index
from bot.settings import load_settings
from bot.slack.app import create_app, local_http_server
from bot.slack.state import open_state_store
from fakes.newsbot_http import SEED_QUESTIONS, newsbot_http, slack_env
from fakes.slack import SECRET, FakeSlack, SlackSender


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mentions", type=int, default=50)
    parser.add_argument("--backend", default="extractive")
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        rows = [run_gunicorn(args, Path(scratch))]
        rows += [run(args, Path(scratch), answer_first) for answer_first in (False, True)]
    print(f"\nSlack load: {args.mentions} mentions at once over HTTP (+1 retry each), {args.backend} backend\n")
    print(
        f"  {'app':<34} {'ack p50 ms':>10} {'ack p99 ms':>10} {'>3 s':>5} {'answers':>8} {'dupes':>6} "
        f"{'lost':>5} {'all answered s':>15}"
    )
    for r in rows:
        print(
            f"  {r['name']:<34} {r['p50']:10.1f} {r['p99']:10.1f} {r['slow']:5d} {r['answers']:8d} "
            f"{r['duplicates']:6d} {r['lost']:5d} {r['seconds']:15.1f}"
        )


def run_gunicorn(args, scratch: Path) -> dict:
    """`newsbot slack --http --workers N`: gunicorn processes sharing one SQLite state file."""
    with FakeSlack() as fake:
        env = slack_env(
            fake,
            scratch / "index",
            scratch / "state-gunicorn.sqlite3",
            NEWSBOT_LLM=args.backend,
            NEWSBOT_SLACK_RATE_LIMIT="0",
        )
        with newsbot_http(env, workers=args.workers) as server:
            return {"name": f"newsbot: gunicorn, {args.workers} workers", **burst(fake, server.url, args)}


def run(args, scratch: Path, answer_first: bool) -> dict:
    """One process on the standard library's server: acking first (newsbot), or answering first (baseline)."""
    name = "baseline: answer, then ack (1 proc)" if answer_first else "newsbot: ack, then answer (1 proc)"
    with FakeSlack() as fake:
        env = {
            "SLACK_BOT_TOKEN": "xoxb-load",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": fake.api_url,
            "NEWSBOT_STATE_DB": str(scratch / f"state-{answer_first}.sqlite3"),
            "NEWSBOT_LLM": args.backend,
            "NEWSBOT_INDEX_DIR": str(scratch / "index"),
            "NEWSBOT_SLACK_RATE_LIMIT": "0",
            "NEWSBOT_ARTICLES_DIR": str(REPO / "data" / "articles"),
        }
        settings = load_settings(env, dotenv_path=None)
        library = build_library(settings)
        ensure_index(library, settings)
        app = create_app(
            settings,
            build_engine(settings, library),
            open_state_store(settings),
            http=True,
            answer_before_ack=answer_first,
        )  # the baseline's only difference
        server = local_http_server(app, settings, 0)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            return {"name": name, **burst(fake, f"http://127.0.0.1:{server.server_address[1]}/slack/events", args)}
        finally:
            server.shutdown()
            server.server_close()


def burst(fake: FakeSlack, url: str, args) -> dict:
    sender = SlackSender(fake, url)
    started = time.perf_counter()

    def mention(i: int) -> tuple[float, str]:
        text = SEED_QUESTIONS[i % len(SEED_QUESTIONS)]
        sent = time.perf_counter()
        status, ts = sender.mention(text, event_id=f"EvLoad{i}")
        latency = (time.perf_counter() - sent) * 1000
        sender.redeliver(text, ts, event_id=f"EvLoad{i}")
        return (latency if status == 200 else float("inf")), ts

    with ThreadPoolExecutor(args.mentions) as pool:
        results = list(pool.map(mention, range(args.mentions)))
    threads = {ts for _, ts in results}
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and len(answered(fake, threads)) < len(threads):
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    per_thread = answered(fake, threads)
    latencies = [latency for latency, _ in results]
    return {
        "p50": statistics.median(latencies),
        "p99": float(np.percentile(latencies, 99)),
        "slow": sum(latency > 3000 for latency in latencies),
        "answers": sum(per_thread.values()),
        "duplicates": sum(n - 1 for n in per_thread.values() if n > 1),
        "lost": len(threads) - len(per_thread),
        "seconds": seconds,
    }


def answered(fake: FakeSlack, threads: set[str]) -> dict[str, int]:
    """Finished answers (placeholder replaced by blocks) per question thread."""
    counts: dict[str, int] = {}
    for message in fake.bot_messages():
        if message.get("thread_ts") in threads and message.get("blocks"):
            counts[message["thread_ts"]] = counts.get(message["thread_ts"], 0) + 1
    return counts


if __name__ == "__main__":
    main()
