"""One polite HTTP GET: explicit timeout, a redirect limit checked hop by hop, a streamed body cap, newsbot's
User-Agent, conditional headers, and no private addresses unless allowed. Errors are one line each."""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

from retrieval.errors import NewsbotError
from retrieval.sources import is_http_url

USER_AGENT = "newsbot/0.1 (+https://github.com/newsbot; feed reader)"
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml")
HTML_TYPES = ("text/html", "application/xhtml+xml")
REDIRECTS = (301, 302, 303, 307, 308)


class FetchError(NewsbotError):
    """A URL that could not be fetched; the message is one line naming the URL and why."""


@dataclass(frozen=True)
class FetchPolicy:
    timeout_s: float = 20.0  # connect and read; feedparser has none of its own, so it never fetches
    max_redirects: int = 5
    max_bytes: int = 15_000_000  # a body beyond this is cut and marked truncated
    user_agent: str = USER_AGENT
    allow_private: bool = False  # loopback, private and link-local hosts (NEWSBOT_ALLOW_PRIVATE_URLS)


@dataclass
class Fetched:
    url: str  # as asked for
    final_url: str  # after redirects
    status: int
    headers: dict[str, str] = field(default_factory=dict)  # lower-cased names
    body: bytes = b""
    truncated: bool = False

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def kind(self) -> str:
        """ "feed", "html" or "other", from the content type (and the body's first bytes when it is vague)."""
        if self.content_type in HTML_TYPES:
            return "html"
        if self.content_type in FEED_TYPES or self.content_type.endswith("+xml"):
            return "feed"
        head = self.body[:512].lstrip().lower()
        if self.content_type in ("", "text/plain", "application/octet-stream") and head.startswith(b"<?xml"):
            return "feed"
        return "other"


class Fetcher:
    """GETs over one httpx client (connection reuse); thread-safe, as httpx.Client is."""

    def __init__(self, policy: FetchPolicy = FetchPolicy(), transport: httpx.BaseTransport | None = None) -> None:
        self.policy = policy
        self._client = httpx.Client(
            timeout=policy.timeout_s,
            follow_redirects=False,  # followed here, so every hop is checked
            headers={"User-Agent": policy.user_agent, "Accept-Encoding": "gzip, deflate"},
            transport=transport,
            trust_env=False,
        )

    def get(self, url: str, etag: str = "", last_modified: str = "") -> Fetched:
        """The response to a GET of url, following up to max_redirects; raises FetchError."""
        headers = {k: v for k, v in (("If-None-Match", etag), ("If-Modified-Since", last_modified)) if v}
        current = url
        for _ in range(self.policy.max_redirects + 1):
            self.check_url(current)
            fetched = self._once(url, current, headers)
            location = fetched.headers.get("location")
            if fetched.status not in REDIRECTS or not location:
                return fetched
            current = urljoin(current, location)
        raise FetchError(f"{url}: more than {self.policy.max_redirects} redirects")

    def check_url(self, url: str) -> None:
        """Refuse what is not http(s), and private, loopback or link-local hosts unless allowed."""
        if not is_http_url(url):
            raise FetchError(f"{url[:200]}: not an http(s) URL")
        if self.policy.allow_private:
            return
        host = urlsplit(url).hostname or ""
        try:
            addresses = {str(info[4][0]) for info in socket.getaddrinfo(host, None)}
        except (socket.gaierror, UnicodeError) as exc:
            raise FetchError(f"{url}: cannot resolve {host} ({exc})") from exc
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%")[0])
            if ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_unspecified:
                raise FetchError(
                    f"{url}: {host} is a private or local address ({ip}); set NEWSBOT_ALLOW_PRIVATE_URLS=true to allow"
                )

    def close(self) -> None:
        self._client.close()

    def _once(self, asked: str, url: str, headers: dict[str, str]) -> Fetched:
        started = time.monotonic()
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                body, truncated = self._body(response, started)
                return Fetched(
                    asked,
                    url,
                    response.status_code,
                    {k.lower(): v for k, v in response.headers.items()},
                    body,
                    truncated,
                )
        except httpx.TimeoutException as exc:
            raise FetchError(f"{url}: timed out after {self.policy.timeout_s:g} s") from exc
        except httpx.HTTPError as exc:
            raise FetchError(f"{url}: {type(exc).__name__}: {str(exc)[:160] or 'request failed'}") from exc

    def _body(self, response: httpx.Response, started: float) -> tuple[bytes, bool]:
        """The decoded body up to max_bytes; a slow trickle is cut at the timeout like a silent server."""
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            chunks.append(chunk)
            size += len(chunk)
            if size > self.policy.max_bytes:
                return b"".join(chunks)[: self.policy.max_bytes], True
            if time.monotonic() - started > self.policy.timeout_s:
                raise FetchError(f"{response.url}: body still arriving after {self.policy.timeout_s:g} s")
        return b"".join(chunks), False
