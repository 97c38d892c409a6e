"""Print sink: one JSON document per line on standard output (for trying things out)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TextIO

from iom_adapters.sdk.delivery import Delivery


class PrintSink:
    """Writes each delivery as a JSON line to ``stream`` (default: stdout)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout

    async def write(self, deliveries: Sequence[Delivery]) -> None:
        """Print and flush."""
        for delivery in deliveries:
            self.stream.write(delivery.json() + "\n")
        self.stream.flush()

    async def aclose(self) -> None:
        """Nothing to release."""
