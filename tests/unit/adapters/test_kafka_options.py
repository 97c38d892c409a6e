"""Kafka client settings: plaintext for the local stack, SASL/OAUTHBEARER with a token provider."""

from __future__ import annotations

import pytest

from iom_adapters.sdk.kafka_options import client_options


class StaticTokens:
    """A token provider that always returns the same token."""

    async def token(self) -> str:
        """The token."""
        return "token"

    async def aclose(self) -> None:
        """Nothing to release."""


def test_no_provider_means_plaintext() -> None:
    """Without authentication the client connects in plaintext (local development)."""
    assert client_options("127.0.0.1:9092", "adapter-gdas") == {
        "bootstrap_servers": "127.0.0.1:9092",
        "client_id": "adapter-gdas",
    }


async def test_provider_means_oauthbearer_over_tls() -> None:
    """With a token provider the client uses SASL/OAUTHBEARER over TLS and asks it for tokens."""
    options = client_options("kafka.example:9093", "adapter-gdas", token_provider=StaticTokens())
    assert options["security_protocol"] == "SASL_SSL"
    assert options["sasl_mechanism"] == "OAUTHBEARER"
    assert await options["sasl_oauth_token_provider"].token() == "token"
    assert "ssl_context" in options


def test_inconsistent_security_settings_are_refused() -> None:
    """A SASL protocol without tokens, or tokens over plaintext, is a configuration error."""
    with pytest.raises(ValueError, match="needs a token provider"):
        client_options("k:9093", "c", security_protocol="SASL_SSL")
    with pytest.raises(ValueError, match="not PLAINTEXT"):
        client_options("k:9093", "c", token_provider=StaticTokens(), security_protocol="PLAINTEXT")
