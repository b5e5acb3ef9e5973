"""Whose words a quote is: quoted words a claim gives to someone its passage does not have saying them."""

import pytest

from bot.answer import facts as f
from bot.answer.claims import Evidence, problems
from bot.answer.whose_words import words_of_another

PPI = (
    '"The concern is that traders might interpret this big jump in the core PPI," said Paul Cherney, chief market'
    " analyst at Standard & Poor's. But Ian Shepherdson, chief US economist at High Frequency Economics, said the"
    ' PPI report was "much less alarming" than at first glance.'
    ' "It is a good bet these increases won\'t stick," he said.'
)
AGREED = 'Mr Cherney agreed with Ian Shepherdson, who said the report was "much less alarming".'
UNNAMED = 'The plan was branded "a humiliating retreat" in the Commons.'


@pytest.mark.parametrize(
    ("claim", "passage", "problems_found"),
    [
        # the quote is another speaker's, in the sentence after the claimed speaker's own
        (
            'Paul Cherney said the PPI report was "much less alarming" than at first glance.',
            PPI,
            ["quote of another: much less alarming"],
        ),
        ('Ian Shepherdson said the PPI report was "much less alarming".', PPI, []),
        # a quote whose sentence names no speaker ("… ," he said) is said by the speaker of the sentence before
        ('Shepherdson said it "is a good bet these increases won\'t stick".', PPI, []),
        (
            'Paul Cherney said it "is a good bet these increases won\'t stick".',
            PPI,
            ["quote of another: is a good bet these increases won't stick"],
        ),
        # the claimed speaker named in the quote's sentence may be agreeing: left to the other checks
        ('Cherney said the report was "much less alarming".', AGREED, []),
        # nobody named says it: it may be anyone's
        ('Tessa Jowell said the plan was "a humiliating retreat".', UNNAMED, []),
        # quoted words the passage lacks, or no speaker at all: not this check's to judge
        ('Paul Cherney said the report was "deeply worrying".', PPI, []),
        # a one-word quote is a word, not a quote: what was said is judged whole, as without quotation marks
        ('Paul Cherney said the report was "alarming".', PPI, ["words of another"]),
        ('The PPI report was "much less alarming" than at first glance.', PPI, []),
    ],
)
def test_words_of_another(claim, passage, problems_found):
    assert words_of_another(claim, f.speakers_in(claim), [passage]) == problems_found


def test_the_claim_checks_drop_a_quote_given_to_another_speaker():
    evidence = [Evidence(PPI, None, body=PPI)]
    claim = 'Paul Cherney said the PPI report was "much less alarming" than at first glance.'
    assert "quote of another: much less alarming" in problems(claim, evidence)
    assert problems(claim.replace("Paul Cherney", "Ian Shepherdson"), evidence) == []


@pytest.mark.parametrize(
    ("claim", "passage", "problems_found"),
    [
        # without quotation marks: the sentence holding what was said is another speaker's
        ("Paul Cherney said the PPI report was much less alarming than at first glance.", PPI, ["words of another"]),
        ("Ian Shepherdson said the PPI report was much less alarming than at first glance.", PPI, []),
        # the run-on sentence ("… ," he said) is the speaker's before it
        ("Paul Cherney said it is a good bet these increases won't stick.", PPI, ["words of another"]),
        ("Shepherdson said it is a good bet these increases won't stick.", PPI, []),
        # no sentence holds enough of it to be its source: left to the support and speaker checks
        ("Paul Cherney said traders were nervous about the Fed.", PPI, []),
        # nobody named says the sentence, or the claimed speaker is named in it
        ("Tessa Jowell said the plan was a humiliating retreat.", UNNAMED, []),
        ("Cherney said the report was much less alarming.", AGREED, []),
    ],
)
def test_words_of_another_without_quotation_marks(claim, passage, problems_found):
    assert words_of_another(claim, f.speakers_in(claim), [passage]) == problems_found
