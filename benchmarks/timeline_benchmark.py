"""Supervisee timeline under load: ``GET /me/disclosures`` over a million-entry log.

    .venv/bin/python -m benchmarks.timeline_benchmark --entries 1000000 --users 20

Builds (or reuses, in ``--dir``) a log of ``--entries`` disclosures over ``--subjects`` people
with a heavy-tailed spread (see ``benchmarks.timeline_data``), starts the API under uvicorn in
a subprocess (``benchmarks.timeline_server``), and drives ``--users`` concurrent supervisees,
each a different person signed in with their own token, for ``--seconds``. Each user reads the
first page of their timeline and, every third request, the next page (keyset cursor).

Two load shapes, one after the other:

- **paced**: each user pauses ``--think`` seconds on average (±50%, default 0.5 s: the API's
  own limit of 2 requests/s per supervisee) between a response and the next request, and
  starts at a random point within one think time (users do not arrive in step);
- **saturated**: no pause between a response and the next request (closed loop): the
  server's capacity; latency here is mostly queueing behind the other 19 users.

``--portal`` adds the same two runs against the portal's timeline page (``/portal``, HTML).
``--store postgresql://...`` uses PostgreSQL instead of a SQLite file in ``--dir``.
Prints p50/p95/p99 latency, requests/s and the server's CPU time per request (which, unlike
latency, does not depend on what else the machine is running) for each run. Not part of the
test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from benchmarks.api_process import serve_until_healthy
from benchmarks.timeline_data import build_log, subject_counts, subject_ref
from benchmarks.timeline_server import AUDIENCE, ISSUER, open_bench_log, portal_sessions
from broker.devtools.identity.dev_issuer import DevIssuer
from broker.devtools.identity.signing_keys import load_or_create_signing_key
from broker.identity.principal import Principal, Role
from broker.logging_setup import configure_logging
from broker.startup_heap import freeze_startup_heap


@dataclass
class Run:
    """Latencies (seconds) and failures of one load run."""

    latencies: list[float] = field(default_factory=list)
    failures: int = 0
    elapsed: float = 0.0
    server_cpu: float = 0.0

    def summary(self) -> str:
        """p50/p95/p99, throughput and failures, one line."""
        cuts = statistics.quantiles(self.latencies, n=100)
        return (
            f"{len(self.latencies)} requests, {len(self.latencies) / self.elapsed:,.0f} req/s,"
            f" p50 {cuts[49] * 1000:.1f} ms, p95 {cuts[94] * 1000:.1f} ms,"
            f" p99 {cuts[98] * 1000:.1f} ms, max {max(self.latencies) * 1000:.1f} ms,"
            f" failures {self.failures}; server CPU"
            f" {self.server_cpu / len(self.latencies) * 1000:.1f} ms/request"
        )


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pick_users(subjects: int, users: int) -> list[int]:
    """Subject numbers spread over the distribution: the heaviest few, then evenly to the tail."""
    heavy = list(range(min(5, users, subjects)))
    rest = users - len(heavy)
    step = max(1, (subjects - len(heavy)) // max(1, rest))
    tail = [len(heavy) + i * step for i in range(rest)]
    return [n for n in heavy + tail if n < subjects][:users]


def free_port() -> int:
    """A free loopback TCP port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(state: Path, store_url: str, port: int) -> subprocess.Popen[bytes]:
    """The API under uvicorn in a subprocess; returns once ``/healthz`` answers."""
    command = [sys.executable, "-m", "benchmarks.timeline_server", "--state", str(state),
               "--store", store_url, "--port", str(port)]  # fmt: skip
    return serve_until_healthy(command, port)


async def one_user(
    http: httpx.AsyncClient, path: str, think: float, until: float, run: Run
) -> None:
    """One supervisee reading their timeline until ``until`` (monotonic seconds)."""
    next_page: str | None = None
    count = 0
    if think:  # paced users arrive at random phases, not all in the same millisecond
        await asyncio.sleep(random.uniform(0, think))
    while time.monotonic() < until:
        params = {"page": next_page} if next_page and count % 3 == 2 else {}
        started = time.perf_counter()
        response = await http.get(path, params=params)
        run.latencies.append(time.perf_counter() - started)
        count += 1
        if response.status_code != 200:
            run.failures += 1
        elif path.startswith("/me"):
            next_page = response.json()["next_page"]
        if think:  # jittered, so that users do not march in step
            await asyncio.sleep(random.uniform(0.5 * think, 1.5 * think))


async def drive(
    base: str, path: str, tokens: list[str], think: float, seconds: float, portal: bool
) -> Run:
    """All users at once for ``seconds``.

    The clients are made before the clock starts: making one takes tens of milliseconds of
    the load generator's CPU (its TLS context), which would otherwise land, with the event
    loop blocked, in the latency of the first requests of every run.
    """
    run = Run()
    clients = [
        httpx.AsyncClient(
            base_url=base,
            headers={} if portal else {"Authorization": f"Bearer {token}"},
            cookies={"iom_session": token} if portal else {},  # a portal session id
            timeout=30,
        )
        for token in tokens
    ]
    freeze_startup_heap()  # the load generator's own full collections stalled it ~100 ms
    try:
        until = time.monotonic() + seconds
        started = time.perf_counter()
        await asyncio.gather(*(one_user(http, path, think, until, run) for http in clients))
        run.elapsed = time.perf_counter() - started
    finally:
        for http in clients:
            await http.aclose()
    return run


def main() -> None:
    """Build or reuse the log, start the server, run the loads, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--subjects", type=int, default=10_000)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--think", type=float, default=0.5, help="paced run: pause per user")
    parser.add_argument("--dir", type=Path, default=None, help="keeps keys (and the SQLite log)")
    parser.add_argument("--store", default=None, help="log store URL (default SQLite in --dir)")
    parser.add_argument("--portal", action="store_true", help="also load the /portal page")
    parser.add_argument("--build-only", action="store_true", help="build the log, then stop")
    args = parser.parse_args()
    configure_logging("warning")
    state = args.dir or Path(tempfile.mkdtemp(prefix="iom-timeline-bench-"))
    state.mkdir(parents=True, exist_ok=True)
    store_url = args.store or f"sqlite:///{state / 'log.sqlite3'}"
    print(f"state {state}; {args.entries:,} entries over {args.subjects:,} subjects", flush=True)

    log = open_bench_log(state, store_url)
    size = log.store.tree_head()[0]
    if size < args.entries:
        started = time.perf_counter()
        size = build_log(
            log, args.entries, args.subjects,
            progress=lambda n: print(f"  built {n:,}", end="\r", flush=True),
        )  # fmt: skip
        took = time.perf_counter() - started
        print(f"built {size:,} entries in {took:.0f} s ({(size / took):,.0f} entries/s)")
    log.publish_checkpoint()
    log.store.close()
    if args.build_only:
        return

    counts = subject_counts(args.entries, args.subjects)
    users = pick_users(args.subjects, args.users)
    print(f"tree size {size:,}; users' entry counts: {[counts[n] for n in users]}")
    issuer = DevIssuer(
        issuer_url=ISSUER,
        audience=AUDIENCE,
        signing_key=load_or_create_signing_key(state / "issuer.pem"),
        clients={},
    )
    ttl = int(args.seconds * 4 + 600)
    tokens = [
        issuer.mint(
            Principal(f"supervisee-{n}", Role.SUPERVISEE, subject_ref=subject_ref(n)), ttl_s=ttl
        )
        for n in users
    ]
    port = free_port()
    server = start_server(state, store_url, port)
    base = f"http://127.0.0.1:{port}"
    try:
        paths = ["/me/disclosures"] + (["/portal"] if args.portal else [])
        for path in paths:
            portal = path == "/portal"
            callers = portal_sessions(state, tokens) if portal else tokens
            asyncio.run(drive(base, path, callers, 0.0, 3.0, portal))  # warm-up
            for name, think in (("paced", args.think), ("saturated", 0.0)):
                before = cpu_seconds(server.pid)
                run = asyncio.run(drive(base, path, callers, think, args.seconds, portal))
                run.server_cpu = cpu_seconds(server.pid) - before
                print(f"{path} {name} ({args.users} users, think {think} s): {run.summary()}")
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
