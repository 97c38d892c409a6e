"""Prometheus metrics of the API process: requests by route and status, and the log's size.

Counted by route template (``/schemas/ids/{schema_id}``), never by the raw path, so no
identifier a caller sent becomes a label. Router counters (events in, delivered, refused,
dead-lettered, decision latency, consumer lag) live in the router process; see docs/api.md.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["ApiMetrics", "MetricsMiddleware"]


class ApiMetrics:
    """One registry per app, so several apps (tests) never share counters."""

    def __init__(self, log_size: Callable[[], int]) -> None:
        self.registry = CollectorRegistry()
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
