"""Webhook sink: POST each delivery as JSON to the agency's endpoint, signed, with retries.

Headers: ``X-IOM-Timestamp`` (Unix seconds), ``X-IOM-Signature: sha256=<hex>`` (HMAC-SHA256 with
the shared secret over ``<timestamp>.<body>``, so a replayed or altered body fails
verification), ``X-IOM-Delivery-Id`` and ``Idempotency-Key`` (the disclosure id: a re-delivered
record carries the same one), ``X-IOM-Event-Type``.

A 2xx answer acknowledges. Network errors, 408, 425, 429 and 5xx are retried with exponential
backoff (``Retry-After`` honoured) up to ``max_attempts``; then the batch fails and the
subscriber tries again later, committing nothing. Any other 4xx is a permanent refusal: the
delivery is kept in the ``undelivered`` folder (if configured) and reported, so the partition
is not blocked; without that folder the batch fails.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import time
from collections.abc import Sequence

import httpx
import structlog

from iom_adapters.sdk.backoff import Backoff
from iom_adapters.sdk.delivery import Delivery
from iom_adapters.sdk.sinks.base import SinkError
from iom_adapters.sdk.sinks.jsonl_folder import JsonlFolderSink

log = structlog.get_logger(__name__)

SIGNATURE_HEADER = "X-IOM-Signature"
TIMESTAMP_HEADER = "X-IOM-Timestamp"
_RETRYABLE = frozenset({408, 425, 429})
_MAX_RETRY_AFTER_S = 60.0


def signature(secret: bytes, timestamp: str, body: bytes) -> str:
    """The ``X-IOM-Signature`` value of a body sent at ``timestamp``."""
    digest = hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify_signature(secret: bytes, timestamp: str, body: bytes, header: str) -> bool:
    """Whether ``header`` is the right signature (constant-time); for receivers and tests."""
    return hmac.compare_digest(signature(secret, timestamp, body), header)


class WebhookSink:
    """POSTs deliveries to ``url`` one by one, in order."""

    def __init__(
        self,
        url: str,
        secret: bytes,
        *,
        max_attempts: int = 5,
        timeout: float = 10.0,
        undelivered: JsonlFolderSink | None = None,
        backoff: Backoff | None = None,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        if not secret:
            raise ValueError("a webhook needs a non-empty signing secret")
        self.url = url
        self._secret = secret
        self._max_attempts = max_attempts
        self._undelivered = undelivered
        self._backoff = backoff or Backoff(initial=0.5, maximum=30.0)
        self._client = client or httpx.AsyncClient(timeout=timeout)
        self.posted = 0

    async def write(self, deliveries: Sequence[Delivery]) -> None:
        """POST every delivery; raise SinkError if one cannot be delivered now."""
        for delivery in deliveries:
            await self._post(delivery)

    async def _post(self, delivery: Delivery) -> None:
        body = delivery.json().encode()
        self._backoff.reset()
        problem = ""
        for attempt in range(1, self._max_attempts + 1):
            stamp = str(int(time.time()))
            headers = {
                "Content-Type": "application/json",
                TIMESTAMP_HEADER: stamp,
                SIGNATURE_HEADER: signature(self._secret, stamp, body),
                "X-IOM-Delivery-Id": delivery.disclosure_id,
                "Idempotency-Key": delivery.disclosure_id,
                "X-IOM-Event-Type": str(delivery.record["envelope"]["event_type"]),
            }
            delay = self._backoff.next_delay()
            try:
                response = await self._client.post(self.url, content=body, headers=headers)
            except httpx.HTTPError as error:
                problem = type(error).__name__
            else:
                if response.is_success:
                    self.posted += 1
                    return
                if response.status_code < 500 and response.status_code not in _RETRYABLE:
                    await self._refused(delivery, response.status_code)
                    return
                problem = f"HTTP {response.status_code}"
                delay = max(delay, _retry_after(response))
            log.warning(
                "adapter.webhook.retry",
                url=self.url,
                attempt=attempt,
                problem=problem,
                delivery_id=delivery.disclosure_id,
            )
            if attempt < self._max_attempts:
                await asyncio.sleep(delay)
        raise SinkError(f"webhook {self.url} failed {self._max_attempts} times ({problem})")

    async def _refused(self, delivery: Delivery, status: int) -> None:
        log.error(
            "adapter.webhook.refused",
            url=self.url,
            status=status,
            delivery_id=delivery.disclosure_id,
        )
        if self._undelivered is None:
            raise SinkError(f"webhook {self.url} refused a delivery with HTTP {status}")
        await self._undelivered.write([delivery])

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self._client.aclose()


def _retry_after(response: httpx.Response) -> float:
    value = response.headers.get("Retry-After", "")
    try:
        return min(float(value), _MAX_RETRY_AFTER_S)
    except ValueError:
        return 0.0
