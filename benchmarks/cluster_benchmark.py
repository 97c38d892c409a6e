"""Routers over a three-broker Kafka cluster: throughput with 1-3 routers, latency at a fixed
load, recovery after a router kill, peak memory per router.

Starts its own local cluster in a temporary folder (``--brokers 1`` for a single node) with the
project's launcher, creates the topic plan (3 replicas, ``min.insync.replicas=2``):

    .venv/bin/python -m benchmarks.cluster_benchmark --brokers 3

1. **Throughput**: preloads ``--events`` arrests into ``ingress.gwent-police`` (6 partitions),
   then runs 1, 2 and 3 ``iom-broker router run`` processes (a fresh consumer group each) and
   times the group's committed offsets from first progress to the end of the topic.
2. **Latency**: 2 routers; arrests offered at each of ``--rates`` events/s for ``--seconds``,
   each timed from the publish call to its delivery being readable at ``read_committed``,
   with the CPU used meanwhile by the Kafka JVMs (split into JIT compilers, request handling
   and replication threads), the routers and this load generator. Run twice in one command:
   first with the router's fetch and batching settings as they were before the latency work
   (:data:`BEFORE_SETTINGS`: the baseline), then with today's defaults. A warm-up at
   ``--rate`` with today's defaults comes first, in 20 s steps until the brokers' JIT
   compilers have settled (on two cores they take minutes of load); each step's latency is
   printed, which is what a cold start looks like.
3. **Recovery**: ``--rate`` with today's defaults; one of the two routers is killed
   (``kill -9``) a quarter of the way in, once restarted at once under the same id (as a
   supervisor would; static membership gives it its partitions straight back) and once not
   restarted (the survivor takes the partitions after the session timeout). Reported: the
   worst delivery delay, the takeover (the most delayed event delivered) and the catch-up (the
   backlog, published minus delivered, back under 0.5 s worth of load), each from the kill.

Peak RSS (``VmHWM``) of every router process is read just before it is stopped.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import sys
import time
from bisect import bisect_right
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from benchmarks.cpu_usage import cpu_seconds, jvm_thread_cpu_seconds, kafka_pids
from benchmarks.scale_out_benchmark import committed, partitions
from benchmarks.scratch_kafka import scratch_kafka
from broker.agency_registry import load_agencies
from broker.bootstrap import load_core
from broker.catalogue.codec import AvroCodec
from broker.devtools.processes import read_pid, spawn_detached, stop_process_group
from broker.kafka.topic_admin import ensure_topic_plan
from broker.kafka.topics import INGRESS_PARTITIONS, deliver_topic, ingress_topic
from broker.logging_setup import configure_logging
from broker.settings import load_settings
from broker.startup_heap import freeze_startup_heap
from iom_adapters.sdk.publisher import AgencyPublisher
from iom_adapters.sdk.relay import LINGER_MS
from tests.integration.helpers import arrest, enrolment, unique_subject

POLICE, PROBATION = "gwent-police", "probation-wales"
SUBJECTS = 60
LATENCY_ROUTERS = 2
BACKLOG_SECONDS = 0.5
P99_WINDOW_SECONDS = 10.0
WARM_UP_STEP_SECONDS = 20.0
WARM_UP_MAX_SECONDS = 480.0
JIT_SETTLED_CORES = 0.05
"""Below this share of a core for a warm-up step, the brokers' JIT compilers count as settled."""
BEFORE_SETTINGS = {"IOM_ROUTER__FETCH_MAX_WAIT_MS": "500", "IOM_ROUTER__BATCH_LINGER_MS": "0"}
"""The router's fetch and batching as they were before the latency work: the baseline run."""
THREAD_KINDS = {
    "C2 Compiler": "JIT",
    "C1 Compiler": "JIT",
    "data-plane": "requests",
    "ReplicaFetcher": "replication",
}
"""Kafka JVM thread name prefixes (as ``/proc`` shows them, cut to 15 characters) by kind."""


@dataclass
class Routers:
    """Router processes of one consumer group, and their peak RSS when stopped."""

    state: Path
    bootstrap: str
    group: str
    session_timeout_ms: int
    settings: dict[str, str] = field(default_factory=dict)
    """Extra ``IOM_*`` variables for every router (e.g. :data:`BEFORE_SETTINGS`)."""
    pid_files: list[Path] = field(default_factory=list)
    peak_rss_mib: list[float] = field(default_factory=list)

    def start(self, count: int) -> None:
        """Start ``count`` routers with transactional ids ``<group>-<index>``."""
        for index in range(count):
            self.pid_files.append(self.spawn(index))

    def spawn(self, index: int) -> Path:
        """Start router ``index`` (again, after a kill: same id, as a supervisor would)."""
        env = {
            **os.environ,
            "IOM_KAFKA__BOOTSTRAP_SERVERS": self.bootstrap,
            "IOM_SUBJECT_KEY_FILE": str(self.state / "subject.key"),
            "IOM_ROUTER__GROUP_ID": self.group,
            "IOM_ROUTER__TRANSACTIONAL_ID": f"{self.group}-{index}",
            "IOM_ROUTER__SESSION_TIMEOUT_MS": str(self.session_timeout_ms),
            "IOM_LOG_LEVEL": "warning",
            **self.settings,
        }
        pid_file = self.state / f"{self.group}-{index}.pid"
        command = [sys.executable, "-m", "broker.cli", "router", "run"]
        spawn_detached(command, self.state / f"{self.group}-{index}.log", pid_file, env)
        return pid_file

    def pids(self) -> list[int]:
        """The running routers' process ids."""
        return [pid for pid in map(read_pid, self.pid_files) if pid is not None]

    def kill(self, index: int) -> None:
        """``kill -9`` router ``index`` (its peak RSS is read first)."""
        pid = read_pid(self.pid_files[index])
        if pid is not None:
            self.peak_rss_mib.append(peak_rss_mib(pid))
            os.kill(pid, signal.SIGKILL)

    async def stop(self) -> None:
        """Read each live router's peak RSS, then stop it."""
        for pid_file in self.pid_files:
            pid = read_pid(pid_file)
            if pid is not None:
                self.peak_rss_mib.append(peak_rss_mib(pid))
            await asyncio.to_thread(stop_process_group, pid_file)


def peak_rss_mib(pid: int) -> float:
    """The process's peak resident set size (``VmHWM``) in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def throughput(state: Path, bootstrap: str, group: str, count: int, timeout_ms: int) -> str:
    """Run ``count`` routers over the preloaded topic; return events/s and peak RSS."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap)
    await consumer.start()
    total = sum((await consumer.end_offsets(partitions(POLICE))).values())
    await consumer.stop()
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    routers = Routers(state, bootstrap, group, timeout_ms)
    routers.start(count)
    first: tuple[float, int] | None = None
    try:
        async with asyncio.timeout(900):
            while True:
                value = await committed(admin, group, POLICE)
                now = time.perf_counter()
                if value and first is None:
                    first = (now, value)
                if value >= total:
                    break
                await asyncio.sleep(0.05)
    finally:
        await admin.close()
        await routers.stop()
    assert first is not None
    rate = (total - first[1]) / max(now - first[0], 1e-9)
    rss = ", ".join(f"{m:.0f}" for m in routers.peak_rss_mib)
    return f"{count} router(s): {rate:,.0f} events/s; peak RSS per router {rss} MiB"


async def commit_at_end(bootstrap: str, group: str, agencies: list[str]) -> None:
    """Give ``group`` committed offsets at the end of every ingress topic (skip the backlog)."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False
    )
    await consumer.start()
    try:
        tps = [
            TopicPartition(ingress_topic(a), p) for a in agencies for p in range(INGRESS_PARTITIONS)
        ]
        ends = await consumer.end_offsets(tps)
        consumer.assign(tps)
        await consumer.commit({tp: offset for tp, offset in ends.items()})
    finally:
        await consumer.stop()


@dataclass
class LoadRun:
    """What one run at a fixed offered load saw."""

    published: dict[str, float] = field(default_factory=dict)
    delivered_at: list[tuple[float, float]] = field(default_factory=list)
    """(arrival time, latency) per delivery, in arrival order."""
    offered_rate: float = 0.0


async def offered_load(
    bootstrap: str,
    codec: AvroCodec,
    subjects: list[dict[str, str | None]],
    rate: float,
    seconds: float,
    during: Callable[[LoadRun], Coroutine[Any, Any, None]] | None = None,
) -> LoadRun:
    """Publish arrests at ``rate``/s for ``seconds`` and follow their deliveries."""
    run = LoadRun()
    consumer = AIOKafkaConsumer(
        deliver_topic(PROBATION),
        bootstrap_servers=bootstrap,
        auto_offset_reset="latest",
        isolation_level="read_committed",
        enable_auto_commit=False,
        group_id=f"bench-deliveries-{time.time_ns()}",
    )
    await consumer.start()
    await consumer.getmany(timeout_ms=1000)
    total = int(rate * seconds)
    tick = 0.01

    async def publish(police: AgencyPublisher) -> None:
        started = time.perf_counter()
        sends: set[asyncio.Task[None]] = set()
        for index in range(total):
            due = started + index / rate
            delay = due - time.perf_counter()
            if delay > tick:
                await asyncio.sleep(delay)
            event = arrest(POLICE, subjects[index % len(subjects)])
            run.published[event["envelope"]["event_id"]] = time.perf_counter()
            task = asyncio.create_task(police.publish(event))
            sends.add(task)
            task.add_done_callback(sends.discard)
        await asyncio.gather(*sends)
        run.offered_rate = total / (time.perf_counter() - started)

    # Batched as an adapter's outbox relay batches its sends.
    options = {"client_id": "bench-load", "linger_ms": LINGER_MS, "max_batch_size": 256 * 1024}
    async with AgencyPublisher(bootstrap, POLICE, codec, kafka_options=options) as police:
        publishing = asyncio.create_task(publish(police))
        extra = asyncio.create_task(during(run)) if during else None
        try:
            with suppress(TimeoutError):  # reported as fewer deliveries than events
                async with asyncio.timeout(seconds + 300):
                    while len(run.delivered_at) < total:
                        batch = await consumer.getmany(timeout_ms=100)
                        now = time.perf_counter()
                        for messages in batch.values():
                            for message in messages:
                                delivery = codec.decode_delivery(message.value)
                                sent = run.published.get(delivery["envelope"]["event_id"])
                                if sent is not None:
                                    run.delivered_at.append((now, now - sent))
            await publishing
        finally:
            for task in (publishing, extra):
                if task is not None and not task.done():
                    task.cancel()
                    with suppress(asyncio.CancelledError):
                        await task
            await consumer.stop()
    return run


@dataclass
class MeasuredRun:
    """A load run's latencies and the CPU used meanwhile, in cores."""

    run: LoadRun
    cores: dict[str, float]
    """By process kind: Kafka, routers, this load generator."""
    kafka_threads: dict[str, float]
    """Kafka's cores by thread kind (:data:`THREAD_KINDS`)."""
    each_router: list[float]
    """Cores by router process: how evenly the group shares the work."""

    def quantile_ms(self, percent: int) -> float:
        """The ``percent``-th percentile of the delivery latency, in milliseconds."""
        return _quantile_ms([latency for _, latency in self.run.delivered_at], percent)

    def window_quantiles_ms(self, percent: int, seconds: float) -> list[float]:
        """The ``percent``-th percentile of each ``seconds``-long window of the run, by the
        time each delivered event was published: one stall shows as one bad window. Windows of
        fewer than two deliveries (a straggler published a moment past the end) are left out."""
        by_window: dict[int, list[float]] = {}
        start = min((at - latency for at, latency in self.run.delivered_at), default=0.0)
        for at, latency in self.run.delivered_at:
            by_window.setdefault(int((at - latency - start) // seconds), []).append(latency)
        return [
            _quantile_ms(by_window[index], percent)
            for index in sorted(by_window)
            if len(by_window[index]) > 1
        ]


def _quantile_ms(latencies: list[float], percent: int) -> float:
    """The ``percent``-th percentile of ``latencies`` (seconds) in milliseconds, NaN for fewer
    than two."""
    if len(latencies) < 2:
        return float("nan")
    return statistics.quantiles(latencies, n=100)[percent - 1] * 1000


async def measured_run(
    bootstrap: str,
    codec: AvroCodec,
    subjects: list[dict[str, str | None]],
    routers: Routers,
    rate: float,
    seconds: float,
) -> MeasuredRun:
    """Offer ``rate`` events/s for ``seconds``, reading the CPU every process used meanwhile."""
    kafka = kafka_pids()
    processes = {"Kafka": kafka, "this load generator": [os.getpid()]}
    cpu_before = {kind: cpu_seconds(pids) for kind, pids in processes.items()}
    each_router_before = {pid: cpu_seconds([pid]) for pid in routers.pids()}
    threads_before = jvm_thread_cpu_seconds(kafka)
    started = time.perf_counter()
    run = await offered_load(bootstrap, codec, subjects, rate, seconds)
    wall = time.perf_counter() - started
    cores = {
        kind: (cpu_seconds(pids) - cpu_before[kind]) / wall for kind, pids in processes.items()
    }
    kinds = {kind: 0.0 for kind in THREAD_KINDS.values()}
    for name, used in jvm_thread_cpu_seconds(kafka).items():
        kind = next((k for prefix, k in THREAD_KINDS.items() if name.startswith(prefix)), None)
        if kind is not None:
            kinds[kind] += (used - threads_before.get(name, 0.0)) / wall
    each_router = [
        (cpu_seconds([pid]) - before) / wall for pid, before in each_router_before.items()
    ]
    cores["routers"] = sum(each_router)
    return MeasuredRun(run, cores, kinds, each_router)


async def warm_up(
    bootstrap: str,
    codec: AvroCodec,
    subjects: list[dict[str, str | None]],
    routers: Routers,
    rate: float,
) -> None:
    """Offer ``rate`` in steps until the brokers' JIT compilers have settled (below
    :data:`JIT_SETTLED_CORES` for a step) or :data:`WARM_UP_MAX_SECONDS` have passed,
    printing each step: the latency of a cold start."""
    started = time.perf_counter()
    print(f"warm-up at {rate:,.0f} events/s, {WARM_UP_STEP_SECONDS:.0f} s steps:")
    while True:
        step = await measured_run(bootstrap, codec, subjects, routers, rate, WARM_UP_STEP_SECONDS)
        elapsed = time.perf_counter() - started
        jit = step.kafka_threads["JIT"]
        print(
            f"  after {elapsed:.0f} s: p50 {step.quantile_ms(50):.0f} / p99 "
            f"{step.quantile_ms(99):.0f} ms; Kafka JIT compilers {jit:.2f} cores"
        )
        if jit < JIT_SETTLED_CORES or elapsed >= WARM_UP_MAX_SECONDS:
            return


async def latency(
    bootstrap: str,
    codec: AvroCodec,
    subjects: list[dict[str, str | None]],
    routers: Routers,
    rates: list[float],
    seconds: float,
) -> None:
    """Offer each of ``rates`` to the running ``routers``; print latency and where the CPU went."""
    for rate in rates:
        measured = await measured_run(bootstrap, codec, subjects, routers, rate, seconds)
        run = measured.run
        threads = ", ".join(f"{k} {v:.2f}" for k, v in measured.kafka_threads.items())
        cores = measured.cores
        print(
            f"  {rate:,.0f} events/s (achieved {run.offered_rate:,.0f}) for {seconds:.0f} s, "
            f"{len(run.delivered_at)} of {len(run.published)} delivered: p50 "
            f"{measured.quantile_ms(50):.0f} / p95 {measured.quantile_ms(95):.0f} / p99 "
            f"{measured.quantile_ms(99):.0f} ms; CPU cores: Kafka {cores['Kafka']:.2f} "
            f"({threads}), routers {cores['routers']:.2f} "
            f"({' + '.join(f'{each:.2f}' for each in measured.each_router)}), "
            f"this load generator {cores['this load generator']:.2f}"
        )
        windows = measured.window_quantiles_ms(99, P99_WINDOW_SECONDS)
        print(
            f"    p99 per {P99_WINDOW_SECONDS:.0f} s of publishing: "
            + " / ".join(f"{p99:.0f}" for p99 in windows)
            + " ms"
        )


def router_kill(
    routers: Routers, delay: float, restart: bool, killed: dict[str, float]
) -> Callable[[LoadRun], Coroutine[Any, Any, None]]:
    """A load run's companion: ``kill -9`` router 0 after ``delay`` seconds (noting when in
    ``killed["at"]``) and, if ``restart``, start it again at once as a supervisor would."""

    async def kill(_: LoadRun) -> None:
        await asyncio.sleep(delay)
        killed["at"] = time.perf_counter()
        routers.kill(0)
        if restart:
            routers.spawn(0)

    return kill


def recovery(run: LoadRun, killed_at: float, rate: float) -> str:
    """How the stream fared after a router kill: the worst delivery delay; the takeover (the
    most delayed event delivered, so its partitions are being read again); and the catch-up
    (from then on, the first delivery at which the backlog, published minus delivered, is
    back under ``BACKLOG_SECONDS`` of load)."""
    after = [(at, latency) for at, latency in run.delivered_at if at >= killed_at]
    if not after:
        return "no delivery after the kill"
    worst_at, worst = max(after, key=lambda pair: pair[1])
    sent = sorted(run.published.values())
    arrivals = sorted(at for at, _ in run.delivered_at)
    caught_up = next(
        (
            f"{at - killed_at:.1f} s"
            for index, at in enumerate(arrivals)
            if at >= worst_at and bisect_right(sent, at) - (index + 1) <= rate * BACKLOG_SECONDS
        ),
        f"never ({len(arrivals)} of {len(sent)} events delivered)",
    )
    return (
        f"worst delivery delay {worst:.1f} s; takeover (most delayed event delivered) "
        f"{worst_at - killed_at:.1f} s and backlog back under {BACKLOG_SECONDS} s of load "
        f"{caught_up} after the kill"
    )


@asynccontextmanager
async def load_routers(
    state: Path,
    bootstrap: str,
    group: str,
    timeout_ms: int,
    agencies: list[str],
    settings: dict[str, str] | None = None,
) -> AsyncIterator[Routers]:
    """:data:`LATENCY_ROUTERS` routers in a fresh ``group`` that starts at the end of the
    ingress topics, joined and assigned; stopped (peak RSS read) on exit."""
    await commit_at_end(bootstrap, group, agencies)
    routers = Routers(state, bootstrap, group, timeout_ms, settings or {})
    routers.start(LATENCY_ROUTERS)
    try:
        await asyncio.sleep(10)  # both joined and assigned
        yield routers
    finally:
        await routers.stop()


async def recoveries(
    bootstrap: str,
    codec: AvroCodec,
    subjects: list[dict[str, str | None]],
    routers: Routers,
    rate: float,
    seconds: float,
) -> None:
    """Offer ``rate`` twice, killing router 0 a quarter of the way in: restarted at once,
    then not restarted; print how the stream recovered each time."""
    for restarted in (True, False):
        killed: dict[str, float] = {}
        kill = router_kill(routers, seconds / 4, restarted, killed)
        run = await offered_load(bootstrap, codec, subjects, rate, seconds, kill)
        how = "restarted at once" if restarted else "not restarted"
        print(
            f"recovery, kill -9 of 1 of {LATENCY_ROUTERS} routers at {rate:,.0f} "
            f"events/s, {how} (session timeout {routers.session_timeout_ms / 1000:.0f} s): "
            + recovery(run, killed["at"], rate)
        )
        await asyncio.sleep(5)


async def main(
    brokers: int, events: int, rate: float, rates: list[float], seconds: float, timeout_ms: int
) -> None:
    configure_logging("warning", "console")
    async with scratch_kafka("iom-cluster-bench-", brokers) as (state, bootstrap):
        settings = load_settings(
            kafka={"bootstrap_servers": bootstrap}, subject_key_file=state / "subject.key"
        )
        agencies = list(load_agencies(settings.agencies_file).ids)
        await ensure_topic_plan(bootstrap, agencies)
        codec = load_core(settings).codec
        subjects = [unique_subject() for _ in range(SUBJECTS)]
        async with AgencyPublisher(bootstrap, PROBATION, codec) as probation:
            await asyncio.gather(*(probation.publish(enrolment(PROBATION, s)) for s in subjects))
        warm = Routers(state, bootstrap, "bench-warmup", timeout_ms)
        warm.start(1)
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
        await admin.start()
        async with asyncio.timeout(300):
            while await committed(admin, "bench-warmup", PROBATION) < SUBJECTS:
                await asyncio.sleep(0.2)
        await admin.close()
        await warm.stop()
        async with AgencyPublisher(bootstrap, POLICE, codec) as police:
            for start in range(0, events, 1000):
                chunk = range(start, min(events, start + 1000))
                await asyncio.gather(
                    *(police.publish(arrest(POLICE, subjects[i % SUBJECTS])) for i in chunk)
                )
        print(f"Kafka: {brokers} broker(s); topics with {min(brokers, 3)} replicas")
        print("load average at start: " + ", ".join(f"{x:.1f}" for x in os.getloadavg()))
        print(f"throughput: {events} arrests preloaded on {INGRESS_PARTITIONS} partitions")
        for count in (1, 2, 3):
            print("  " + await throughput(state, bootstrap, f"bench-{count}", count, timeout_ms))

        rss: list[float] = []
        # Warm up with the settings under test (today's), so the brokers' code paths their
        # batches take are compiled before anything is measured.
        async with load_routers(state, bootstrap, "bench-warm-up", timeout_ms, agencies) as warming:
            await warm_up(bootstrap, codec, subjects, warming, rate)
        freeze_startup_heap()  # the load generator's own full collections would stall it too
        configurations: list[tuple[str, dict[str, str]]] = [
            ("before the latency work", BEFORE_SETTINGS),
            ("now", {}),
        ]
        for index, (label, overrides) in enumerate(configurations):
            group = f"bench-load-{index}"
            async with load_routers(
                state, bootstrap, group, timeout_ms, agencies, overrides
            ) as routers:
                named = ", ".join(f"{k}={v}" for k, v in overrides.items()) or "defaults"
                print(f"latency, {LATENCY_ROUTERS} routers, {label} ({named}):")
                await latency(bootstrap, codec, subjects, routers, rates, seconds)
                if not overrides:
                    await recoveries(bootstrap, codec, subjects, routers, rate, seconds)
            rss += routers.peak_rss_mib
        print(f"peak RSS of the load-test routers: {', '.join(f'{m:.0f}' for m in rss)} MiB")
        print("load average at the end: " + ", ".join(f"{x:.1f}" for x in os.getloadavg()))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--brokers", type=int, default=3)
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--rate", type=float, default=1_000.0, help="offered events/s")
    parser.add_argument(
        "--rates", default="250,500,1000", help="offered loads of the latency runs (events/s)"
    )
    parser.add_argument("--seconds", type=float, default=30.0, help="length of each load run")
    parser.add_argument("--session-timeout-ms", type=int, default=10_000)
    arguments = parser.parse_args()
    asyncio.run(
        main(
            arguments.brokers,
            arguments.events,
            arguments.rate,
            [float(rate) for rate in arguments.rates.split(",")],
            arguments.seconds,
            arguments.session_timeout_ms,
        )
    )
