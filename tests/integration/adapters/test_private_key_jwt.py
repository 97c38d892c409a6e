"""An adapter authenticates to the development issuer (HTTPS) with ``private_key_jwt``."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from broker.catalogue.catalogue import default_catalogue
from broker.devtools.identity.dev_clients import DevClientStore
from broker.devtools.identity.dev_issuer import DevIssuer
from broker.devtools.identity.dev_issuer_server import DevIssuerServer
from broker.devtools.identity.dev_pki import DevPki
from broker.devtools.ports import free_loopback_port
from broker.identity.jwks_source import StaticKeySource
from broker.identity.principal import Role
from broker.identity.token_client import load_client_key
from broker.identity.token_validator import TokenValidator
from broker.settings import load_settings
from iom_adapters.police import CustodyExportAdapter
from iom_adapters.sdk.auth import ClientCredentialsTokenProvider, TokenError
from iom_adapters.sdk.config import load_config
from iom_adapters.sdk.runner import AdapterRunner
from iom_adapters.sdk.yaml_lines import ConfigFileError
from tests.unit.identity.keys import agencies

POLICE = "gwent-police-adapter"


@dataclass(frozen=True)
class ServedIssuer:
    """The issuer, its state dir and the CA its certificate chains to."""

    issuer: DevIssuer
    state: Path
    ca_file: Path

    def key_file(self, client_id: str) -> Path:
        """The private key file the issuer made for ``client_id``."""
        return DevClientStore(self.state / "clients").ensure(client_id).key_file

    def principal(self, token: str) -> tuple[Role, str | None]:
        """The role and agency ``token`` names, checked against the issuer's JWKS."""
        validator = TokenValidator(
            issuer=self.issuer.issuer_url,
            audience=self.issuer.audience,
            keys=StaticKeySource(self.issuer.jwks()),
            agencies=agencies(),
        )
        found = validator.validate(token)
        return found.role, found.agency


@pytest.fixture(scope="module")
def dev_issuer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedIssuer]:
    """The development issuer over HTTPS on a free loopback port."""
    state = tmp_path_factory.mktemp("adapter-issuer")
    port = free_loopback_port()
    issuer = DevIssuer.open(
        state / "identity", load_settings(), agencies(), issuer_url=f"https://127.0.0.1:{port}"
    )
    pki = DevPki(state / "pki")
    cert = pki.issue("iom-http")
    with DevIssuerServer(issuer, port, cert.cert_file, cert.key_file):
        yield ServedIssuer(issuer, state / "identity", pki.ca_file)


async def test_private_key_jwt_gets_the_agencys_token_and_reuses_it(
    dev_issuer: ServedIssuer,
) -> None:
    """The police adapter's signed assertion earns a token naming Gwent Police, reused after."""
    provider = ClientCredentialsTokenProvider(
        dev_issuer.issuer.token_endpoint,
        POLICE,
        private_key=load_client_key(dev_issuer.key_file(POLICE)),
        verify=str(dev_issuer.ca_file),
    )
    try:
        first = await provider.token()
        second = await provider.token()
    finally:
        await provider.aclose()

    assert dev_issuer.principal(first) == (Role.AGENCY_SYSTEM, "gwent-police")
    assert second == first and provider.fetches == 1


async def test_each_fetch_uses_a_fresh_assertion(dev_issuer: ServedIssuer) -> None:
    """Two fetches in a row both succeed: the issuer refuses a replayed assertion, so each
    assertion must carry its own jti."""
    provider = ClientCredentialsTokenProvider(
        dev_issuer.issuer.token_endpoint,
        POLICE,
        private_key=load_client_key(dev_issuer.key_file(POLICE)),
        verify=str(dev_issuer.ca_file),
        refresh_margin=10_000,
    )
    try:
        await provider.token()
        await provider.token()
    finally:
        await provider.aclose()

    assert provider.fetches == 2


async def test_another_agencys_key_is_refused_without_leaking_it(
    dev_issuer: ServedIssuer,
) -> None:
    """Signing as the police with the probation adapter's key gets no token."""
    key_file = dev_issuer.key_file("probation-wales-adapter")
    provider = ClientCredentialsTokenProvider(
        dev_issuer.issuer.token_endpoint,
        POLICE,
        private_key=load_client_key(key_file),
        verify=str(dev_issuer.ca_file),
    )
    try:
        with pytest.raises(TokenError) as caught:
            await provider.token()
    finally:
        await provider.aclose()

    message = str(caught.value)
    assert "invalid_client" in message and POLICE in message
    assert "PRIVATE KEY" not in message and key_file.read_text()[40:80] not in message


async def test_config_file_with_private_key_jwt_authenticates(
    dev_issuer: ServedIssuer, tmp_path: Path
) -> None:
    """``auth: {auth_method: private_key_jwt, client_key_file: ...}`` in an adapter's config
    gives a runner whose token provider authenticates to the issuer."""
    config_path = tmp_path / "police.yaml"
    config_path.write_text(
        textwrap.dedent(
            f"""\
            agency: gwent-police
            state_dir: state
            auth:
              kind: client_credentials
              token_url: {dev_issuer.issuer.token_endpoint}
              client_id: {POLICE}
              auth_method: private_key_jwt
              client_key_file: {dev_issuer.key_file(POLICE)}
              ca_file: {dev_issuer.ca_file}
            """
        ),
        encoding="utf-8",
    )
    config, located = load_config(config_path)
    runner = AdapterRunner(
        CustodyExportAdapter,
        config,
        default_catalogue(),
        agencies=agencies(),
        located=located,
        base_dir=tmp_path,
    )
    provider = runner.token_provider
    assert provider is not None
    try:
        token = await provider.token()
    finally:
        await provider.aclose()

    assert dev_issuer.principal(token) == (Role.AGENCY_SYSTEM, "gwent-police")


def test_private_key_jwt_without_a_key_file_is_a_config_error(tmp_path: Path) -> None:
    """Choosing private_key_jwt without naming the key is refused at its line."""
    config_path = tmp_path / "police.yaml"
    config_path.write_text(
        "auth:\n  kind: client_credentials\n  token_url: https://idp.example/token\n"
        "  client_id: gwent-police-adapter\n  auth_method: private_key_jwt\n",
        encoding="utf-8",
    )

    with pytest.raises(ConfigFileError, match="private_key_jwt needs client_key_file"):
        load_config(config_path)
