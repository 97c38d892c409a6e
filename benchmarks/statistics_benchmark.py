"""Oversight statistics at the scale of all of Wales for a year.

    .venv/bin/python -m benchmarks.statistics_benchmark --disclosures 2000000 --people 5000

Builds a year (2026) of synthetic traffic as the router writes it — ``--people`` enrolments
(some deselected, some re-enrolled), ``--disclosures`` decisions (four recipients per event,
one in five refused) and dead letters — encoded as the ``disclosures`` topic holds them. It
then feeds them, in polled batches of ``--batch`` records, through the statistics service's
own aggregation (:meth:`StatisticsService.aggregate`: Avro decoding, counting, one store
transaction per batch with its offsets) on one thread, and reports disclosures per second.
Then it serves the API (``create_app``, in process over httpx) on that store and asks, as the
oversight role, for the oversight JSON, each export (CSV, ODS, JSON) and, as a DPO, for the
console page and its charts, ``--requests`` times each, with the report cache cleared before
every request (cold: each answer rebuilds the report) and again warm; it prints p50/p95/p99.
Kafka is not involved: the consumer's fetches are measured by the router benchmarks. Uses the
test suite's token issuer and policy workspace (``tests/support``). Not part of the suite.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
import uuid
from collections import namedtuple
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from aiokafka import TopicPartition

from broker.catalogue.catalogue import SchemaCatalogue
from broker.catalogue.codec import AvroCodec
from broker.domain.subject import SubjectIdentifiers, SubjectRecord
from broker.identity.principal import Role
from broker.kafka.topics import DISCLOSURES_TOPIC, SUBJECTS_TOPIC, dlq_topic
from broker.router.subject_codec import encode_subject
from broker.server.app import create_app
from broker.settings import PROJECT_ROOT, Settings
from broker.statistics.oversight import OversightStatistics
from broker.statistics.service import StatisticsService
from broker.statistics.store import StatisticsStore
from broker.statistics.wiring import statistics_context
from broker.transparency.log import TransparencyLog
from broker.transparency.store.sqlite_store import SqliteStore
from tests.support.api_callers import bearer, token
from tests.support.api_context import api_over
from tests.support.log_records import INDEX_KEY, SIGNER, Clock
from tests.support.web_sessions import session_cookie

Message = namedtuple("Message", "topic partition offset value headers timestamp")
YEAR = datetime(2026, 1, 1, tzinfo=UTC)
EVENT_TYPES = ("arrest", "licence_breach", "appointment_missed", "referral", "charge")
REASONS = ("no_rule", "condition_false", "not_in_iom_cohort")
PURPOSES = ("iom_case_management", "public_protection", "safeguarding")
BASES = ("dpa2018_part3_s35", "ukgdpr_6_1_e_public_task", "crime_and_disorder_act_1998_s115")


def _disclosure(
    event_id: str, sender: str, recipient: str, ref: str, at: datetime, chance: random.Random
) -> dict[str, Any]:
    permitted = chance.random() >= 0.2
    return {
        "disclosure_id": str(uuid.uuid4()),
        "event_id": event_id,
        "event_type": chance.choice(EVENT_TYPES),
        "occurred_at": at,
        "decided_at": at,
        "source_agency": sender,
        "recipient_agency": recipient,
        "subject_ref": ref,
        "permitted": permitted,
        "reason": None if permitted else chance.choice(REASONS),
        "rule_id": "rule" if permitted else None,
        "purpose": chance.choice(PURPOSES) if permitted else None,
        "legal_basis": chance.choice(BASES) if permitted else None,
        "policy_version": "bench",
        "fields_shared": ["payload.offence_category"] if permitted else [],
        "retention": "P2Y" if permitted else None,
        "field_transforms": {},
        "fields_withheld": [],
    }


def synthetic_year(
    disclosures: int, people: int, seed: int = 7
) -> list[tuple[str, int, bytes | None, list[tuple[str, bytes]]]]:
    """(topic, partition, value, headers) in the order the topics would hold them."""
    chance = random.Random(seed)
    codec = AvroCodec(SchemaCatalogue.load(PROJECT_ROOT / "schemas"))
    context = statistics_context(Settings())
    local = {
        area: [a for a, home in context.agency_areas.items() if home == area]
        for area in context.areas
    }
    areas = [a for a in context.areas if len(local[a]) >= 2]
    national = [a for a, home in context.agency_areas.items() if home == "wales"]
    records: list[tuple[str, int, bytes | None, list[tuple[str, bytes]]]] = []
    home_of = {f"subj-bench{i:05d}": chance.choice(areas) for i in range(people)}
    for ref, area in home_of.items():
        start = YEAR + timedelta(days=chance.randrange(300))
        cohort = chance.choice(("FIXED", "FIXED", "FLEX", "FREE"))
        spells = [(True, start)]
        if chance.random() < 0.3:
            spells.append((False, start + timedelta(days=chance.randrange(20, 60))))
            if chance.random() < 0.3:
                spells.append((True, start + timedelta(days=chance.randrange(61, 64))))
        for enrolled, at in spells:
            record = SubjectRecord(
                ref, cohort, enrolled, SubjectIdentifiers(crn=ref[-8:]), at, area=area
            )
            records.append((SUBJECTS_TOPIC, 0, encode_subject(record), []))
    refs = list(home_of)
    recipients_per_event = 4
    for index in range(disclosures // recipients_per_event):
        ref = chance.choice(refs)
        parties = local[home_of[ref]] + national
        sender = chance.choice(parties)
        others = [p for p in parties if p != sender][:recipients_per_event]
        at = YEAR + timedelta(seconds=index * (365 * 86400 * recipients_per_event) // disclosures)
        event_id = str(uuid.uuid4())
        partition = hash(ref) % 3
        for recipient in others:
            value = codec.encode_disclosure(
                _disclosure(event_id, sender, recipient, ref, at, chance), check=False
            )
            records.append((DISCLOSURES_TOPIC, partition, value, []))
        if index % 100 == 0:
            headers = [("iom.dlq.reason", b"undecodable"), ("iom.dlq.at", at.isoformat().encode())]
            records.append((dlq_topic(sender), 0, b"junk", headers))
    return records


def aggregate_all(
    service: StatisticsService,
    records: list[tuple[str, int, bytes | None, list[tuple[str, bytes]]]],
    batch_size: int,
) -> tuple[float, int]:
    """Feed the records as polled batches; seconds spent and disclosures counted."""
    offsets: dict[tuple[str, int], int] = {}
    spent, counted = 0.0, 0
    for start in range(0, len(records), batch_size):
        batch: dict[TopicPartition, list[Message]] = {}
        for topic, partition, value, headers in records[start : start + batch_size]:
            offset = offsets.get((topic, partition), 0)
            offsets[(topic, partition)] = offset + 1
            message = Message(topic, partition, offset, value, headers, 0)
            batch.setdefault(TopicPartition(topic, partition), []).append(message)
            counted += topic == DISCLOSURES_TOPIC
        began = time.perf_counter()
        service.aggregate(batch)
        spent += time.perf_counter() - began
    return spent, counted


def _percentiles(latencies: list[float]) -> str:
    ordered = sorted(latencies)
    p = statistics.quantiles(ordered, n=100, method="inclusive")
    return f"p50 {p[49] * 1000:6.1f} ms  p95 {p[94] * 1000:6.1f} ms  p99 {p[98] * 1000:6.1f} ms"


async def measure_requests(
    statistics_store: StatisticsStore, directory: Path, requests: int
) -> list[str]:
    """p50/p95/p99 of every oversight page and export, cold (cache cleared) and warm."""
    log = TransparencyLog(SqliteStore(directory / "log.sqlite3"), SIGNER, INDEX_KEY, "P6Y", Clock())
    context = api_over(f"sqlite:///{directory / 'records.sqlite3'}", log)
    oversight = OversightStatistics(statistics_store, statistics_context(Settings()))
    context.statistics = oversight
    period = "from=2026-01&to=2026-12"
    oversight_headers = bearer(Role.OVERSIGHT)
    paths = [
        ("GET /statistics (oversight)", f"/statistics?{period}", oversight_headers),
        ("export csv", f"/statistics/export?format=csv&{period}", oversight_headers),
        ("export ods", f"/statistics/export?format=ods&{period}", oversight_headers),
        ("export json", f"/statistics/export?format=json&{period}", oversight_headers),
        ("console page (DPO)", f"/console/statistics?{period}", {}),
        ("console chart cohort", f"/console/statistics/charts/cohort-gwent.svg?{period}", {}),
        ("console chart flows", f"/console/statistics/charts/flows.svg?{period}", {}),
        ("console chart refusals", f"/console/statistics/charts/refusals.svg?{period}", {}),
        ("console chart quality", f"/console/statistics/charts/quality.svg?{period}", {}),
    ]
    lines: list[str] = []
    transport = httpx.ASGITransport(app=create_app(context))
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        dpo = token(Role.DPO, agency="gwent-police")
        client.cookies.set("iom_console", session_cookie(context, dpo))
        for cold in (True, False):
            for name, path, headers in paths:
                latencies = await _timed(client, path, headers, requests, oversight, cold)
                lines.append(f"{'cold' if cold else 'warm'} {name:26} {_percentiles(latencies)}")
    return lines


async def _timed(
    client: httpx.AsyncClient,
    path: str,
    headers: dict[str, str],
    requests: int,
    oversight: OversightStatistics,
    cold: bool,
) -> list[float]:
    latencies: list[float] = []
    ask: Callable[[], Awaitable[httpx.Response]] = lambda: client.get(path, headers=headers)  # noqa: E731
    await ask()
    for _ in range(requests):
        if cold:
            oversight.clear_cache()
        began = time.perf_counter()
        response = await ask()
        latencies.append(time.perf_counter() - began)
        assert response.status_code == 200, (path, response.status_code)
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--disclosures", type=int, default=2_000_000)
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--dir", type=Path, default=None)
    parser.add_argument(
        "--reuse", action="store_true", help="Measure requests on the store already in --dir."
    )
    arguments = parser.parse_args()
    directory = arguments.dir or Path(tempfile.mkdtemp(prefix="stats-bench-"))
    directory.mkdir(parents=True, exist_ok=True)
    settings = Settings()
    store = StatisticsStore(f"sqlite:///{directory / 'statistics.sqlite3'}")
    if not arguments.reuse:
        aggregate_year(store, settings, arguments.disclosures, arguments.people, arguments.batch)
    for line in asyncio.run(measure_requests(store, directory, arguments.requests)):
        print(line)
    store.close()


def aggregate_year(
    store: StatisticsStore, settings: Settings, disclosures: int, people: int, batch: int
) -> None:
    """Build the year's records and aggregate them into an emptied ``store``; print the rate."""
    began = time.perf_counter()
    records = synthetic_year(disclosures, people)
    print(f"built {len(records):,} records in {time.perf_counter() - began:.0f} s")
    store.clear()
    context = statistics_context(settings)
    codec = AvroCodec(SchemaCatalogue.load(PROJECT_ROOT / "schemas"))
    agencies = sorted(set(context.agency_areas))
    service = StatisticsService(settings, store, codec, context.agency_areas, agencies)
    spent, counted = aggregate_all(service, records, batch)
    print(
        f"aggregated {len(records):,} records ({counted:,} disclosures) in {spent:.1f} s: "
        f"{counted / spent:,.0f} disclosures/s, {len(records) / spent:,.0f} records/s"
    )


if __name__ == "__main__":
    main()
