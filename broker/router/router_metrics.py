"""Prometheus metrics of one router process, labelled by agency id only (never personal data).

- ``iom_router_events_in_total{agency}``: ingress records routed, by the topic's agency;
- ``iom_router_delivered_total{agency}`` / ``iom_router_refused_total{agency}``: decisions to
  share / not to share, by the *source* agency of the event;
- ``iom_router_dead_lettered_total{agency}``: records sent to ``dlq.<agency>``;
- ``iom_router_dead_letter_reasons_total{agency,reason}``: the same by reason code, e.g.
  ``not_cohort_authority`` (a cohort change from an agency without that authority) and
  ``identifier_conflict`` (identifiers that point at two people or contradict one);
- ``iom_router_decision_seconds``: time to route one record (decode, decide, minimise);
- ``iom_router_batch_records``: records per committed batch;
- ``iom_router_consumer_lag{agency,partition}`` and ``iom_router_consumer_lag_total``: records
  waiting in the partitions this router owns (read_committed end offset minus position).

Counts are taken once a batch's transaction commits, so they match what Kafka holds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from wsgiref.simple_server import WSGIServer

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import start_http_server

from broker.router.outgoing import RoutingOutcome

__all__ = ["RouterMetrics"]

_DECISION_BUCKETS = (0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5)
_BATCH_BUCKETS = (1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000)
_TRANSACTION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class RouterMetrics:
    """One registry per router (several routers in one test process never share counters)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self._server: WSGIServer | None = None
        r = self.registry
        self.events_in = Counter(
            "iom_router_events_in", "Ingress records routed, by agency.", ["agency"], registry=r
        )
        self.delivered = Counter(
            "iom_router_delivered",
            "Decisions to share (one per recipient), by source agency.",
            ["agency"],
            registry=r,
        )
        self.refused = Counter(
            "iom_router_refused",
            "Decisions not to share (one per recipient), by source agency.",
            ["agency"],
            registry=r,
        )
        self.dead_lettered = Counter(
            "iom_router_dead_lettered",
            "Ingress records sent to the agency's dead-letter topic, by agency.",
            ["agency"],
            registry=r,
        )
        self.dead_letter_reasons = Counter(
            "iom_router_dead_letter_reasons",
            "Ingress records sent to the agency's dead-letter topic, by agency and reason.",
            ["agency", "reason"],
            registry=r,
        )
        self.decision_seconds = Histogram(
            "iom_router_decision_seconds",
            "Time to route one ingress record (decode, resolve, decide, minimise).",
            buckets=_DECISION_BUCKETS,
            registry=r,
        )
        self.batch_records = Histogram(
            "iom_router_batch_records",
            "Ingress records per committed batch.",
            buckets=_BATCH_BUCKETS,
            registry=r,
        )
        self.transaction_seconds = Histogram(
            "iom_router_transaction_seconds",
            "Time from a batch's first record to its committed transaction.",
            buckets=_TRANSACTION_BUCKETS,
            registry=r,
        )
        self.lag = Gauge(
            "iom_router_consumer_lag",
            "Records waiting in an ingress partition this router owns.",
            ["agency", "partition"],
            registry=r,
        )
        self.lag_total = Gauge(
            "iom_router_consumer_lag_total",
            "Records waiting in all the ingress partitions this router owns.",
            registry=r,
        )

    def count(self, agency: str, outcomes: Iterable[RoutingOutcome]) -> None:
        """Count the committed outcomes of records from ``agency``'s ingress topic."""
        n = delivered = refused = dead = 0
        for outcome in outcomes:
            n += 1
            delivered += outcome.delivered
            refused += outcome.refused
            dead += outcome.dead_lettered
            if outcome.dead_letter_reason:
                self.dead_letter_reasons.labels(agency, outcome.dead_letter_reason).inc()
        self.events_in.labels(agency).inc(n)
        self.delivered.labels(agency).inc(delivered)
        self.refused.labels(agency).inc(refused)
        self.dead_lettered.labels(agency).inc(dead)

    def set_lag(self, lag: Mapping[tuple[str, int], int]) -> int:
        """Replace the lag gauges with ``lag`` by (agency, partition); return the total."""
        self.lag.clear()
        for (agency, partition), records in lag.items():
            self.lag.labels(agency, str(partition)).set(records)
        total = sum(lag.values())
        self.lag_total.set(total)
        return total

    def exposition(self) -> bytes:
        """The text exposition format (what a scrape returns)."""
        return generate_latest(self.registry)

    def serve(self, host: str, port: int) -> int:
        """Serve ``/metrics`` on ``host:port`` from a daemon thread; return the bound port."""
        self._server, _thread = start_http_server(port, addr=host, registry=self.registry)
        return int(self._server.server_port)

    def stop_serving(self) -> None:
        """Stop the metrics server, if one was started."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
