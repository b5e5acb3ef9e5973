"""Typed settings from the environment and .env (python-dotenv), read in one place."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Mapping

from dotenv import dotenv_values
from platformdirs import user_cache_dir, user_data_dir

BACKENDS = ("local", "openai", "extractive")
STORES = ("embedded", "postgres")
VISIBILITIES = ("in_channel", "ephemeral")
TRUE = {"1", "true", "yes", "on"}


class SettingsError(ValueError):
    """A setting has a value newsbot cannot use; the message names it."""


@dataclass(frozen=True)
class Settings:
    index_dir: Path
    articles_dir: Path = Path("data/articles")
    store: str = "embedded"  # or "postgres": index, feedback and de-duplication in NEWSBOT_DATABASE_URL
    database_url: str = field(default="", repr=False)
    llm: str = "local"
    llm_base_url: str = ""
    llm_api_key: str = field(default="", repr=False)
    llm_model: str = ""
    llm_model_path: str = ""  # a GGUF for the local backend; empty = the bundled Qwen2.5 1.5B
    llm_timeout: float = 60.0
    llm_max_tokens: int = 256
    llm_threads: int = 0
    model_cache_dir: Path = Path(user_cache_dir("newsbot")) / "models"
    top_k: int = 4
    dense: bool = True
    bm25: bool = True
    min_relevance: float = 0.3  # best passage cosine below which the bot refuses without the LLM (calibrated: README)
    state_db: Path = Path(user_data_dir("newsbot")) / "state.sqlite3"  # Slack feedback and event de-duplication
    slack_bot_token: str = field(default="", repr=False)
    slack_app_token: str = field(default="", repr=False)
    slack_signing_secret: str = field(default="", repr=False)
    slack_api_url: str = ""
    slack_channels: str = ""  # comma-separated channel ids the bot answers in; empty = all (DMs always)
    slack_thread_replies: bool = True  # answer replies in a thread the bot answered, without a new mention
    slack_rate_limit: int = 6  # questions per user per minute
    slack_command: str = "/newsbot"
    slack_command_visibility: str = "in_channel"  # or "ephemeral"
    slack_workers: int = 8  # threads producing answers after the ack
    slack_port: int = 3000

    @property
    def allowed_channels(self) -> frozenset[str]:
        return frozenset(c.strip() for c in self.slack_channels.split(",") if c.strip())

    def with_overrides(self, **changes) -> "Settings":
        """A copy with the given non-None values replaced (CLI flags over environment)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


ENV_NAMES = {
    "index_dir": "NEWSBOT_INDEX_DIR",
    "articles_dir": "NEWSBOT_ARTICLES_DIR",
    "store": "NEWSBOT_STORE",
    "database_url": "NEWSBOT_DATABASE_URL",
    "llm": "NEWSBOT_LLM",
    "llm_base_url": "NEWSBOT_LLM_BASE_URL",
    "llm_api_key": "NEWSBOT_LLM_API_KEY",
    "llm_model": "NEWSBOT_LLM_MODEL",
    "llm_model_path": "NEWSBOT_LLM_MODEL_PATH",
    "llm_timeout": "NEWSBOT_LLM_TIMEOUT",
    "llm_max_tokens": "NEWSBOT_LLM_MAX_TOKENS",
    "llm_threads": "NEWSBOT_LLM_THREADS",
    "model_cache_dir": "NEWSBOT_MODEL_CACHE",
    "top_k": "NEWSBOT_TOP_K",
    "dense": "NEWSBOT_DENSE",
    "bm25": "NEWSBOT_BM25",
    "min_relevance": "NEWSBOT_MIN_RELEVANCE",
    "state_db": "NEWSBOT_STATE_DB",
    "slack_bot_token": "SLACK_BOT_TOKEN",
    "slack_app_token": "SLACK_APP_TOKEN",
    "slack_signing_secret": "SLACK_SIGNING_SECRET",
    "slack_api_url": "SLACK_API_URL",
    "slack_channels": "NEWSBOT_SLACK_CHANNELS",
    "slack_thread_replies": "NEWSBOT_SLACK_THREAD_REPLIES",
    "slack_rate_limit": "NEWSBOT_SLACK_RATE_LIMIT",
    "slack_command": "NEWSBOT_SLACK_COMMAND",
    "slack_command_visibility": "NEWSBOT_SLACK_COMMAND_VISIBILITY",
    "slack_workers": "NEWSBOT_SLACK_WORKERS",
    "slack_port": "NEWSBOT_SLACK_PORT",
}


def load_settings(env: Mapping[str, str] | None = None, dotenv_path: Path | None = Path(".env")) -> Settings:
    """Settings from env (default os.environ) over the .env file; unknown or malformed values raise SettingsError."""
    merged = {**_dotenv(dotenv_path), **(os.environ if env is None else env)}
    values = {"index_dir": Path(user_data_dir("newsbot")) / "index"}
    types = {f.name: f.type for f in fields(Settings)}
    for name, env_name in ENV_NAMES.items():
        raw = merged.get(env_name)
        if raw is not None and raw != "":
            values[name] = _convert(env_name, raw, types[name])
    settings = Settings(**values)
    if settings.llm not in BACKENDS:
        raise SettingsError(f"NEWSBOT_LLM={settings.llm!r}: choose one of {', '.join(BACKENDS)}")
    if settings.store not in STORES:
        raise SettingsError(f"NEWSBOT_STORE={settings.store!r}: choose one of {', '.join(STORES)}")
    if settings.store == "postgres" and not settings.database_url:
        raise SettingsError("NEWSBOT_STORE=postgres needs NEWSBOT_DATABASE_URL")
    if settings.slack_command_visibility not in VISIBILITIES:
        raise SettingsError(f"NEWSBOT_SLACK_COMMAND_VISIBILITY={settings.slack_command_visibility!r}: "
                            f"choose one of {', '.join(VISIBILITIES)}")
    return settings


def _dotenv(path: Path | None) -> dict[str, str]:
    if path is None or not path.is_file():
        return {}
    return {k: v for k, v in dotenv_values(path).items() if v is not None}


def _convert(env_name: str, raw: str, kind: str):
    try:
        if kind == "Path":
            return Path(raw).expanduser()
        if kind == "bool":
            return raw.strip().lower() in TRUE
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
        return raw
    except ValueError as exc:
        raise SettingsError(f"{env_name}={raw!r} is not a valid {kind}") from exc
