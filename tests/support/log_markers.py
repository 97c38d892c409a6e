"""Marker disclosures: the positive signal that a log writer has handled a topic's backlog.

A writer reads each partition of ``disclosures`` in order. One marker published at the end of
every partition, once logged, shows that everything published before it has been handled too,
so a test can then assert that nothing more (no duplicate) was logged, without a fixed sleep.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from aiokafka import AIOKafkaProducer

from broker.catalogue.codec import AvroCodec
from broker.kafka.topics import DISCLOSURES_TOPIC

#: Every marker's disclosure id starts with this ("MARK" in hex).
MARKER_PREFIX = "4d41524b-"


def is_marker(disclosure_id: str) -> bool:
    """Whether ``disclosure_id`` is a marker's (not a real decision)."""
    return disclosure_id.startswith(MARKER_PREFIX)


def marker_disclosure() -> dict[str, Any]:
    """A well-formed disclosure with a fresh marker id (about no real person)."""
    now = datetime.now(UTC)
    return {
        "disclosure_id": str(uuid.UUID(int=(0x4D41524B << 96) | uuid.uuid4().int >> 32)),
        "event_id": str(uuid.uuid4()),
        "event_type": "arrest",
        "occurred_at": now,
        "decided_at": now,
        "source_agency": "gwent-police",
        "recipient_agency": "probation-wales",
        "subject_ref": "subj-log-marker",
        "permitted": True,
        "reason": None,
        "rule_id": "arrests",
        "purpose": "iom_case_management",
        "legal_basis": "dpa2018_part3_s35",
        "policy_version": "log-marker",
        "fields_shared": ["payload.offence_category"],
        "retention": "P1Y",
    }


async def publish_markers(bootstrap: str, codec: AvroCodec) -> list[str]:
    """Publish one marker at the end of every partition of ``disclosures``; their ids."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        ids: list[str] = []
        for partition in sorted(await producer.partitions_for(DISCLOSURES_TOPIC)):
            marker = marker_disclosure()
            value = codec.encode_disclosure(marker)
            await producer.send_and_wait(DISCLOSURES_TOPIC, value, partition=partition)
            ids.append(marker["disclosure_id"])
        return ids
    finally:
        await producer.stop()
