"""The router's Kafka loop: consume ingress, route, and produce everything in one transaction.

Each polled batch is routed and its outputs and consumer offsets are committed atomically,
so a crash at any point either loses the whole batch's effects (it is re-read) or keeps them
all: nothing lost, nothing shared twice. Consumers read at ``read_committed``. While one
batch is being routed and committed, the next one gathers (a Kafka transaction's commit takes
a few round trips; its records need not wait for them before being fetched). Between
batches the router picks up a newly activated policy version from the ``policies`` topic and
the subjects other routers of its group enrolled or changed (the ``subjects`` topic).
"""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

import structlog

from broker.domain.cohort_table import CohortTable
from broker.kafka.client_options import kafka_client_options
from broker.kafka.group_leave import leave_group
from broker.kafka.topics import agency_of_ingress_topic
from broker.policy.engine import CompiledPolicy
from broker.router.client_choice import transactional_client
from broker.router.cohort_follower import CohortFollower
from broker.router.counters import RouterCounters
from broker.router.fair_batch import FairBatcher
from broker.router.lag_watch import LagWatch
from broker.router.outgoing import RoutingOutcome
from broker.router.policy_follower import PolicyFollower
from broker.router.rebalance_guard import RebalanceGuard, rewind
from broker.router.record_processor import IngressRecord, RecordProcessor
from broker.router.router_metrics import RouterMetrics
from broker.router.transactional_client import Batch, TransactionalClient
from broker.settings import Settings

log = structlog.get_logger(__name__)


class KafkaRouter:
    """Runs a :class:`RecordProcessor` over the ingress topics with Kafka transactions."""

    def __init__(
        self,
        settings: Settings,
        processor: RecordProcessor,
        cohort: CohortTable,
        ingress_topics: Sequence[str],
        policy_follower: PolicyFollower | None = None,
        client_options: Mapping[str, Any] | None = None,
        cohort_follower: CohortFollower | None = None,
    ) -> None:
        """``client_options``: from ``kafka_client_options`` (one token provider per process).

        ``cohort_follower`` replays ``subjects`` at start and keeps the cohort shared with the
        other routers of the group; without one the caller loads the cohort once.
        """
        self._settings = settings
        self.client_options = dict(client_options or kafka_client_options(settings))
        self._processor = processor
        self._cohort = cohort
        self._topics = tuple(ingress_topics)
        self._follower = policy_follower
        self._cohort_follower = cohort_follower
        self.counters = RouterCounters()
        self.metrics = RouterMetrics()
        self.lag_watch = LagWatch(
            settings.router.lag_high_records, settings.router.effective_lag_recovered_records
        )
        self.ready = asyncio.Event()
        self.metrics_port: int | None = None
        """The port metrics are served on once running (``router.metrics_port``; 0 = any)."""

    @property
    def policy_version(self) -> str:
        """The policy version the router decides under right now."""
        return self._processor.policy.version

    async def run(self, stop: asyncio.Event) -> None:
        """Route until ``stop`` is set; any Kafka failure propagates (restart to recover)."""
        router = self._settings.router
        client = transactional_client(self._settings, self.client_options)
        guard = RebalanceGuard()
        batcher = FairBatcher(
            router.batch_max_records, router.partition_batch_max_records, router.batch_linger_ms
        )
        await client.start(self._topics, guard)
        if self._follower is not None:
            self._use_policy(await self._follower.start())
        if self._cohort_follower is not None:
            await self._cohort_follower.start()
        log.info(
            "router.started",
            topics=len(self._topics),
            policy=self._processor.policy.version,
            client=router.kafka_client,
        )
        # The batch in flight: routed and committed by a task while the next batch gathers.
        in_flight: asyncio.Task[None] | None = None
        try:
            if router.metrics_port is not None:
                self.metrics_port = self.metrics.serve(router.metrics_host, router.metrics_port)
                log.info("router.metrics_serving", host=router.metrics_host, port=self.metrics_port)
            while not stop.is_set():
                generation = guard.generation
                batch = await batcher.next_batch(client, router.poll_timeout_ms, in_flight)
                if in_flight is not None:
                    await in_flight  # its failure stops the router here
                    in_flight = None
                if self._follower is not None:
                    self._use_policy(await self._follower.poll())
                if self._cohort_follower is not None:
                    await self._cohort_follower.poll()
                if not self.ready.is_set() and client.assignment():
                    self.ready.set()
                    log.info("router.ready", partitions=len(client.assignment()))
                await self._measure_lag(client)
                if not batch:
                    continue
                await guard.lock.acquire()
                if guard.is_current(generation):
                    in_flight = asyncio.create_task(self._route_batch(client, batch, guard.lock))
                else:
                    guard.lock.release()
                    rewound = rewind(client, batch)
                    log.info(
                        "router.batch_dropped_after_rebalance",
                        partitions=len(batch),
                        rewound=rewound,
                    )
            if in_flight is not None:
                await in_flight
        finally:
            if in_flight is not None:
                await asyncio.wait([in_flight])  # let it commit or abort before closing
            if self._follower is not None:
                await self._follower.stop()
            if self._cohort_follower is not None:
                await self._cohort_follower.stop()
            await client.stop()
            if router.static_membership:
                await leave_group(self.client_options, router.group_id, router.transactional_id)
            self.metrics.stop_serving()
            log.info("router.stopped", **self.counters.as_dict())

    async def _measure_lag(self, client: TransactionalClient) -> None:
        """Update the lag gauges and log ``router.lag_high`` / ``router.lag_recovered`` on change.

        Lag of a partition: its last stable offset (read_committed) minus this consumer's
        position, both as of the latest fetch; partitions not fetched yet are left out.
        """
        by_partition = await client.lag()
        if by_partition is None:
            return  # a rebalance is under way: measure again after it
        lag = {
            (agency_of_ingress_topic(partition.topic), partition.partition): records
            for partition, records in by_partition.items()
        }
        total = self.metrics.set_lag(lag)
        change = self.lag_watch.observe(total)
        if change == "high":
            log.warning(
                "router.lag_high",
                lag=total,
                threshold=self.lag_watch.high,
                partitions=sum(1 for n in lag.values() if n),
            )
        elif change == "recovered":
            log.info("router.lag_recovered", lag=total, threshold=self.lag_watch.recovered)

    def _use_policy(self, policy: CompiledPolicy | None) -> None:
        """Switch to a newly activated policy version between batches (hot reload)."""
        current = self._processor.policy.version
        if policy is None or policy.version == current:
            return
        self._processor.use_policy(policy)
        log.info("router.policy_activated", version=policy.version, previous=current)

    async def _route_batch(
        self, client: TransactionalClient, batch: Batch, rebalance_lock: asyncio.Lock
    ) -> None:
        """Route ``batch`` in one transaction, then release ``rebalance_lock`` (held for it:
        a revocation waits until the batch has committed or aborted)."""
        try:
            await self._route_in_transaction(client, batch)
        finally:
            rebalance_lock.release()

    async def _route_in_transaction(self, client: TransactionalClient, batch: Batch) -> None:
        outcomes: list[RoutingOutcome] = []
        by_agency: dict[str, list[RoutingOutcome]] = defaultdict(list)
        began = time.perf_counter()
        try:
            await client.begin()
            try:
                for partition, messages in batch.items():
                    agency = agency_of_ingress_topic(partition.topic)
                    for message in messages:
                        started = time.perf_counter()
                        outcome = self._processor.process(
                            IngressRecord(
                                topic=partition.topic,
                                partition=partition.partition,
                                offset=message.offset,
                                key=message.key,
                                value=message.value,
                            )
                        )
                        self.metrics.decision_seconds.observe(time.perf_counter() - started)
                        outcomes.append(outcome)
                        by_agency[agency].append(outcome)
                        for record in outcome.records:
                            await client.send(record)
                offsets = {
                    partition: messages[-1].offset + 1 for partition, messages in batch.items()
                }
                await client.commit(offsets)
            except BaseException:
                await client.abort()
                raise
        except BaseException:
            self._cohort.discard()
            raise
        self._cohort.commit()
        transaction_seconds = time.perf_counter() - began
        self.metrics.transaction_seconds.observe(transaction_seconds)
        self.metrics.batch_records.observe(len(outcomes))
        for agency, routed in by_agency.items():
            self.metrics.count(agency, routed)
        for outcome in outcomes:
            self.counters.add(outcome)
            if outcome.dead_letter_reason:
                log.warning("router.dead_lettered", reason=outcome.dead_letter_reason)
        log.debug(
            "router.batch_committed",
            records=len(outcomes),
            seconds=round(transaction_seconds, 4),
            **self.counters.as_dict(),
        )
