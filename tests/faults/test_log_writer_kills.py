"""kill -9 the log writer while it appends a backlog, restart it: nothing lost or logged twice."""

from __future__ import annotations

import asyncio
import os
import random
import signal
from pathlib import Path

import psycopg
import pytest

from broker.devtools.processes import read_pid
from tests.faults.fault_run import FaultRun
from tests.faults.private_postgres import PrivatePostgres
from tests.faults.stream_harness import (
    SCALE,
    TEST_TIMEOUT_S,
    LogStoreConfig,
    SteadyStream,
    enrol_subjects,
    logged_entries,
    start_log_writer,
    start_router,
)
from tests.support.waiting import log_count, wait_for_log

KILLS = round(2 * SCALE)
RATE = 200.0
SUBJECTS = 20


async def logged_count(store: LogStoreConfig) -> int:
    """Entries in the store now (0 before the writer has created its tables)."""
    try:
        return len(await asyncio.to_thread(logged_entries, store))
    except psycopg.Error:  # the schema does not exist yet
        return 0


pytestmark = pytest.mark.timeout(TEST_TIMEOUT_S)


@pytest.mark.kafka
async def test_log_writer_killed_mid_batch_loses_and_duplicates_nothing(
    kafka_bootstrap: str, private_postgres: PrivatePostgres, tmp_path: Path
) -> None:
    """kill -9 the writer while it catches up a backlog, twice: every disclosure logged once."""
    seed = random.randrange(1_000_000)
    chance = random.Random(seed)
    print(f"seed={seed} kills={KILLS} rate={RATE}/s")
    run = await FaultRun.prepare(kafka_bootstrap, private_postgres.dsn, tmp_path)
    agencies, codec, group, store = run.agencies, run.codec, run.group, run.store
    start_router(tmp_path, kafka_bootstrap, group)
    kills_mid_catch_up = 0
    try:
        await wait_for_log(tmp_path / "router-0.log", "router.ready")
        subjects = await enrol_subjects(kafka_bootstrap, codec, agencies, SUBJECTS)
        stream = SteadyStream(kafka_bootstrap, codec, agencies, subjects, RATE, seed)
        stream.start()
        await asyncio.sleep(3.0)  # a backlog of disclosures for the writer's first start
        for _ in range(KILLS):
            before = await logged_count(store)
            start_log_writer(tmp_path, kafka_bootstrap, store)
            async with asyncio.timeout(120):
                while (now := await logged_count(store)) == before:
                    await asyncio.sleep(0.02)
            await asyncio.sleep(chance.uniform(0.0, 0.3))
            pid = read_pid(tmp_path / "log-writer.pid")
            assert pid is not None, "the log writer was not running when it was to be killed"
            os.kill(pid, signal.SIGKILL)
            produced = len(stream.tally.permitted) + len(stream.tally.refused) + SUBJECTS
            kills_mid_catch_up += now < produced
        start_log_writer(tmp_path, kafka_bootstrap, store)
        await asyncio.sleep(2.0)
        result, decisions = await run.drain_and_reconcile(stream, SUBJECTS)
    finally:
        run.stop_processes()
    skipped = log_count(tmp_path / "log-writer.log", "log_writer.duplicates_skipped")
    print(result.summary(), f"kills_mid_catch_up={kills_mid_catch_up} skipped_batches={skipped}")
    assert result.problems == []
    assert result.logged == result.disclosures == decisions
    assert kills_mid_catch_up == KILLS, "a kill did not land while the writer had work left"
