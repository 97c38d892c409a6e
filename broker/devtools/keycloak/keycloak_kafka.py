"""A secured local Kafka whose clients authenticate with Keycloak's tokens.

DEVELOPMENT ONLY. :class:`KeycloakSecuredKafka` points Kafka's
``OAuthBearerValidatorCallbackHandler`` at the development realm's JWKS and issuer with
Kafka's own audience, so only agency systems' and the broker's services' tokens authenticate
(a DPO's or supervisee's token carries the API audience alone). It starts Keycloak (realm
applied), then Kafka, then creates the topic plan and the registry's ACLs and quotas, as
``SecuredLocalKafka`` does with the development issuer.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from broker.devtools.identity.dev_pki import DevPki
from broker.devtools.kafka.kafka_launcher import KafkaLauncher, local_kafka
from broker.devtools.kafka.secured_local_kafka import (
    NODE_PRINCIPAL,
    SecuredLocalStack,
    kafka_security,
    provision,
)
from broker.devtools.keycloak.dev_realm import DevRealm, set_up_dev_realm
from broker.devtools.keycloak.local_keycloak import LocalKeycloak
from broker.domain.agency import AgencyDirectory
from broker.settings import Settings

__all__ = ["KeycloakSecuredKafka", "KeycloakStack", "realm_stack"]


@dataclass(frozen=True)
class KeycloakStack:
    """The running Kafka (how clients reach it) and the realm its tokens come from."""

    kafka: SecuredLocalStack
    realm: DevRealm


def realm_stack(bootstrap_servers: str, realm: DevRealm) -> SecuredLocalStack:
    """How a client reaches Kafka with tokens from ``realm`` (its own signed-JWT key)."""
    return SecuredLocalStack(
        bootstrap_servers,
        realm.issuer,
        realm.ca_file,
        realm.clients_dir,
        token_url=realm.token_url,
        jwks_url=realm.jwks_url,
    )


class KeycloakSecuredKafka:
    """Keycloak + a secured single-node Kafka under ``state_dir`` (``keycloak/``, ``pki/``,
    ``identity/``, ``kafka/``)."""

    def __init__(
        self,
        state_dir: Path,
        settings: Settings,
        agencies: AgencyDirectory,
        *,
        brokers: int = 1,
        redirect_uris: Sequence[str] = (),
    ) -> None:
        self.state_dir = Path(state_dir).resolve()
        self.settings = settings
        self.agencies = agencies
        self.brokers = brokers
        self.redirect_uris = tuple(redirect_uris)
        self.pki = DevPki(self.state_dir / "pki")
        self.keycloak = LocalKeycloak(self.state_dir)
        self.kafka: KafkaLauncher | None = None
        self.stack: KeycloakStack | None = None

    def start(self, timeout: float = 120.0) -> KeycloakStack:
        """Keycloak (or the one running) and its realm, then Kafka (``brokers`` nodes), topics,
        ACLs and quotas; on failure everything started is stopped."""
        try:
            endpoints = self.keycloak.start()
            realm = set_up_dev_realm(
                endpoints,
                self.state_dir,
                self.settings,
                self.agencies,
                redirect_uris=self.redirect_uris,
            )
            node = self.pki.issue(NODE_PRINCIPAL, client=True)
            security = kafka_security(
                jwks_url=realm.jwks_url,
                issuer=realm.issuer,
                audience=realm.kafka_audience,
                pki=self.pki,
                node_keystore=node.bundle_file,
                settings=self.settings,
            )
            self.kafka = local_kafka(self.state_dir, self.brokers, security)
            bootstrap = self.kafka.start(timeout=timeout if self.brokers == 1 else timeout + 30)
            self.stack = KeycloakStack(realm_stack(bootstrap, realm), realm)
            asyncio.run(provision(self.stack.kafka, self.settings, self.agencies))
            return self.stack
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Stop Kafka, then Keycloak; idempotent."""
        if self.kafka is not None:
            self.kafka.stop()
        self.keycloak.stop()
