"""The one place that turns settings into aiokafka client keyword arguments.

Plaintext (``security.kafka_auth=false``, the default of a bare process) gives
``bootstrap_servers``, ``client_id`` and ``security_protocol="PLAINTEXT"``. With
``security.kafka_auth`` it adds SASL/OAUTHBEARER with a token provider that fetches
client-credentials tokens and refreshes them before they expire, and a TLS context for
``SASL_SSL``. Usage::

    consumer = AIOKafkaConsumer(*topics, **kafka_client_options(settings), group_id=...)
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import Callable
from typing import Any, Protocol

import structlog
from aiokafka.abc import AbstractTokenProvider

from broker.identity.token_client import AccessToken, TokenClient
from broker.settings import Settings

__all__ = [
    "OAuthTokenProvider",
    "TokenSource",
    "group_liveness_options",
    "kafka_client_options",
    "kafka_ssl_context",
]

log = structlog.get_logger(__name__)


class TokenSource(Protocol):
    """What the provider needs from a token client (:class:`TokenClient` is one)."""

    client_id: str

    async def fetch(self) -> AccessToken:
        """A new access token."""
        ...


class OAuthTokenProvider(AbstractTokenProvider):  # type: ignore[misc]
    """Hands aiokafka a current access token, fetching a new one before the old expires.

    A token is renewed once less than ``refresh_margin_s`` (at most half its lifetime) is
    left, so a connection never authenticates with a token about to lapse. Concurrent
    callers share one fetch.
    """

    def __init__(
        self,
        client: TokenSource,
        refresh_margin_s: float = 60.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._client = client
        self._margin_s = refresh_margin_s
        self._clock = clock
        self._token: AccessToken | None = None
        self._lock = asyncio.Lock()

    async def token(self) -> str:
        """A token valid for at least the refresh margin (aiokafka calls this on connect)."""
        async with self._lock:
            if self._token is None or self._needs_refresh(self._token):
                self._token = await self._client.fetch()
                log.info(
                    "kafka.token_refreshed",
                    client_id=self._client.client_id,
                    lifetime_s=round(self._token.lifetime_s),
                )
            return self._token.value

    def _needs_refresh(self, token: AccessToken) -> bool:
        margin = min(self._margin_s, token.lifetime_s / 2)
        return self._clock() >= token.expires_at - margin


def kafka_ssl_context(settings: Settings) -> ssl.SSLContext:
    """TLS context trusting ``security.kafka_ca_file`` (or the system's CAs)."""
    ca_file = settings.security.kafka_ca_file
    return ssl.create_default_context(cafile=str(ca_file) if ca_file else None)


def kafka_client_options(
    settings: Settings, *, token_provider: AbstractTokenProvider | None = None
) -> dict[str, Any]:
    """aiokafka keyword arguments for the configured cluster and security mode.

    Pass one ``token_provider`` to every client of a process so they share tokens; without
    one, a provider for ``identity.client_id`` is built from the settings.
    """
    options: dict[str, Any] = {
        "bootstrap_servers": settings.kafka.bootstrap_servers,
        "client_id": settings.kafka.client_id,
    }
    security = settings.security
    if not security.kafka_auth:
        options["security_protocol"] = "PLAINTEXT"
        return options
    options["security_protocol"] = security.kafka_security_protocol
    options["sasl_mechanism"] = "OAUTHBEARER"
    options["sasl_oauth_token_provider"] = token_provider or OAuthTokenProvider(
        TokenClient.from_settings(settings.identity)
    )
    if security.kafka_security_protocol == "SASL_SSL":
        options["ssl_context"] = kafka_ssl_context(settings)
    return options


def group_liveness_options(session_timeout_ms: int) -> dict[str, int]:
    """A group consumer's session timeout, heartbeating every second (or a third of the
    session, if shorter) so a brief stall does not cost the member its partitions."""
    return {
        "session_timeout_ms": session_timeout_ms,
        "heartbeat_interval_ms": min(1_000, session_timeout_ms // 3),
    }
