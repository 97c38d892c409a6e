"""Kafka client options from settings, and the token provider's refresh before expiry."""

from __future__ import annotations

import ssl
from pathlib import Path

from broker.identity.token_client import AccessToken
from broker.kafka.client_options import OAuthTokenProvider, kafka_client_options
from broker.settings import load_settings


class FakeTokenClient:
    """Hands out numbered tokens of a fixed lifetime and counts fetches."""

    client_id = "gwent-police-adapter"

    def __init__(self, clock: list[float], lifetime: float = 300.0) -> None:
        self.clock = clock
        self.lifetime = lifetime
        self.fetches = 0

    async def fetch(self) -> AccessToken:
        """A new token, valid from the fake clock's now."""
        self.fetches += 1
        return AccessToken(f"token-{self.fetches}", self.clock[0] + self.lifetime, self.lifetime)


def test_plaintext_is_the_default() -> None:
    """Without kafka_auth, clients connect in plaintext with just the bootstrap servers."""
    options = kafka_client_options(load_settings())

    assert options == {
        "bootstrap_servers": "127.0.0.1:9092",
        "client_id": "iom-broker",
        "security_protocol": "PLAINTEXT",
    }


def test_kafka_auth_gives_sasl_ssl_oauthbearer_with_a_tls_context(tmp_path: Path) -> None:
    """With kafka_auth, clients use SASL_SSL + OAUTHBEARER, a verifying TLS context and the
    given token provider."""
    provider = OAuthTokenProvider(FakeTokenClient([0.0]))
    settings = load_settings(security={"kafka_auth": True})

    options = kafka_client_options(settings, token_provider=provider)

    assert options["security_protocol"] == "SASL_SSL"
    assert options["sasl_mechanism"] == "OAUTHBEARER"
    assert options["sasl_oauth_token_provider"] is provider
    context = options["ssl_context"]
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname


def test_sasl_plaintext_has_no_tls_context() -> None:
    """The loopback-only SASL_PLAINTEXT mode carries no TLS context."""
    settings = load_settings(
        security={"kafka_auth": True, "kafka_security_protocol": "SASL_PLAINTEXT"}
    )

    options = kafka_client_options(
        settings, token_provider=OAuthTokenProvider(FakeTokenClient([0]))
    )

    assert options["security_protocol"] == "SASL_PLAINTEXT"
    assert "ssl_context" not in options


async def test_token_is_reused_then_refreshed_before_it_expires() -> None:
    """The provider reuses a token while it is fresh and fetches a new one a margin before
    expiry, so Kafka never sees an expired token."""
    clock = [1000.0]
    client = FakeTokenClient(clock, lifetime=300.0)
    provider = OAuthTokenProvider(client, refresh_margin_s=60.0, clock=lambda: clock[0])

    first = await provider.token()
    clock[0] += 200.0  # 100 s left: still outside the 60 s margin
    second = await provider.token()
    clock[0] += 45.0  # 55 s left: inside the margin
    third = await provider.token()

    assert (first, second, third) == ("token-1", "token-1", "token-2")
    assert client.fetches == 2


async def test_short_lived_tokens_are_refreshed_at_half_life() -> None:
    """A token living less than twice the margin is renewed after half its lifetime."""
    clock = [0.0]
    client = FakeTokenClient(clock, lifetime=60.0)
    provider = OAuthTokenProvider(client, refresh_margin_s=60.0, clock=lambda: clock[0])

    await provider.token()
    clock[0] = 29.0
    await provider.token()
    clock[0] = 31.0
    await provider.token()

    assert client.fetches == 2
