"""Security and identity settings: production is never plaintext, secrets never shown."""

from __future__ import annotations

import pytest

from broker.settings import SettingsError, load_settings


def test_production_mode_refuses_plaintext_kafka() -> None:
    """Production mode without Kafka authentication is refused, naming the setting."""
    with pytest.raises(SettingsError, match="kafka_auth must be true in production"):
        load_settings(security={"mode": "production"})


def test_production_mode_refuses_sasl_plaintext(monkeypatch: pytest.MonkeyPatch) -> None:
    """SASL_PLAINTEXT is loopback-only and refused in production."""
    monkeypatch.setenv("IOM_SECURITY__MODE", "production")
    monkeypatch.setenv("IOM_SECURITY__KAFKA_AUTH", "true")
    monkeypatch.setenv("IOM_SECURITY__KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT")

    with pytest.raises(SettingsError, match="production needs SASL_SSL"):
        load_settings()


def test_hmac_algorithms_cannot_be_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Configuring HS256 or none as a token algorithm is refused."""
    monkeypatch.setenv("IOM_IDENTITY__ALGORITHMS", '["RS256", "HS256"]')

    with pytest.raises(SettingsError, match=r"identity\.algorithms.*HS256"):
        load_settings()


def test_issuer_audience_and_claim_mapping_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An agency IdP is configured by issuer URL, audience and claim names."""
    monkeypatch.setenv("IOM_IDENTITY__ISSUER", "https://login.example/tenant/v2.0")
    monkeypatch.setenv("IOM_IDENTITY__AUDIENCE", "api://iom")
    monkeypatch.setenv("IOM_IDENTITY__CLAIMS__ROLE_CLAIM", "roles")

    identity = load_settings().identity

    assert identity.effective_jwks_url == "https://login.example/tenant/v2.0/jwks.json"
    assert identity.audience == "api://iom"
    assert identity.claims.role_claim == "roles"


def test_secrets_from_the_environment_are_not_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pseudonymisation keys given in the environment never appear in the settings' repr."""
    monkeypatch.setenv("IOM_SECURITY__PSEUDONYM_KEYS", "k1=c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0")

    settings = load_settings()

    assert "c2VjcmV0" not in repr(settings)
    assert settings.security.pseudonym_keys is not None
