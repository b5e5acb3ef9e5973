"""What the loopback fakes share: answering a request with JSON."""

import json
from http.server import BaseHTTPRequestHandler


def write_json(
    handler: BaseHTTPRequestHandler, payload: dict, status: int = 200, headers: dict[str, str] | None = None
) -> None:
    body = json.dumps(payload).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


class QuietHandler(BaseHTTPRequestHandler):
    """A request handler that keeps the test output clean."""

    def log_message(self, *args) -> None:
        pass
