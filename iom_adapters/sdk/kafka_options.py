"""aiokafka client settings for an adapter: plaintext locally, SASL/OAUTHBEARER with a token
provider otherwise."""

from __future__ import annotations

import ssl
from typing import Any, Literal

from aiokafka.abc import AbstractTokenProvider

from iom_adapters.sdk.auth import TokenProvider

SecurityProtocol = Literal["PLAINTEXT", "SASL_PLAINTEXT", "SASL_SSL"]


class _KafkaTokenBridge(AbstractTokenProvider):  # type: ignore[misc]
    """Hands our provider's tokens to aiokafka's OAUTHBEARER login."""

    def __init__(self, provider: TokenProvider) -> None:
        self._provider = provider

    async def token(self) -> str:
        return await self._provider.token()


def client_options(
    bootstrap_servers: str,
    client_id: str,
    *,
    token_provider: TokenProvider | None = None,
    security_protocol: SecurityProtocol | None = None,
    ca_file: str | None = None,
) -> dict[str, Any]:
    """Keyword arguments for AIOKafkaProducer/Consumer.

    Without a token provider the connection is plaintext (the local dev stack). With one, it
    is SASL/OAUTHBEARER over TLS (``SASL_SSL``) unless ``SASL_PLAINTEXT`` is asked for.
    """
    options: dict[str, Any] = {"bootstrap_servers": bootstrap_servers, "client_id": client_id}
    if token_provider is None:
        if security_protocol not in (None, "PLAINTEXT"):
            raise ValueError(f"security protocol {security_protocol} needs a token provider")
        return options
    protocol = security_protocol or "SASL_SSL"
    if protocol == "PLAINTEXT":
        raise ValueError("a token provider needs SASL_SSL or SASL_PLAINTEXT, not PLAINTEXT")
    options.update(
        security_protocol=protocol,
        sasl_mechanism="OAUTHBEARER",
        sasl_oauth_token_provider=_KafkaTokenBridge(token_provider),
    )
    if protocol == "SASL_SSL":
        options["ssl_context"] = ssl.create_default_context(cafile=ca_file)
    return options
