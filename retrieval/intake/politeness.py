"""Politeness toward each host: robots.txt obeyed (with its Crawl-delay), and at least a minimum gap between two
requests to one host, across every thread of the watcher."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from protego import Protego

from retrieval.intake.fetch import Fetcher, FetchError

HOST_GAP_S = 5.0  # between two requests to one host (NEWSBOT_HOST_GAP_S); robots.txt Crawl-delay may ask more
ROBOTS_TTL_S = 24 * 3600.0  # robots.txt is read again after a day


def host_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}"


class HostGate:
    """One request at a time per host, the next starting at least the gap after the last one ended, so the
    host itself sees the gap whatever the network or this process's threads add."""

    def __init__(
        self,
        gap_s: float = HOST_GAP_S,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.gap_s = gap_s
        self._clock, self._sleep = clock, sleep
        self._next: dict[str, float] = {}  # when each host may next be asked
        self._hosts: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    @contextmanager
    def turn(self, host: str, gap_s: float = 0.0) -> Iterator[None]:
        """Wait for the host's turn, hold it for the request, then keep the host quiet for the gap (or gap_s, a
        robots.txt Crawl-delay, when longer)."""
        with self._lock:
            host_lock = self._hosts.setdefault(host, threading.Lock())
        with host_lock:
            wait = self._next.get(host, 0.0) - self._clock()
            if wait > 0:
                self._sleep(wait)
            try:
                yield
            finally:
                with self._lock:
                    quiet_until = self._clock() + max(self.gap_s, gap_s)
                    self._next[host] = max(self._next.get(host, 0.0), quiet_until)

    def delay(self, host: str, seconds: float) -> None:
        """Keep the host quiet for at least seconds (a 429's Retry-After)."""
        with self._lock:
            self._next[host] = max(self._next.get(host, 0.0), self._clock() + seconds)


class Robots:
    """robots.txt per host, fetched through the gate, cached for a day. A missing file allows everything; one
    that cannot be fetched (5xx, timeout) disallows the host until it can, as Google and Miniflux do."""

    def __init__(self, fetcher: Fetcher, gate: HostGate, clock: Callable[[], float] = time.monotonic) -> None:
        self._fetcher, self._gate, self._clock = fetcher, gate, clock
        self._cache: dict[str, tuple[float, Protego | None]] = {}
        self._lock = threading.Lock()

    def allowed(self, url: str) -> bool:
        rules = self._rules(host_of(url))
        return rules is not None and rules.can_fetch(url, self._fetcher.policy.user_agent)

    def crawl_delay(self, url: str) -> float:
        rules = self._rules(host_of(url))
        delay = rules.crawl_delay(self._fetcher.policy.user_agent) if rules else None
        return float(delay or 0.0)

    def _rules(self, host: str) -> Protego | None:
        with self._lock:
            cached = self._cache.get(host)
        if cached and self._clock() - cached[0] < ROBOTS_TTL_S:
            return cached[1]
        rules = self._read(host)
        with self._lock:
            self._cache[host] = (self._clock(), rules)
        return rules

    def _read(self, host: str) -> Protego | None:
        try:
            with self._gate.turn(host):
                fetched = self._fetcher.get(f"{host}/robots.txt")
        except FetchError:
            return None
        if fetched.status >= 500 or fetched.status == 429:
            return None
        if fetched.status >= 400:
            return Protego.parse("")
        return Protego.parse(fetched.body.decode("utf-8", "replace"))
