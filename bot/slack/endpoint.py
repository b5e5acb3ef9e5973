"""The /slack/events WSGI endpoint: every request is checked before Bolt sees it.

Too large → 413, unsigned or badly signed (or a malformed timestamp) → 401, signed but not a Slack body
→ 400; each with one log line naming the reason and the size, never the body. What passes goes to Bolt."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk.signature import SignatureVerifier

EVENTS_PATH = "/slack/events"
MAX_BODY_BYTES = 1_000_000  # Slack's payloads are a few kB; nothing larger is read
log = logging.getLogger("newsbot.slack.http")
StartResponse = Callable[..., Any]


class Rejected(Exception):
    """A request the endpoint refuses: its HTTP status and the reason logged."""

    def __init__(self, status: str, reason: str) -> None:
        super().__init__(reason)
        self.status = status


class SlackEndpoint:
    """WSGI application for Slack's events, interactivity and slash commands."""

    def __init__(self, app: App, signing_secret: str, path: str = EVENTS_PATH) -> None:
        self.bolt = SlackRequestHandler(app, path=path)
        self.verifier = SignatureVerifier(signing_secret)
        self.path = path

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        try:
            body = self._checked_body(environ)
        except Rejected as rejected:
            log.warning("rejected %s %s: %s", environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"), rejected)
            return _respond(start_response, rejected.status)
        environ["wsgi.input"] = io.BytesIO(body)  # Bolt reads the body again
        try:
            return self.bolt(environ, start_response)
        except Exception as exc:  # never a traceback to the client; one line to the log
            first_line = next(iter(str(exc).splitlines()), "")
            log.error("request failed inside Bolt: %s: %s", type(exc).__name__, first_line)
            return _respond(start_response, "500 Internal Server Error")

    def _checked_body(self, environ: dict[str, Any]) -> bytes:
        if environ.get("PATH_INFO") != self.path:
            raise Rejected("404 Not Found", "unknown path")
        if environ.get("REQUEST_METHOD") != "POST":
            raise Rejected("405 Method Not Allowed", "not a POST")
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            raise Rejected("400 Bad Request", "malformed Content-Length") from None
        if length > MAX_BODY_BYTES:
            _drain(environ["wsgi.input"], length)  # read and dropped, so the client can read the 413
            raise Rejected("413 Content Too Large", f"{length} bytes is over {MAX_BODY_BYTES}")
        body: bytes = environ["wsgi.input"].read(length)
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
        signature = environ.get("HTTP_X_SLACK_SIGNATURE", "")
        if not timestamp.isdigit() or not signature.startswith("v0="):
            raise Rejected("401 Unauthorized", f"missing or malformed signature headers ({len(body)} bytes)")
        if not self.verifier.is_valid(body, timestamp, signature):
            raise Rejected("401 Unauthorized", f"bad or stale signature ({len(body)} bytes)")
        problem = _shape_problem(body, environ.get("CONTENT_TYPE", ""))
        if problem:
            raise Rejected("400 Bad Request", f"{problem} ({len(body)} bytes)")
        return body


def _drain(stream: Any, length: int, chunk: int = 65536, most: int = 64_000_000) -> None:
    """Read and discard up to `most` bytes of a body, a chunk at a time (memory stays at one chunk)."""
    left = min(length, most)
    while left > 0 and (data := stream.read(min(chunk, left))):
        left -= len(data)


def _shape_problem(body: bytes, content_type: str) -> str | None:
    """Why a signed body is not a Slack request, or None: JSON must be an object, a form's payload too."""
    try:
        text = body.decode("utf-8")
        if "json" in content_type:
            return None if isinstance(json.loads(text), dict) else "a JSON body that is not an object"
        form = parse_qs(text, strict_parsing=bool(text))
        if "payload" in form and not isinstance(json.loads(form["payload"][0]), dict):
            return "a payload that is not a JSON object"
    except (UnicodeDecodeError, ValueError):
        return "a body that is neither JSON nor a form"
    return None


def _respond(start_response: StartResponse, status: str) -> list[bytes]:
    body = status.encode()
    start_response(status, [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
