"""A news site on loopback for intake tests and the intake bench: feeds and article pages with the behaviours
real sites have (validators and 304, redirects, slow replies, errors with Retry-After, gzip, wrong content
types, huge pages, robots.txt), and a log of every request with the server's own timestamp."""

from __future__ import annotations

import gzip
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime
from html import escape
from urllib.parse import urlsplit

from fakes.http import QuietHandler, QuietServer


@dataclass
class Route:
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    etag: str = ""  # answered with 304 when the request's If-None-Match matches
    last_modified: str = ""  # answered with 304 when If-Modified-Since matches
    delay_s: float = 0.0  # before the reply starts
    gzip: bool = False
    repeat: int = 1  # the body sent this many times (a huge page without holding it)


@dataclass(frozen=True)
class Request:
    at: float  # time.monotonic() when the server saw it
    path: str
    headers: dict[str, str]


class NewsSite:
    """Routes by path (with query); unknown paths are 404. Start it, use .url(path), read .requests."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._server: QuietServer | None = None

    def start(self) -> NewsSite:
        site = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:
                site._serve(self)

        self._server = QuietServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    @property
    def base(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def paths(self) -> list[str]:
        with self._lock:
            return [r.path for r in self.requests]

    def _serve(self, handler: QuietHandler) -> None:
        headers = {k.lower(): v for k, v in handler.headers.items()}
        with self._lock:
            self.requests.append(Request(time.monotonic(), handler.path, headers))
        route = self.routes.get(handler.path) or self.routes.get(urlsplit(handler.path).path)
        if route is None:
            route = Route(b"not found", "text/plain", 404)
        if route.delay_s:
            time.sleep(route.delay_s)
        if (route.etag and headers.get("if-none-match") == route.etag) or (
            route.last_modified and headers.get("if-modified-since") == route.last_modified
        ):
            handler.send_response(304)
            handler.end_headers()
            return
        body = gzip.compress(route.body) if route.gzip else route.body
        handler.send_response(route.status)
        handler.send_header("Content-Type", route.content_type)
        handler.send_header("Content-Length", str(len(body) * route.repeat))
        for name, value in {
            **route.headers,
            **({"ETag": route.etag} if route.etag else {}),
            **({"Last-Modified": route.last_modified} if route.last_modified else {}),
            **({"Content-Encoding": "gzip"} if route.gzip else {}),
        }.items():
            handler.send_header(name, value)
        handler.end_headers()
        try:
            for _ in range(route.repeat):
                handler.wfile.write(body)
        except ConnectionError:
            pass  # the client stopped reading at its cap


def http_date(moment: datetime) -> str:
    return format_datetime(moment, usegmt=True)


def rss(title: str, items: list[dict[str, str]]) -> bytes:
    """An RSS 2.0 feed; each item has title, link, and optionally guid, pubDate (an HTTP date) and description."""
    entries = "".join(
        "<item>"
        + "".join(
            f"<{k}>{escape(v)}</{k}>"
            for k, v in item.items()
            if k in ("title", "link", "guid", "pubDate", "description")
        )
        + "</item>"
        for item in items
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{escape(title)}</title>'
        f"<link>http://example.invalid/</link><description>test feed</description>{entries}</channel></rss>"
    ).encode()


def atom(title: str, entries: list[dict[str, str]]) -> bytes:
    """An Atom feed; each entry has title, link, id and updated (ISO 8601)."""
    body = "".join(
        f'<entry><title>{escape(e["title"])}</title><link href="{escape(e["link"])}"/>'
        f"<id>{escape(e['id'])}</id><updated>{e['updated']}</updated></entry>"
        for e in entries
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>{escape(title)}</title>'
        f"<id>urn:test</id><updated>2026-11-24T00:00:00Z</updated>{body}</feed>"
    ).encode()


def article_page(
    title: str, paragraphs: list[str], published: str = "", canonical: str = "", site: str = "Loopback News"
) -> bytes:
    """An article page as news sites write them: title, og and article metadata, the story in <article>."""
    meta = f'<meta property="og:site_name" content="{escape(site)}">'
    if published:
        meta += f'<meta property="article:published_time" content="{published}">'
    if canonical:
        meta += f'<link rel="canonical" href="{escape(canonical)}">'
    text = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html><head><title>{escape(title)}</title>{meta}</head>"
        f"<body><nav>Home | World | Business</nav><article><h1>{escape(title)}</h1>{text}</article>"
        f"<footer>Copyright Loopback News</footer></body></html>"
    ).encode()
