"""The router group's consumer lag for ``/metrics``, measured by one background task.

A scrape never opens a Kafka client: it reads the gauges this task last set. The task measures
once when the API starts, then every ``interval_s`` (15 s by default), however often anyone
scrapes, so a scrape flood costs Kafka nothing and cannot slow ``/healthz``. Each measurement
is counted (``iom_router_group_lag_refreshes_total``) so an operator can see how often the API
opens its admin and consumer clients.
"""

from __future__ import annotations

import asyncio
import time

import structlog

from broker.api.metrics import ApiMetrics
from broker.kafka.consumer_lag import LagProbe
from broker.kafka.topics import agency_of_ingress_topic

__all__ = ["RouterLagRefresher"]

log = structlog.get_logger(__name__)


class RouterLagRefresher:
    """Measures the lag with ``probe`` and publishes it into ``metrics``."""

    def __init__(self, probe: LagProbe, metrics: ApiMetrics, timeout_s: float) -> None:
        self._probe = probe
        self._metrics = metrics
        self._timeout_s = timeout_s

    async def refresh(self) -> None:
        """Measure the lag once; when Kafka does not answer in time, report it as unknown."""
        self._metrics.group_lag_refreshes.inc()
        try:
            lag = await asyncio.wait_for(self._probe(), self._timeout_s)
        except Exception as error:
            log.info("api.router_lag_unavailable", error_type=type(error).__name__)
            self._metrics.set_group_lag(None)
            return
        by_agency = {(agency_of_ingress_topic(tp.topic), tp.partition): n for tp, n in lag.items()}
        self._metrics.set_group_lag(by_agency)
        self._metrics.group_lag_measured_at.set(time.time())

    async def run_forever(self, interval_s: float) -> None:
        """Refresh now, then every ``interval_s`` seconds until cancelled."""
        while True:
            await self.refresh()
            await asyncio.sleep(interval_s)
