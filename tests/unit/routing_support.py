"""A router's per-record logic on the shipped policy, without Kafka, for unit tests."""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from typing import Any

from broker.bootstrap import CoreComponents, load_core
from broker.catalogue.codec import AvroCodec
from broker.domain.cohort_table import CohortTable
from broker.kafka.topics import DISCLOSURES_TOPIC
from broker.policy.engine import CompiledPolicy, PolicyEngine
from broker.router.dead_letter import HEADER_DETAIL, HEADER_REASON
from broker.router.outgoing import RoutingOutcome
from broker.router.record_processor import IngressRecord, RecordProcessor
from broker.settings import load_settings

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
MAX_BYTES = 4096


@functools.cache
def shipped_core() -> CoreComponents:
    """The shipped catalogue, agencies and policy, loaded once."""
    return load_core(load_settings())


def new_processor(policy: CompiledPolicy | None = None) -> RecordProcessor:
    """A processor on the shipped catalogue and ``policy`` (default: shipped) with no cohort."""
    core = shipped_core()
    engine = PolicyEngine(policy or core.policy, b"p" * 32)
    cohort = CohortTable(b"k" * 32)
    return RecordProcessor(core.codec, engine, core.agencies, cohort, MAX_BYTES, clock=lambda: NOW)


def route(
    processor: RecordProcessor, record: dict[str, Any], topic: str | None = None
) -> RoutingOutcome:
    """Encode ``record`` and route it as if read from its source agency's ingress topic."""
    agency = record["envelope"]["source_agency"]
    value = processor._codec.encode_event(record)
    outcome = processor.process(IngressRecord(topic or f"ingress.{agency}", 0, 7, b"k", value))
    processor._cohort.commit()
    return outcome


def delivered_to(outcome: RoutingOutcome) -> set[str]:
    """The agencies a routed record was delivered to."""
    return {
        r.topic.removeprefix("deliver.") for r in outcome.records if r.topic.startswith("deliver.")
    }


def disclosures(codec: AvroCodec, outcome: RoutingOutcome) -> list[dict[str, Any]]:
    """The decoded disclosure records of a routed record."""
    return [
        codec.decode_disclosure(r.value) for r in outcome.records if r.topic == DISCLOSURES_TOPIC
    ]


def dead_letter(outcome: RoutingOutcome) -> tuple[str, str]:
    """The reason and detail of a dead-lettered record."""
    (letter,) = outcome.records
    headers = dict(letter.headers)
    return headers[HEADER_REASON].decode(), headers[HEADER_DETAIL].decode()
