"""Typed settings from the environment and .env (python-dotenv), read in one place.

Each field carries its environment name in its metadata, so the name, the type and the default sit together."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal, get_args, get_origin, get_type_hints

from dotenv import dotenv_values
from platformdirs import user_cache_dir, user_data_dir

from bot.errors import SettingsError

StoreKind = Literal["embedded", "postgres"]
Visibility = Literal["in_channel", "ephemeral"]
TRUE = {"1", "true", "yes", "on"}


def env(name: str, default: Any, secret: bool = False) -> Any:
    """A settings field read from the environment variable `name`; secrets stay out of repr."""
    return field(default=default, repr=not secret, metadata={"env": name})


@dataclass(frozen=True)
class Settings:
    index_dir: Path = env("NEWSBOT_INDEX_DIR", Path(user_data_dir("newsbot")) / "index")
    articles_dir: Path = env("NEWSBOT_ARTICLES_DIR", Path("data/articles"))
    max_file_mb: float = env("NEWSBOT_MAX_FILE_MB", 5.0)  # a larger file is skipped by ingest, with one line
    store: StoreKind = env("NEWSBOT_STORE", "embedded")  # postgres: index, feedback, de-duplication in the database
    database_url: str = env("NEWSBOT_DATABASE_URL", "", secret=True)
    llm: str = env("NEWSBOT_LLM", "local")  # a name in bot.answer.backends.BACKENDS
    llm_base_url: str = env("NEWSBOT_LLM_BASE_URL", "")
    llm_api_key: str = env("NEWSBOT_LLM_API_KEY", "", secret=True)
    llm_model: str = env("NEWSBOT_LLM_MODEL", "")
    llm_model_path: str = env("NEWSBOT_LLM_MODEL_PATH", "")  # a GGUF for the local backend; empty = the bundled one
    llm_timeout: float = env("NEWSBOT_LLM_TIMEOUT", 60.0)
    llm_max_tokens: int = env("NEWSBOT_LLM_MAX_TOKENS", 256)
    evidence_sentences: int = env("NEWSBOT_EVIDENCE_SENTENCES", 0)  # 0 = whole passages; N = N sentences
    llm_threads: int = env("NEWSBOT_LLM_THREADS", 0)
    model_cache_dir: Path = env("NEWSBOT_MODEL_CACHE", Path(user_cache_dir("newsbot")) / "models")
    top_k: int = env("NEWSBOT_TOP_K", 4)
    dense: bool = env("NEWSBOT_DENSE", True)
    bm25: bool = env("NEWSBOT_BM25", True)
    min_relevance: float = env("NEWSBOT_MIN_RELEVANCE", 0.38)  # best passage cosine that makes a question relevant
    min_coverage: float = env("NEWSBOT_MIN_COVERAGE", 0.75)  # or: share of its words one passage holds
    state_db: Path = env("NEWSBOT_STATE_DB", Path(user_data_dir("newsbot")) / "state.sqlite3")
    slack_bot_token: str = env("SLACK_BOT_TOKEN", "", secret=True)
    slack_app_token: str = env("SLACK_APP_TOKEN", "", secret=True)
    slack_signing_secret: str = env("SLACK_SIGNING_SECRET", "", secret=True)
    slack_api_url: str = env("SLACK_API_URL", "")
    slack_channels: str = env("NEWSBOT_SLACK_CHANNELS", "")  # comma-separated channel ids; empty = all (DMs always)
    slack_thread_replies: bool = env("NEWSBOT_SLACK_THREAD_REPLIES", True)  # answer follow-ups without a mention
    slack_rate_limit: int = env("NEWSBOT_SLACK_RATE_LIMIT", 6)  # questions per user per minute
    slack_command: str = env("NEWSBOT_SLACK_COMMAND", "/newsbot")
    slack_command_visibility: Visibility = env("NEWSBOT_SLACK_COMMAND_VISIBILITY", "in_channel")
    slack_stream: bool = env("NEWSBOT_SLACK_STREAM", True)  # stream answers (chat.startStream); false: placeholder
    slack_workers: int = env("NEWSBOT_SLACK_WORKERS", 8)  # threads producing answers after the ack
    slack_port: int = env("NEWSBOT_SLACK_PORT", 3000)
    allow_private_urls: bool = env("NEWSBOT_ALLOW_PRIVATE_URLS", False)  # feeds/pages on loopback or private hosts
    host_gap_s: float = env("NEWSBOT_HOST_GAP_S", 5.0)  # at least this between two requests to one host
    fetch_timeout_s: float = env("NEWSBOT_FETCH_TIMEOUT_S", 20.0)
    fetch_max_mb: float = env("NEWSBOT_FETCH_MAX_MB", 15.0)  # a larger page or feed is skipped
    feed_interval: str = env("NEWSBOT_FEED_INTERVAL", "30m")  # how often a new feed is checked by default

    @property
    def allowed_channels(self) -> frozenset[str]:
        return frozenset(c.strip() for c in self.slack_channels.split(",") if c.strip())

    def with_overrides(self, **changes: Any) -> Settings:
        """A copy with the given non-None values replaced (CLI flags over environment); checked like the environment."""
        changed = replace(self, **{k: v for k, v in changes.items() if v is not None})
        _check(changed)
        return changed


def env_names() -> dict[str, str]:
    """Field name -> environment variable name, for every setting."""
    return {f.name: f.metadata["env"] for f in fields(Settings)}


def load_settings(env: Mapping[str, str] | None = None, dotenv_path: Path | None = Path(".env")) -> Settings:
    """Settings from env (default os.environ) over the .env file; unknown or malformed values raise SettingsError."""
    merged = {**_dotenv(dotenv_path), **(os.environ if env is None else env)}
    types = get_type_hints(Settings)
    values = {}
    for setting in fields(Settings):
        raw = merged.get(setting.metadata["env"])
        if raw is not None and raw != "":
            values[setting.name] = _convert(setting.metadata["env"], raw, types[setting.name])
    settings = Settings(**values)
    _check(settings)
    return settings


def _check(settings: Settings) -> None:
    """The combinations of values newsbot cannot work with, each named by its environment variable."""
    from bot.answer.backends import BACKENDS

    if settings.llm not in BACKENDS:
        raise SettingsError(f"NEWSBOT_LLM={settings.llm!r}: choose one of {', '.join(BACKENDS)}")
    if settings.llm == "openai" and not settings.llm_base_url:
        raise SettingsError("NEWSBOT_LLM=openai needs NEWSBOT_LLM_BASE_URL")
    if settings.llm == "local" and settings.llm_model_path and not Path(settings.llm_model_path).is_file():
        raise SettingsError(f"NEWSBOT_LLM_MODEL_PATH={settings.llm_model_path} does not exist")
    if settings.max_file_mb <= 0:
        raise SettingsError(f"NEWSBOT_MAX_FILE_MB={settings.max_file_mb:g}: give a size in MB above 0")
    if settings.top_k < 1:
        raise SettingsError(f"NEWSBOT_TOP_K={settings.top_k}: give the model at least one passage")
    if settings.evidence_sentences < 0:
        raise SettingsError(
            f"NEWSBOT_EVIDENCE_SENTENCES={settings.evidence_sentences}: give 0 (whole passages) or more"
        )
    if not 0 < settings.min_coverage <= 1:
        raise SettingsError(f"NEWSBOT_MIN_COVERAGE={settings.min_coverage:g}: give a share above 0 and at most 1")
    if settings.host_gap_s < 0 or settings.fetch_timeout_s <= 0 or settings.fetch_max_mb <= 0:
        raise SettingsError("NEWSBOT_HOST_GAP_S, NEWSBOT_FETCH_TIMEOUT_S and NEWSBOT_FETCH_MAX_MB must be above 0")
    if settings.store == "postgres" and not settings.database_url:
        raise SettingsError("NEWSBOT_STORE=postgres needs NEWSBOT_DATABASE_URL")


def _dotenv(path: Path | None) -> dict[str, str]:
    if path is None or not path.is_file():
        return {}
    return {k: v for k, v in dotenv_values(path).items() if v is not None}


def _convert(name: str, raw: str, kind: Any) -> Any:
    """The raw string as the field's type; a Literal accepts only its choices."""
    if get_origin(kind) is Literal:
        if raw not in get_args(kind):
            raise SettingsError(f"{name}={raw!r}: choose one of {', '.join(get_args(kind))}")
        return raw
    try:
        if kind is Path:
            return Path(raw).expanduser()
        if kind is bool:
            return raw.strip().lower() in TRUE
        if kind in (int, float):
            return kind(raw)
        return raw
    except ValueError as exc:
        raise SettingsError(f"{name}={raw!r} is not a valid {kind.__name__}") from exc
