"""Citation checks on hand-made passages: invented markers dropped, wrong ones re-pointed, sources mapped."""

import pytest

from bot.answer.citations import SentenceStream, check_citations, invented_markers
from retrieval.searcher import Hit
from tests.hits import hits, passage

PASSAGES = hits(
    "Morgan Stanley, the U.S. investment bank, said AI spending by Chinese cloud providers would rise by around"
    " 60 per cent this year.",
    "Nvidia needs about nine months from wafer orders to finished H20 chips, the company said.",
    "Sir Anthony Meyer, the Tory backbencher, has died. He was 84, and had been ill for many months.",
    "Beijing confirmed on Monday that a Wells Fargo employee was barred from leaving China.",
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
        # a sentence no passage supports is dropped, marker and all
        ("The Federal Reserve will cut interest rates next month [7].", "", []),
        # a marker on a passage lacking the sentence's words moves to the passage holding them; numbered [1]
        # because it is the first the reader meets
        (
            "Nvidia needs nine months from wafer orders to finished H20 chips [1].",
            "Nvidia needs nine months from wafer orders to finished H20 chips [1].",
            [2],
        ),
        # an uncited sentence that a passage plainly supports gets its marker
        (
            "Nvidia needs about nine months from wafer orders to finished chips.",
            "Nvidia needs about nine months from wafer orders to finished chips [1].",
            [2],
        ),
        # an uncited sentence no passage backs is dropped, though another sentence is cited
        (
            "Nvidia needs nine months from wafer orders to finished chips [2]. Investors should sell Alibaba now.",
            "Nvidia needs nine months from wafer orders to finished chips [1].",
            [2],
        ),
        # a cited sentence with an invented name loses its citation and is dropped
        (
            "Morgan Stanley recommended investors sell Alibaba shares immediately [1].",
            "",
            [],
        ),
        # wrong figure, wrong speaker, wrong month: each dropped though the rest of the sentence matches
        ("Morgan Stanley said AI spending by Chinese cloud providers would rise by 85 per cent [1].", "", []),
        ("Goldman Sachs said AI spending by Chinese cloud providers would rise by 60 per cent [1].", "", []),
        ("Goldman's analysts said AI spending by Chinese cloud providers would rise by 60 per cent [1].", "", []),
        # "confirmed" says who stated it, as "said" does: the passage has Beijing confirming, not Wells Fargo
        ("Wells Fargo confirmed that its employee was barred from leaving China [4].", "", []),
        (
            "Beijing confirmed that a Wells Fargo employee was barred from leaving China [4].",
            "Beijing confirmed that a Wells Fargo employee was barred from leaving China [1].",
            [4],
        ),
        (  # a common word opening the sentence is no name: the passage has it in lower case
            "Spending by Chinese cloud providers would rise by around 60 per cent [1].",
            "Spending by Chinese cloud providers would rise by around 60 per cent [1].",
            [1],
        ),
        ("Morgan Stanley said AI spending by Chinese cloud providers would rise by 60 billion [1].", "", []),
        # a bare figure in the passage ("He was 84") backs it with the unit an age takes
        (
            "Sir Anthony Meyer was 84 years old when he died [3].",
            "Sir Anthony Meyer was 84 years old when he died [1].",
            [3],
        ),
        ("Nvidia needs about nine weeks from wafer orders to finished H20 chips [2].", "", []),  # months, not weeks
        # a figure given as a limit is backed by a value inside it, and only by one
        (
            "Nvidia needs under a year, less than 12 months, from wafer orders to finished chips [2].",
            "Nvidia needs under a year, less than 12 months, from wafer orders to finished chips [1].",
            [2],
        ),
        ("Nvidia needs less than 6 months from wafer orders to finished H20 chips [2].", "", []),
        # a figure written differently is the same figure; a correction ("not 85") is not a claim
        (
            "Nvidia needs 9 months from wafer orders to finished chips [2].",
            "Nvidia needs 9 months from wafer orders to finished chips [1].",
            [2],
        ),
        (
            "AI spending by Chinese cloud providers will rise by around 60%, not 85 per cent [1].",
            "AI spending by Chinese cloud providers will rise by around 60%, not 85 per cent [1].",
            [1],
        ),
        # a number word opening a sentence is a figure, not a name
        (
            "Nine months pass between wafer orders and finished H20 chips [2].",
            "Nine months pass between wafer orders and finished H20 chips [1].",
            [2],
        ),
        # markers renumbered by first appearance, sources listed in that order
        (
            "Nvidia needs nine months to make H20 chips [2]. Cloud providers' AI spending will rise 60 per cent [1].",
            "Nvidia needs nine months to make H20 chips [1]. Cloud providers' AI spending will rise 60 per cent [2].",
            [2, 1],
        ),
        # a marker written after the full stop joins its sentence
        (
            "Nvidia needs nine months from wafer orders to finished chips. [2]",
            "Nvidia needs nine months from wafer orders to finished chips [1].",
            [2],
        ),
        # a short sentence cannot be judged by its words: its marker is left as written; uncited, it goes
        ("Yes [1].", "Yes [1].", [1]),
        (
            "Yes. Nvidia needs nine months to make H20 chips [2].",
            "Nvidia needs nine months to make H20 chips [1].",
            [2],
        ),
    ],
)
def test_check_citations(answer, expected, cited):
    checked = check_citations(answer, PASSAGES)
    assert checked.text == expected
    assert [
        PASSAGES.index(next(h for h in PASSAGES if h.passage.source == c.source)) + 1 for c in checked.citations
    ] == cited
    assert [c.n for c in checked.citations] == list(range(1, len(cited) + 1))


FACT = "Nvidia needs nine months to make H20 chips"


@pytest.mark.parametrize(
    ("answer", "expected", "pointers"),
    [
        # a sentence that only says where a fact is, is not shown; the fact it follows is
        (f"{FACT} [2]. This is stated in passage [2].", f"{FACT} [1].", 1),
        (f"{FACT} [2]. This is based on the passage from [2].", f"{FACT} [1].", 1),
        (f"{FACT} [2]. This information is found in passage 2.", f"{FACT} [1].", 1),
        ("This is cited in passage [1].", "", 1),
        ("This can be found in passage [1].", "", 1),  # modal verbs, ordinals and "you" say no more
        (f"{FACT} [2]. You can read this in the second passage [2].", f"{FACT} [1].", 1),
        ("NOT_IN_ARTICLES", "", 0),  # the model's refusal is dropped as uncited, not as a pointer
        # a fact told with a pointer to where it is stays: the pointer is the model's words, the fact is backed
        (f"{FACT}, as stated in passage [2].", f"{FACT}, as stated in passage [1].", 0),
        (f"According to the passage, {FACT} [2].", f"According to the passage, {FACT} [1].", 0),
        (f"{FACT} [2]. The chips come from Nvidia [2].", f"{FACT} [1]. The chips come from Nvidia [1].", 0),
    ],
)
def test_a_sentence_only_pointing_at_a_source_is_not_shown(answer, expected, pointers):
    checked = check_citations(answer, PASSAGES)
    assert checked.text == expected
    assert sum(why == ["says only where it comes from"] for _, why in checked.dropped) == pointers


MEYER = "Sir Anthony Meyer, the Tory backbencher, has died"


@pytest.mark.parametrize(
    ("answer", "expected", "repeats"),
    [
        # a model caught in a loop: the sentence is shown once
        (f"{MEYER} [3]. {MEYER} [3]. {MEYER} [3].", f"{MEYER} [1].", 2),
        # a shorter sentence whose every word the answer already said
        (f"{MEYER} [3]. Meyer has died [3].", f"{MEYER} [1].", 1),
        # a sentence that adds a word is news; one too short to judge ("Yes.") stays
        (f"{MEYER} [3]. Meyer was 84 [3].", f"{MEYER} [1]. Meyer was 84 [1].", 0),
        (f"Yes [3]. {MEYER} [3].", f"Yes [1]. {MEYER} [1].", 0),
    ],
)
def test_a_sentence_repeating_the_answer_is_not_shown_again(answer, expected, repeats):
    checked = check_citations(answer, PASSAGES)
    assert checked.text == expected
    assert sum(why == ["says nothing an earlier sentence did not"] for _, why in checked.dropped) == repeats


def test_dropped_sentences_say_why():
    checked = check_citations("Goldman Sachs said AI spending would rise by 85 per cent [1].", PASSAGES)
    [(sentence, why)] = checked.dropped
    assert sentence.startswith("Goldman Sachs")
    assert {"number 85", "name Goldman", "speaker Goldman Sachs"} <= set(why)


def test_a_citation_carries_its_source_and_the_sentence_that_backs_it():
    [citation] = check_citations("Nvidia needs about nine months to make H20 chips [2].", PASSAGES).citations
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
        "published_at",
        "date_precision",
        "date_source",
        "captured_at",
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
    answer = "The U.S. investment bank said AI spending by Chinese cloud providers would rise [1]."
    checked = check_citations(answer, PASSAGES)
    assert checked.text == answer
    assert [c.n for c in checked.citations] == [1]


@pytest.mark.parametrize(
    ("pieces", "emitted"),
    [
        # a sentence is out once words of the next arrive; the last comes out at close
        (
            ["Nvidia needs nine", " months [2]. It", " is fast [1]."],
            [["Nvidia needs nine months [2]."], ["It is fast [1]."]],
        ),
        # a marker written after the full stop waits for the next words and stays with its sentence
        (["It rose. ", "[1", "] Then", " it fell [2]."], [["It rose [1]."], ["Then it fell [2]."]]),
        # "U.S." does not end a sentence
        (["The U.S. ", "bank said so [1]. Next [2]."], [["The U.S. bank said so [1]."], ["Next [2]."]]),
    ],
)
def test_sentence_stream_lets_out_whole_sentences(pieces, emitted):
    stream = SentenceStream()
    fed = [s for piece in pieces for s in stream.feed(piece)]
    assert [fed, stream.close()] == emitted


def test_a_story_told_twice_lists_the_other_article_once():
    from retrieval.passages import Passage
    from retrieval.searcher import Hit
    from retrieval.sources import Source

    own, other = Source("a", "DeepSeek success"), Source("b", "DeepSeek celebrated")
    hit = Hit(1, 1.0, Passage("p1", own, "DeepSeek released two models.", 0), 0.6, 1.0)
    hit.also_in = [Passage(f"q{n}", other, f"DeepSeek released two models {n}.", n) for n in range(3)]
    hit.also_in.append(Passage("p2", own, "DeepSeek released two models again.", 1))
    [citation] = check_citations("DeepSeek released two models [1].", [hit]).citations
    assert citation.also_in == [other]


def test_a_citation_is_backed_by_its_articles_other_retrieved_passages_too():
    article = [
        Hit(
            1,
            1.0,
            passage("Healey, who won 51 caps prior to the 2003 World Cup, is in form.", article_id="a1"),
            0.5,
            1.0,
        ),
        Hit(2, 0.9, passage("The 2003 World Cup final went to extra time.", article_id="a2"), 0.5, 1.0),
        Hit(
            3,
            0.8,
            passage("Leicester wing Austin Healey hopes for an England recall.", article_id="a1", position=1),
            0.5,
            1.0,
        ),
    ]
    kept = check_citations("Austin Healey won 51 caps before the 2003 World Cup [1].", article)
    assert kept.text == "Austin Healey won 51 caps before the 2003 World Cup [1]."
    assert kept.citations[0].source.article_id == "a1"
    assert "51 caps" in kept.citations[0].quote  # the article's passage holding the claim is the one quoted
    other = check_citations("Austin Healey won 51 caps before the 2003 World Cup [2].", article[:2])
    assert other.text == ""  # another article's passage does not lend the name
    uncited = check_citations("Austin Healey won 51 caps before the 2003 World Cup.", article)
    assert uncited.text == "Austin Healey won 51 caps before the 2003 World Cup [1]."  # the article backs it
    assert "51 caps" in uncited.citations[0].quote
    assert check_citations("Austin Healey won 51 caps before the 2003 World Cup.", article[:2]).text == ""


def test_what_a_speaker_said_must_stand_on_its_own_words():
    stories = hits(
        "Former Olympic champion Michael Johnson has accused Britain's top sprinters of lacking pride and ambition.",
        "World 100m champion Kim Collins says British sprinters should welcome Dwain Chambers back, Kim Collins said.",
    )
    # the second passage has Kim Collins speaking about British sprinters, but not saying they lack pride
    assert check_citations("Kim Collins said British sprinters lack pride and ambition [2].", stories).text == ""
    kept = check_citations("Kim Collins said British sprinters should welcome Chambers back [2].", stories)
    assert kept.text == "Kim Collins said British sprinters should welcome Chambers back [1]."


LISTING = "Sarah Lancashire and Timothy Spall will star in the real-life drama Cherished, on BBC One this winter."
FIRM_SPEAKS = "Carnival's Aurora problems will cut its 2005 earnings by five cents a share, the firm said."
QUOTE = '"Even Denzel (Washington), he\'s getting $20m a movie," Spike Lee told students at Morehouse College.'


@pytest.mark.parametrize(
    ("answer", "passage", "kept"),
    [
        # nobody speaks in a listing: it backs no one's words
        ("Sarah Lancashire said she will star in the drama Cherished [1].", LISTING, False),
        ("Sarah Lancashire will star in the real-life drama Cherished [1].", LISTING, True),
        # someone speaks, though not by name ("the firm said"): the sentence may name the firm
        ("Carnival said the Aurora problems would cut its 2005 earnings by five cents [1].", FIRM_SPEAKS, True),
        # a quote is speech; figures count by value ("$20 million" is "$20m"), and "Yes" is no claim
        ("Yes, Spike Lee said Denzel Washington earns $20 million a movie [1].", QUOTE, True),
        ("Spike Lee said Denzel Washington gets $30 million a movie [1].", QUOTE, False),  # the figure still counts
        ("Yes, Spike Lee said Denzel Washington earns less than his directors [1].", QUOTE, False),
    ],
)
def test_who_spoke_and_figures_by_value(answer, passage, kept):
    assert bool(check_citations(answer, hits(passage)).text) == kept


BANKS = "Barclays, the UK's third-biggest bank, made £4.6bn."
OIL = "Oil prices have dropped 12% in two days."


@pytest.mark.parametrize(
    ("answer", "passage", "kept"),
    [
        ("Barclays, the UK's third-biggest bank, made £4.6bn [1].", BANKS, True),
        ("Barclays, the UK's second-biggest bank, made £4.6bn [1].", BANKS, False),  # another place
        ("Barclays, the UK's 3rd biggest bank, made £4.6bn [1].", BANKS, True),  # the same place in digits
        ("Oil prices dropped 12% on a second day of falls [1].", OIL, True),  # its count: "in two days"
        ("Oil prices dropped 12% on a third day of falls [1].", OIL, False),
    ],
)
def test_a_place_in_an_order_must_be_the_passages(answer, passage, kept):
    assert bool(check_citations(answer, hits(passage)).text) == kept


def test_a_date_is_checked_whole_not_as_a_month_and_a_number():
    rates = [
        Hit(
            1,
            1.0,
            passage(
                "The bank cut its main rate to 4.25 per cent on Friday. Lenders will pass the cut on from November.",
                published="2026-10-16T12:00:00Z",
            ),
            0.5,
            1.0,
        )
    ]
    # November, 16 and 2026 are each in the article (its text and its date), but not as one date
    assert check_citations("The cut was announced on November 16, 2026 [1].", rates).text == ""
    kept = check_citations("The bank cut its main rate to 4.25 per cent on October 16, 2026 [1].", rates)
    assert kept.text == "The bank cut its main rate to 4.25 per cent on October 16, 2026 [1]."


JOBLESS = "German unemployment rose 7,000 in November to 4.464 million people, or 10.8% of the workforce."


@pytest.mark.parametrize(
    ("answer", "kept"),
    [
        ("German unemployment fell by 7,000 in November [1].", False),  # the passage says it rose
        ("German unemployment rose by 7,000 in November, to 4.464 million people [1].", True),
        ("German unemployment reached 4.464 million people in November [1].", True),  # no change stated
    ],
)
def test_a_figure_said_to_fall_where_the_passage_has_it_rise_is_dropped(answer, kept):
    assert bool(check_citations(answer, hits(JOBLESS)).text) == kept


def test_a_figure_the_passage_gives_another_subject_is_dropped():
    shark_tale = hits(
        "Oscar-nominated animation Shark Tale has raked in $80m in the first week of its US DVD release."
        " The tally soared past the film's opening week box office takings."
        " The all-time first-week record is held by Lion King followed by Shrek 2 and Finding Nemo."
    )
    checked = check_citations("Finding Nemo made $80 million in its first week on DVD [1].", shark_tale)
    assert checked.text == ""
    [(_, why)] = checked.dropped
    assert "figure 80 of another" in why
    assert check_citations("Shark Tale made $80m in its first week on DVD [1].", shark_tale).text


KOREA = (
    "South Korea will boost state spending next year in an effort to create jobs and kick start its economy.",
    "South Korea looks set to see consumer spending rise next year, creating jobs, as state support helps.",
)


@pytest.mark.parametrize(
    ("marker", "why"),
    [
        (" [1]", ["opposite of boost"]),  # its own passage contradicts it: not moved to another
        ("", ["no citation", "opposite of boost"]),  # uncited, the passages together contradict it: not cited
    ],
)
def test_a_sentence_the_passages_contradict_is_not_re_pointed(marker, why):
    claim = f"South Korea is cutting state spending next year to create jobs and kick start its economy{marker}."
    checked = check_citations(claim, hits(*KOREA))
    assert checked.text == ""
    assert [reason for _, reason in checked.dropped] == [why]
    # without the contradiction the same sentence finds its way to the passage that holds its words
    assert check_citations(claim.replace("cutting", "boosting"), hits(*KOREA)).text
