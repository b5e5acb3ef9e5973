"""Citation checks on hand-made passages: invented markers dropped, wrong ones re-pointed, sources mapped."""

import pytest

from bot.answer.citations import check_citations, invented_markers
from tests.hits import hits

PASSAGES = hits(
    "Morgan Stanley said AI spending by Chinese cloud providers would rise by around 60 per cent this year.",
    "Nvidia needs about nine months from wafer orders to finished H20 chips, the company said.",
)


@pytest.mark.parametrize(
    ("answer", "expected", "cited"),
    [
        # a valid marker stays
        (
            "Morgan Stanley expects AI spending by cloud providers to rise around 60 per cent [1].",
            "Morgan Stanley expects AI spending by cloud providers to rise around 60 per cent [1].",
            [1],
        ),
        # an invented marker is dropped; the passage that plainly supports the sentence is cited instead
        (
            "Morgan Stanley expects AI spending by cloud providers to rise around 60 per cent [7].",
            "Morgan Stanley expects AI spending by cloud providers to rise around 60 per cent [1].",
            [1],
        ),
        # an invented marker on a sentence no passage supports is dropped, and nothing is cited
        (
            "The Federal Reserve will cut interest rates next month [7].",
            "The Federal Reserve will cut interest rates next month.",
            [],
        ),
        # a marker on a passage lacking the sentence's words moves to the passage holding them
        (
            "Nvidia needs nine months from wafer orders to finished H20 chips [1].",
            "Nvidia needs nine months from wafer orders to finished H20 chips [2].",
            [2],
        ),
        # an uncited sentence that a passage plainly supports gets its marker
        (
            "Nvidia needs about nine months from wafer orders to finished chips.",
            "Nvidia needs about nine months from wafer orders to finished chips [2].",
            [2],
        ),
        # a marker written after the full stop joins its sentence
        (
            "Nvidia needs nine months from wafer orders to finished chips. [2]",
            "Nvidia needs nine months from wafer orders to finished chips [2].",
            [2],
        ),
        # a short sentence cannot be judged: its marker is left as written
        ("Yes [1].", "Yes [1].", [1]),
    ],
)
def test_check_citations(answer, expected, cited):
    text, citations = check_citations(answer, PASSAGES)
    assert text == expected
    assert [c.n for c in citations] == cited


def test_a_citation_carries_its_source_and_the_sentence_that_backs_it():
    _, [citation] = check_citations("Nvidia needs about nine months to make H20 chips [2].", PASSAGES)
    assert citation.source == PASSAGES[1].passage.source
    assert citation.quote == PASSAGES[1].passage.text
    assert set(citation.to_dict()) == {
        "n",
        "article_id",
        "title",
        "outlet",
        "published",
        "url",
        "source_path",
        "quote",
        "also_in",
    }


@pytest.mark.parametrize(
    ("answer", "invented"),
    [
        ("Fine [1]. Also [2].", 0),
        ("Wrong [3].", 1),
        ("Both wrong [0, 4]. One right [1].", 2),
        ("No markers at all.", 0),
    ],
)
def test_invented_markers_counts_numbers_outside_the_passages(answer, invented):
    assert invented_markers(answer, passages=2) == invented


def test_markers_never_land_inside_the_models_words():
    answer = "Morgan Stanley said AI spending by Chinese cloud providers would rise, unlike in the U.S. Federal [1]."
    text, citations = check_citations(answer, PASSAGES)
    assert text == answer
    assert [c.n for c in citations] == [1]
