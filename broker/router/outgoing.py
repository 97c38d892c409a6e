"""What routing one ingress record produces: the records to write in one transaction."""

from __future__ import annotations

from dataclasses import dataclass

Headers = tuple[tuple[str, bytes], ...]


@dataclass(frozen=True)
class OutgoingRecord:
    """One record to produce."""

    topic: str
    key: bytes | None
    value: bytes
    headers: Headers = ()


@dataclass(frozen=True)
class RoutingOutcome:
    """Everything one ingress record turned into, with the counts used to reconcile."""

    records: tuple[OutgoingRecord, ...]
    delivered: int = 0
    refused: int = 0
    dead_letter_reason: str | None = None

    @property
    def dead_lettered(self) -> bool:
        """True when the record went to its agency's dead-letter topic instead of being decided."""
        return self.dead_letter_reason is not None
