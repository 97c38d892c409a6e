"""The librdkafka (confluent-kafka) counterpart of ``kafka_client_options``.

Same cluster, same security as the aiokafka clients of the process: plaintext, or
SASL/OAUTHBEARER with client-credentials tokens from ``identity`` (librdkafka calls
``oauth_cb`` before a token expires, and re-authenticates its connections with it) over
TLS trusting ``security.kafka_ca_file`` (or the system's CAs).
"""

from __future__ import annotations

from typing import Any

import structlog

from broker.identity.token_client import TokenClient
from broker.kafka.acl_admin import confluent_admin_config
from broker.settings import Settings

__all__ = ["librdkafka_client_options"]

log = structlog.get_logger(__name__)


def librdkafka_client_options(settings: Settings) -> dict[str, Any]:
    """librdkafka settings for the configured cluster and security mode."""
    security = settings.security
    if not security.kafka_auth:
        options = confluent_admin_config(settings.kafka.bootstrap_servers)
    else:
        tls = security.kafka_security_protocol == "SASL_SSL"
        tokens = TokenClient.from_settings(settings.identity)
        options = confluent_admin_config(
            settings.kafka.bootstrap_servers,
            security_protocol=security.kafka_security_protocol,
            ca_file=security.kafka_ca_file if tls else None,
            token_client=tokens,
        )
        if tls:
            options.setdefault("ssl.ca.location", "probe")  # the system's CAs, as aiokafka's

        def oauth_cb(_config: str) -> tuple[str, float]:
            token = tokens.fetch_sync()
            log.info(
                "kafka.token_refreshed",
                client_id=tokens.client_id,
                lifetime_s=round(token.lifetime_s),
            )
            return token.value, token.expires_at

        options["oauth_cb"] = oauth_cb
    options["client.id"] = settings.kafka.client_id
    return options
