"""Kafka validates Keycloak's tokens itself: machines in, people out, attacks refused."""

from __future__ import annotations

import asyncio
import ssl
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from confluent_kafka.admin import AdminClient

from broker.devtools.keycloak.realm_admin import realm_admin_token
from broker.devtools.keycloak.realm_plan import DEV_REALM, KAFKA_SCOPE
from tests.identity_attacks import ATTACKS, sign
from tests.integration.security.kafka_probe import ACCEPTED, kafka_verdict
from tests.support.keycloak_session import SUPERVISEE_REF, KeycloakSession, token_claims

pytestmark = pytest.mark.kafka

AGENCY = "gwent-police"
AGENCY_CLIENT = "gwent-police-adapter"
LIBRDKAFKA_CLIENT = "iom-test-librdkafka"


async def _verdict(keycloak: KeycloakSession, token: str) -> str:
    return await kafka_verdict(keycloak.kafka.bootstrap_servers, keycloak.context, token)


@pytest.mark.parametrize("client_id", [AGENCY_CLIENT, "iom-router", "iom-log-writer"])
async def test_kafka_accepts_machine_tokens_from_keycloak(
    keycloak: KeycloakSession, client_id: str
) -> None:
    """An agency system's and the broker's services' Keycloak tokens authenticate to Kafka."""
    token = await keycloak.client(client_id).fetch()

    assert await _verdict(keycloak, token.value) == ACCEPTED


@pytest.mark.parametrize(
    "username", [f"dpo-{AGENCY}", f"supervisee-{SUPERVISEE_REF}", "oversight", "operator"]
)
async def test_kafka_refuses_peoples_tokens(keycloak: KeycloakSession, username: str) -> None:
    """A DPO's, a supervisee's, the oversight member's or an operator's Keycloak token (API
    audience only) is refused by Kafka at authentication."""
    token = keycloak.person_token(username)

    assert await _verdict(keycloak, token) == "invalid_token"


@pytest.mark.parametrize("attack", sorted(ATTACKS))
async def test_kafka_refuses_hostile_tokens_built_on_keycloaks(
    keycloak: KeycloakSession, attack: str
) -> None:
    """Forged, expired, wrong-audience, wrong-issuer, alg=none, unknown-kid and HMAC-confused
    tokens built on a real Keycloak token's claims are refused by Kafka."""
    claims = token_claims((await keycloak.client(AGENCY_CLIENT).fetch()).value)

    token = ATTACKS[attack](keycloak.signing_key, claims)

    assert await _verdict(keycloak, token) == "invalid_token"


async def test_the_same_claims_signed_by_the_realm_are_accepted(keycloak: KeycloakSession) -> None:
    """The attacks' template, signed with the realm's key and unaltered, is accepted, so each
    refusal above is the attack's doing."""
    claims = token_claims((await keycloak.client(AGENCY_CLIENT).fetch()).value)

    assert await _verdict(keycloak, sign(claims, keycloak.signing_key)) == ACCEPTED


async def test_an_agency_writes_its_own_ingress_with_a_keycloak_token(
    keycloak: KeycloakSession,
) -> None:
    """The agency's adapter, fetching its own Keycloak tokens, publishes to its ingress topic
    (the registry's ACLs name the same principal Keycloak puts in ``sub``)."""
    options = keycloak.kafka_options(AGENCY_CLIENT)

    async def write() -> int:
        producer = AIOKafkaProducer(**options, enable_idempotence=True)
        await producer.start()
        try:
            sent = await producer.send_and_wait(f"ingress.{AGENCY}", b"ping")
            return int(sent.offset)
        finally:
            await producer.stop()

    assert await _retry(write) >= 0


def test_librdkafka_gets_its_own_token_from_keycloak(keycloak: KeycloakSession) -> None:
    """confluent-kafka (librdkafka) with ``sasl.oauthbearer.method=oidc`` fetches its own token
    from Keycloak's token endpoint and Kafka authenticates it (cluster metadata is served)."""
    secret = _secret_client(keycloak, LIBRDKAFKA_CLIENT)
    ca_file = str(keycloak.realm.ca_file)
    admin = AdminClient(
        {
            "bootstrap.servers": keycloak.kafka.bootstrap_servers,
            "security.protocol": "SASL_SSL",
            "ssl.ca.location": ca_file,
            "sasl.mechanisms": "OAUTHBEARER",
            "sasl.oauthbearer.method": "oidc",
            "sasl.oauthbearer.client.id": LIBRDKAFKA_CLIENT,
            "sasl.oauthbearer.client.secret": secret,
            "sasl.oauthbearer.token.endpoint.url": keycloak.realm.token_url,
            "https.ca.location": ca_file,
        }
    )

    metadata = admin.list_topics(timeout=60)

    assert metadata.brokers


def _secret_client(keycloak: KeycloakSession, client_id: str) -> str:
    """A test-only Kafka client authenticating with a secret (librdkafka's OIDC method sends a
    client secret); created through the admin API, returned secret."""
    token = realm_admin_token(keycloak.endpoints, keycloak.state_dir / "keycloak")
    secret = "librdkafka-test-secret-0123456789"
    client = {
        "clientId": client_id,
        "enabled": True,
        "publicClient": False,
        "standardFlowEnabled": False,
        "serviceAccountsEnabled": True,
        "clientAuthenticatorType": "client-secret",
        "secret": secret,
        "defaultClientScopes": ["basic", "service_account", KAFKA_SCOPE],
    }
    account = {
        "username": f"service-account-{client_id}",
        "enabled": True,
        "serviceAccountClientId": client_id,
    }
    body = {"ifResourceExists": "OVERWRITE", "clients": [client], "users": [account]}
    httpx.post(
        f"{keycloak.endpoints.base_url}/admin/realms/{DEV_REALM}/partialImport",
        json=body,
        headers={"Authorization": f"Bearer {token}"},
        verify=ssl.create_default_context(cafile=str(keycloak.realm.ca_file)),
    ).raise_for_status()
    return secret


async def _retry(action: Any, attempts: int = 20) -> Any:
    """Run ``action`` until new ACLs reach the authorizer (a few seconds after provisioning)."""
    for attempt in range(attempts):
        try:
            return await action()
        except Exception:
            if attempt == attempts - 1:
                raise
            await asyncio.sleep(1.0)
    raise AssertionError("unreachable")
