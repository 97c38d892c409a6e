"""Cosigning latency: a real litewitness cosigning checkpoints of a growing SQLite log.

Run: ``PYTHONPATH=. .venv/bin/python -m benchmarks.witness_benchmark`` (litewitness is built
into ``.cache/witness`` on first use; that build is timed separately in BENCHMARKS.md).
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from broker.devtools.witness.dev_witness import DevWitness
from broker.transparency.cosignature import WitnessVerifier
from broker.transparency.log import TransparencyLog
from broker.transparency.store.sqlite_store import SqliteStore
from broker.transparency.witness_submitter import Witness, WitnessSubmitter
from tests.support.log_records import INDEX_KEY, SIGNER, Clock, disclosure

ROUNDS, PER_ROUND = 200, 50


async def measure(log: TransparencyLog, witness: Witness) -> list[float]:
    """Seconds per add-checkpoint round trip (proof, HTTP, verify, store), one per round."""
    timings: list[float] = []
    async with httpx.AsyncClient() as client:
        submitter = WitnessSubmitter(log, [witness], client)
        for round_number in range(ROUNDS):
            first = round_number * PER_ROUND
            log.append_disclosures([disclosure(i) for i in range(first, first + PER_ROUND)])
            checkpoint = log.publish_checkpoint()
            started = time.perf_counter()
            await submitter.submit(witness, checkpoint, witness.known_size or 0)
            timings.append(time.perf_counter() - started)
    return timings


def main() -> None:
    """Print median and p95 cosigning latency."""
    with tempfile.TemporaryDirectory() as folder:
        dev = DevWitness(Path(folder) / "witness")
        running = dev.start(SIGNER.name, SIGNER.verifier.vkey)
        try:
            log = TransparencyLog(SqliteStore(Path(folder) / "log.sqlite3"), SIGNER, INDEX_KEY)
            log.clock = Clock()
            witness = Witness(running.url, WitnessVerifier.from_vkey(running.vkey))
            timings = sorted(asyncio.run(measure(log, witness)))
        finally:
            dev.stop()
    median = statistics.median(timings) * 1000
    p95 = timings[int(len(timings) * 0.95)] * 1000
    print(f"{ROUNDS} checkpoints cosigned: median {median:.1f} ms, p95 {p95:.1f} ms")


if __name__ == "__main__":
    main()
