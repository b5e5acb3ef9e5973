"""`newsbot eval` and the shipped question sets: retrieval must not regress below the recorded figures."""

import json
import re
from datetime import UTC, datetime

import pytest

from bot.answer import eval as evaluation
from bot.answer.backends.extractive import ExtractiveBackend
from tests.conftest import REPO, invoke_cli, make_engine

EVAL_DIR = REPO / "tests" / "eval"
RECORDED = json.loads((EVAL_DIR / "recorded.json").read_text())


def test_question_sets_are_as_promised():
    seed = evaluation.load_questions(EVAL_DIR / "dev" / "seed.jsonl")
    bbc = evaluation.load_questions(EVAL_DIR / "dev" / "bbc.jsonl")
    assert len(seed) >= 20
    assert len(bbc) >= 30
    for questions in (seed, bbc):
        assert any(q.should_refuse for q in questions)
        assert any(q.gold for q in questions)
    assert sum(bool(q.history) for q in seed) >= 3  # follow-up questions carry their conversation
    test = evaluation.load_questions(EVAL_DIR / "test" / "bbc.jsonl")
    assert sum(q.kind == "answer" and bool(q.gold) for q in test) >= 80
    probes = [
        q
        for name in ("seed_probes", "bbc_probes")
        for q in evaluation.load_questions(EVAL_DIR / "test" / f"{name}.jsonl")
    ]
    for kind in ("near_miss", "false_premise", "misattribution", "forms"):
        assert sum(q.kind == kind for q in probes) >= 25, kind
    dev_probes = evaluation.load_questions(EVAL_DIR / "dev" / "bbc_probes.jsonl")
    for kind in ("near_miss", "false_premise", "misattribution", "forms"):
        assert sum(q.kind == kind for q in dev_probes) >= 8, kind
    dev_names = evaluation.load_questions(EVAL_DIR / "dev" / "bbc_names.jsonl")
    dev_fresh = evaluation.load_questions(EVAL_DIR / "dev" / "bbc_fresh.jsonl")
    for q in (
        test + probes + dev_probes + dev_names + dev_fresh
    ):  # expected text is evidence only if the question lacks it
        assert not any(re.search(pattern, q.question, re.I) for pattern in q.expect), q.question


@pytest.mark.parametrize(
    ("answer", "affirmed"),
    [
        ("Orange added five million customers [1].", False),  # corrected: the true figure, the wrong one absent
        ("Orange added ten million customers [1].", True),
        ("The articles do not mention ten million. Orange added five million [1].", False),  # the engine's notes
        ("The articles about Orange do not mention ten million. It added five million [1].", False),
        ("The article “Orange grows” does not mention ten million. It added five million [1].", False),
        ("This was stated in passage [1].", True),  # neither flagged nor corrected: affirmed by silence
        ("The articles are undated, so I cannot check “ten million” against them. It added five million [1].", False),
        ("The articles say “five million”, not “ten million”. It added five million [1].", False),
        ("The articles say “five million”, not “ten million”. It added ten million [1].", True),  # notes only
    ],
)
def test_a_false_premise_counts_as_affirmed_unless_corrected_or_flagged(answer, affirmed):
    question = evaluation.EvalQuestion(
        "Why did Orange add ten million customers?", [], ["five million"], False, [], "false_premise", "ten million"
    )
    expected = "five million" in answer
    flagged = "not mention" in answer
    assert evaluation._affirms_wrong(question, answer, False, flagged, expected) is affirmed


def test_seed_retrieval_does_not_regress(seed_library):
    questions = evaluation.load_questions(EVAL_DIR / "dev" / "seed.jsonl")
    summary = evaluation.summarize(
        evaluation.evaluate(make_engine(seed_library, ExtractiveBackend()), seed_library, questions)
    )
    recorded = RECORDED["dev/seed.jsonl"]
    assert summary["hit@3"] >= recorded["hit@3"]
    assert summary["mrr"] >= recorded["mrr"]
    assert summary["refusal_accuracy"] == 1.0


class InventingBackend(ExtractiveBackend):
    """The extractive answer plus one citation of a passage that was never given."""

    name = "inventing"

    def stream(self, question, hits, history, notes="", today=None):
        yield from super().stream(question, hits, history)
        yield " It was also reported elsewhere [9]."


def test_eval_counts_citations_the_model_invented(seed_library):
    questions = [q for q in evaluation.load_questions(EVAL_DIR / "dev" / "seed.jsonl") if not q.should_refuse][:3]
    honest = evaluation.summarize(
        evaluation.evaluate(make_engine(seed_library, ExtractiveBackend()), seed_library, questions)
    )
    inventing = evaluation.summarize(
        evaluation.evaluate(make_engine(seed_library, InventingBackend()), seed_library, questions)
    )
    assert (honest["invented_citations"], inventing["invented_citations"]) == (0, 3)


def test_eval_command_reports_json_and_enforces_thresholds(seed_index_dir):
    ok = invoke_cli(
        "eval",
        "--json",
        "--min-hit3",
        str(RECORDED["dev/seed.jsonl"]["hit@3"]),
        "--backend",
        "extractive",
        str(EVAL_DIR / "dev" / "seed.jsonl"),
        index_dir=seed_index_dir,
    )
    assert ok.exit_code == 0, ok.stderr
    report = json.loads(ok.stdout)
    assert report["summary"]["questions"] == 24
    assert len(report["questions"]) == 24
    assert {
        "hit@1",
        "hit@3",
        "hit@5",
        "mrr",
        "answer_contains_expected",
        "gold_cited",
        "invented_citations",
        "refusal_accuracy",
        "latency_ms_p50",
    } <= set(report["summary"])
    strict = invoke_cli(
        "eval",
        "--min-expected",
        "1.01",
        "--max-invented",
        "0",
        str(EVAL_DIR / "dev" / "seed.jsonl"),
        index_dir=seed_index_dir,
    )
    assert strict.exit_code == 1
    assert strict.stderr.strip().count("\n") == 0
    assert "answer_contains_expected" in strict.stderr
    assert "hit@3" in strict.stdout  # the table is still printed


@pytest.mark.parametrize("line", ['{"gold_article": "x"}', "not json"])
def test_a_malformed_question_file_is_a_usage_error_naming_the_line(tmp_path, seed_index_dir, line):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"question": "fine?"}\n' + line + "\n")
    result = invoke_cli("eval", str(bad), index_dir=seed_index_dir)
    assert result.exit_code == 2
    assert "bad.jsonl:2" in result.stderr


def test_questions_with_no_day_of_their_own_can_be_asked_on_one(tmp_path):
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        '{"question": "What happened this week?"}\n{"question": "And today?", "asked_on": "2026-11-24"}\n'
    )
    pinned = evaluation.load_questions(questions, datetime(2025, 7, 22, tzinfo=UTC))
    assert [q.asked_on.date().isoformat() for q in pinned] == ["2025-07-22", "2026-11-24"]
    assert evaluation.load_questions(questions)[0].asked_on is None  # the engine's clock, as before


def test_eval_asked_on_sets_the_day_time_words_are_read_from(tmp_path, seed_index_dir):
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        '{"question": "What did Morgan Stanley say about the H20 chip this week?", "gold_article": "x"}\n'
    )
    args = ["eval", "--json", "--backend", "extractive", str(questions)]
    pinned = invoke_cli(*args[:-1], "--asked-on", "2025-07-22", args[-1], index_dir=seed_index_dir)
    assert pinned.exit_code == 0, pinned.stderr
    assert json.loads(pinned.stdout)["questions"][0]["window"].startswith("this week (2025-07-21")
    bad = invoke_cli(*args[:-1], "--asked-on", "last Tuesday", args[-1], index_dir=seed_index_dir)
    assert bad.exit_code == 2
    assert "--asked-on" in bad.stderr
    assert "Traceback" not in bad.stderr


TIMED_CORPUS = EVAL_DIR / "corpora" / "timed.jsonl"


@pytest.mark.parametrize("split", ["dev", "test"])
def test_time_aware_probes_never_cite_outside_their_window(fresh_library, split):
    """The dated corpus, asked on 2026-11-24: windows filter both search sides, in both stores."""
    library = fresh_library()
    library.ingest([TIMED_CORPUS])
    questions = evaluation.load_questions(EVAL_DIR / split / "timed.jsonl")
    results = evaluation.evaluate(make_engine(library, ExtractiveBackend()), library, questions)
    summary = evaluation.summarize(results)
    assert summary["window_questions"] >= 6
    assert summary["cited_outside_window"] == 0
    assert summary["refusal_accuracy"] == 1.0
    assert summary["hit@3"] == 1.0


def test_time_aware_probes_are_as_promised():
    questions = [q for split in ("dev", "test") for q in evaluation.load_questions(EVAL_DIR / split / "timed.jsonl")]
    assert len(questions) >= 20
    assert all(q.asked_on is not None for q in questions)
    assert sum(q.should_refuse for q in questions) >= 5  # empty windows and windows without the subject
