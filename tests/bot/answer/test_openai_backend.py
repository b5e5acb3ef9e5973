"""The OpenAI-compatible backend against a loopback fake server: streaming, condensing, failures."""

import pytest

from bot.answer.prompting import Turn
from bot.errors import BackendError, SettingsError
from bot.factory import build_engine
from bot.settings import load_settings
from fakes.openai_server import FakeOpenAI
from tests.conftest import H20_QUESTION, H20_TITLE

CITED = "Morgan Stanley said the return of the H20 removes a key near-term headwind for China's AI development [1]."


def settings_for(index_dir, base_url, timeout="10"):
    return load_settings(
        {
            "NEWSBOT_LLM": "openai",
            "NEWSBOT_LLM_BASE_URL": base_url,
            "NEWSBOT_LLM_API_KEY": "sk-test",
            "NEWSBOT_LLM_MODEL": "qwen-test",
            "NEWSBOT_INDEX_DIR": str(index_dir),
            "NEWSBOT_LLM_TIMEOUT": timeout,
        },
        dotenv_path=None,
    )


def test_streamed_answer_is_cited_and_mapped(seed_index_dir, seed_library):
    with FakeOpenAI(lambda body: CITED) as server:
        settings = settings_for(seed_index_dir, server.base_url)
        tokens = []
        answer = build_engine(settings, seed_library).ask(H20_QUESTION, on_token=tokens.append)
    assert len(tokens) > 5
    assert "".join(tokens) == CITED
    assert answer.backend == "openai"
    assert not answer.refused
    assert [c.source.title for c in answer.citations] == [H20_TITLE]
    request = server.requests[0]
    assert request["auth"] == "Bearer sk-test"
    assert request["body"]["model"] == "qwen-test"
    assert request["body"]["stream"] is True
    roles = [m["role"] for m in request["body"]["messages"]]
    assert roles == ["system", "user"]
    assert '<passage number="1"' in request["body"]["messages"][1]["content"]


def test_follow_up_is_condensed_by_the_model_before_retrieval(seed_index_dir, seed_library):
    def reply(body):
        if not body.get("stream"):
            return "How long does Nvidia take to produce H20 chips?"
        return "It takes Nvidia about nine months from wafer orders to finished chips [1]."

    with FakeOpenAI(reply) as server:
        engine = build_engine(settings_for(seed_index_dir, server.base_url), seed_library)
        history = [Turn("user", H20_QUESTION), Turn("assistant", CITED)]
        answer = engine.ask("how long does production take?", history)
    assert answer.search_query == "How long does Nvidia take to produce H20 chips?"
    assert f'<turn role="assistant">{CITED}</turn>' in server.requests[0]["body"]["messages"][0]["content"]
    assert "nine months" in answer.citations[0].quote


def test_server_down_is_a_backend_error_naming_the_problem(seed_index_dir, seed_library):
    with FakeOpenAI(lambda body: "") as server:
        url = server.base_url
    engine = build_engine(settings_for(seed_index_dir, url), seed_library)
    with pytest.raises(BackendError, match="could not be reached"):
        engine.ask(H20_QUESTION)


def test_slow_server_times_out_with_a_clear_message(seed_index_dir, seed_library):
    with FakeOpenAI(lambda body: CITED, delay=3) as server:
        engine = build_engine(settings_for(seed_index_dir, server.base_url, timeout="1"), seed_library)
        with pytest.raises(BackendError, match="did not answer in 1 s"):
            engine.ask(H20_QUESTION)


def test_openai_backend_needs_a_base_url_when_settings_load():
    with pytest.raises(SettingsError, match="NEWSBOT_LLM_BASE_URL"):
        load_settings({"NEWSBOT_LLM": "openai"}, dotenv_path=None)
