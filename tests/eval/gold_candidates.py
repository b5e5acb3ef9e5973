"""Gold audit helper: articles a question's gold list may be missing, for a person to read (never applied blindly).

    .venv/bin/python tests/eval/gold_candidates.py tests/eval/test/bbc.jsonl [--corpus ../shared/corpora/bbc]

For each answerable question, every other corpus article holding all its expected patterns and at least 0.8 of
the gold article's share of the question's content words, with the sentence that holds the first pattern. The
BBC corpus reports one event several times; an article stating the same answer belongs in the gold list.
System-blind: nothing here asks the engine, so the audit cannot favour what newsbot happens to cite."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from bot.answer.eval import EvalQuestion, load_questions
from bot.answer.text import content_terms, split_sentences

MIN_SHARE_OF_GOLD = 0.8


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("questions", nargs="+", type=Path)
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpora" / "bbc")
    args = parser.parse_args()
    articles = {str(p.relative_to(args.corpus)): p.read_text(errors="replace") for p in args.corpus.glob("*/*.txt")}
    terms = {name: content_terms(text) for name, text in articles.items()}
    for path in args.questions:
        for line_no, q in enumerate(load_questions(path)):
            for found in candidates(q, articles, terms):
                print(f"{path.name}:{line_no}\t{q.question}\t{found}")


def candidates(q: EvalQuestion, articles: dict[str, str], terms: dict[str, set[str]]) -> list[str]:
    """'share<TAB>article<TAB>title<TAB>sentence' for each article the question's gold list may be missing."""
    if q.should_refuse or q.kind not in ("answer", "forms") or not q.gold or not q.expect:
        return []
    asked = content_terms(q.question)
    gold_share = max(len(asked & terms[g]) for g in q.gold if g in terms) / max(1, len(asked))
    found = []
    for name, text in articles.items():
        if name in q.gold or any(text == articles.get(g) for g in q.gold):
            continue
        share = len(asked & terms[name]) / max(1, len(asked))
        if share < MIN_SHARE_OF_GOLD * gold_share or not all(re.search(p, text, re.I) for p in q.expect):
            continue
        sentence = next((s for s in split_sentences(text) if re.search(q.expect[0], s, re.I)), "")
        found.append(f"{share:.2f}\t{name}\t{text.splitlines()[0]}\t{sentence[:200]}")
    return sorted(found, reverse=True)


if __name__ == "__main__":
    main()
