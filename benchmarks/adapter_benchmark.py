"""Adapter throughput: native records converted, and converted + published, per second.

    .venv/bin/python -m benchmarks.adapter_benchmark --events 20000

For each adapter, synthetic native records (built from the sample shapes in
tests/adapters_samples, every record a different person and source id) are cut into documents
of ``--per-file`` records, as an agency's system drops them. Two figures per adapter, in one
process pinned to one CPU:

- **convert**: parse the documents, map every record, build and Avro-encode the events;
- **convert + publish**: the same, adding each document's events to the durable SQLite outbox
  (one fsync'd transaction per document) while the relay sends them to ``ingress.<agency>`` of
  a real Kafka (started fresh in a temporary folder); timed until Kafka acknowledged all.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from broker.catalogue.catalogue import default_catalogue
from broker.catalogue.codec import AvroCodec
from broker.devtools.kafka.local_kafka import LocalKafka
from broker.kafka.topic_admin import ensure_topics
from broker.kafka.topics import topic_plan
from broker.logging_setup import configure_logging
from iom_adapters.health import FhirAdapter
from iom_adapters.mapping import DeclarativeMappingAdapter
from iom_adapters.police import CustodyExportAdapter
from iom_adapters.probation import HmppsDomainEventsAdapter
from iom_adapters.sdk.adapter import Adapter
from iom_adapters.sdk.identifiers import nhs_check_digit, pnc_check_letter
from iom_adapters.sdk.ingest import Ingestor, encode
from iom_adapters.sdk.kafka_options import client_options
from iom_adapters.sdk.outbox import Outbox
from iom_adapters.sdk.outcomes import Converted
from iom_adapters.sdk.relay import OutboxRelay
from iom_adapters.sdk.reports import ReportLog
from iom_adapters.sdk.source import SourceDocument

SAMPLES = Path(__file__).resolve().parent.parent / "tests" / "adapters_samples"
START = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def crn(n: int) -> str:
    """A CRN for person ``n``."""
    return f"B{n % 1_000_000:06d}"


def noms(n: int) -> str:
    """A NOMS number for person ``n``."""
    return f"A{n % 10_000:04d}{chr(65 + n % 26)}{chr(65 + n // 26 % 26)}"


def nhs(n: int) -> str:
    """A valid NHS number near ``n``."""
    base = 900_000_000 + n * 7
    while True:
        digits = f"{base % 10**9:09d}"
        check = nhs_check_digit(digits)
        if check is not None:
            return f"{digits}{check}"
        base += 1


def pnc(n: int) -> str:
    """A valid PNC ID for person ``n``."""
    serial = f"{n % 10**7:07d}"
    return f"2020/{serial}{pnc_check_letter('2020', serial)}"


def probation_records(count: int) -> list[str]:
    """HMPPS events: releases, IOM registrations and missed appointments, one per line."""
    release = json.loads(
        json.loads((SAMPLES / "probation" / "prisoner-released.sns.json").read_text())["Message"]
    )
    registration = json.loads((SAMPLES / "probation" / "registration-added-iom.json").read_text())
    missed = json.loads((SAMPLES / "probation" / "session-appointment-missed.json").read_text())
    lines = []
    for n in range(count):
        at = (START + timedelta(seconds=n)).isoformat()
        kind = n % 3
        if kind == 0:
            event = {**release, "occurredAt": at}
            event["additionalInformation"] = {
                **release["additionalInformation"],
                "nomsNumber": noms(n),
            }
            event["personReference"] = {"identifiers": [{"type": "NOMS", "value": noms(n)}]}
        elif kind == 1:
            event = {**registration, "occurredAt": at}
            event["additionalInformation"] = {
                **registration["additionalInformation"],
                "registrationId": str(n),
            }
            event["personReference"] = {"identifiers": [{"type": "CRN", "value": crn(n)}]}
        else:
            event = {**missed, "occurredAt": at}
            info = {
                **missed["additionalInformation"],
                "deliusAppointmentId": str(n),
                "serviceUserCRN": crn(n),
            }
            event["additionalInformation"] = info
            event["personReference"] = {"identifiers": [{"type": "CRN", "value": crn(n)}]}
        lines.append(json.dumps(event))
    return lines


def patient(n: int) -> dict[str, Any]:
    """A FHIR reference to person ``n`` by NHS number."""
    return {"identifier": {"system": "https://fhir.nhs.uk/Id/nhs-number", "value": nhs(n)}}


def fhir_records(count: int) -> list[str]:
    """FHIR resources for NDJSON: Appointments (attended / missed) and ServiceRequests."""
    appointment = json.loads((SAMPLES / "health" / "appointment-noshow.json").read_text())
    bundle = json.loads((SAMPLES / "health" / "referral-bundle.json").read_text())
    request = bundle["entry"][1]["resource"]
    lines = []
    for n in range(count):
        at = START + timedelta(minutes=n)
        if n % 4 == 3:
            resource = {**request, "id": f"sr-{n}", "authoredOn": at.isoformat()}
            resource["subject"] = patient(n)
        else:
            resource = {
                **appointment,
                "id": f"appt-{n}",
                "status": "fulfilled" if n % 2 else "noshow",
                "start": at.isoformat(),
                "end": (at + timedelta(minutes=30)).isoformat(),
            }
            resource["participant"] = [{"actor": {"type": "Patient", **patient(n)}}]
        lines.append(json.dumps(resource))
    return lines


def police_records(count: int) -> list[str]:
    """Custody export rows: arrest, charge and release in turn (first line is the header)."""
    lines = [
        "EventType,CustodyNumber,EventSeq,EventDateTime,PNCID,OffenceCategory,OffenceDescription,"
        "CustodySuite,ArrestPostcode,Court,FirstHearingDate,Disposal"
    ]
    for n in range(count):
        at = (START + timedelta(minutes=n)).strftime("%d/%m/%Y %H:%M")
        kind = ("ARREST", "CHARGE", "RELEASE")[n % 3]
        lines.append(
            f"{kind},62/{n // 3:05d}/26,1,{at},{pnc(n // 3)},Theft,Theft from a shop,"
            "Newport Central,NP20 1DW,Newport Magistrates' Court,23/03/2026,Charged - bailed"
        )
    return lines


def housing_records(count: int) -> list[str]:
    """Housing extract rows for the sample mapping (first line is the header)."""
    lines = [
        "Record Ref,Record Type,Recorded At,Probation CRN,Tenure,Address Line 1,Postcode,"
        "Effective From,Referral Ref,Decision"
    ]
    for n in range(count):
        at = START + timedelta(minutes=n)
        stamp, day = at.strftime("%d/%m/%Y %H:%M"), at.strftime("%d/%m/%Y")
        if n % 2:
            lines.append(f"HX-{n},REFERRAL_DECISION,{stamp},{crn(n)},,,,,ref-{n},Accepted")
        else:
            lines.append(
                f"HX-{n},ACCOMMODATION,{stamp},{crn(n)},Temporary accommodation,"
                f"1 Example Road,np20 5aa,{day},,"
            )
    return lines


def documents(lines: list[str], per_file: int, suffix: str, header: bool) -> list[SourceDocument]:
    """Cut records into documents of ``per_file`` records (repeating a CSV header)."""
    head, body = (lines[:1], lines[1:]) if header else ([], lines)
    return [
        SourceDocument(
            f"drop-{i:05d}{suffix}", ("\n".join(head + body[i : i + per_file]) + "\n").encode()
        )
        for i in range(0, len(body), per_file)
    ]


@dataclass(frozen=True)
class Case:
    """One adapter under test with its synthetic input."""

    label: str
    build: Callable[[], Adapter]
    records: Callable[[int], list[str]]
    suffix: str
    header: bool


def cases() -> list[Case]:
    """The adapters measured."""
    catalogue = default_catalogue()
    return [
        Case(
            "probation (HMPPS JSON lines)",
            lambda: HmppsDomainEventsAdapter.create(agency=None, options=None, catalogue=catalogue),
            probation_records,
            ".jsonl",
            False,
        ),
        Case(
            "health (FHIR R4 NDJSON)",
            lambda: FhirAdapter.create(agency=None, options=None, catalogue=catalogue),
            fhir_records,
            ".ndjson",
            False,
        ),
        Case(
            "police (custody CSV)",
            lambda: CustodyExportAdapter.create(agency=None, options=None, catalogue=catalogue),
            police_records,
            ".csv",
            True,
        ),
        Case(
            "housing (mapping file, CSV)",
            lambda: DeclarativeMappingAdapter.create(
                agency=None,
                options={"mapping": "newport-housing.mapping.yaml"},
                catalogue=catalogue,
                base_dir=SAMPLES / "housing",
            ),
            housing_records,
            ".csv",
            True,
        ),
    ]


def convert_only(
    adapter: Adapter, codec: AvroCodec, docs: list[SourceDocument]
) -> tuple[int, float]:
    """Events converted and encoded, and the seconds it took."""
    started = time.perf_counter()
    count = 0
    for doc in docs:
        for outcome in adapter.convert(doc):
            if isinstance(outcome, Converted):
                encode(codec, outcome)
                count += 1
    return count, time.perf_counter() - started


async def convert_and_publish(
    adapter: Adapter,
    codec: AvroCodec,
    docs: list[SourceDocument],
    bootstrap: str,
    state: Path,
    relay_class: Callable[..., OutboxRelay] = OutboxRelay,
) -> tuple[int, float]:
    """Events converted, added to the outbox and acknowledged by Kafka, and the seconds it took."""
    outbox = Outbox(state / f"{adapter.agency}.sqlite", max_bytes=1 << 30)
    reports = ReportLog(None, adapter.name, adapter.agency)
    ingestor = Ingestor(codec, outbox, reports)
    relay = relay_class(
        outbox, adapter.agency, client_options(bootstrap, f"bench-{adapter.agency}")
    )
    stop = asyncio.Event()
    task = asyncio.create_task(relay.run(stop))
    started = time.perf_counter()
    added = 0
    for doc in docs:
        added += ingestor.ingest(adapter.convert(doc), doc.name).added
        await asyncio.sleep(0)
    ok = await relay.drained(300)
    elapsed = time.perf_counter() - started
    stop.set()
    await task
    outbox.close()
    if not ok or relay.sent != added:
        raise RuntimeError(f"{adapter.name}: {relay.sent} of {added} events acknowledged")
    return added, elapsed


async def main(events: int, per_file: int) -> None:
    """Run every case and print a table."""
    configure_logging("warning", "console")
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})
    codec = AvroCodec(default_catalogue())
    with tempfile.TemporaryDirectory(prefix="adapter-bench-") as tmp:
        kafka = LocalKafka(Path(tmp) / "kafka")
        bootstrap = await asyncio.to_thread(kafka.start)
        try:
            agencies = [
                "gwent-police",
                "probation-wales",
                "aneurin-bevan-uhb",
                "newport-housing",
                "gdas",
            ]
            await ensure_topics(bootstrap, topic_plan(agencies))
            print(
                f"{events} events per adapter, {per_file} records per file, Python pinned to CPU 0"
            )
            print(f"{'adapter':<30} {'events':>7} {'convert':>16} {'convert + publish':>20}")
            for case in cases():
                adapter = case.build()
                docs = documents(case.records(events), per_file, case.suffix, case.header)
                convert_only(adapter, codec, docs[:2])  # warm up
                converted, seconds = convert_only(adapter, codec, docs)
                published, publish_seconds = await convert_and_publish(
                    adapter, codec, docs, bootstrap, Path(tmp)
                )
                convert_rate = f"{converted / seconds:,.0f} ev/s"
                publish_rate = f"{published / publish_seconds:,.0f} ev/s"
                print(f"{case.label:<30} {published:>7} {convert_rate:>16} {publish_rate:>20}")
        finally:
            await asyncio.to_thread(kafka.stop)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000, help="records per adapter")
    parser.add_argument("--per-file", type=int, default=1_000, help="records per dropped file")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.events, arguments.per_file))
