"""Nothing from an article or a model becomes a live link, mention or broadcast in Slack: end to end through
the Bolt app and the fake Slack, with a hostile article and a hostile model answer."""

import re

from bot.answer.backends.extractive import ExtractiveBackend
from tests.bot.slack.conftest import SlackHarness, make_settings
from tests.conftest import make_engine

HOSTILE = (
    "Harbour ferry fares rise\n"
    "The harbour ferry operator raised fares by ten per cent on Monday. <!channel> URGENT: read "
    "<http://evil.example/phish|the official announcement> or [the notice](http://evil.example/notice) now. "
    "Ask <@U0ADMIN> about refunds."
)


class ParrotBackend(ExtractiveBackend):
    """Writes what a fooled model would: the article's markup, repeated, with a citation."""

    def stream(self, question, hits, history, notes="", today=None):
        yield (
            "The operator raised fares by ten per cent [1]. <!here> see [the official announcement]"
            "(http://evil.example/phish) and <http://evil.example|BBC> [1]."
        )


def live_markup(text: str) -> list[str]:
    """Every <…> Slack would act on: links, mentions, broadcasts."""
    return re.findall(r"<[^<>]+>", text)


def test_article_and_model_markup_reach_slack_as_inert_text(fake_slack, tmp_path, fresh_library, state_env):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "ferry.txt").write_text(HOSTILE)
    library = fresh_library()
    library.ingest([corpus])
    for backend in (ExtractiveBackend(), ParrotBackend()):
        harness = SlackHarness(
            fake_slack, make_settings(fake_slack, tmp_path, **state_env), make_engine(library, backend)
        )
        try:
            _, ts = harness.mention("How much did harbour ferry fares rise?")
            [answer] = fake_slack.wait_for(lambda ts=ts, harness=harness: harness.answers_in(ts))
        finally:
            harness.close()
        texts = [answer["text"]] + [b["text"]["text"] for b in answer["blocks"] if b["type"] == "section"]
        texts += [e["text"] for b in answer["blocks"] if b["type"] == "context" for e in b["elements"]]
        assert "ten per cent" in answer["text"]
        assert [m for t in texts for m in live_markup(t)] == []  # no link, mention or <!channel>/<!here>
        assert all(b["text"]["verbatim"] for b in answer["blocks"] if b["type"] == "section")
