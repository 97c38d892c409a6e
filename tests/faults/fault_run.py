"""One fault test's pipeline from set-up to reconciliation, shared by the kill and outage tests."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from broker.catalogue.catalogue import default_catalogue
from broker.catalogue.codec import AvroCodec
from broker.devtools.processes import stop_process_group
from tests.faults.reconciliation import Reconciliation, reconcile
from tests.faults.stream_harness import (
    FaultAgencies,
    LogStoreConfig,
    SteadyStream,
    log_store_from_now,
    logged_entries,
    prepare_topics,
    wait_until_logged,
    wait_until_routed,
    write_fault_policy,
)
from tests.support.log_markers import publish_markers
from tests.support.waiting import wait_until

__all__ = ["FaultRun"]


@dataclass(frozen=True)
class FaultRun:
    """Fresh agencies with their topics and policy, a router group and a log store from now."""

    bootstrap: str
    state: Path
    agencies: FaultAgencies
    codec: AvroCodec
    group: str
    store: LogStoreConfig

    @classmethod
    async def prepare(cls, bootstrap: str, postgres_dsn: str, state: Path) -> FaultRun:
        """Agencies no other test uses, their topics and policy in ``state``, an empty log."""
        agencies = FaultAgencies.fresh()
        write_fault_policy(state, agencies)
        await prepare_topics(bootstrap, agencies)
        store = await log_store_from_now(postgres_dsn, state, bootstrap)
        return cls(
            bootstrap,
            state,
            agencies,
            AvroCodec(default_catalogue()),
            f"{agencies.police}-routers",
            store,
        )

    async def drain_and_reconcile(
        self, stream: SteadyStream, enrolled: int
    ) -> tuple[Reconciliation, int]:
        """Stop ``stream``, wait until all is routed and logged; the result and decision count."""
        tally = await stream.stop()
        await wait_until_routed(self.bootstrap, self.group, self.agencies)
        decisions = enrolled + len(tally.permitted) + len(tally.refused)
        await wait_until_logged(self.store, decisions)
        # once the markers after the backlog are logged, anything more would be a duplicate
        markers = set(await publish_markers(self.bootstrap, self.codec))

        async def markers_logged() -> bool:
            entries = await asyncio.to_thread(logged_entries, self.store)
            return markers <= {ident for _, ident in entries}

        await wait_until(markers_logged, timeout=180, interval=0.3)
        result = await reconcile(
            self.bootstrap,
            self.codec,
            self.agencies,
            published=enrolled + tally.total,
            expected_good=tally.permitted + tally.refused,
            expected_bad_keys=tally.malformed,
            store=self.store,
        )
        return result, decisions

    def stop_processes(self) -> None:
        """Stop the router and log writer this run started (if still running)."""
        stop_process_group(self.state / "router-0.pid")
        stop_process_group(self.state / "log-writer.pid")
