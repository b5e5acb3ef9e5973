"""Reciprocal rank fusion and near-duplicate collapse on hand-made candidates."""

import numpy as np
import pytest

from retrieval.fusion import Candidate, key_term_share, key_terms, normalise_sides, rank_candidates
from retrieval.searcher import SearchConfig
from tests.hits import passage

CONFIG = SearchConfig(dense_share=0.5)


def unit(*values: float) -> np.ndarray:
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def candidate(
    article: str,
    dense: int | None = None,
    lexical: int | None = None,
    vector=None,
    centroid=None,
    text: str | None = None,
    position: int = 0,
) -> Candidate:
    """A candidate whose scores fall with its ranks: cosine 0.9 - 0.01 per place, BM25 10 - 0.5 per place."""
    return Candidate(
        passage(text or f"text of {article}", article_id=article, position=position),
        vector,
        centroid,
        dense,
        0.9 - 0.01 * dense if dense is not None else 0.0,
        lexical,
        10.0 - 0.5 * lexical if lexical is not None else 0.0,
    )


@pytest.mark.parametrize(
    ("scores", "parts"),
    [
        ([2.0, 1.0, 1.0, 0.0], [0.7357, 0.5, 0.5, 0.2643]),  # mean 1, std 0.707: 0..1 over mean ± 3 std
        ([12.0, 3.0], [2 / 3, 1 / 3]),  # BM25 and cosines end on the same scale
        ([0.7], [1.0]),  # one candidate, as LlamaIndex: 1
        ([0.5, 0.5], [1.0, 1.0]),  # all alike
    ],
)
def test_each_side_is_normalised_over_mean_plus_minus_three_std(scores, parts):
    cands = [Candidate(passage("x"), dense_rank=n, dense_score=s) for n, s in enumerate(scores)]
    normalise_sides(cands)
    assert [c.dense_part for c in cands] == pytest.approx(parts, abs=1e-4)
    assert [c.lexical_part for c in cands] == [0.0] * len(cands)  # the side that did not rank them gives 0


@pytest.mark.parametrize(
    ("share", "dense_part", "lexical_part", "fused"),
    [(0.5, 0.8, 0.4, 0.6), (0.7, 0.8, 0.4, 0.68), (0.5, 0.0, 0.9, 0.45)],
)
def test_fused_score_is_a_convex_combination(share, dense_part, lexical_part, fused):
    c = Candidate(passage("x"), dense_part=dense_part, lexical_part=lexical_part)
    assert c.fused(SearchConfig(dense_share=share)) == pytest.approx(fused)


def test_a_side_that_stands_out_is_not_flattened_to_a_rank():
    # BM25 matches a rare name in one passage far above the rest; the dense side barely separates the two
    name = Candidate(
        passage("Kroll", article_id="name"), dense_rank=1, dense_score=0.50, lexical_rank=0, lexical_score=30.0
    )
    topic = Candidate(
        passage("firms", article_id="topic"), dense_rank=0, dense_score=0.52, lexical_rank=1, lexical_score=4.0
    )
    rest = [
        Candidate(passage("x", article_id=f"r{n}", position=n), lexical_rank=2 + n, lexical_score=3.0) for n in range(8)
    ]
    hits = rank_candidates([topic, name, *rest], CONFIG, k=2)
    assert [h.passage.article_id for h in hits] == ["name", "topic"]


def test_both_sides_beat_one_and_ranks_are_numbered_from_one():
    hits = rank_candidates(
        [candidate("a", dense=0), candidate("b", dense=1, lexical=0), candidate("c", lexical=1)], CONFIG, k=3
    )
    assert [(h.rank, h.passage.article_id) for h in hits] == [(1, "b"), (2, "a"), (3, "c")]


@pytest.mark.parametrize(
    ("second_vector", "second_centroid", "collapsed"),
    [
        (unit(1, 0.05, 0), unit(1, 0.01, 0), True),  # same passage, same story: one hit, two sources
        (unit(1, 0.05, 0), unit(0, 1, 0), False),  # similar passage, different story: two hits
        (unit(0, 1, 0), unit(1, 0.01, 0), False),  # same story, different passage: two hits
    ],
)
def test_near_duplicates_from_other_articles_collapse_only_when_passage_and_story_agree(
    second_vector, second_centroid, collapsed
):
    first = candidate("a", dense=0, vector=unit(1, 0, 0), centroid=unit(1, 0, 0))
    second = candidate("b", dense=1, vector=second_vector, centroid=second_centroid)
    hits = rank_candidates([first, second], CONFIG, k=5)
    assert (len(hits), [p.article_id for p in hits[0].also_in]) == ((1, ["b"]) if collapsed else (2, []))


def test_passages_of_the_same_article_never_collapse():
    same = [candidate("a", dense=n, vector=unit(1, 0, 0), centroid=unit(1, 0, 0), position=n) for n in range(2)]
    assert len(rank_candidates(same, CONFIG, k=5)) == 2


def test_without_vectors_only_identical_text_collapses():
    twins = [
        candidate("a", dense=0, text="same words"),
        candidate("b", dense=1, text="same words"),
        candidate("c", dense=2, text="other words"),
    ]
    hits = rank_candidates(twins, CONFIG, k=5)
    assert [(h.passage.article_id, [p.article_id for p in h.also_in]) for h in hits] == [("a", ["b"]), ("c", [])]


def test_collapsed_twins_do_not_use_up_the_k_slots():
    cands = [candidate("a", dense=0, text="twin"), candidate("b", dense=1, text="twin"), candidate("c", dense=2)]
    assert [h.passage.article_id for h in rank_candidates(cands, CONFIG, k=2)] == ["a", "c"]


@pytest.mark.parametrize(
    ("query", "keys"),
    [
        ("What was revenue in Q1 2021?", {"q1", "2021"}),
        ("Is the carmaker cutting 2,000 jobs?", {"2000"}),
        ("Nvidia's H20 return", {"h20"}),
        ("What did Morgan Stanley say?", set()),  # names are the lexical side's job; figures are boosted
    ],
)
def test_key_terms_are_the_querys_figures(query, keys):
    assert key_terms(query) == keys


def test_a_figure_in_the_query_separates_otherwise_identical_snippets():
    # the dense side ranks the wrong year first (it barely sees numbers); both sides otherwise tie
    wrong = candidate("a", dense=0, lexical=1, text="Acme revenue in Q2 2020 rose to 2,000 units.")
    right = candidate("b", dense=1, lexical=0, text="Acme revenue in Q1 2021 rose to 2,000 units.")
    assert [h.passage.article_id for h in rank_candidates([wrong, right], CONFIG, 2)] == ["a", "b"]
    ranked = rank_candidates([wrong, right], CONFIG, 2, "Acme revenue in Q1 2021?")
    assert [h.passage.article_id for h in ranked] == ["b", "a"]
    assert key_term_share(frozenset({"2000"}), "2,000 units") == 1.0


def test_a_figure_in_the_query_does_not_lift_a_passage_from_far_down():
    # "Why did the ECB leave its key rate at 4%?": the question's figure may be wrong; the story both sides
    # rank first stays first over a passage twenty places down that happens to hold "4%"
    story = candidate("story", dense=0, lexical=0, text="The ECB left its key rate at 2% again.")
    holder = candidate("holder", dense=20, lexical=20, text="Inflation in the region stayed at 4%.")
    ranked = rank_candidates([holder, story], CONFIG, 2, "Why did the ECB leave its key rate at 4%?")
    assert [h.passage.article_id for h in ranked] == ["story", "holder"]
