"""What the CLI prints from articles or the model is literal text: no rich markup, hyperlinks or escape codes."""

import io

import pytest
from rich.console import Console

from bot.answer.citations import Citation
from bot.answer.engine import Answer
from bot.terminal.render import answer_renderable
from bot.terminal.safe import markup_safe, plain
from retrieval.sources import Source
from tests.conftest import invoke_cli

HOSTILE_TITLE = "Rates [/bold] held [link=http://evil.example]click here[/link]"
HOSTILE_TEXT = (
    "The central bank held rates. \x1b[31mRED\x1b[0m \x1b]8;;http://evil.example\x07hidden link\x1b]8;;\x07 done."
)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain words", "plain words"),
        ("\x1b[31mred\x1b[0m", "red"),
        ("\x1b]8;;http://evil.example\x07link\x1b]8;;\x07", "link"),
        ("bell\x07 and backspace\x08", "bell and backspace"),
        ("tab\tand\nnewline", "tab\tand\nnewline"),
        ("c1 \x9b control", "c1  control"),
    ],
)
def test_plain_strips_escape_sequences_and_controls(text, shown):
    assert plain(text) == shown


def test_markup_safe_keeps_brackets_literal():
    console = Console(file=io.StringIO(), width=200)
    console.print(markup_safe(HOSTILE_TITLE))
    assert console.file.getvalue().strip() == HOSTILE_TITLE


def test_search_prints_hostile_titles_and_text_literally(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(f"{HOSTILE_TITLE}\n{HOSTILE_TEXT}")
    assert invoke_cli("ingest", str(corpus), index_dir=tmp_path / "index").exit_code == 0
    result = invoke_cli("search", "central bank rates", index_dir=tmp_path / "index")
    assert result.exit_code == 0, result.stderr
    assert HOSTILE_TITLE in result.stdout
    assert "\x1b" not in result.stdout
    assert "hidden link" in result.stdout


def test_an_answer_never_hides_a_link_behind_words():
    answer = Answer(
        "q?",
        "See [the official notice](http://evil.example/phish) [1].",
        False,
        [Citation(1, Source("a", HOSTILE_TITLE, source_path="a.txt"), "q")],
        "test",
    )
    console = Console(file=io.StringIO(), force_terminal=True, color_system="truecolor", width=200)
    console.print(answer_renderable(answer))
    out = console.file.getvalue()
    assert "\x1b]8;" not in out  # no OSC 8 terminal hyperlink
    assert "http://evil.example/phish" in out  # the target is shown
    assert "[/bold]" in out  # the title's markup is text
