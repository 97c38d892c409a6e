"""kill -9 the router at random points of a steady stream, repeatedly: every count reconciles."""

from __future__ import annotations

import asyncio
import os
import random
import signal
from pathlib import Path

import pytest

from broker.catalogue.catalogue import default_catalogue
from broker.catalogue.codec import AvroCodec
from broker.devstack.processes import read_pid, stop_process_group
from tests.faults.private_postgres import PrivatePostgres
from tests.faults.reconciliation import reconcile
from tests.faults.stream_harness import (
    SCALE,
    TEST_TIMEOUT_S,
    FaultAgencies,
    SteadyStream,
    enrol_subjects,
    log_store_from_now,
    prepare_topics,
    start_log_writer,
    start_router,
    wait_for_log,
    wait_until_logged,
    wait_until_routed,
    write_fault_policy,
)

KILLS = round(3 * SCALE)
RATE = 150.0
SUBJECTS = 20

pytestmark = pytest.mark.timeout(TEST_TIMEOUT_S)


@pytest.mark.kafka
async def test_router_killed_repeatedly_mid_stream_loses_and_duplicates_nothing(
    kafka_bootstrap: str, private_postgres: PrivatePostgres, tmp_path: Path
) -> None:
    """Three kill -9s of the router during a stream: each event decided, delivered, logged once."""
    seed = random.randrange(1_000_000)
    chance = random.Random(seed)
    print(f"seed={seed} kills={KILLS} rate={RATE}/s")
    agencies = FaultAgencies.fresh()
    write_fault_policy(tmp_path, agencies)
    await prepare_topics(kafka_bootstrap, agencies)
    codec = AvroCodec(default_catalogue())
    group = f"{agencies.police}-routers"
    store = await log_store_from_now(private_postgres.dsn, tmp_path, kafka_bootstrap)
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
        tally = await stream.stop()
        await wait_until_routed(kafka_bootstrap, group, agencies)
        decisions = SUBJECTS + len(tally.permitted) + len(tally.refused)
        await wait_until_logged(store, decisions)
        await asyncio.sleep(1.0)  # anything logged after this would be a duplicate
        result = await reconcile(
            kafka_bootstrap,
            codec,
            agencies,
            published=SUBJECTS + tally.total,
            expected_good=tally.permitted + tally.refused,
            expected_bad_keys=tally.malformed,
            store=store,
        )
    finally:
        stop_process_group(tmp_path / "router-0.pid")
        stop_process_group(tmp_path / "log-writer.pid")
    print(result.summary())
    assert result.problems == []
    assert result.delivered > 0 and result.refused > 0 and result.dead_lettered > 0
    assert result.logged == result.disclosures == decisions
