"""Build the Bolt app from explicit settings and an engine, and serve it over Socket Mode or HTTP."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk import WebClient

from bot.answer.engine import Engine
from bot.errors import SettingsError
from bot.settings import Settings
from bot.slack.client import web_client
from bot.slack.endpoint import SlackEndpoint
from bot.slack.listeners import register_listeners
from bot.slack.responder import Responder
from bot.slack.state import StateStore


def check_slack_settings(settings: Settings, http: bool) -> None:
    """The tokens the app cannot start without; raised before anything is built (or forked)."""
    if not settings.slack_bot_token:
        raise SettingsError("SLACK_BOT_TOKEN is not set (see README: Create the Slack app)")
    if http and not settings.slack_signing_secret:
        raise SettingsError("SLACK_SIGNING_SECRET is needed to verify requests in HTTP mode")


def create_app(
    settings: Settings, engine: Engine, store: StateStore, http: bool = False, answer_before_ack: bool = False
) -> App:
    """The Bolt app; answers are produced on worker threads after the ack.

    answer_before_ack is Bolt's process_before_response, for function-as-a-service hosts that freeze a
    process once it has responded; elsewhere it only makes acks slow (bench/slack_load.py measures it)."""
    check_slack_settings(settings, http)
    client = web_client(settings.slack_bot_token, _api_url(settings))
    app = App(
        client=client,
        signing_secret=settings.slack_signing_secret or None,
        request_verification_enabled=http,
        process_before_response=answer_before_ack,
        listener_executor=ThreadPoolExecutor(max_workers=settings.slack_workers, thread_name_prefix="newsbot-answer"),
        logger=logging.getLogger("newsbot.slack.bolt"),
    )
    responder = Responder(engine, store, settings.slack_rate_limit, settings.slack_stream)
    register_listeners(app, settings, responder, store, engine.retriever.newest)
    return app


def _api_url(settings: Settings) -> str:
    url = settings.slack_api_url or WebClient.BASE_URL
    return url if url.endswith("/") else url + "/"


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    request_queue_size = 128  # the default 5 drops connections in a burst of mentions (bench/slack_load.py)


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # the access log goes to logging, not stderr
        logging.getLogger("newsbot.slack.http").debug(format, *args)


def local_http_server(app: App, settings: Settings, port: int, host: str = "127.0.0.1") -> WSGIServer:
    """The /slack/events endpoint on the standard library's threaded server, in this process: for tests and
    benchmarks. `newsbot slack --http` serves the same endpoint with gunicorn (bot/slack/server.py)."""
    endpoint = SlackEndpoint(app, settings.slack_signing_secret)
    return make_server(host, port, endpoint, server_class=_ThreadingWSGIServer, handler_class=_QuietHandler)


def socket_mode_handler(app: App, settings: Settings) -> SocketModeHandler:
    if not settings.slack_app_token:
        raise SettingsError("SLACK_APP_TOKEN (xapp-…) is needed for Socket Mode; or run with --http")
    return SocketModeHandler(app, settings.slack_app_token, web_client=app.client)
