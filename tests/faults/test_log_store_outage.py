"""Stop the log store (PostgreSQL) during a stream, restart it: the log writer catches up."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from broker.devtools.processes import read_pid
from broker.transparency.errors import StoreUnavailableError
from broker.transparency.log import TransparencyLog
from broker.transparency.log_writer import STORE_RECOVERED_EVENT, STORE_UNAVAILABLE_EVENT
from broker.transparency.store.postgres_store import PostgresStore
from tests.faults.fault_run import FaultRun
from tests.faults.private_postgres import PrivatePostgres
from tests.faults.stream_harness import (
    SCALE,
    TEST_TIMEOUT_S,
    SteadyStream,
    enrol_subjects,
    start_log_writer,
    start_router,
    wait_until_logged,
    wait_until_routed,
)
from tests.support.log_records import INDEX_KEY, SIGNER, disclosure
from tests.support.waiting import log_count, wait_for_log

OUTAGE_S = 5.0 * SCALE
RATE = 150.0
SUBJECTS = 20

pytestmark = pytest.mark.timeout(TEST_TIMEOUT_S)


@pytest.mark.kafka
async def test_log_writer_waits_out_a_stopped_store_and_logs_everything_once(
    kafka_bootstrap: str, private_postgres: PrivatePostgres, tmp_path: Path
) -> None:
    """PostgreSQL down for seconds mid-stream: the writer keeps running, then logs all, once."""
    run = await FaultRun.prepare(kafka_bootstrap, private_postgres.dsn, tmp_path)
    agencies, codec, group, store = run.agencies, run.codec, run.group, run.store
    writer_log = tmp_path / "log-writer.log"
    start_log_writer(tmp_path, kafka_bootstrap, store)
    start_router(tmp_path, kafka_bootstrap, group)
    try:
        await wait_for_log(tmp_path / "router-0.log", "router.ready")
        await wait_for_log(writer_log, "log_writer.ready")
        writer_pid = read_pid(tmp_path / "log-writer.pid")
        subjects = await enrol_subjects(kafka_bootstrap, codec, agencies, SUBJECTS)
        await wait_until_routed(kafka_bootstrap, group, agencies)
        await wait_until_logged(store, SUBJECTS)
        stream = SteadyStream(kafka_bootstrap, codec, agencies, subjects, RATE)
        stream.start()
        await asyncio.sleep(2.0)
        try:
            await asyncio.to_thread(private_postgres.stop)
            await wait_for_log(writer_log, STORE_UNAVAILABLE_EVENT, timeout=30)
            await asyncio.sleep(OUTAGE_S)
        finally:
            await asyncio.to_thread(private_postgres.start)
        await wait_for_log(writer_log, STORE_RECOVERED_EVENT, timeout=60)
        await asyncio.sleep(2.0)
        result, decisions = await run.drain_and_reconcile(stream, SUBJECTS)
        assert read_pid(tmp_path / "log-writer.pid") == writer_pid, "the log writer stopped"
    finally:
        run.stop_processes()
    print(result.summary(), f"store_unavailable={log_count(writer_log, STORE_UNAVAILABLE_EVENT)}")
    assert result.problems == []
    assert result.logged == result.disclosures == decisions
    writer_lines = writer_log.read_text()
    identifiers = [s[name] or "" for s in subjects for name in ("crn", "pnc_id", "nhs_number")]
    assert not any(identifier in writer_lines for identifier in identifiers)


def test_postgres_store_reports_a_stopped_server_and_reconnects_when_it_is_back(
    private_postgres: PrivatePostgres,
) -> None:
    """A stopped server is a one-line StoreUnavailableError; once restarted, appends resume."""
    store = PostgresStore(private_postgres.dsn, "store_outage")
    log = TransparencyLog(store, SIGNER, INDEX_KEY)
    try:
        log.append_disclosures([disclosure(1)])
        private_postgres.stop()
        try:
            with pytest.raises(StoreUnavailableError) as raised:
                log.append_disclosures([disclosure(2)])
            assert "\n" not in str(raised.value) and "subj-" not in str(raised.value)
            with pytest.raises(StoreUnavailableError):
                store.tree_head()
        finally:
            private_postgres.start()
        result = log.append_disclosures([disclosure(2), disclosure(1)])
        assert (len(result.appended), result.skipped, result.size) == (1, 1, 2)
    finally:
        store.close()
