"""server.properties of a secured node: OAUTHBEARER on clients, mTLS inside, ACLs enforced."""

from __future__ import annotations

from pathlib import Path

import pytest

from broker.devtools.kafka.server_properties import render_properties
from broker.devtools.kafka.server_security import (
    KafkaSecurity,
    jvm_system_properties,
    secured_single_node_properties,
)

JWKS = "https://127.0.0.1:8443/jwks.json"


def _security(**overrides: object) -> KafkaSecurity:
    options: dict[str, object] = {
        "jwks_url": JWKS,
        "issuer": "https://127.0.0.1:8443",
        "audience": "iom-broker",
        "ca_file": Path("/s/pki/ca.crt"),
        "node_keystore": Path("/s/pki/iom-kafka-node.pem"),
    }
    options.update(overrides)
    return KafkaSecurity(**options)  # type: ignore[arg-type]


def _props(security: KafkaSecurity) -> dict[str, str]:
    return secured_single_node_properties(
        port=19092, internal_port=19094, controller_port=19093, log_dir="/d", security=security
    )


def test_no_listener_is_plaintext() -> None:
    """Clients use SASL_SSL; the internal and controller listeners use mutual TLS."""
    props = _props(_security())

    assert props["listener.security.protocol.map"] == (
        "CLIENT:SASL_SSL,INTERNAL:SSL,CONTROLLER:SSL"
    )
    assert props["inter.broker.listener.name"] == "INTERNAL"
    assert props["ssl.client.auth"] == "required"
    assert props["listener.name.client.ssl.client.auth"] == "none"


def test_kafka_validates_jwts_against_the_issuer() -> None:
    """The client listener validates tokens with Kafka's JWKS validator, audience and issuer."""
    props = _props(_security())

    assert props["listener.name.client.oauthbearer.sasl.server.callback.handler.class"].endswith(
        "OAuthBearerValidatorCallbackHandler"
    )
    assert props["sasl.oauthbearer.jwks.endpoint.url"] == JWKS
    assert props["sasl.oauthbearer.expected.audience"] == "iom-broker"
    assert props["sasl.oauthbearer.expected.issuer"] == "https://127.0.0.1:8443"
    assert jvm_system_properties(_security()) == (
        f"-Dorg.apache.kafka.sasl.oauthbearer.allowed.urls={JWKS}",
    )


def test_acls_are_enforced_with_only_the_node_and_admin_as_super_users() -> None:
    """StandardAuthorizer denies by default; super users are the node and the admin only."""
    props = _props(_security())

    assert props["authorizer.class.name"].endswith("StandardAuthorizer")
    assert props["allow.everyone.if.no.acl.found"] == "false"
    assert props["super.users"] == "User:iom-kafka-node;User:iom-admin"


def test_sasl_plaintext_is_available_for_loopback_development() -> None:
    """With client TLS off the client listener is SASL_PLAINTEXT, still authenticated."""
    props = _props(_security(client_tls=False))

    assert props["listener.security.protocol.map"].startswith("CLIENT:SASL_PLAINTEXT,")


def test_properties_render_to_a_valid_file() -> None:
    """The JAAS line and every value fit on one properties line."""
    text = render_properties(_props(_security()))

    assert 'ssl.truststore.location="/s/pki/ca.crt";' in text


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"jwks_url": 'https://x/"; evil'}, "jwks_url"),
        ({"super_users": ("Admin;User:x",)}, "principal"),
        ({"node_principal": "Node"}, "principal 'Node'"),
    ],
)
def test_values_that_could_break_the_configuration_are_refused(
    overrides: dict[str, object], message: str
) -> None:
    """A quote, semicolon or odd principal name cannot be smuggled into the JAAS or ACL config."""
    with pytest.raises(ValueError, match=message):
        _security(**overrides)


def test_three_distinct_ports_are_required() -> None:
    """The client, internal and controller ports must differ."""
    with pytest.raises(ValueError, match="three different ports"):
        secured_single_node_properties(
            port=1, internal_port=1, controller_port=2, log_dir="/d", security=_security()
        )


def test_client_listener_ends_expired_token_sessions_when_configured() -> None:
    """With a re-authentication limit, the OAUTHBEARER listener closes sessions past it (or
    past their token's expiry); without one, Kafka's default (never) is left alone."""
    limited = _props(_security(reauth_ms=600_000))
    assert limited["listener.name.client.oauthbearer.connections.max.reauth.ms"] == "600000"
    assert not any("reauth" in key for key in _props(_security()))
