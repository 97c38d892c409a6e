"""Running totals that reconcile: records in = decided + dead-lettered."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from broker.router.outgoing import RoutingOutcome


@dataclass
class RouterCounters:
    """Counts since the router started (per process)."""

    records_in: int = 0
    decided: int = 0
    dead_lettered: int = 0
    delivered: int = 0
    refused: int = 0

    def add(self, outcome: RoutingOutcome) -> None:
        """Count one routed record."""
        self.records_in += 1
        if outcome.dead_lettered:
            self.dead_lettered += 1
        else:
            self.decided += 1
        self.delivered += outcome.delivered
        self.refused += outcome.refused

    def as_dict(self) -> dict[str, int]:
        """The counts, for a log line or a status file."""
        return asdict(self)
