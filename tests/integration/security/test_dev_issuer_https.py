"""The development issuer served over HTTPS: real TLS, real client credentials, real JWKS."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from broker.agency_registry import load_agencies
from broker.devtools.identity.dev_clients import DevClientStore
from broker.devtools.identity.dev_issuer import DevIssuer
from broker.devtools.identity.dev_issuer_server import DevIssuerServer
from broker.devtools.identity.dev_pki import DevPki
from broker.devtools.identity.signing_keys import load_or_create_signing_key
from broker.devtools.ports import free_loopback_port
from broker.identity.jwks_source import HttpJwksSource
from broker.identity.principal import Role
from broker.identity.token_client import TokenClient, TokenRequestError, load_client_key
from broker.identity.token_validator import TokenRejected, TokenValidator
from broker.kafka.client_options import OAuthTokenProvider
from broker.settings import load_settings
from tests.identity_attacks import ATTACKS, claims_for

CLIENT = "probation-wales-adapter"


@dataclass(frozen=True)
class Running:
    """A running issuer and how to trust it."""

    issuer: DevIssuer
    context: ssl.SSLContext
    ca_file: Path
    clients: DevClientStore

    def validator(self) -> TokenValidator:
        """A validator fetching this issuer's JWKS over HTTPS."""
        settings = load_settings()
        keys = HttpJwksSource(self.issuer.jwks_uri, self.context, min_refresh_s=0)
        return TokenValidator(
            issuer=self.issuer.issuer_url,
            audience=settings.identity.audience,
            keys=keys,
            agencies=load_agencies(settings.agencies_file),
        )


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """The dev issuer on a loopback HTTPS port with a certificate from the dev CA."""
    state = tmp_path_factory.mktemp("issuer-https")
    settings = load_settings()
    port = free_loopback_port()
    issuer = DevIssuer.open(
        state / "identity",
        settings,
        load_agencies(settings.agencies_file),
        issuer_url=f"https://127.0.0.1:{port}",
    )
    pki = DevPki(state / "pki")
    cert = pki.issue("iom-http")
    context = ssl.create_default_context(cafile=str(pki.ca_file))
    with DevIssuerServer(issuer, port, cert.cert_file, cert.key_file):
        yield Running(issuer, context, pki.ca_file, DevClientStore(state / "identity" / "clients"))


def test_discovery_is_served_over_verified_tls(running: Running) -> None:
    """The discovery document is reachable over HTTPS trusting only the dev CA."""
    url = f"{running.issuer.issuer_url}/.well-known/openid-configuration"

    doc = httpx.get(url, verify=running.context).json()

    assert doc["token_endpoint"] == running.issuer.token_endpoint


def test_a_client_without_the_ca_cannot_connect(running: Running) -> None:
    """A client that does not trust the dev CA refuses the issuer's certificate."""
    client = TokenClient(
        running.issuer.token_endpoint,
        CLIENT,
        private_key=load_client_key(running.clients.ensure(CLIENT).key_file),
    )

    with pytest.raises(TokenRequestError, match="unreachable for client 'probation-wales-adapter'"):
        client.fetch_sync()


async def test_private_key_jwt_token_validates_against_the_served_jwks(running: Running) -> None:
    """A token obtained with private_key_jwt validates against the JWKS fetched over HTTPS."""
    client = TokenClient(
        running.issuer.token_endpoint,
        CLIENT,
        private_key=load_client_key(running.clients.ensure(CLIENT).key_file),
        ssl_context=running.context,
    )

    token = await client.fetch()

    principal = running.validator().validate(token.value)
    assert (principal.role, principal.agency) == (Role.AGENCY_SYSTEM, "probation-wales")
    assert token.lifetime_s == running.issuer.token_ttl_s


async def test_token_provider_gets_a_token_with_a_client_secret(running: Running) -> None:
    """The Kafka token provider works with client_secret_basic too."""
    secret = running.clients.ensure(CLIENT).secret_file.read_text().strip()
    client = TokenClient(
        running.issuer.token_endpoint, CLIENT, secret=secret, ssl_context=running.context
    )

    token = await OAuthTokenProvider(client).token()

    assert running.validator().validate(token).subject == CLIENT


def test_a_wrong_secret_is_refused_without_echoing_it(running: Running) -> None:
    """A wrong client secret is refused with the OAuth error code, not the secret."""
    client = TokenClient(
        running.issuer.token_endpoint, CLIENT, secret="guessed-secret", ssl_context=running.context
    )

    with pytest.raises(TokenRequestError, match="HTTP 401 invalid_client") as refused:
        client.fetch_sync()
    assert "guessed-secret" not in str(refused.value)


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_validator_with_the_live_jwks_refuses_hostile_tokens(running: Running, attack: str) -> None:
    """Against the live JWKS, every hostile token is refused (unknown kids after a refetch)."""
    key_file = running.clients.directory.parent / "issuer-signing.key"
    key = load_or_create_signing_key(key_file)
    claims = claims_for(
        running.issuer.issuer_url,
        "iom-broker",
        CLIENT,
        iom_role="agency_system",
        iom_agency="probation-wales",
    )

    with pytest.raises(TokenRejected):
        running.validator().validate(ATTACKS[attack](key, claims))
