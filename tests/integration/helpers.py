"""Shared helpers for tests against the real Kafka broker."""

from __future__ import annotations

import asyncio
import os
import signal
import uuid
from collections.abc import Collection
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from broker.catalogue.catalogue import default_catalogue
from broker.catalogue.codec import AvroCodec
from broker.devtools.processes import read_pid
from broker.kafka.topic_reader import read_topic
from broker.kafka.topics import DISCLOSURES_TOPIC, deliver_topic, dlq_topic
from broker.router.dead_letter import HEADER_DETAIL, HEADER_REASON


def unique_subject(**identifiers: str) -> dict[str, str | None]:
    """Identifiers no other test uses, so tests sharing a broker cannot see each other's people."""
    suffix = uuid.uuid4().hex[:10].upper()
    subject: dict[str, str | None] = {
        "crn": f"C{suffix}",
        "pnc_id": f"P{suffix}",
        "noms_number": None,
        "nhs_number": f"N{suffix}",
    }
    subject.update(identifiers)
    return subject


def envelope(event_type: str, agency: str, subject: dict[str, str | None]) -> dict[str, Any]:
    """A fresh envelope with a new event id."""
    return {
        "event_id": str(uuid.uuid4()),
        "event_type": event_type,
        "occurred_at": datetime.now(UTC).replace(microsecond=0),
        "source_agency": agency,
        "subject": dict(subject),
        "schema_version": default_catalogue().latest(event_type).version,
    }


def enrolment(agency: str, subject: dict[str, str | None]) -> dict[str, Any]:
    """A Fixed-cohort enrolment of ``subject`` by ``agency``."""
    return {
        "envelope": envelope("cohort_enrolment", agency, subject),
        "payload": {"cohort": "FIXED", "area": "gwent", "reason": "test", "lead_agency": agency},
    }


def deselection(agency: str, subject: dict[str, str | None]) -> dict[str, Any]:
    """A deselection of ``subject`` by ``agency``."""
    return {
        "envelope": envelope("cohort_deselection", agency, subject),
        "payload": {"cohort": "FIXED", "reason": "licence ended", "exit_plan": None},
    }


def arrest(agency: str, subject: dict[str, str | None]) -> dict[str, Any]:
    """An arrest reported by ``agency``."""
    return {
        "envelope": envelope("arrest", agency, subject),
        "payload": {
            "offence_category": "theft",
            "offence_description": "Theft from a shop",
            "custody_suite": "Newport Central",
            "location_postcode": "NP20 1AA",
        },
    }


async def disclosures_for(
    bootstrap: str,
    codec: AvroCodec,
    event_ids: Collection[str],
    per_event: int,
    timeout: float = 60.0,
    client_options: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Wait until every event has at least ``per_event`` committed disclosures; return them all."""
    wanted = set(event_ids)
    async with asyncio.timeout(timeout):
        while True:
            records = await read_topic(bootstrap, DISCLOSURES_TOPIC, client_options=client_options)
            found = [
                d
                for d in (codec.decode_disclosure(r.value) for r in records)
                if d["event_id"] in wanted
            ]
            counts = {event_id: 0 for event_id in wanted}
            for disclosure in found:
                counts[disclosure["event_id"]] += 1
            if all(count >= per_event for count in counts.values()):
                return found
            await asyncio.sleep(0.3)


async def deliveries_to(bootstrap: str, agency: str) -> list[Any]:
    """All committed records in ``deliver.<agency>``."""
    return await read_topic(bootstrap, deliver_topic(agency))


async def kill_after_first_delivery(bootstrap: str, agency: str, pid_file: Path) -> int:
    """Wait until ``deliver.<agency>`` holds a record, then ``kill -9`` the process of
    ``pid_file``; return how many deliveries were committed before the kill."""
    delivered = 0
    async with asyncio.timeout(120):
        while delivered == 0:
            delivered = len(await deliveries_to(bootstrap, agency))
    pid = read_pid(pid_file)
    assert pid is not None, f"no process recorded in {pid_file.name}"
    os.kill(pid, signal.SIGKILL)
    return delivered


async def dead_letters_with_keys(
    bootstrap: str, agency: str, keys: Collection[bytes], timeout: float = 60.0
) -> dict[bytes, Any]:
    """Wait until ``dlq.<agency>`` holds a record for each key; return them by key."""
    async with asyncio.timeout(timeout):
        while True:
            records = await read_topic(bootstrap, dlq_topic(agency))
            found = {r.key: r for r in records if r.key in keys}
            if len(found) == len(keys):
                return found
            await asyncio.sleep(0.3)


async def dead_letter_reason(
    bootstrap: str,
    agency: str,
    event_id: str,
    client_options: dict[str, Any] | None = None,
    timeout: float = 60.0,
) -> str:
    """Wait until ``dlq.<agency>`` holds the event (its detail names the event id); its reason."""
    async with asyncio.timeout(timeout):
        while True:
            records = await read_topic(bootstrap, dlq_topic(agency), client_options=client_options)
            for record in records:
                headers = {key: value.decode() for key, value in record.headers}
                if event_id in headers.get(HEADER_DETAIL, ""):
                    return str(headers[HEADER_REASON])
            await asyncio.sleep(0.3)
