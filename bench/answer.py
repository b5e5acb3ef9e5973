"""Answer benchmark: time to first token, total time and peak memory per backend, five questions on the seed articles.

    .venv/bin/python bench/answer.py [--backends local local@12 extractive]

"local@12" is the local backend given 12 evidence sentences instead of whole passages (NEWSBOT_EVIDENCE_SENTENCES).

Each backend runs in its own child process so its peak RSS is its own; the table compares them in one run.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

QUESTIONS = [
    "what did Morgan Stanley say about H20?",
    "How long does Nvidia take to turn wafer orders into finished chips?",
    "In which countries can WeChat users now hail an Uber?",
    "Why is the Wells Fargo managing director unable to leave China?",
    "What did Zheng Yongnian warn about DeepSeek and nationalism?",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backends", nargs="+", default=["local", "extractive"])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--index-dir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_backend(args.child, Path(args.index_dir))))
        return
    with tempfile.TemporaryDirectory() as index_dir:
        results = [child(backend, index_dir) for backend in args.backends]
    print_table(results)


def child(backend: str, index_dir: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", backend, "--index-dir", index_dir],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_backend(backend: str, index_dir: Path) -> dict:
    from retrieval.offline import enforce_offline

    enforce_offline()
    from bot.factory import build_engine, build_library, ensure_index
    from bot.settings import load_settings

    llm, _, sentences = backend.partition("@")
    settings = load_settings(dotenv_path=None).with_overrides(
        llm=llm, index_dir=index_dir, evidence_sentences=int(sentences) if sentences else None
    )
    library = build_library(settings)
    ensure_index(library, settings)
    started = time.perf_counter()
    engine = build_engine(settings, library)
    load_s = time.perf_counter() - started
    answers = [engine.ask(q) for q in QUESTIONS]
    return {
        "backend": backend,
        "load_s": load_s,
        "first_token_ms": [a.timings_ms.get("first_token", a.timings_ms["total"]) for a in answers],
        "total_ms": [a.timings_ms["total"] for a in answers],
        "answered": sum(not a.refused and bool(a.citations) for a in answers),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def print_table(results: list[dict]) -> None:
    print(f"\nAnswer benchmark: {len(QUESTIONS)} questions over data/articles, 2 cores\n")
    print(
        f"  {'backend':<12} {'load s':>7} {'TTFT p50 ms':>12} {'TTFT max':>9} {'total p50 ms':>13} "
        f"{'total max':>10} {'answered+cited':>15} {'peak RSS MB':>12}"
    )
    for r in results:
        print(
            f"  {r['backend']:<12} {r['load_s']:7.1f} {statistics.median(r['first_token_ms']):12.0f} "
            f"{max(r['first_token_ms']):9.0f} {statistics.median(r['total_ms']):13.0f} {max(r['total_ms']):10.0f} "
            f"{r['answered']:>10}/{len(QUESTIONS)} {r['peak_rss_mb']:12.0f}"
        )


if __name__ == "__main__":
    main()
