"""Where delivered records go on the agency's side; a sink acknowledges by returning."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from iom_adapters.sdk.delivery import Delivery


class SinkError(Exception):
    """A write failed; the subscriber will retry the same records later (nothing committed)."""

    reason = "sink_failed"


class DeliverySink(Protocol):
    """Writes a batch of deliveries durably; returns only once the write succeeded."""

    async def write(self, deliveries: Sequence[Delivery]) -> None:
        """Write every delivery or raise (SinkError or any exception): then none is acknowledged."""
        ...

    async def aclose(self) -> None:
        """Release resources."""
        ...
