"""Questions per user per minute, counted in this process."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque

WINDOW_SECONDS = 60.0


class RateLimiter:
    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._asked: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def allow(self, user: str, now: float | None = None) -> bool:
        """True, and counts the question, if the user has asked fewer than per_minute in the last minute."""
        if self.per_minute <= 0:
            return True
        now = time.monotonic() if now is None else now
        with self._lock:
            asked = self._asked[user]
            while asked and asked[0] <= now - WINDOW_SECONDS:
                asked.popleft()
            if len(asked) >= self.per_minute:
                return False
            asked.append(now)
            return True
