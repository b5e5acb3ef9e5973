"""Settings come from the environment over .env; .env.example and the Slack manifest stay true to the code."""

import pytest
import yaml

from bot.errors import SettingsError
from bot.settings import env_names, load_settings
from tests.conftest import REPO


def test_environment_wins_over_dotenv_and_types_are_converted(tmp_path):
    dotenv = tmp_path / ".env"
    dotenv.write_text("NEWSBOT_TOP_K=7\nNEWSBOT_DENSE=false\nNEWSBOT_LLM=openai\n")
    settings = load_settings({"NEWSBOT_LLM": "extractive"}, dotenv_path=dotenv)
    assert (settings.top_k, settings.dense, settings.llm) == (7, False, "extractive")


@pytest.mark.parametrize("env, named", [({"NEWSBOT_TOP_K": "many"}, "NEWSBOT_TOP_K"),
                                        ({"NEWSBOT_STORE": "postgres"}, "NEWSBOT_DATABASE_URL"),
                                        ({"NEWSBOT_SLACK_COMMAND_VISIBILITY": "loud"}, "VISIBILITY")])
def test_bad_settings_name_themselves(env, named):
    with pytest.raises(SettingsError, match=named):
        load_settings(env, dotenv_path=None)


def test_secrets_never_appear_in_the_settings_repr():
    settings = load_settings({"NEWSBOT_LLM_API_KEY": "sk-secret-1", "SLACK_BOT_TOKEN": "xoxb-secret-2",
                              "SLACK_SIGNING_SECRET": "secret-3", "NEWSBOT_DATABASE_URL": "postgresql://u:pw-4@h/db",
                              "NEWSBOT_STORE": "postgres"}, dotenv_path=None)
    shown = repr(settings)
    assert not any(secret in shown for secret in ("sk-secret-1", "xoxb-secret-2", "secret-3", "pw-4"))


def test_env_example_documents_every_setting():
    documented = (REPO / ".env.example").read_text()
    assert [name for name in env_names().values() if name not in documented] == []


def test_slack_manifest_matches_the_code():
    manifest = yaml.safe_load((REPO / "slack" / "manifest.yaml").read_text())
    settings = load_settings({}, dotenv_path=None)
    assert [c["command"] for c in manifest["features"]["slash_commands"]] == [settings.slack_command]
    assert set(manifest["settings"]["event_subscriptions"]["bot_events"]) == {
        "app_mention", "message.channels", "message.groups", "message.im"}
    assert manifest["settings"]["interactivity"]["is_enabled"] and manifest["settings"]["socket_mode_enabled"]
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == {
        "app_mentions:read", "chat:write", "commands", "channels:history", "groups:history", "im:history"}
