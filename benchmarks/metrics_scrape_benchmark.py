"""``/healthz`` latency while 150 clients scrape ``/metrics`` at once, against a running API.

    .venv/bin/python -m benchmarks.metrics_scrape_benchmark --scrapers 150 --seconds 30

Starts a throwaway Kafka (``benchmarks.scratch_kafka``) with the registry's topics, then the
API under uvicorn in a subprocess (``benchmarks.metrics_server``) whose router-lag probe
measures that Kafka as ``iom-broker api run`` does. One prober in this process asks
``/healthz`` once every ``--probe-interval`` seconds (default 0.02) and records each latency,
in two phases of ``--seconds`` each, one after the other in the same run:

- **quiet**: nothing else talks to the API;
- **flood**: a separate process (so the prober's own event loop is not the bottleneck) fires
  rounds of ``--scrapers`` concurrent ``GET /metrics`` with an operator token, a new round every
  ``--round-interval`` seconds (default 1) or as soon as the previous one has answered if it
  took longer: 150 Prometheus servers scraping at the same moment, every second.

Prints /healthz p50/p99/max for both phases, the flood's scrapes (answered, failed, and the
p50/p99 time for a whole round of scrapes to be answered) and how often the API measured the
lag from Kafka (``iom_router_group_lag_refreshes_total``) against the phase's length. Not part
of the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

from benchmarks.api_process import serve_until_healthy
from benchmarks.scratch_kafka import scratch_kafka
from benchmarks.timeline_server import AUDIENCE, ISSUER
from broker.agency_registry import load_agencies
from broker.devtools.identity.dev_issuer import DevIssuer
from broker.devtools.identity.signing_keys import load_or_create_signing_key
from broker.identity.principal import Principal, Role
from broker.kafka.topic_admin import ensure_topic_plan
from broker.settings import PROJECT_ROOT


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start_server(state: Path, bootstrap: str, port: int) -> subprocess.Popen[bytes]:
    """The API in a subprocess; returns once ``/healthz`` answers."""
    command = [sys.executable, "-m", "benchmarks.metrics_server", "--state", str(state)]
    command += ["--bootstrap", bootstrap, "--port", str(port)]
    return serve_until_healthy(command, port)


def _operator_token(state: Path) -> str:
    key = load_or_create_signing_key(state / "issuer.pem")
    issuer = DevIssuer(issuer_url=ISSUER, audience=AUDIENCE, signing_key=key, clients={})
    return issuer.mint(Principal("bench-operator", Role.OPERATOR), ttl_s=3600)


async def _probe(url: str, seconds: float, interval: float) -> list[float]:
    """``/healthz`` latencies (seconds), one request every ``interval`` for ``seconds``."""
    latencies: list[float] = []
    async with httpx.AsyncClient(timeout=30) as http:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            started = time.perf_counter()
            response = await http.get(f"{url}/healthz")
            latencies.append(time.perf_counter() - started)
            assert response.status_code == 200
            await asyncio.sleep(max(0.0, interval - (time.perf_counter() - started)))
    return latencies


async def _flood_rounds(
    url: str, token: str, scrapers: int, seconds: float, round_interval: float
) -> tuple[int, int, list[float]]:
    """Rounds of ``scrapers`` concurrent scrapes: (answered, failed, round durations)."""
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=scrapers, max_keepalive_connections=scrapers)
    answered = failed = 0
    rounds: list[float] = []
    async with httpx.AsyncClient(timeout=60, limits=limits, headers=headers) as http:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            started = time.perf_counter()
            responses = await asyncio.gather(
                *(http.get(f"{url}/metrics") for _ in range(scrapers)), return_exceptions=True
            )
            rounds.append(time.perf_counter() - started)
            ok = sum(1 for r in responses if isinstance(r, httpx.Response) and r.is_success)
            answered, failed = answered + ok, failed + len(responses) - ok
            await asyncio.sleep(max(0.0, round_interval - (time.perf_counter() - started)))
    return answered, failed, rounds


def _flood_process(
    url: str,
    token: str,
    scrapers: int,
    seconds: float,
    round_interval: float,
    results: multiprocessing.Queue[tuple[int, int, list[float]]],
) -> None:
    results.put(asyncio.run(_flood_rounds(url, token, scrapers, seconds, round_interval)))


def _refreshes(url: str, token: str) -> float:
    text = httpx.get(f"{url}/metrics", headers={"Authorization": f"Bearer {token}"}).text
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "iom_router_group_lag_refreshes_total":
                return float(sample.value)
    return float("nan")  # an API from before the background lag task counts no refreshes


def _quantiles(values: list[float]) -> str:
    ms = sorted(v * 1000 for v in values)
    cuts = statistics.quantiles(ms, n=100, method="inclusive")
    return f"p50 {cuts[49]:.1f} ms, p99 {cuts[98]:.1f} ms, max {ms[-1]:.1f} ms (n={len(ms)})"


async def _run(args: argparse.Namespace) -> None:
    agencies = load_agencies(PROJECT_ROOT / "policies" / "agencies.yaml")
    async with scratch_kafka("iom-metrics-bench-") as (_, bootstrap):
        await ensure_topic_plan(bootstrap, agencies.ids)
        with tempfile.TemporaryDirectory(prefix="iom-metrics-api-") as folder:
            state = Path(folder)
            token = _operator_token(state)
            port = _free_port()
            url = f"http://127.0.0.1:{port}"
            server = await asyncio.to_thread(_start_server, state, bootstrap, port)
            try:
                await _probe(url, 2.0, args.probe_interval)  # warm-up
                refreshes_before, started = _refreshes(url, token), time.monotonic()
                quiet = await _probe(url, args.seconds, args.probe_interval)
                results: multiprocessing.Queue[tuple[int, int, list[float]]] = (
                    multiprocessing.Queue()
                )
                flood = multiprocessing.Process(
                    target=_flood_process,
                    args=(url, token, args.scrapers, args.seconds, args.round_interval, results),
                )
                flood.start()
                busy = await _probe(url, args.seconds, args.probe_interval)
                answered, failed, rounds = await asyncio.to_thread(results.get)
                flood.join()
                refreshes = _refreshes(url, token) - refreshes_before
                elapsed = time.monotonic() - started
            finally:
                server.terminate()
                server.wait(timeout=30)
    print(f"/healthz quiet: {_quantiles(quiet)}")
    print(f"/healthz during {args.scrapers} concurrent scrapes per round: {_quantiles(busy)}")
    print(f"scrapes answered {answered}, failed {failed}; a whole round: {_quantiles(rounds)}")
    print(f"lag measured from Kafka {refreshes:.0f} times in {elapsed:.0f} s of both phases")


def main() -> None:
    """Run both phases and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scrapers", type=int, default=150)
    parser.add_argument("--seconds", type=float, default=30.0, help="length of each phase")
    parser.add_argument("--probe-interval", type=float, default=0.02)
    parser.add_argument("--round-interval", type=float, default=1.0)
    asyncio.run(_run(parser.parse_args()))


if __name__ == "__main__":
    main()
