"""Helpers for adapter tests against the session's real Kafka and router."""

from __future__ import annotations

import asyncio
import json
import random
import string
import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from broker.catalogue.codec import AvroCodec
from iom_adapters.sdk.adapter import Adapter
from iom_adapters.sdk.identifiers import nhs_check_digit, pnc_check_letter
from iom_adapters.sdk.ingest import Ingestor, IngestSummary
from iom_adapters.sdk.kafka_options import client_options
from iom_adapters.sdk.outbox import Outbox
from iom_adapters.sdk.relay import OutboxRelay
from iom_adapters.sdk.reports import ReportLog
from iom_adapters.sdk.sinks import JsonlFolderSink
from iom_adapters.sdk.source import SourceDocument
from iom_adapters.sdk.subscriber import AgencySubscriber
from tests.unit.adapters.samples import SAMPLES


@dataclass(frozen=True)
class Person:
    """Identifiers no other test uses, in every agency's format."""

    crn: str
    noms_number: str
    pnc_id: str
    nhs_number: str

    def subject(self) -> dict[str, str | None]:
        """As an envelope subject."""
        return {
            "crn": self.crn,
            "pnc_id": self.pnc_id,
            "noms_number": self.noms_number,
            "nhs_number": self.nhs_number,
        }


def new_person() -> Person:
    """A person with random but valid identifiers."""
    rng = random.Random(uuid.uuid4().int)
    letters = string.ascii_uppercase
    crn = rng.choice(letters) + f"{rng.randrange(10**6):06d}"
    noms = rng.choice(letters) + f"{rng.randrange(10**4):04d}" + rng.choice(letters) * 2
    serial = f"{rng.randrange(10**7):07d}"
    pnc = f"2020/{serial}{pnc_check_letter('2020', serial)}"
    while True:
        first = "9" + "".join(rng.choice(string.digits) for _ in range(8))
        check = nhs_check_digit(first)
        if check is not None:
            break
    return Person(crn, noms, pnc, f"{first}{check}")


def personalised(relative: str, replacements: dict[str, str]) -> SourceDocument:
    """A sample document with its identifiers (and other strings) replaced."""
    path = SAMPLES / relative
    text = path.read_text(encoding="utf-8")
    for old, new in replacements.items():
        text = text.replace(old, new)
    return SourceDocument(path.name, text.encode())


async def publish(
    bootstrap: str,
    codec: AvroCodec,
    adapter: Adapter,
    documents: Sequence[SourceDocument],
    state: Path,
) -> list[IngestSummary]:
    """Convert documents, add them to a fresh outbox and relay it until Kafka has them all."""
    outbox = Outbox(state / f"{adapter.agency}-outbox.sqlite")
    reports = ReportLog(state / "reports.jsonl", adapter.name, adapter.agency)
    ingestor = Ingestor(codec, outbox, reports)
    summaries = [ingestor.ingest(adapter.convert(doc), doc.name) for doc in documents]
    relay = OutboxRelay(outbox, adapter.agency, client_options(bootstrap, f"test-{adapter.agency}"))
    stop = asyncio.Event()
    task = asyncio.create_task(relay.run(stop))
    try:
        assert await relay.drained(60), f"{outbox.pending} events not published"
    finally:
        stop.set()
        await task
        reports.close()
        outbox.close()
    return summaries


async def receive(
    bootstrap: str,
    codec: AvroCodec,
    agency: str,
    event_ids: Collection[str],
    folder: Path,
    timeout: float = 60.0,
) -> dict[str, dict[str, Any]]:
    """Run a subscriber with a drop-folder sink until every event id was delivered; by id."""
    sink = JsonlFolderSink(folder)
    subscriber = AgencySubscriber(
        codec,
        agency,
        sink,
        client_options(bootstrap, f"test-receive-{agency}"),
        group_id=f"test-{uuid.uuid4().hex[:8]}",
    )
    stop = asyncio.Event()
    task = asyncio.create_task(subscriber.run(stop))
    wanted = set(event_ids)
    found: dict[str, dict[str, Any]] = {}
    try:
        async with asyncio.timeout(timeout):
            while not wanted <= found.keys():
                await asyncio.sleep(0.3)
                found = {
                    doc["event_id"]: doc
                    for doc in documents_in(folder)
                    if doc["event_id"] in wanted
                }
    finally:
        stop.set()
        await task
    return found


def documents_in(folder: Path) -> list[dict[str, Any]]:
    """Every delivery document in a drop folder."""
    return [
        json.loads(line)
        for path in sorted(folder.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
