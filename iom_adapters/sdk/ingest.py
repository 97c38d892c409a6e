"""From outcomes to the outbox: encode each event with its catalogue schema id, add the batch
durably, report everything that is not an event."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from broker.catalogue.codec import AvroCodec
from broker.catalogue.errors import InvalidRecord
from iom_adapters.sdk.outbox import Outbox, OutboxItem
from iom_adapters.sdk.outcomes import SCHEMA_VIOLATION, Converted, Outcome, Rejected, Skipped
from iom_adapters.sdk.publisher import partition_key
from iom_adapters.sdk.reports import ReportLog


@dataclass
class IngestSummary:
    """What one document produced."""

    events: int = 0
    added: int = 0
    duplicates: int = 0
    skipped: int = 0
    rejected: int = 0
    event_ids: list[str] = field(default_factory=list)


def encode(codec: AvroCodec, outcome: Converted) -> OutboxItem | Rejected:
    """The outbox item of an event, or a rejection naming the schema field at fault."""
    try:
        value = codec.encode_event(outcome.event)
    except InvalidRecord as error:
        return Rejected(outcome.locator, SCHEMA_VIOLATION, error.problem, error.field_path)
    return OutboxItem(outcome.event_id, outcome.event_type, partition_key(outcome.event), value)


class Ingestor:
    """Encodes outcomes and adds them to an outbox in one transaction per document."""

    def __init__(self, codec: AvroCodec, outbox: Outbox, reports: ReportLog) -> None:
        self.codec = codec
        self.outbox = outbox
        self.reports = reports

    def ingest(self, outcomes: Iterable[Outcome], source: str) -> IngestSummary:
        """Add every event of ``outcomes`` to the outbox; report the rest.

        Raise OutboxFull (nothing added, nothing reported) when the batch does not fit.
        """
        summary = IngestSummary()
        items: list[OutboxItem] = []
        problems: list[Rejected | Skipped] = []
        for outcome in outcomes:
            if isinstance(outcome, Converted):
                item = encode(self.codec, outcome)
                if isinstance(item, OutboxItem):
                    items.append(item)
                    summary.event_ids.append(item.event_id)
                    continue
                outcome = item
            problems.append(outcome)
        result = self.outbox.add(items)
        summary.events, summary.added, summary.duplicates = (
            len(items),
            result.added,
            result.duplicates,
        )
        for problem in problems:
            self.reports.record(problem, source)
            if isinstance(problem, Rejected):
                summary.rejected += 1
            else:
                summary.skipped += 1
        return summary
