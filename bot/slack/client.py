"""The Slack Web API client newsbot posts with: slack_sdk's retry handlers for every transient failure.

429 (waits Retry-After), 5xx, ok:false with a transient error such as "ratelimited", dropped connections
and timeouts are retried with back-off, so one hiccup never loses an answer. A timed-out post may have
reached Slack, so a retry after a timeout can (rarely) post twice; a lost answer is the worse outcome."""

from __future__ import annotations

from http.client import RemoteDisconnected
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.http_retry import RetryHandler
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

RETRIES = 4  # per call and kind of failure; with back-off 0.5, 1, 2, 4 s
TRANSIENT_ERRORS = {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}
BACKOFF = BackoffRetryIntervalCalculator(backoff_factor=0.5)
TIMEOUT_SECONDS = 15


class ServerErrorRetryHandler(RetryHandler):
    """Any 5xx, and an ok:false reply whose error says Slack is busy rather than that the call is wrong."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is None:
            return False
        if response.status_code >= 500:
            return True
        body = response.body if isinstance(response.body, dict) else {}
        return response.status_code == 200 and body.get("ok") is False and body.get("error") in TRANSIENT_ERRORS


def web_client(token: str, base_url: str) -> WebClient:
    """A WebClient that retries transient failures instead of raising them."""
    return WebClient(
        token=token,
        base_url=base_url,
        timeout=TIMEOUT_SECONDS,
        retry_handlers=[
            ConnectionErrorRetryHandler(
                max_retry_count=RETRIES,
                interval_calculator=BACKOFF,
                error_types=[URLError, ConnectionResetError, RemoteDisconnected, TimeoutError],
            ),
            RateLimitErrorRetryHandler(max_retry_count=RETRIES),
            ServerErrorRetryHandler(max_retry_count=RETRIES, interval_calculator=BACKOFF),
        ],
    )
