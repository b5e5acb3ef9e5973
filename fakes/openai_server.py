"""A loopback OpenAI-compatible chat server for tests: scripted replies, streaming or not, every request recorded."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable

from fakes.http import QuietHandler, QuietServer, write_json

Reply = Callable[[dict], str]


class FakeOpenAI:
    """Answers POST /v1/chat/completions with reply(request_json); records requests; can stall to force timeouts."""

    def __init__(self, reply: Reply, delay: float = 0.0) -> None:
        self.reply = reply
        self.delay = delay
        self.requests: list[dict] = []
        self._server = QuietServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def __enter__(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler(self):
        fake = self

        class Handler(QuietHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append({"path": self.path, "body": body, "auth": self.headers.get("Authorization")})
                if self.path != "/v1/chat/completions":
                    self.send_error(404)
                    return
                time.sleep(fake.delay)
                text = fake.reply(body)
                if body.get("stream"):
                    self._stream(text, body.get("model", "fake"))
                else:
                    write_json(self, _completion(text, body.get("model", "fake")))

            def _stream(self, text: str, model: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                for piece in _pieces(text):
                    self.wfile.write(f"data: {json.dumps(_chunk(piece, model))}\n\n".encode())
                    self.wfile.flush()
                self.wfile.write(f"data: {json.dumps(_chunk('', model, done=True))}\n\n".encode())
                self.wfile.write(b"data: [DONE]\n\n")

        return Handler


def _pieces(text: str) -> list[str]:
    words = text.split(" ")
    return [w + (" " if i < len(words) - 1 else "") for i, w in enumerate(words)]


def _completion(text: str, model: str) -> dict:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def _chunk(piece: str, model: str, done: bool = False) -> dict:
    delta = {} if done else {"role": "assistant", "content": piece}
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": "stop" if done else None}],
    }
