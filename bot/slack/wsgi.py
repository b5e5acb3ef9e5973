"""The Slack HTTP endpoint as a WSGI application factory, for gunicorn.

Teams that run their own gunicorn behind a load balancer:
    gunicorn --workers 4 --worker-class gthread --threads 8 --bind 0.0.0.0:3000 'bot.slack.wsgi:create_application()'
Settings come from the environment and .env, as for `newsbot slack --http`. Each worker builds its own engine
after the fork; with NEWSBOT_STORE=postgres (or one SQLite state file on one machine) de-duplication and the
rate limit hold across all of them."""

from __future__ import annotations

from pathlib import Path

from bot.factory import build_engine, build_library, ensure_index
from bot.settings import Settings, load_settings
from bot.slack.app import create_app
from bot.slack.endpoint import SlackEndpoint
from bot.slack.state import open_state_store
from retrieval.offline import enforce_offline


def create_application(settings: Settings | None = None, env_file: Path = Path(".env")) -> SlackEndpoint:
    """The /slack/events endpoint with its own engine, library and state store (built on the first request's
    worker, never at import)."""
    enforce_offline()
    settings = settings or load_settings(dotenv_path=env_file)
    library = build_library(settings)
    ensure_index(library, settings)
    app = create_app(settings, build_engine(settings, library), open_state_store(settings), http=True)
    return SlackEndpoint(app, settings.slack_signing_secret)
