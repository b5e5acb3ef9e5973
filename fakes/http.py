"""What the loopback fakes share: answering a request with JSON."""

import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


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


class QuietServer(ThreadingHTTPServer):
    """A loopback server that does not print a traceback when a client hangs up mid-reply (a client timing
    out on purpose, as the timeout tests do); other handler errors are still printed."""

    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)
