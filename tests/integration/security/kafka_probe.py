"""Ask Kafka directly whether it accepts a bearer token, reading its RFC 7628 answer.

aiokafka 0.14 treats the broker's OAUTHBEARER error challenge (``{"status":"invalid_token"}``)
as success and only fails on the next request, so a client with a bad token just sees
empty metadata. This probe reads the challenge, which is Kafka's own verdict.
"""

from __future__ import annotations

import json
import ssl
from typing import Any

from aiokafka.abc import AbstractTokenProvider
from aiokafka.conn import AIOKafkaConnection, OAuthAuthenticator
from aiokafka.errors import KafkaError
from aiokafka.protocol.metadata import MetadataRequest

ACCEPTED = "accepted"


class StaticTokenProvider(AbstractTokenProvider):  # type: ignore[misc]
    """Always presents the same token."""

    def __init__(self, token: str) -> None:
        self._token = token

    async def token(self) -> str:
        """The fixed token."""
        return self._token


class _Refused(Exception):
    def __init__(self, status: str) -> None:
        super().__init__(status)
        self.status = status


class _StrictOAuth(OAuthAuthenticator):  # type: ignore[misc]
    async def step(self, payload: bytes | None) -> Any:
        if self._token_sent and payload:
            answer = json.loads(payload)
            raise _Refused(str(answer.get("status", "refused")))
        return await super().step(payload)


class _ProbeConnection(AIOKafkaConnection):  # type: ignore[misc]
    def authenticator_oauth(self) -> OAuthAuthenticator:
        return _StrictOAuth(sasl_oauth_token_provider=self._sasl_oauth_token_provider)


async def kafka_verdict(bootstrap: str, context: ssl.SSLContext, token: str) -> str:
    """``"accepted"`` if Kafka authenticates ``token`` and then serves metadata, else Kafka's
    refusal status (e.g. ``invalid_token``)."""
    host, port = bootstrap.rsplit(":", 1)
    conn = _ProbeConnection(
        host,
        int(port),
        ssl_context=context,
        security_protocol="SASL_SSL",
        sasl_mechanism="OAUTHBEARER",
        sasl_oauth_token_provider=StaticTokenProvider(token),
        request_timeout_ms=10_000,
    )
    try:
        await conn.connect()
        response = await conn.send(MetadataRequest([]))
    except _Refused as refused:
        return refused.status
    except KafkaError as error:
        return f"error:{type(error).__name__}"
    finally:
        conn.close()
    return ACCEPTED if response.brokers else "no_metadata"
