"""server.properties for a node that authenticates and authorises: pure, no I/O.

Three listeners:

- ``CLIENT``: SASL_SSL (or SASL_PLAINTEXT on loopback in development) with OAUTHBEARER;
  Kafka validates each JWT itself against the issuer's JWKS (signature, ``exp``, ``iat``,
  expected ``aud`` and ``iss``; ``alg=none`` refused) and the principal is ``User:<sub>``.
- ``INTERNAL`` (inter-broker) and ``CONTROLLER``: mutual TLS; a certificate from the
  project's CA with subject ``CN=<name>`` becomes ``User:<name>``. Nothing is anonymous.

``StandardAuthorizer`` denies whatever no ACL allows; the node and the broker's admin
principal are super users. The JWKS URL must also be passed to the JVM as the system
property ``org.apache.kafka.sasl.oauthbearer.allowed.urls`` (see :func:`jvm_system_properties`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath

from broker.devtools.kafka.server_properties import (
    CONTROLLER_LISTENER,
    Listener,
    Voter,
    quorum_voters,
    server_properties,
)

__all__ = [
    "ALLOWED_URLS_PROPERTY",
    "CLIENT_LISTENER",
    "INTERNAL_LISTENER",
    "KafkaSecurity",
    "jvm_system_properties",
    "secured_single_node_properties",
    "security_properties",
]

CLIENT_LISTENER = "CLIENT"
INTERNAL_LISTENER = "INTERNAL"
ALLOWED_URLS_PROPERTY = "org.apache.kafka.sasl.oauthbearer.allowed.urls"
VALIDATOR_HANDLER = (
    "org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallbackHandler"
)
LOGIN_MODULE = "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule"
AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer"
_PRINCIPAL = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")
_UNSAFE_JAAS = re.compile(r'["\\;\s]')


@dataclass(frozen=True)
class KafkaSecurity:
    """What a secured node needs: the token issuer, the CA and the node's own certificate.

    ``node_keystore`` is a PEM file holding the node's PKCS#8 key then its certificate chain
    (issued with client-auth use, subject ``CN=<node_principal>``); ``ca_file`` is trusted for
    the internal listeners and for fetching the JWKS over HTTPS. ``super_users`` are principal
    names (without ``User:``) besides the node itself.
    """

    jwks_url: str
    issuer: str
    audience: str
    ca_file: Path
    node_keystore: Path
    node_principal: str = "iom-kafka-node"
    super_users: tuple[str, ...] = ("iom-admin",)
    client_tls: bool = True
    jwks_refresh_ms: int = 60_000
    reauth_ms: int = 0
    """``connections.max.reauth.ms`` on the client listener: the node closes a connection
    whose authenticated session is older than this or whose token has expired (on its next
    request) unless the client re-authenticates. 0: Kafka's default (sessions never end)."""

    def __post_init__(self) -> None:
        for name in (self.node_principal, *self.super_users):
            if not _PRINCIPAL.match(name):
                raise ValueError(f"principal {name!r} must be a lower-case slug")
        for label, value in (
            ("jwks_url", self.jwks_url),
            ("ca_file", str(self.ca_file)),
            ("node_keystore", str(self.node_keystore)),
        ):
            if _UNSAFE_JAAS.search(value) or "," in value:
                raise ValueError(f"{label} {value!r} has a quote, comma, ';' or space")

    @property
    def client_protocol(self) -> str:
        """``SASL_SSL``, or ``SASL_PLAINTEXT`` when client TLS is off (loopback development)."""
        return "SASL_SSL" if self.client_tls else "SASL_PLAINTEXT"


def security_properties(security: KafkaSecurity) -> dict[str, str]:
    """The authentication, TLS and authorisation settings of a secured node."""
    client = f"listener.name.{CLIENT_LISTENER.lower()}"
    # The login module also builds a token for the node's own (client-side) login; the node
    # never authenticates with OAUTHBEARER (its listeners use mutual TLS), so that token is
    # an unsigned placeholder no listener would accept. The ssl.* options are read by the
    # JWKS fetcher (HTTPS to the issuer, trusting our CA).
    jaas = (
        f"{LOGIN_MODULE} required "
        f'unsecuredLoginStringClaim_sub="{security.node_principal}" '
        f'ssl.truststore.type="PEM" ssl.truststore.location="{security.ca_file}";'
    )
    supers = [security.node_principal, *security.super_users]
    reauth = {}
    if security.reauth_ms > 0:
        reauth[f"{client}.oauthbearer.connections.max.reauth.ms"] = str(security.reauth_ms)
    return {
        **reauth,
        f"{client}.sasl.enabled.mechanisms": "OAUTHBEARER",
        f"{client}.oauthbearer.sasl.jaas.config": jaas,
        f"{client}.oauthbearer.sasl.server.callback.handler.class": VALIDATOR_HANDLER,
        f"{client}.ssl.client.auth": "none",
        "sasl.enabled.mechanisms": "OAUTHBEARER",
        "sasl.oauthbearer.jwks.endpoint.url": security.jwks_url,
        "sasl.oauthbearer.jwks.endpoint.refresh.ms": str(security.jwks_refresh_ms),
        "sasl.oauthbearer.expected.audience": security.audience,
        "sasl.oauthbearer.expected.issuer": security.issuer,
        "sasl.oauthbearer.sub.claim.name": "sub",
        "ssl.keystore.type": "PEM",
        "ssl.keystore.location": str(security.node_keystore),
        "ssl.truststore.type": "PEM",
        "ssl.truststore.location": str(security.ca_file),
        "ssl.client.auth": "required",
        "ssl.endpoint.identification.algorithm": "https",
        "ssl.principal.mapping.rules": "RULE:^CN=([^,]+)$/$1/,DEFAULT",
        "authorizer.class.name": AUTHORIZER,
        "allow.everyone.if.no.acl.found": "false",
        "super.users": ";".join(f"User:{name}" for name in dict.fromkeys(supers)),
    }


def jvm_system_properties(security: KafkaSecurity) -> tuple[str, ...]:
    """``-D`` options the broker JVM needs: the JWKS URL must be explicitly allowed."""
    return (f"-D{ALLOWED_URLS_PROPERTY}={security.jwks_url}",)


def secured_single_node_properties(
    *,
    port: int,
    internal_port: int,
    controller_port: int,
    log_dir: str | PurePath,
    security: KafkaSecurity,
    node_id: int = 1,
    host: str = "127.0.0.1",
    advertised_host: str | None = None,
    voters: Sequence[Voter] | None = None,
    replication_factor: int = 1,
) -> dict[str, str]:
    """A combined broker+controller whose clients authenticate on ``host:port``.

    ``advertised_host`` (default ``host``) is the name clients, the inter-broker listener and
    the controller quorum use, e.g. ``kafka`` in docker-compose while binding ``0.0.0.0``; the
    node's certificate must name it. Alone by default; ``voters`` and ``replication_factor``
    make it one node of a cluster (every node uses the same node certificate, so all are the
    same principal).
    """
    ports = (port, internal_port, controller_port)
    if len(set(ports)) != 3:
        raise ValueError(f"ports {ports} must be three different ports")
    named = advertised_host or host
    listeners: Sequence[Listener] = [
        Listener(
            CLIENT_LISTENER,
            port,
            host=host,
            advertised_host=named,
            protocol=security.client_protocol,
        ),
        Listener(
            INTERNAL_LISTENER, internal_port, host=host, advertised_host=named, protocol="SSL"
        ),
        Listener(CONTROLLER_LISTENER, controller_port, host=host, protocol="SSL"),
    ]
    return server_properties(
        node_id=node_id,
        log_dir=log_dir,
        listeners=listeners,
        voters=quorum_voters(node_id, voters, Voter(node_id, named, controller_port)),
        inter_broker_listener=INTERNAL_LISTENER,
        replication_factor=replication_factor,
        extra=security_properties(security),
    )
