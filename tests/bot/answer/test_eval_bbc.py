"""CI guard on the BBC test split and dev probes with the extractive backend: retrieval and faithfulness must
not regress.

Reads the corpus from ../shared/corpora/bbc (never committed) and keeps its index where `make eval` does, so
a warm machine re-checks 2,225 unchanged files in well under a second instead of embedding them again."""

import json
import os
from pathlib import Path

import pytest

from bot.answer import eval as evaluation
from bot.answer.backends.extractive import ExtractiveBackend
from retrieval.library import EmbeddedLibrary
from tests.conftest import REPO, make_engine

BBC = REPO.parent / "shared" / "corpora" / "bbc"
INDEX = Path(os.environ.get("NEWSBOT_EVAL_INDEX", Path.home() / ".cache" / "newsbot" / "eval-index")) / "bbc"
RECORDED = json.loads((REPO / "tests" / "eval" / "recorded.json").read_text())

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not BBC.is_dir(), reason=f"no BBC corpus at {BBC}")]


@pytest.fixture(scope="module")
def bbc_library():
    library = EmbeddedLibrary(INDEX)
    library.ingest([BBC])
    return library


@pytest.mark.parametrize(
    "name", ["test/bbc.jsonl", "test/bbc_probes.jsonl", "dev/bbc_names.jsonl", "dev/bbc_probes.jsonl"]
)
def test_bbc_figures_do_not_regress(bbc_library, name):
    questions = evaluation.load_questions(REPO / "tests" / "eval" / name)
    engine = make_engine(bbc_library, ExtractiveBackend())
    summary = evaluation.summarize(evaluation.evaluate(engine, bbc_library, questions))
    recorded = RECORDED[name]
    for minimum in ("hit@3", "mrr", "answer_contains_expected", "gold_cited", "refusal_accuracy"):
        assert summary[minimum] >= recorded[minimum], minimum
    for maximum in ("false_refusals", "false_premises_affirmed", "misattributions"):
        assert summary[maximum] <= recorded[maximum], maximum
    if "near_miss_refused" in recorded:
        assert summary["near_miss_refused"] >= recorded["near_miss_refused"]
    assert summary["invented_citations"] == 0
    assert summary["unsupported_sentences"] == 0
