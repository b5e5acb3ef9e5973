"""Fault benchmark: `newsbot slack --http` against a fake Slack that fails a share of Web API calls once.

    .venv/bin/python bench/faults.py [--questions 200] [--fault-rate 0.2] [--workers 2]

Every question is delivered twice (Slack's retry). The fake fails each distinct call, with the given
probability, once: 429 with Retry-After, 500, ok:false "ratelimited", or a dropped connection. The
baseline is the same run with no faults. Per question thread it counts answered exactly once, lost,
duplicated, and placeholders left. Target: 100 % / 0 / 0 / 0.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from fakes.newsbot_http import SEED_QUESTIONS, newsbot_http, slack_env
from fakes.slack import CHANNEL, FakeSlack, SlackSender

PLACEHOLDER = "Searching the articles…"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--fault-rate", type=float, default=0.2)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    rows = [run(rate, args) for rate in (0.0, args.fault_rate)]
    print(
        f"\nSlack faults: {args.questions} questions, each delivered twice, newsbot slack --http --workers "
        f"{args.workers} (gunicorn), extractive backend\n"
    )
    print(
        f"  {'fault rate':>10} {'faults injected':>32} {'answered once':>14} {'lost':>5} {'duplicated':>10} "
        f"{'placeholders left':>18} {'all answered s':>15}"
    )
    for r in rows:
        print(
            f"  {r['rate']:>10.0%} {r['faults']:>32} {r['once']:>13.1%} {r['lost']:>5d} {r['duplicated']:>10d} "
            f"{r['placeholders']:>18d} {r['seconds']:>15.1f}"
        )


def run(rate: float, args: argparse.Namespace) -> dict:
    with tempfile.TemporaryDirectory() as scratch, FakeSlack(fault_rate=rate) as fake:
        env = slack_env(fake, Path(scratch) / "index", Path(scratch) / "state.sqlite3", NEWSBOT_SLACK_RATE_LIMIT="0")
        with newsbot_http(env, workers=args.workers) as server:
            started = time.perf_counter()
            threads = ask_all(fake, server.url, args.questions)
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline and not settled(fake, threads):
                time.sleep(0.2)
            seconds = time.perf_counter() - started
        answers, placeholders = per_thread(fake, threads)
        kinds = Counter(kind for _, kind in fake.injected)
        return {
            "rate": rate,
            "faults": ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())) or "none",
            "once": sum(1 for t in threads if answers[t] == 1) / len(threads),
            "lost": sum(1 for t in threads if answers[t] == 0),
            "duplicated": sum(answers[t] - 1 for t in threads if answers[t] > 1),
            "placeholders": sum(placeholders.values()),
            "seconds": seconds,
        }


def ask_all(fake: FakeSlack, url: str, count: int) -> list[str]:
    """Every question mentioned, then delivered again as Slack's retry; returns the question threads."""
    sender = SlackSender(fake, url)

    def ask(n: int) -> str:
        text = SEED_QUESTIONS[n % len(SEED_QUESTIONS)]
        _, ts = sender.mention(text, event_id=f"EvFault{n}")
        sender.redeliver(text, ts, event_id=f"EvFault{n}")
        return ts

    with ThreadPoolExecutor(16) as pool:
        return list(pool.map(ask, range(count)))


def per_thread(fake: FakeSlack, threads: list[str]) -> tuple[Counter, Counter]:
    """Answers and placeholders the bot left in each question's thread."""
    answers, placeholders = Counter(), Counter()
    wanted = set(threads)
    for message in fake.bot_messages(CHANNEL):
        if message.get("thread_ts") in wanted:
            (placeholders if message["text"] == PLACEHOLDER else answers)[message["thread_ts"]] += 1
    return answers, placeholders


def settled(fake: FakeSlack, threads: list[str]) -> bool:
    answers, placeholders = per_thread(fake, threads)
    return all(answers[t] >= 1 for t in threads) and not placeholders


if __name__ == "__main__":
    main()
