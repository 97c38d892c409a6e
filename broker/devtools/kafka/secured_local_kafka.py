"""A local Kafka that authenticates and authorises, with the development issuer beside it.

Development only (``dev up`` uses the same pieces, with the issuer as its own process):
``SecuredLocalKafka(state_dir, settings, agencies).start()`` creates the dev CA and
certificates, starts the development OIDC issuer over HTTPS on loopback, starts Kafka with
OAUTHBEARER + ACLs (:mod:`broker.devtools.kafka.server_security`), creates the topic plan as the
admin principal and applies the registry's ACLs. :meth:`SecuredLocalStack.settings_for`
gives the settings a given client (agency adapter, router, admin) connects with.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

import structlog

from broker.devtools.identity.dev_clients import DevClientStore
from broker.devtools.identity.dev_issuer import DEFAULT_TOKEN_TTL_S, DevIssuer
from broker.devtools.identity.dev_issuer_server import DevIssuerServer
from broker.devtools.identity.dev_pki import DevPki
from broker.devtools.kafka.local_kafka import LocalKafka
from broker.devtools.kafka.server_security import KafkaSecurity
from broker.devtools.ports import free_loopback_port
from broker.devtools.started import StoppedOnExit
from broker.domain.agency import AgencyDirectory
from broker.identity.token_client import TokenClient
from broker.kafka.acl_admin import AclReport, confluent_admin_config, ensure_acls
from broker.kafka.acls import acl_plan
from broker.kafka.broker_principals import broker_principals
from broker.kafka.client_options import kafka_client_options
from broker.kafka.quota_admin import ensure_quotas
from broker.kafka.quotas import quota_plan
from broker.kafka.topic_admin import ensure_topic_plan
from broker.settings import Settings, load_settings

__all__ = [
    "HTTP_CERT_NAME",
    "NODE_PRINCIPAL",
    "SecuredLocalKafka",
    "SecuredLocalStack",
    "kafka_security",
    "provision",
]

NODE_PRINCIPAL = "iom-kafka-node"
HTTP_CERT_NAME = "iom-http"

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class SecuredLocalStack:
    """Where the secured stack answers and what a client needs to reach it."""

    bootstrap_servers: str
    issuer_url: str
    ca_file: Path
    clients_dir: Path
    token_url: str | None = None
    """The issuer's token endpoint; default ``<issuer>/token`` (the development issuer's)."""
    jwks_url: str | None = None
    """The issuer's JWKS; default ``<issuer>/jwks.json`` (the development issuer's)."""

    def settings_for(self, client_id: str, base: Settings | None = None) -> Settings:
        """Settings for client ``client_id`` (``private_key_jwt`` with its dev key)."""
        base = base or load_settings()
        return load_settings(
            kafka=base.kafka.model_copy(update={"bootstrap_servers": self.bootstrap_servers}),
            identity=base.identity.model_copy(
                update={
                    "issuer": self.issuer_url,
                    "token_url": self.token_url,
                    "jwks_url": self.jwks_url,
                    "client_id": client_id,
                    "client_key_file": DevClientStore(self.clients_dir).ensure(client_id).key_file,
                    "client_secret_file": None,
                    "ca_file": self.ca_file,
                }
            ),
            security=base.security.model_copy(
                update={
                    "kafka_auth": True,
                    "kafka_security_protocol": "SASL_SSL",
                    "kafka_ca_file": self.ca_file,
                }
            ),
        )


class SecuredLocalKafka(StoppedOnExit):
    """Dev issuer + secured single-node Kafka under ``state_dir`` (``pki/``, ``identity/``,
    ``kafka/``)."""

    def __init__(
        self,
        state_dir: Path,
        settings: Settings,
        agencies: AgencyDirectory,
        *,
        token_ttl_s: int = DEFAULT_TOKEN_TTL_S,
    ) -> None:
        self.state_dir = Path(state_dir).resolve()
        self.settings = settings
        self.agencies = agencies
        self.token_ttl_s = token_ttl_s
        self.pki = DevPki(self.state_dir / "pki")
        self.identity_dir = self.state_dir / "identity"
        self._server: DevIssuerServer | None = None
        self.issuer: DevIssuer | None = None
        self.kafka: LocalKafka | None = None
        self.stack: SecuredLocalStack | None = None

    def __enter__(self) -> SecuredLocalStack:
        return self.start()

    def start(self, timeout: float = 90.0) -> SecuredLocalStack:
        """Start issuer and Kafka, create topics and ACLs; return the connection facts."""
        try:
            return self._start(timeout)
        except BaseException:
            self.stop()
            raise

    def _start(self, timeout: float) -> SecuredLocalStack:
        http = self.pki.issue(HTTP_CERT_NAME)
        node = self.pki.issue(NODE_PRINCIPAL, client=True)
        port = free_loopback_port()
        issuer = DevIssuer.open(
            self.identity_dir,
            self.settings,
            self.agencies,
            issuer_url=f"https://127.0.0.1:{port}",
            token_ttl_s=self.token_ttl_s,
        )
        self.issuer = issuer
        self._server = DevIssuerServer(issuer, port, http.cert_file, http.key_file)
        self._server.start()
        issuer.record(self.identity_dir)
        security = kafka_security(
            jwks_url=issuer.jwks_uri,
            issuer=issuer.issuer_url,
            audience=issuer.audience,
            pki=self.pki,
            node_keystore=node.bundle_file,
            settings=self.settings,
        )
        self.kafka = LocalKafka(self.state_dir, security=security)
        bootstrap = self.kafka.start(timeout=timeout)
        self.stack = SecuredLocalStack(
            bootstrap, issuer.issuer_url, self.pki.ca_file, self.identity_dir / "clients"
        )
        asyncio.run(self.provision())
        return self.stack

    async def provision(self) -> AclReport:
        """Create the topic plan and apply the ACL plan, as the admin principal."""
        assert self.stack is not None
        return await provision(self.stack, self.settings, self.agencies)

    def stop(self) -> None:
        """Stop Kafka, then the issuer; idempotent."""
        if self.kafka is not None:
            self.kafka.stop()
        if self._server is not None:
            self._server.stop()
            self._server = None


def kafka_security(
    *,
    jwks_url: str,
    issuer: str,
    audience: str,
    pki: DevPki,
    node_keystore: Path,
    settings: Settings,
) -> KafkaSecurity:
    """The secured node's configuration: validate the tokens ``issuer`` signs (keys at
    ``jwks_url``) for ``audience``, trust ``pki``'s CA."""
    return KafkaSecurity(
        jwks_url=jwks_url,
        issuer=issuer,
        audience=audience,
        ca_file=pki.ca_file,
        node_keystore=node_keystore,
        node_principal=NODE_PRINCIPAL,
        super_users=(settings.security.admin_principal,),
        reauth_ms=settings.security.kafka_reauth_ms,
    )


async def provision(
    stack: SecuredLocalStack, settings: Settings, agencies: AgencyDirectory
) -> AclReport:
    """Create the topic plan and apply the registry's ACL and quota plans, as the admin."""
    admin = stack.settings_for(settings.security.admin_principal, settings)
    options = kafka_client_options(admin)
    await ensure_topic_plan(
        stack.bootstrap_servers,
        agencies.ids,
        options,
        replication_factor=settings.kafka.replication_factor,
        min_insync_replicas=settings.kafka.min_insync_replicas,
    )
    config = confluent_admin_config(
        stack.bootstrap_servers,
        security_protocol="SASL_SSL",
        ca_file=stack.ca_file,
        token_client=TokenClient.from_settings(admin.identity),
    )
    principals = broker_principals(settings)
    managed = [f"User:{a.principal}" for a in agencies]
    managed += [f"User:{principals.router}", f"User:{principals.log_writer}"]
    report = await ensure_acls(config, acl_plan(agencies, principals), managed_principals=managed)
    quotas = await ensure_quotas(
        options,
        quota_plan(agencies, settings.security.agency_quotas.model_dump()),
        managed_principals=[a.principal for a in agencies],
    )
    log.info(
        "kafka.secured_provisioned",
        acls_created=len(report.created),
        quotas_altered=len(quotas.altered),
    )
    return report
