"""Build the API's context from settings: the one place the API's collaborators are opened."""

from __future__ import annotations

import ssl
from typing import Any

from broker.agency_registry import load_agencies
from broker.api.readiness import kafka_probe
from broker.catalogue.catalogue import SchemaCatalogue
from broker.catalogue.codec import AvroCodec
from broker.http.context import ApiContext, DeadLetterSource
from broker.http.witness_names import named_witnesses
from broker.identity.jwks_source import HttpJwksSource
from broker.identity.provider_metadata import fetch_provider
from broker.identity.sign_in_flow import RelyingParty
from broker.identity.token_validator import TokenValidator
from broker.kafka.client_options import kafka_client_options
from broker.kafka.consumer_lag import group_lag_probe
from broker.kafka.topics import ingress_topic
from broker.policy.activation import Activation
from broker.policy_admin.activation_publisher import publish_activation
from broker.policy_admin.activation_runner import PolicyPublisher
from broker.policy_admin.policy_directory import policy_context, read_policy_source
from broker.policy_admin.workspace import PolicyWorkspace
from broker.records.database import RecordsDatabase
from broker.records.subject_requests import SubjectAccessRequests
from broker.records.web_sessions import WebSessionStore
from broker.router.dead_letter_notices import DeadLetterNotice, recent_dead_letters
from broker.settings import Settings
from broker.statistics.oversight import OversightStatistics
from broker.statistics.wiring import open_statistics_store, statistics_context
from broker.transparency.wiring import open_log

__all__ = ["build_context"]


def build_context(settings: Settings) -> ApiContext:
    """The context for ``settings``; raises ValueError (one line) if something cannot load,
    including an identity provider that does not offer what the broker needs."""
    catalogue = SchemaCatalogue.load(settings.schema_dir)
    agencies = load_agencies(settings.agencies_file)
    records = RecordsDatabase(settings.api.store_url)
    policies = PolicyWorkspace(
        read_policy_source(settings.policy_file),
        policy_context(catalogue, agencies),
        AvroCodec(catalogue),
        records,
        scenario_root=settings.policy_file,
    )
    identity = settings.identity
    context = ssl.create_default_context(cafile=identity.ca_file) if identity.ca_file else None
    provider = None
    if identity.check_provider:
        provider = fetch_provider(
            identity.issuer,
            identity.algorithms,
            ssl_context=context,
            pkce_unadvertised=identity.pkce_s256_unadvertised,
        )
    jwks_url = identity.jwks_url or (provider.jwks_uri if provider else identity.effective_jwks_url)
    keys = HttpJwksSource(jwks_url, ssl_context=context)
    sign_in = settings.sign_in
    configured = sign_in.client_key_file is not None or sign_in.client_secret_file is not None
    options = _probe_options(settings)
    return ApiContext(
        settings=settings.api,
        validator=TokenValidator.from_settings(identity, keys, agencies),
        log=open_log(settings.transparency),
        catalogue=catalogue,
        agencies=agencies,
        kafka_probe=kafka_probe(
            settings.kafka.bootstrap_servers, settings.api.kafka_timeout_s, options
        ),
        policies=policies,
        router_lag=group_lag_probe(
            settings.kafka.bootstrap_servers,
            settings.router.group_id,
            [ingress_topic(agency) for agency in agencies.ids],
            options,
            settings.api.kafka_timeout_s,
        ),
        subject_requests=SubjectAccessRequests(records, agencies.ids),
        policy_publisher=_publisher(settings),
        dead_letters=_dead_letters(settings),
        sign_in=RelyingParty.from_settings(settings, keys, provider) if configured else None,
        web_sessions=WebSessionStore(
            records,
            idle_s=sign_in.session_idle_timeout_s,
            absolute_s=sign_in.session_absolute_timeout_s,
        ),
        traffic_dir=settings.policy_file / "traffic",
        statistics=OversightStatistics(
            open_statistics_store(settings), statistics_context(settings), records
        ),
        witnesses=named_witnesses(settings.transparency.witnesses),
    )


def _publisher(settings: Settings) -> PolicyPublisher:
    """Publish activations as ``iom-broker policy activate`` does (as the API's Kafka identity)."""
    servers = settings.kafka.bootstrap_servers
    options = kafka_client_options(settings)

    async def publish(activation: Activation) -> None:
        await publish_activation(servers, activation, options)

    return publish


def _dead_letters(settings: Settings) -> DeadLetterSource:
    """Read an agency's dead-letter headers as the API's Kafka identity."""
    servers, options = settings.kafka.bootstrap_servers, _probe_options(settings)

    async def newest(agency: str, limit: int) -> list[DeadLetterNotice]:
        return await recent_dead_letters(
            servers, agency, limit, options, settings.api.kafka_timeout_s
        )

    return newest


def _probe_options(settings: Settings) -> dict[str, Any]:
    """How the readiness probe authenticates to Kafka (nothing extra when it is plaintext)."""
    options = kafka_client_options(settings)
    return {k: v for k, v in options.items() if k not in ("bootstrap_servers", "client_id")}
