"""The session's real Keycloak (realm from the registry) and a secured Kafka trusting it.

``start_keycloak_stack`` lists a development supervisee, starts Keycloak and Kafka through
:class:`~broker.devtools.keycloak.keycloak_kafka.KeycloakSecuredKafka`, then gives the realm a
signing key the tests hold (highest priority, so Keycloak signs with it): the attack suite can
then build hostile tokens from "the issuer's real key", as it did with the development issuer.
"""

from __future__ import annotations

import base64
import json
import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from joserfc.jwk import RSAKey

from broker.agency_registry import load_agencies
from broker.devtools.identity.dev_users import add_dev_supervisee
from broker.devtools.kafka.secured_local_kafka import SecuredLocalStack
from broker.devtools.keycloak.dev_realm import DevRealm, set_up_dev_realm
from broker.devtools.keycloak.keycloak_kafka import KeycloakSecuredKafka
from broker.devtools.keycloak.local_keycloak import KeycloakEndpoints
from broker.devtools.keycloak.realm_admin import realm_admin_token
from broker.devtools.keycloak.realm_plan import DEV_REALM
from broker.domain.agency import AgencyDirectory
from broker.identity.jwks_source import HttpJwksSource
from broker.identity.token_client import TokenClient, load_client_key
from broker.identity.token_validator import TokenValidator
from broker.kafka.client_options import kafka_client_options
from broker.settings import Settings, load_settings

__all__ = ["SUPERVISEE_REF", "KeycloakSession", "start_keycloak_stack", "token_claims"]

SUPERVISEE_REF = "subj-0123456789abcdef0123456789abcdef"


@dataclass
class KeycloakSession:
    """The running Keycloak and Kafka, the realm, and the key the realm signs with."""

    runner: KeycloakSecuredKafka
    endpoints: KeycloakEndpoints
    realm: DevRealm
    kafka: SecuredLocalStack
    settings: Settings
    agencies: AgencyDirectory
    signing_key: RSAKey

    @property
    def state_dir(self) -> Path:
        """The state folder Keycloak and Kafka keep their files in."""
        return self.runner.state_dir

    @property
    def context(self) -> ssl.SSLContext:
        """TLS trusting the development CA only."""
        return ssl.create_default_context(cafile=str(self.realm.ca_file))

    def client(self, client_id: str) -> TokenClient:
        """A token client for ``client_id`` authenticating with its signed-JWT key."""
        key = load_client_key(self.realm.clients_dir / f"{client_id}.key")
        return TokenClient(
            self.realm.token_url, client_id, private_key=key, ssl_context=self.context
        )

    def person_token(self, username: str) -> str:
        """A development person's access token (the development realm's password grant)."""
        answer = httpx.post(
            self.realm.token_url,
            data={
                "grant_type": "password",
                "client_id": self.realm.dev_token_client,
                "username": username,
                "password": self.realm.password_file.read_text().strip(),
            },
            verify=self.context,
        )
        answer.raise_for_status()
        return str(answer.json()["access_token"])

    def api_validator(self) -> TokenValidator:
        """The API's validator: the realm's issuer and JWKS, the API audience."""
        return TokenValidator(
            issuer=self.realm.issuer,
            audience=self.settings.identity.audience,
            keys=HttpJwksSource(self.realm.jwks_url, self.context, min_refresh_s=0),
            agencies=self.agencies,
        )

    def kafka_options(self, client_id: str) -> dict[str, Any]:
        """aiokafka arguments for ``client_id`` with its own Keycloak token provider."""
        return kafka_client_options(self.kafka.settings_for(client_id, self.settings))

    def reapply_realm(self, redirect_uris: list[str]) -> DevRealm:
        """Apply the realm again (idempotent), registering ``redirect_uris`` for the web."""
        return set_up_dev_realm(
            self.endpoints,
            self.state_dir,
            self.settings,
            self.agencies,
            redirect_uris=redirect_uris,
            force=True,
        )


def token_claims(token: str) -> dict[str, Any]:
    """A token's claims as Keycloak wrote them (unverified: the tests inspect and reuse them)."""
    body = token.split(".")[1]
    loaded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    return loaded


def start_keycloak_stack(state: Path) -> KeycloakSession:
    """Start Keycloak (realm applied, test signing key added) and a secured Kafka in ``state``."""
    settings = load_settings()
    agencies = load_agencies(settings.agencies_file)
    add_dev_supervisee(state / "identity", SUPERVISEE_REF, "Test supervisee")
    runner = KeycloakSecuredKafka(state, settings, agencies)
    key = RSAKey.generate_key(2048, parameters={"alg": "RS256", "use": "sig"}, auto_kid=True)
    try:
        endpoints = runner.keycloak.start()
        realm = set_up_dev_realm(endpoints, state, settings, agencies)
        _add_signing_key(endpoints, state / "keycloak", key)  # before Kafka reads the JWKS
        key = _as_published(key, realm)
        stack = runner.start()
    except BaseException:
        runner.stop()
        raise
    return KeycloakSession(runner, endpoints, stack.realm, stack.kafka, settings, agencies, key)


def _as_published(key: RSAKey, realm: DevRealm) -> RSAKey:
    """``key`` under the ``kid`` Keycloak publishes it with (Keycloak names keys itself)."""
    context = ssl.create_default_context(cafile=str(realm.ca_file))
    published = httpx.get(realm.jwks_url, verify=context).raise_for_status().json()["keys"]
    modulus = key.as_dict(private=False)["n"]
    [kid] = [k["kid"] for k in published if k.get("n") == modulus]
    return RSAKey.import_key(
        key.as_pem(private=True), parameters={"alg": "RS256", "use": "sig", "kid": kid}
    )


def _add_signing_key(endpoints: KeycloakEndpoints, keycloak_dir: Path, key: RSAKey) -> None:
    token = realm_admin_token(endpoints, keycloak_dir)
    context = ssl.create_default_context(cafile=str(endpoints.ca_file))
    with httpx.Client(
        base_url=f"{endpoints.base_url}/admin/realms/{DEV_REALM}",
        headers={"Authorization": f"Bearer {token}"},
        verify=context,
    ) as admin:
        realm_id = admin.get("").raise_for_status().json()["id"]
        component = {
            "name": "iom-test-signing-key",
            "providerId": "rsa",
            "providerType": "org.keycloak.keys.KeyProvider",
            "parentId": realm_id,
            "config": {
                "priority": ["1000"],
                "enabled": ["true"],
                "active": ["true"],
                "algorithm": ["RS256"],
                "privateKey": [key.as_pem(private=True).decode()],
            },
        }
        admin.post("/components", json=component).raise_for_status()
