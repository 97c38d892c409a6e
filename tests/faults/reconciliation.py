"""Reconcile every count of a fault test: ingress = delivered + refused + dead-lettered, each
event decided once, no duplicate disclosure id, deliveries = permitted disclosures, log entries
= disclosures with no gap, and a log store that re-verifies from its leaves."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from broker.catalogue.codec import AvroCodec
from broker.kafka.topic_reader import read_topic
from broker.kafka.topics import DISCLOSURES_TOPIC, deliver_topic, dlq_topic
from broker.transparency.integrity import check_store
from broker.transparency.keys import load_signer
from broker.transparency.store.postgres_store import PostgresStore
from tests.faults.stream_harness import (
    LOG_ORIGIN,
    FaultAgencies,
    LogStoreConfig,
    ingress_ends,
    logged_entries,
)
from tests.support.log_markers import is_marker


@dataclass
class Reconciliation:
    """Every count of one test's pipeline, read back from Kafka and the log store."""

    ingress: int
    published: int
    delivered: int
    refused: int
    dead_lettered: int
    disclosures: int
    logged: int
    problems: list[str]

    def summary(self) -> str:
        """One line for the test's output."""
        return (
            f"ingress={self.ingress} delivered={self.delivered} refused={self.refused} "
            f"dead_lettered={self.dead_lettered} disclosures={self.disclosures} "
            f"logged={self.logged} problems={len(self.problems)}"
        )


def _duplicates(values: Sequence[str], what: str) -> list[str]:
    return [f"{what} {v} appears {n} times" for v, n in Counter(values).items() if n > 1]


async def reconcile(
    bootstrap: str,
    codec: AvroCodec,
    agencies: FaultAgencies,
    published: int,
    expected_good: Sequence[str],
    expected_bad_keys: Sequence[bytes],
    store: LogStoreConfig | None,
) -> Reconciliation:
    """Read every output of the test's agencies and the log; list whatever does not add up.

    Call after :func:`wait_until_routed` (and :func:`wait_until_logged`). Checks: ingress
    records = delivered + refused + dead-lettered (one decision per good event here);
    every good event decided once and every bad key dead-lettered once; no duplicate
    disclosure id; deliveries = permitted disclosures; log entries = disclosures, with
    indexes 0..n-1 (no gap) and a store that re-verifies from its leaves. Marker
    disclosures (:mod:`tests.support.log_markers`) are logged but not counted.
    """
    problems: list[str] = []
    ingress = sum((await ingress_ends(bootstrap, agencies)).values())
    ours = set(agencies.ids)
    records = await read_topic(bootstrap, DISCLOSURES_TOPIC)
    decoded = (codec.decode_disclosure(r.value) for r in records)
    disclosures = [d for d in decoded if d["source_agency"] in ours]
    deliveries: list[Any] = []
    dead_letters: list[Any] = []
    for agency in agencies.ids:
        deliveries += await read_topic(bootstrap, deliver_topic(agency))
        dead_letters += await read_topic(bootstrap, dlq_topic(agency))
    refused = sum(1 for d in disclosures if not d["permitted"])
    delivered = len(deliveries)
    if ingress != published:
        problems.append(f"ingress holds {ingress} records, {published} were published")
    if ingress != delivered + refused + len(dead_letters):
        problems.append(
            f"ingress {ingress} != delivered {delivered} + refused {refused}"
            f" + dead-lettered {len(dead_letters)}"
        )
    disclosure_ids = [d["disclosure_id"] for d in disclosures]
    problems += _duplicates(disclosure_ids, "disclosure id")
    problems += _duplicates([d["event_id"] for d in disclosures], "decided event")
    delivery_ids = [dict(r.headers)["iom.disclosure_id"].decode() for r in deliveries]
    problems += _duplicates(delivery_ids, "delivered disclosure id")
    permitted = {d["disclosure_id"] for d in disclosures if d["permitted"]}
    if set(delivery_ids) != permitted:
        problems.append(
            f"{len(set(delivery_ids) ^ permitted)} deliveries and permitted disclosures differ"
        )
    decided = {d["event_id"] for d in disclosures}
    missing = [e for e in expected_good if e not in decided]
    if missing:
        problems.append(f"{len(missing)} published events were never decided")
    lettered = [r.key for r in dead_letters]
    problems += _duplicates([repr(k) for k in lettered], "dead-lettered key")
    lost_bad = set(expected_bad_keys) - set(lettered)
    if lost_bad:
        problems.append(f"{len(lost_bad)} malformed records are not in a dead-letter topic")
    logged = 0
    if store is not None:
        entries = await asyncio.to_thread(logged_entries, store)
        if [idx for idx, _ in entries] != list(range(len(entries))):
            problems.append("the log's indexes have a gap")
        logged_ids = [ident for _, ident in entries if not is_marker(ident)]
        logged = len(logged_ids)
        problems += _duplicates(logged_ids, "logged disclosure id")
        if set(logged_ids) != set(disclosure_ids):
            problems.append(
                f"{len(set(logged_ids) ^ set(disclosure_ids))} disclosures and log entries differ"
            )
        problems += await asyncio.to_thread(verify_store, store)
    return Reconciliation(
        ingress=ingress,
        published=published,
        delivered=delivered,
        refused=refused,
        dead_lettered=len(dead_letters),
        disclosures=len(disclosures),
        logged=logged,
        problems=problems,
    )


def verify_store(store: LogStoreConfig) -> list[str]:
    """Recompute the whole log from its leaves (nodes, entries, checkpoints); the problems."""
    opened = PostgresStore(store.dsn, store.schema)
    try:
        signer = load_signer(store.state / "log-signing.key", LOG_ORIGIN)
        report = check_store(opened, signer.verifier)
    finally:
        opened.close()
    return list(report.problems)
