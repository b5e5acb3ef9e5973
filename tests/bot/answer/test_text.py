"""Sentence splitting, content words and marker placement: the text rules citation checks stand on."""

import pytest

from bot.answer.text import append_marker, content_terms, split_sentences


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("One. Two.", ["One.", "Two."]),
        ("Rates rose [1]. Shares fell [2].", ["Rates rose [1].", "Shares fell [2]."]),
        ("It rose. [1] Then it fell.", ["It rose. [1]", "Then it fell."]),
        ("First line\nSecond line", ["First line", "Second line"]),
        ("It cost 4.5 billion. Then more.", ["It cost 4.5 billion.", "Then more."]),
        ("", []),
        # abbreviations and decimals do not end a sentence (a naive splitter put "[1]" inside "U.S.")
        (
            "He said the U.S. Federal Reserve's decision mattered [1]. Shares rose 4.5 per cent [2].",
            ["He said the U.S. Federal Reserve's decision mattered [1].", "Shares rose 4.5 per cent [2]."],
        ),
        (
            "Mr. Zheng said China lags the U.S. in chips. Dr. Smith disagreed.",
            ["Mr. Zheng said China lags the U.S. in chips.", "Dr. Smith disagreed."],
        ),
        ("Apple Inc. said so [1]. Then what?", ["Apple Inc. said so [1].", "Then what?"]),
        # a title ending "?" or "!" does not end the sentence it stands in; a question does
        ("Are We There Yet? took $17m [1]. It fell.", ["Are We There Yet? took $17m [1].", "It fell."]),
        ("The comedy Are We There Yet?, slipped to second.", ["The comedy Are We There Yet?, slipped to second."]),
        ("Did it rise? Yes [1].", ["Did it rise?", "Yes [1]."]),
        ("Sales rose [1]. iPod sales fell [2].", ["Sales rose [1].", "iPod sales fell [2]."]),
    ],
)
def test_split_sentences_keeps_markers_with_their_sentence(text, sentences):
    assert split_sentences(text) == sentences


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("What did Morgan Stanley say about the chips?", {"morgan", "stanley", "chip"}),
        ("Shares rose 15% in 5 days", {"share", "rose", "15", "day"}),  # one-character words carry too little
        ("a I the of", set()),
    ],
)
def test_content_terms_are_stemmed_meaningful_words(text, terms):
    assert content_terms(text) == terms


@pytest.mark.parametrize(
    ("sentence", "n", "marked"),
    [
        ("Rates rose.", 1, "Rates rose [1]."),
        ("Did rates rise?", 2, "Did rates rise [2]?"),
        ("Rates rose", 3, "Rates rose [3]"),
        ("Rates rose [1].", 2, "Rates rose [1] [2]."),
    ],
)
def test_append_marker_goes_before_the_final_stop(sentence, n, marked):
    assert append_marker(sentence, n) == marked
