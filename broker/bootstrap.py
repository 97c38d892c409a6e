"""The one place that wires settings, files and components together."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from broker.agency_registry import load_agencies
from broker.catalogue.catalogue import SchemaCatalogue
from broker.catalogue.codec import AvroCodec
from broker.domain.agency import AgencyDirectory
from broker.domain.cohort_table import CohortTable
from broker.kafka.topics import ingress_topic
from broker.policy.sharing_policy import SharingPolicy, parse_policy, validate_policy
from broker.router.kafka_router import KafkaRouter
from broker.router.record_processor import RecordProcessor
from broker.settings import Settings

SUBJECT_KEY_BYTES = 32


@dataclass(frozen=True)
class CoreComponents:
    """What every broker process needs: the catalogue, the agencies and the policy."""

    catalogue: SchemaCatalogue
    codec: AvroCodec
    agencies: AgencyDirectory
    policy: SharingPolicy


def load_policy(path: Path, catalogue: SchemaCatalogue, agencies: AgencyDirectory) -> SharingPolicy:
    """Parse and validate the sharing policy against the agencies and the event catalogue."""
    policy = parse_policy(path.read_text(encoding="utf-8"), str(path))
    event_fields = {t: catalogue.payload_fields(t) for t in catalogue.event_types()}
    validate_policy(policy, str(path), agencies.ids, event_fields)
    return policy


def load_core(settings: Settings) -> CoreComponents:
    """Load and cross-check the catalogue, agency registry and policy named by ``settings``."""
    catalogue = SchemaCatalogue.load(settings.schema_dir)
    agencies = load_agencies(settings.agencies_file)
    policy = load_policy(settings.policy_file, catalogue, agencies)
    return CoreComponents(catalogue, AvroCodec(catalogue), agencies, policy)


def subject_key(path: Path) -> bytes:
    """The key that turns identifiers into subject references; created on first use (dev)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(SUBJECT_KEY_BYTES))
    return bytes.fromhex(path.read_text().strip())


def build_router(settings: Settings) -> tuple[KafkaRouter, CohortTable]:
    """A router ready to run, with an empty cohort table for the caller to load."""
    core = load_core(settings)
    cohort = CohortTable(subject_key(settings.subject_key_file))
    processor = RecordProcessor(
        core.codec, core.policy, core.agencies, cohort, settings.router.max_record_bytes
    )
    topics = [ingress_topic(agency) for agency in core.agencies.ids]
    return KafkaRouter(settings, processor, cohort, topics), cohort
