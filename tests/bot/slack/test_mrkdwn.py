"""Slack mrkdwn: escaping, the model's Markdown, source lines, splitting to Slack's limits."""

import pytest

from bot.answer.citations import Citation
from bot.slack.mrkdwn import escape, inert_markdown, source_mrkdwn, split_text, to_mrkdwn
from retrieval.sources import Source


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("a < b & c > d", "a &lt; b &amp; c &gt; d"),
        ("<!channel>", "&lt;!channel&gt;"),
        ("plain", "plain"),
    ],
)
def test_escape(text, escaped):
    assert escape(text) == escaped


@pytest.mark.parametrize(
    ("markdown", "mrkdwn"),
    [
        ("**bold** words", "*bold* words"),
        ("## Heading", "*Heading*"),
        # a model's or an article's link never hides its target: words, then the target as inert text
        ("see [the report](https://example.org/r)", "see the report (https://example.org/r)"),
        ("see [x](javascript:alert(1))", "see x (javascript:alert(1))"),
        (
            "<http://evil.example/phish|the official announcement>",
            "&lt;http://evil.example/phish|the official announcement&gt;",
        ),
        ("<!channel> <!here> <@U123> urgent", "&lt;!channel&gt; &lt;!here&gt; &lt;@U123&gt; urgent"),
        ("5 < 6", "5 &lt; 6"),
    ],
)
def test_to_mrkdwn(markdown, mrkdwn):
    assert to_mrkdwn(markdown) == mrkdwn


@pytest.mark.parametrize(
    ("source", "also", "line"),
    [
        (
            Source("a", "Rates <held>", "BBC", "2005-01-02", "https://bbc.example/1", "b/1.txt"),
            [],
            "[1] <https://bbc.example/1|Rates &lt;held&gt;> — BBC, 2005-01-02",
        ),
        (Source("a", "Rates held", "", "", "", "business/042.txt"), [], "[1] Rates held (business/042.txt)"),
        (
            Source(
                "a", "Rates", "BBC", "", "http://evil.example|BBC News> <!channel> URGENT <http://evil.example", "f.txt"
            ),
            [],
            "[1] Rates — BBC (f.txt)",
        ),
        (Source("a", "Rates", "", "", "javascript:alert(1)", "f.txt"), [], "[1] Rates (f.txt)"),
        (
            Source("a", "Rates", "", "", "https://x.example/a?b=1&c=2", "f.txt"),
            [],
            "[1] <https://x.example/a?b=1&amp;c=2|Rates>",
        ),
        (
            Source("a", "Rates held", "BBC", "", "", "b/1.txt"),
            [Source("b", "Rates kept", source_path="b/2.txt")],
            "[1] Rates held — BBC (b/1.txt); also in Rates kept",
        ),
    ],
)
def test_source_line(source, also, line):
    """Only a plain http(s) URL of the cited source becomes a link."""
    assert source_mrkdwn(Citation(1, source, "quote", also)) == line


@pytest.mark.parametrize(
    ("text", "limit", "pieces"),
    [
        ("short", 10, ["short"]),
        ("", 10, [""]),
        ("One two. Three four.", 12, ["One two.", "Three four."]),
        ("para one\npara two", 12, ["para one", "para two"]),
        ("aaaaaaaaaaaaaaaaaaaa", 8, ["aaaaaaaa", "aaaaaaaa", "aaaa"]),
    ],
)
def test_split_text_cuts_at_the_best_boundary_under_the_limit(text, limit, pieces):
    assert split_text(text, limit) == pieces
    assert all(len(p) <= limit for p in pieces)


@pytest.mark.parametrize(
    ("model_text", "streamed"),
    [
        ("<@U123> and <!channel>", "&lt;@U123&gt; and &lt;!channel&gt;"),  # no mention survives
        ("[click](http://x.io/a)", "click (`http://x.io/a`)"),  # a link shows its target, as code
        ("see www.bad.org, now", "see `www.bad.org`, now"),  # a bare domain cannot become a link
        ("The U.S. rose 4.5% [1].", "The U.S. rose 4.5% [1]."),  # ordinary text is untouched
    ],
)
def test_streamed_text_is_inert(model_text, streamed):
    assert inert_markdown(model_text) == streamed
