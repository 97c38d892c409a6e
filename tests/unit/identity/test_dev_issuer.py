"""The development issuer: discovery, JWKS and client-credentials tokens over its HTTP app."""

from __future__ import annotations

import base64
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from joserfc import jwt

from broker.devtools.identity.dev_clients import DevClientStore
from broker.devtools.identity.dev_issuer import (
    CLIENT_ASSERTION_TYPE,
    DevelopmentOnlyError,
    DevIssuer,
)
from broker.devtools.identity.dev_issuer_app import create_dev_issuer_app
from broker.identity.jwks_source import StaticKeySource
from broker.identity.principal import Role
from broker.identity.token_client import load_client_key
from broker.identity.token_validator import TokenValidator
from broker.settings import load_settings
from tests.unit.identity.keys import agencies

URL = "https://127.0.0.1:8443"
CLIENT = "gwent-police-adapter"


@pytest.fixture(scope="module")
def state(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The issuer's state dir."""
    return tmp_path_factory.mktemp("issuer")


@pytest.fixture(scope="module")
def issuer(state: Path) -> DevIssuer:
    """A dev issuer with its keys and clients in a temp dir."""
    return DevIssuer.open(state, load_settings(), agencies(), issuer_url=URL)


@pytest.fixture
def http(issuer: DevIssuer) -> httpx.AsyncClient:
    """An HTTP client talking to the issuer's app in-process."""
    transport = httpx.ASGITransport(app=create_dev_issuer_app(issuer))
    return httpx.AsyncClient(transport=transport, base_url=URL)


def _assertion(key_file: Path, client_id: str, aud: str = f"{URL}/token", **extra: Any) -> str:
    key = load_client_key(key_file)
    now = int(time.time())
    claims = {"iss": client_id, "sub": client_id, "aud": aud, "iat": now, "exp": now + 60}
    claims.update({"jti": str(uuid.uuid4()), **extra})
    return jwt.encode({"alg": "ES256", "kid": key.kid}, claims, key)


def _client_files(state: Path, client_id: str) -> Any:
    return DevClientStore(state / "clients").ensure(client_id)


def _validator(issuer: DevIssuer) -> TokenValidator:
    return TokenValidator(
        issuer=URL, audience="iom-broker", keys=StaticKeySource(issuer.jwks()), agencies=agencies()
    )


async def test_discovery_names_the_jwks_and_token_endpoint(http: httpx.AsyncClient) -> None:
    """The discovery document points at the JWKS and the token endpoint of this issuer."""
    doc = (await http.get("/.well-known/openid-configuration")).json()

    assert doc["issuer"] == URL
    assert doc["jwks_uri"] == f"{URL}/jwks.json"
    assert doc["token_endpoint"] == f"{URL}/token"
    assert "private_key_jwt" in doc["token_endpoint_auth_methods_supported"]


async def test_jwks_publishes_public_keys_only(http: httpx.AsyncClient) -> None:
    """The JWKS has the RS256 signing key without its private parts."""
    [key] = (await http.get("/jwks.json")).json()["keys"]

    assert key["kty"] == "RSA" and key["alg"] == "RS256" and key["kid"]
    assert not {"d", "p", "q", "dp", "dq", "qi"} & set(key)


async def test_private_key_jwt_client_gets_a_token_for_its_agency(
    http: httpx.AsyncClient, issuer: DevIssuer, state: Path
) -> None:
    """An agency client authenticating with a signed assertion gets a token naming its agency."""
    files = _client_files(state, CLIENT)
    form = {
        "grant_type": "client_credentials",
        "client_assertion_type": CLIENT_ASSERTION_TYPE,
        "client_assertion": _assertion(files.key_file, CLIENT),
    }

    answer = await http.post("/token", data=form)

    assert answer.status_code == 200, answer.text
    assert answer.json()["token_type"] == "Bearer"
    principal = _validator(issuer).validate(answer.json()["access_token"])
    assert (principal.role, principal.agency) == (Role.AGENCY_SYSTEM, "gwent-police")


async def test_replayed_client_assertion_is_refused(
    http: httpx.AsyncClient, issuer: DevIssuer, state: Path
) -> None:
    """The same client assertion cannot be used twice."""
    files = _client_files(state, CLIENT)
    form = {
        "grant_type": "client_credentials",
        "client_assertion_type": CLIENT_ASSERTION_TYPE,
        "client_assertion": _assertion(files.key_file, CLIENT),
    }
    assert (await http.post("/token", data=form)).status_code == 200

    again = await http.post("/token", data=form)

    assert again.status_code == 401
    assert again.json()["error"] == "invalid_client"


async def test_assertion_signed_with_another_clients_key_is_refused(
    http: httpx.AsyncClient, issuer: DevIssuer, state: Path
) -> None:
    """Client B's key cannot sign an assertion that claims to be client A."""
    other = _client_files(state, "gdas-adapter")
    form = {
        "grant_type": "client_credentials",
        "client_assertion_type": CLIENT_ASSERTION_TYPE,
        "client_assertion": _assertion(other.key_file, CLIENT),
    }

    assert (await http.post("/token", data=form)).status_code == 401


async def test_assertion_for_another_audience_is_refused(
    http: httpx.AsyncClient, issuer: DevIssuer, state: Path
) -> None:
    """An assertion addressed to some other server is refused."""
    files = _client_files(state, CLIENT)
    form = {
        "grant_type": "client_credentials",
        "client_assertion_type": CLIENT_ASSERTION_TYPE,
        "client_assertion": _assertion(files.key_file, CLIENT, aud="https://elsewhere"),
    }

    assert (await http.post("/token", data=form)).status_code == 401


async def test_client_secret_basic_works_and_a_wrong_secret_does_not(
    http: httpx.AsyncClient, issuer: DevIssuer, state: Path
) -> None:
    """client_secret_basic with the right secret gets a token; a wrong one gets 401."""
    secret = _client_files(state, CLIENT).secret_file.read_text().strip()
    good = base64.b64encode(f"{CLIENT}:{secret}".encode()).decode()
    bad = base64.b64encode(f"{CLIENT}:not-the-secret".encode()).decode()
    form = {"grant_type": "client_credentials"}

    ok = await http.post("/token", data=form, headers={"Authorization": f"Basic {good}"})
    refused = await http.post("/token", data=form, headers={"Authorization": f"Basic {bad}"})

    assert ok.status_code == 200
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"].startswith("Basic")
    assert "not-the-secret" not in refused.text


async def test_unauthenticated_and_unsupported_requests_are_refused(
    http: httpx.AsyncClient,
) -> None:
    """No client authentication is 401 invalid_client; another grant is unsupported."""
    assert (await http.post("/token", data={"grant_type": "client_credentials"})).status_code == 401
    wrong = await http.post("/token", data={"grant_type": "password"})
    assert (wrong.status_code, wrong.json()["error"]) == (400, "unsupported_grant_type")


def test_the_issuer_refuses_to_start_in_production(tmp_path: Path) -> None:
    """In production mode the development issuer will not open its keys."""
    settings = load_settings(
        security={"mode": "production", "kafka_auth": True},
        api={"tls_cert_file": tmp_path / "api.crt", "tls_key_file": tmp_path / "api.key"},
    )

    with pytest.raises(DevelopmentOnlyError, match="production"):
        DevIssuer.open(tmp_path, settings, agencies())


def test_client_keys_and_secrets_are_owner_only(issuer: DevIssuer, state: Path) -> None:
    """Generated client keys and secrets are readable by their owner only."""
    files = _client_files(state, CLIENT)

    assert files.key_file.stat().st_mode & 0o077 == 0
    assert files.secret_file.stat().st_mode & 0o077 == 0
