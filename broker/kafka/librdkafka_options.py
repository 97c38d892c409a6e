"""The librdkafka (confluent-kafka) counterpart of ``kafka_client_options``.

Same cluster, same security as the aiokafka clients of the process: plaintext, or
SASL/OAUTHBEARER with client-credentials tokens from ``identity`` (librdkafka calls
``oauth_cb`` before a token expires) over TLS trusting ``security.kafka_ca_file``.
"""

from __future__ import annotations

from typing import Any

from broker.identity.token_client import TokenClient
from broker.kafka.acl_admin import confluent_admin_config
from broker.settings import Settings

__all__ = ["librdkafka_client_options"]


def librdkafka_client_options(settings: Settings) -> dict[str, Any]:
    """librdkafka settings for the configured cluster and security mode."""
    security = settings.security
    if not security.kafka_auth:
        options = confluent_admin_config(settings.kafka.bootstrap_servers)
    else:
        options = confluent_admin_config(
            settings.kafka.bootstrap_servers,
            security_protocol=security.kafka_security_protocol,
            ca_file=security.kafka_ca_file
            if security.kafka_security_protocol == "SASL_SSL"
            else None,
            token_client=TokenClient.from_settings(settings.identity),
        )
    if security.kafka_auth and security.kafka_security_protocol == "SASL_SSL":
        options.setdefault("ssl.ca.location", "probe")  # the system's CAs, as aiokafka's
    options["client.id"] = settings.kafka.client_id
    return options
