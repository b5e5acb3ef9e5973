"""Settings come from the environment over .env; .env.example and the Slack manifest stay true to the code."""

import pytest

from bot.errors import SettingsError
from bot.settings import env_names, load_settings
from tests.conftest import REPO


def test_environment_wins_over_dotenv_and_types_are_converted(tmp_path):
    dotenv = tmp_path / ".env"
    dotenv.write_text("NEWSBOT_TOP_K=7\nNEWSBOT_DENSE=false\nNEWSBOT_LLM=openai\n")
    settings = load_settings({"NEWSBOT_LLM": "extractive"}, dotenv_path=dotenv)
    assert (settings.top_k, settings.dense, settings.llm) == (7, False, "extractive")


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"NEWSBOT_TOP_K": "many"}, "NEWSBOT_TOP_K"),
        ({"NEWSBOT_STORE": "postgres"}, "NEWSBOT_DATABASE_URL"),
        ({"NEWSBOT_SLACK_COMMAND_VISIBILITY": "loud"}, "VISIBILITY"),
    ],
)
def test_bad_settings_name_themselves(env, named):
    with pytest.raises(SettingsError, match=named):
        load_settings(env, dotenv_path=None)


def test_secrets_never_appear_in_the_settings_repr():
    settings = load_settings(
        {
            "NEWSBOT_LLM_API_KEY": "sk-secret-1",
            "SLACK_BOT_TOKEN": "xoxb-secret-2",
            "SLACK_SIGNING_SECRET": "secret-3",
            "NEWSBOT_DATABASE_URL": "postgresql://u:pw-4@h/db",
            "NEWSBOT_STORE": "postgres",
        },
        dotenv_path=None,
    )
    shown = repr(settings)
    assert not any(secret in shown for secret in ("sk-secret-1", "xoxb-secret-2", "secret-3", "pw-4"))


def test_env_example_documents_every_setting():
    documented = (REPO / ".env.example").read_text()
    assert [name for name in env_names().values() if name not in documented] == []


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"NEWSBOT_STORE": "sqlite"}, "NEWSBOT_STORE"),
        ({"NEWSBOT_LLM": "gpt-9"}, "NEWSBOT_LLM"),
        ({"NEWSBOT_TOP_K": "0"}, "NEWSBOT_TOP_K"),
        ({"NEWSBOT_LLM_TIMEOUT": "soon"}, "NEWSBOT_LLM_TIMEOUT"),
        ({"NEWSBOT_LLM_MODEL_PATH": "/nowhere/model.gguf"}, "MODEL_PATH"),
    ],
)
def test_choices_ranges_and_paths_are_checked_when_settings_load(env, named):
    with pytest.raises(SettingsError, match=named):
        load_settings(env, dotenv_path=None)


def test_cli_overrides_are_checked_like_the_environment():
    with pytest.raises(SettingsError, match="NEWSBOT_LLM_BASE_URL"):
        load_settings({}, dotenv_path=None).with_overrides(llm="openai")


def test_every_setting_has_its_own_environment_name():
    names = list(env_names().values())
    assert len(names) == len(set(names))
    assert all(n.startswith(("NEWSBOT_", "SLACK_")) for n in names)
