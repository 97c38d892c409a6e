"""Transparency log at scale in SQLite: append throughput, subject query and proof latency.

    .venv/bin/python -m benchmarks.transparency_benchmark --entries 1000000

Appends ``--entries`` synthetic disclosures (spread over ``--subjects`` people) through
``TransparencyLog.append_disclosures`` in batches of ``--batch``, each batch one durable
SQLite transaction (WAL, synchronous=FULL): entry encoding, salting, hashing, nodes, subject
index and s.62 audit rows included. Then, on the full log: the subject query (one page of 20
visible entries), the whole subject view (that page plus an inclusion proof per entry, one
checkpoint, audit record), single inclusion proof generation and the policy history page
(``GET /policies/history``'s query: the newest 1,000 of 20 policy changes among every
disclosure's audit row), each sampled ``--samples`` times (proofs at random), reporting
p50/p99. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from broker.logging_setup import configure_logging
from broker.transparency.audit import POLICY_CHANGE, record_policy_change
from broker.transparency.log import TransparencyLog
from broker.transparency.note import NoteSigner
from broker.transparency.store.sqlite_store import SqliteStore
from broker.transparency.subject_view import subject_view

START = datetime(2025, 1, 1, tzinfo=UTC)


def disclosure(number: int, subjects: int) -> dict[str, Any]:
    """A realistic disclosure record: about one of ``subjects`` people, every 10th refused."""
    permitted = number % 10 != 0
    return {
        "disclosure_id": str(uuid.UUID(int=number, version=4)),
        "event_id": str(uuid.UUID(int=number // 3, version=4)),
        "event_type": "arrest",
        "occurred_at": START + timedelta(seconds=number),
        "decided_at": START + timedelta(seconds=number, milliseconds=120),
        "source_agency": "gwent-police",
        "recipient_agency": ("probation-wales", "newport-housing", "gdas")[number % 3],
        "subject_ref": f"subj-{number % subjects:032x}",
        "permitted": permitted,
        "reason": None if permitted else "no agreement covers this recipient",
        "rule_id": "arrests-to-probation" if permitted else None,
        "purpose": "iom_case_management" if permitted else None,
        "legal_basis": "dpa2018_part3_s35" if permitted else None,
        "policy_version": "2025.1",
        "fields_shared": ["payload.offence_category", "subject.crn"] if permitted else [],
        "retention": "P2Y" if permitted else None,
    }


def bytes_written() -> int:
    """Bytes this process has caused to be written to disk so far (Linux; 0 elsewhere)."""
    try:
        with open("/proc/self/io") as io:
            return next(int(line.split()[1]) for line in io if line.startswith("write_bytes"))
    except (OSError, StopIteration):
        return 0


def percentiles(samples: list[float]) -> str:
    """p50 and p99 in milliseconds."""
    cuts = statistics.quantiles(samples, n=100)
    return f"p50 {cuts[49] * 1000:.2f} ms, p99 {cuts[98] * 1000:.2f} ms"


def timed(action: Callable[[], object], samples: int) -> list[float]:
    """Wall-clock seconds of each of ``samples`` calls."""
    results = []
    for _ in range(samples):
        started = time.perf_counter()
        action()
        results.append(time.perf_counter() - started)
    return results


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--subjects", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--dir", type=Path, default=None, help="where the SQLite file goes")
    args = parser.parse_args()
    configure_logging("warning")
    folder = args.dir or Path(tempfile.mkdtemp(prefix="iom-tlog-bench-"))
    store = SqliteStore(folder / "log.sqlite3")
    log = TransparencyLog(store, NoteSigner.generate("bench.iom-broker/log"), bytes(32))
    print(f"store {store.path}; {args.entries} entries, {args.subjects} subjects")

    written, cpu = bytes_written(), time.process_time()
    started = time.perf_counter()
    for first in range(0, args.entries, args.batch):
        last = min(first + args.batch, args.entries)
        log.append_disclosures([disclosure(n, args.subjects) for n in range(first, last)])
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu
    print(f"append: {args.entries / elapsed:,.0f} entries/s ({elapsed:.1f} s, batch {args.batch})")
    print(
        f"append CPU: {cpu:.1f} s ({args.entries / cpu:,.0f} entries per CPU-second);"
        f" disk writes {(bytes_written() - written) / args.entries / 1024:,.1f} KiB per entry"
    )
    checkpoint = log.publish_checkpoint()
    size = checkpoint.size
    size_mb = sum(f.stat().st_size for f in folder.iterdir()) / 2**20
    print(f"tree size {size}, store {size_mb:,.0f} MiB")

    rng = random.Random(7)
    subjects = [f"subj-{rng.randrange(args.subjects):032x}" for _ in range(args.samples)]
    pick = iter(subjects * 3)
    query = timed(lambda: store.subject_entries(log.subject_index(next(pick)), 20), args.samples)
    print(f"subject query (page of 20): {percentiles(query)}")
    view = timed(lambda: subject_view(log, next(pick), "bench", 20), args.samples)
    print(f"subject view (page of 20 with proofs): {percentiles(view)}")
    proof = timed(lambda: log.inclusion_proof(rng.randrange(size), size), args.samples)
    print(f"inclusion proof: {percentiles(proof)}")
    for version in range(20):
        record_policy_change(store, START, "dpo:bench", f"v{version}", "proposed")
    history = timed(
        lambda: store.audit_events(limit=1000, action=POLICY_CHANGE, newest_first=True),
        args.samples,
    )
    print(f"policy history page: {percentiles(history)}")
    store.close()


if __name__ == "__main__":
    main()
