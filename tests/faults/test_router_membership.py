"""Group membership of routers: a restarted router takes its partitions straight back and a
router stopped on purpose hands them over at once — neither waits out the session timeout
(set to 120 s there, far beyond the 60 s allowed for routing); and when one of two routers is
killed and not restarted, the survivor takes its partitions over mid-stream losing nothing."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

import pytest

from broker.catalogue.catalogue import default_catalogue
from broker.catalogue.codec import AvroCodec
from broker.devtools.processes import read_pid, stop_process_group
from iom_adapters.sdk.publisher import AgencyPublisher
from tests.faults.fault_run import FaultRun
from tests.faults.private_postgres import PrivatePostgres
from tests.faults.stream_harness import (
    FaultAgencies,
    SteadyStream,
    enrol_subjects,
    ingress_ends,
    prepare_topics,
    start_log_writer,
    start_router,
    wait_until_routed,
    write_fault_policy,
)
from tests.integration.helpers import arrest
from tests.support.waiting import log_count, wait_for_log

SESSION_TIMEOUT = {"IOM_ROUTER__SESSION_TIMEOUT_MS": "120000"}
ROUTED_WITHIN_S = 60.0
SUBJECTS = 40

pytestmark = pytest.mark.timeout(300)


async def _prepared(bootstrap: str, state: Path) -> tuple[FaultAgencies, AvroCodec, str]:
    agencies = FaultAgencies.fresh()
    write_fault_policy(state, agencies)
    await prepare_topics(bootstrap, agencies)
    return agencies, AvroCodec(default_catalogue()), f"{agencies.police}-routers"


async def _routers_ready_with_subjects(
    bootstrap: str,
    state: Path,
    agencies: FaultAgencies,
    codec: AvroCodec,
    group: str,
    routers: int,
    settings: dict[str, str],
) -> list[dict[str, str | None]]:
    """Start ``routers`` routers of ``group``, wait until each is ready, enrol the subjects and
    wait until the enrolments are routed; return the subjects."""
    for index in range(routers):
        start_router(state, bootstrap, group, index, settings=settings)
    for index in range(routers):
        await wait_for_log(state / f"router-{index}.log", "router.ready")
    subjects = await enrol_subjects(bootstrap, codec, agencies, SUBJECTS)
    await wait_until_routed(bootstrap, group, agencies)
    return subjects


async def _publish_arrests_on_every_partition(
    bootstrap: str, codec: AvroCodec, agencies: FaultAgencies, subjects: list[dict[str, str | None]]
) -> None:
    """Arrests of every subject; asserts each police ingress partition received some."""
    before = await ingress_ends(bootstrap, agencies)
    async with AgencyPublisher(bootstrap, agencies.police, codec) as police:
        await asyncio.gather(*(police.publish(arrest(agencies.police, s)) for s in subjects))
    after = await ingress_ends(bootstrap, agencies)
    police_partitions = [tp for tp in after if tp.topic.endswith(agencies.police)]
    assert all(after[tp] > before[tp] for tp in police_partitions), "a partition got no arrest"


@pytest.mark.kafka
async def test_router_restarted_after_kill_routes_again_without_waiting_for_its_session(
    kafka_bootstrap: str, tmp_path: Path, router_client: str
) -> None:
    """A kill -9'd router restarted under the same id routes new events long before its old
    session would have expired."""
    agencies, codec, group = await _prepared(kafka_bootstrap, tmp_path)
    router_log = tmp_path / "router-0.log"
    try:
        subjects = await _routers_ready_with_subjects(
            kafka_bootstrap, tmp_path, agencies, codec, group, 1, SESSION_TIMEOUT
        )
        pid = read_pid(tmp_path / "router-0.pid")
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        start_router(tmp_path, kafka_bootstrap, group, settings=SESSION_TIMEOUT)
        await _publish_arrests_on_every_partition(kafka_bootstrap, codec, agencies, subjects)
        await wait_until_routed(kafka_bootstrap, group, agencies, timeout=ROUTED_WITHIN_S)
        assert log_count(router_log, "router.ready") == 2
    finally:
        stop_process_group(tmp_path / "router-0.pid")


@pytest.mark.kafka
async def test_router_stopped_on_purpose_hands_its_partitions_to_the_other_at_once(
    kafka_bootstrap: str, tmp_path: Path
) -> None:
    """Of two routers, the one stopped with SIGTERM leaves the group, and the other routes
    every partition's new events long before the stopped one's session would have expired."""
    agencies, codec, group = await _prepared(kafka_bootstrap, tmp_path)
    try:
        subjects = await _routers_ready_with_subjects(
            kafka_bootstrap, tmp_path, agencies, codec, group, 2, SESSION_TIMEOUT
        )
        await asyncio.to_thread(stop_process_group, tmp_path / "router-0.pid")
        assert log_count(tmp_path / "router-0.log", "router.left_group") == 1
        await _publish_arrests_on_every_partition(kafka_bootstrap, codec, agencies, subjects)
        await wait_until_routed(kafka_bootstrap, group, agencies, timeout=ROUTED_WITHIN_S)
    finally:
        for index in (0, 1):
            stop_process_group(tmp_path / f"router-{index}.pid")


@pytest.mark.kafka
async def test_survivor_takes_over_a_killed_router_mid_stream_losing_nothing(
    kafka_bootstrap: str, private_postgres: PrivatePostgres, tmp_path: Path, router_client: str
) -> None:
    """Of two routers sharing a stream, one is killed for good: after its session times out
    the other routes its partitions too, and every count reconciles."""
    run = await FaultRun.prepare(kafka_bootstrap, private_postgres.dsn, tmp_path)
    start_log_writer(tmp_path, kafka_bootstrap, run.store)
    short_session = {"IOM_ROUTER__SESSION_TIMEOUT_MS": "6000"}
    try:
        subjects = await _routers_ready_with_subjects(
            kafka_bootstrap, tmp_path, run.agencies, run.codec, run.group, 2, short_session
        )
        stream = SteadyStream(kafka_bootstrap, run.codec, run.agencies, subjects, 200.0)
        stream.start()
        await asyncio.sleep(2.0)
        survivor_log = tmp_path / "router-1.log"
        assignments = log_count(survivor_log, "router.partitions_assigned")
        pid = read_pid(tmp_path / "router-0.pid")
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        await wait_for_log(survivor_log, "router.partitions_assigned", count=assignments + 1)
        await asyncio.sleep(3.0)
        result, decisions = await run.drain_and_reconcile(stream, SUBJECTS)
    finally:
        run.stop_processes()
        stop_process_group(tmp_path / "router-1.pid")
    print(result.summary())
    assert result.problems == []
    assert result.logged == result.disclosures == decisions
