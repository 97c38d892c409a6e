"""kill -9 the router at random points of a steady stream, repeatedly: every count reconciles."""

from __future__ import annotations

import asyncio
import os
import random
import signal
from pathlib import Path

import pytest

from broker.devtools.processes import read_pid
from tests.faults.fault_run import FaultRun
from tests.faults.private_postgres import PrivatePostgres
from tests.faults.stream_harness import (
    SCALE,
    TEST_TIMEOUT_S,
    SteadyStream,
    enrol_subjects,
    start_log_writer,
    start_router,
    wait_until_routed,
)
from tests.support.waiting import wait_for_log

KILLS = round(3 * SCALE)
RATE = 150.0
SUBJECTS = 20

pytestmark = pytest.mark.timeout(TEST_TIMEOUT_S)


@pytest.mark.kafka
async def test_router_killed_repeatedly_mid_stream_loses_and_duplicates_nothing(
    kafka_bootstrap: str, private_postgres: PrivatePostgres, tmp_path: Path, router_client: str
) -> None:
    """Three kill -9s of the router during a stream: each event decided, delivered, logged once."""
    seed = random.randrange(1_000_000)
    chance = random.Random(seed)
    print(f"seed={seed} kills={KILLS} rate={RATE}/s")
    run = await FaultRun.prepare(kafka_bootstrap, private_postgres.dsn, tmp_path)
    agencies, codec, group, store = run.agencies, run.codec, run.group, run.store
    router_log = tmp_path / "router-0.log"
    start_log_writer(tmp_path, kafka_bootstrap, store)
    start_router(tmp_path, kafka_bootstrap, group)
    try:
        await wait_for_log(router_log, "router.ready")
        subjects = await enrol_subjects(kafka_bootstrap, codec, agencies, SUBJECTS)
        await wait_until_routed(kafka_bootstrap, group, agencies)
        stream = SteadyStream(kafka_bootstrap, codec, agencies, subjects, RATE, seed)
        stream.start()
        for kill in range(KILLS):
            await asyncio.sleep(chance.uniform(1.0, 4.0))
            pid = read_pid(tmp_path / "router-0.pid")
            assert pid is not None, f"the router was not running before kill {kill + 1}"
            os.kill(pid, signal.SIGKILL)
            start_router(tmp_path, kafka_bootstrap, group)
            await wait_for_log(router_log, "router.ready", count=kill + 2, timeout=120)
        await asyncio.sleep(chance.uniform(1.0, 3.0))
        result, decisions = await run.drain_and_reconcile(stream, SUBJECTS)
    finally:
        run.stop_processes()
    print(result.summary())
    assert result.problems == []
    assert result.delivered > 0 and result.refused > 0 and result.dead_lettered > 0
    assert result.logged == result.disclosures == decisions
