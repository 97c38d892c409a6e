"""Prometheus metrics of the API process: requests by route and status, and the log's size.

Counted by route template (``/schemas/ids/{schema_id}``), never by the raw path, so no
identifier a caller sent becomes a label. The router group's consumer lag (committed offsets
against end offsets) is measured from Kafka by one background task every 15 s
(:mod:`broker.api.router_lag_refresher`), never by a scrape, so an operator sees it from the
API alone. Router counters (events in, delivered, refused, dead-lettered, decision latency)
live in the router process; see docs/api.md.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["ApiMetrics", "MetricsMiddleware"]


class WitnessGapCollector(Collector):
    """``iom_witness_uncosigned_entries{witness}``, read from the log store at each scrape."""

    def __init__(self, gaps: Callable[[], Mapping[str, int]]) -> None:
        self._gaps = gaps

    def collect(self) -> list[GaugeMetricFamily]:
        """One sample per witness that has cosigned the log."""
        family = GaugeMetricFamily(
            "iom_witness_uncosigned_entries",
            "Log entries the witness's latest cosignature does not cover (alert when it grows).",
            labels=["witness"],
        )
        for witness, gap in sorted(self._gaps().items()):
            family.add_metric([witness], float(gap))
        return [family]


class ApiMetrics:
    """One registry per app, so several apps (tests) never share counters."""

    def __init__(
        self,
        log_size: Callable[[], int],
        witness_gaps: Callable[[], Mapping[str, int]] | None = None,
    ) -> None:
        self.registry = CollectorRegistry()
        if witness_gaps is not None:
            self.registry.register(WitnessGapCollector(witness_gaps))
        self.requests = Counter(
            "iom_api_requests",
            "HTTP requests answered, by route template, method and status.",
            ["route", "method", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "iom_api_request_seconds",
            "Time to answer a request, by route template.",
            ["route"],
            registry=self.registry,
        )
        size = Gauge(
            "iom_transparency_log_entries",
            "Entries in the transparency log (its tree size).",
            registry=self.registry,
        )
        size.set_function(lambda: float(log_size()))
        self.group_lag = Gauge(
            "iom_router_group_lag",
            "Ingress records the router consumer group has not committed, by agency and partition.",
            ["agency", "partition"],
            registry=self.registry,
        )
        self.group_lag_total = Gauge(
            "iom_router_group_lag_total",
            "Ingress records the router consumer group has not committed, in all.",
            registry=self.registry,
        )
        self.group_lag_up = Gauge(
            "iom_router_group_lag_up",
            "1 when the last refresh measured the router group's lag from Kafka, else 0.",
            registry=self.registry,
        )
        self.group_lag_refreshes = Counter(
            "iom_router_group_lag_refreshes",
            "Times the API measured the router group's lag (each opens Kafka clients once).",
            registry=self.registry,
        )
        self.group_lag_measured_at = Gauge(
            "iom_router_group_lag_measured_timestamp_seconds",
            "Unix time of the last successful lag measurement (0: none yet).",
            registry=self.registry,
        )

    def set_group_lag(self, lag: Mapping[tuple[str, int], int] | None) -> None:
        """Replace the lag gauges (``None``: Kafka did not answer, so no per-partition values)."""
        self.group_lag.clear()
        self.group_lag_up.set(0 if lag is None else 1)
        if lag is None:
            return
        for (agency, partition), records in lag.items():
            self.group_lag.labels(agency, str(partition)).set(records)
        self.group_lag_total.set(sum(lag.values()))

    def exposition(self) -> bytes:
        """The text exposition format."""
        return generate_latest(self.registry)


class MetricsMiddleware:
    """Counts every HTTP request once it is answered."""

    def __init__(self, app: ASGIApp, metrics: ApiMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500
        started = time.perf_counter()

        async def counting_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, counting_send)
        finally:
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            self.metrics.requests.labels(route, scope["method"], str(status)).inc()
            self.metrics.latency.labels(route).observe(time.perf_counter() - started)
