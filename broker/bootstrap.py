"""The one place that wires settings, files and components together."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from broker.agency_registry import load_agencies
from broker.catalogue.catalogue import SchemaCatalogue
from broker.catalogue.codec import AvroCodec
from broker.domain.agency import AgencyDirectory
from broker.domain.cohort_table import CohortTable
from broker.kafka.client_options import kafka_client_options
from broker.kafka.topics import ingress_topic
from broker.policy.engine import CompiledPolicy, PolicyEngine
from broker.policy.validate import PolicyContext
from broker.policy_admin.policy_directory import load_policy, policy_context
from broker.router.cohort_follower import CohortFollower
from broker.router.kafka_router import KafkaRouter
from broker.router.policy_follower import PolicyFollower
from broker.router.record_processor import RecordProcessor
from broker.settings import Settings

SUBJECT_KEY_BYTES = 32


@dataclass(frozen=True)
class CoreComponents:
    """What every broker process needs: the catalogue, the agencies and the policy."""

    catalogue: SchemaCatalogue
    codec: AvroCodec
    agencies: AgencyDirectory
    policy: CompiledPolicy
    policy_context: PolicyContext


def load_core(settings: Settings) -> CoreComponents:
    """Load and cross-check the catalogue, agency registry and policy named by ``settings``.

    Raise PolicyError (every problem ``file:line: message``) if the policy is not valid.
    """
    catalogue = SchemaCatalogue.load(settings.schema_dir)
    agencies = load_agencies(settings.agencies_file)
    context = policy_context(catalogue, agencies)
    policy, _warnings = load_policy(settings.policy_file, context)
    return CoreComponents(catalogue, AvroCodec(catalogue), agencies, policy, context)


def subject_key(path: Path) -> bytes:
    """The key that turns identifiers into subject references; created on first use (dev)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(SUBJECT_KEY_BYTES))
    return bytes.fromhex(path.read_text().strip())


def pseudonym_key(subject_secret: bytes) -> bytes:
    """The master key of per-recipient pseudonyms, derived from (and separate in use to) it."""
    return hmac.new(subject_secret, b"iom-broker/pseudonyms/v1", hashlib.sha256).digest()


def build_router(settings: Settings) -> tuple[KafkaRouter, CohortTable]:
    """A router ready to run; it loads the cohort itself and follows the ``subjects`` topic.

    It starts on the configured policy directory and switches to whatever version is active
    on the ``policies`` topic (see :class:`PolicyFollower`) before routing anything.
    """
    core = load_core(settings)
    secret = subject_key(settings.subject_key_file)
    cohort = CohortTable(secret)
    engine = PolicyEngine(core.policy, pseudonym_key(secret))
    processor = RecordProcessor(
        core.codec, engine, core.agencies, cohort, settings.router.max_record_bytes
    )
    topics = [ingress_topic(agency) for agency in core.agencies.ids]
    options = kafka_client_options(settings)  # one token provider for all the router's clients
    follower = PolicyFollower(settings.kafka.bootstrap_servers, core.policy_context, options)
    cohort_follower = CohortFollower(settings.kafka.bootstrap_servers, cohort, options)
    router = KafkaRouter(settings, processor, cohort, topics, follower, options, cohort_follower)
    return router, cohort
