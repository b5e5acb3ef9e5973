"""Retrieval benchmark over the BBC corpus: ingest rate, search latency and quality, against LlamaIndex defaults.

    .venv/bin/python bench/retrieval.py [--corpus ../shared/corpora/bbc] [--index-dir DIR] [--repeat 5]
        [--questions FILE …]   (default: the test split's BBC questions)

Prints one table. Baselines run in the same process on the same passages and vectors:
LlamaIndex's default VectorStoreIndex (SimpleVectorStore) with the same MiniLM embedder, and BM25Retriever.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from retrieval.offline import enforce_offline

enforce_offline()

from llama_index.core import VectorStoreIndex
from llama_index.retrievers.bm25 import BM25Retriever

from retrieval.library import EmbeddedLibrary
from retrieval.passages import PassageSplitter
from retrieval.searcher import SearchConfig
from retrieval.stores.embedded_search import EmbeddedSearcher

REPO = Path(__file__).resolve().parents[1]
TOP_K = 5


def main() -> None:
    args = parse_args()
    questions = [
        json.loads(line) for path in args.questions for line in Path(path).read_text().splitlines() if line.strip()
    ]
    questions = [q for q in questions if q.get("gold_article")]
    with tempfile.TemporaryDirectory() as scratch:
        index_dir = Path(args.index_dir) if args.index_dir else Path(scratch) / "index"
        splitter = PassageSplitter(args.chunk_tokens) if args.chunk_tokens else None
        ingest_rows = measure_ingest(EmbeddedLibrary(index_dir, splitter=splitter), Path(args.corpus))
        library = EmbeddedLibrary(index_dir)
        snapshot = library.searcher().snapshot
        methods = newsbot_methods(snapshot, library.encoder) | baseline_methods(snapshot, library.encoder)
        gold = gold_articles(snapshot, questions)
        rows = [measure_search(name, run, questions, gold, args.repeat) for name, run in methods.items()]
    print_report(ingest_rows, rows, len(snapshot.passages), len(questions), args.repeat)
    print(duplicate_report(snapshot))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=str(REPO.parent / "shared" / "corpora" / "bbc"))
    parser.add_argument("--questions", nargs="+", default=[str(REPO / "tests" / "eval" / "test" / "bbc.jsonl")])
    parser.add_argument("--index-dir", help="reuse (or keep) an index here; its cold ingest is only timed if empty")
    parser.add_argument("--repeat", type=int, default=5, help="times each question is searched per method")
    parser.add_argument("--chunk-tokens", type=int, help="passage size in MiniLM tokens (default: newsbot's 200)")
    return parser.parse_args()


def measure_ingest(library: EmbeddedLibrary, corpus: Path) -> list[tuple[str, str]]:
    rows = []
    if library.empty:
        report = library.ingest([corpus])
        rows.append(
            (
                "cold ingest",
                f"{report.seconds:.1f} s, {report.articles} articles, {report.passages} passages, "
                f"{report.embedded / report.seconds:.1f} passages/s",
            )
        )
    report = library.ingest([corpus])
    rows.append(("re-ingest, nothing changed", f"{report.seconds:.2f} s ({report.files_unchanged} files unchanged)"))
    return rows


def newsbot_methods(snapshot, encoder) -> dict:
    def searcher(**config):
        return EmbeddedSearcher(snapshot, encoder, SearchConfig(**config))

    hybrid, bm25, dense = searcher(), searcher(dense=False), searcher(bm25=False)

    def articles(searcher, query):
        """Article ids per rank; a hit's collapsed near-duplicates are cited with it, so they count."""
        return [
            {h.passage.article_id, *(d.source.article_id for d in h.also_in)}
            for h in searcher.search(query, TOP_K).hits
        ]

    return {
        "newsbot hybrid (BM25+dense, fused)": lambda q: articles(hybrid, q),
        "newsbot BM25 only": lambda q: articles(bm25, q),
        "newsbot dense only": lambda q: articles(dense, q),
    }


def baseline_methods(snapshot, encoder) -> dict:
    nodes = [p.to_node() for p in snapshot.passages]
    for node, vector in zip(nodes, np.asarray(snapshot.vectors), strict=True):
        node.embedding = vector.tolist()  # same vectors: the baseline measures search, not embedding
    vector_index = VectorStoreIndex(nodes=nodes, embed_model=encoder)
    dense = vector_index.as_retriever(similarity_top_k=TOP_K)
    bm25 = BM25Retriever.from_defaults(nodes=nodes, similarity_top_k=TOP_K)
    return {
        "LlamaIndex VectorStoreIndex (default)": lambda q: [{n.node.metadata["article_id"]} for n in dense.retrieve(q)],
        "LlamaIndex BM25Retriever": lambda q: [{n.node.metadata["article_id"]} for n in bm25.retrieve(q)],
    }


def gold_articles(snapshot, questions: list[dict]) -> list[set[str]]:
    """The article ids each question's gold files hold (identical BBC files share one id); any of them counts."""
    by_path = {entry.source_path: set(entry.article_ids) for entry in snapshot.files.values()}
    golds = [[q["gold_article"]] if isinstance(q["gold_article"], str) else q["gold_article"] for q in questions]
    return [set().union(*(by_path[g] for g in gold)) for gold in golds]


def first_rank(found: list[set[str]], gold: set[str]) -> int | None:
    """1-based rank of the first distinct article hit that is a gold article."""
    seen: list[set[str]] = []
    for ids in found:
        if ids & gold:
            return len(seen) + 1
        if not any(ids & s for s in seen):
            seen.append(ids)
    return None


def measure_search(name: str, run, questions: list[dict], gold: list[set[str]], repeat: int) -> dict:
    run(questions[0]["question"])  # warm-up
    times, ranks = [], []
    for q, gold_ids in zip(questions, gold, strict=True):
        for _ in range(repeat):
            started = time.perf_counter()
            found = run(q["question"])
            times.append((time.perf_counter() - started) * 1000)
        ranks.append(first_rank(found, gold_ids))
    return {
        "name": name,
        "p50": statistics.median(times),
        "p95": float(np.percentile(times, 95)),
        **{f"hit@{k}": sum(1 for r in ranks if r and r <= k) / len(ranks) for k in (1, 3, 5)},
        "mrr": sum(1 / r for r in ranks if r) / len(ranks),
    }


def print_report(ingest_rows, rows, passages: int, questions: int, repeat: int) -> None:
    print(f"\nRetrieval benchmark: {passages} passages, {questions} paraphrased questions x {repeat}, top-{TOP_K}\n")
    for label, value in ingest_rows:
        print(f"  {label:<28} {value}")
    baseline = next(r for r in rows if r["name"].startswith("LlamaIndex VectorStoreIndex"))
    print(
        f"\n  {'method':<40} {'p50 ms':>8} {'p95 ms':>8} {'x default':>9} {'hit@1':>6} {'hit@3':>6} {'hit@5':>6} {'MRR':>6}"
    )
    for r in rows:
        speedup = baseline["p50"] / r["p50"]
        print(
            f"  {r['name']:<40} {r['p50']:8.2f} {r['p95']:8.2f} {speedup:8.1f}x "
            f"{r['hit@1']:6.2f} {r['hit@3']:6.2f} {r['hit@5']:6.2f} {r['mrr']:6.3f}"
        )


def duplicate_report(snapshot, threshold: float = 0.8) -> str:
    """How often the near-duplicate rule would merge passages of different articles, and how many are identical."""
    vectors = np.asarray(snapshot.vectors)
    articles = np.array([p.article_id for p in snapshot.passages])
    texts = [p.text for p in snapshot.passages]
    pairs = identical = 0
    for start in range(0, len(vectors), 1024):
        sims = vectors[start : start + 1024] @ vectors.T
        rows, cols = np.nonzero(sims >= threshold)
        for r, c in zip(rows + start, cols, strict=True):
            if r < c and articles[r] != articles[c]:
                pairs += 1
                identical += texts[r] == texts[c]
    return (
        f"\n  passage pairs from different articles at cosine >= {threshold}: {pairs} "
        f"({identical} with identical text, {pairs - identical} near-identical)"
    )


if __name__ == "__main__":
    main()
