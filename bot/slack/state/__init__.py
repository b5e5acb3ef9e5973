"""Slack state: SQLite by default, PostgreSQL when several workers share the load."""

from __future__ import annotations

from bot.settings import Settings
from bot.slack.state.base import StateStore

__all__ = ["StateStore", "open_state_store"]


def open_state_store(settings: Settings) -> StateStore:
    """SQLite at NEWSBOT_STATE_DB, or PostgreSQL with NEWSBOT_STORE=postgres."""
    if settings.store == "postgres":
        from bot.slack.state.postgres import PgStateStore

        return PgStateStore(settings.database_url)
    from bot.slack.state.sqlite import SqliteStateStore

    return SqliteStateStore(settings.state_db)
