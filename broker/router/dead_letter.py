"""Dead-lettering: invalid records go to ``dlq.<agency>`` untouched, with a reason code."""

from __future__ import annotations

from datetime import datetime

from broker.router.outgoing import OutgoingRecord

#: Reasons the router itself assigns (the codec's errors carry their own ``reason``).
REASON_OVERSIZED = "oversized"
REASON_EMPTY = "empty_record"
REASON_AGENCY_MISMATCH = "agency_mismatch"
REASON_MISSING_SUBJECT = "missing_subject"
REASON_AMBIGUOUS_SUBJECT = "ambiguous_subject"

HEADER_REASON = "iom.dlq.reason"
HEADER_DETAIL = "iom.dlq.detail"


def dead_letter(
    dlq_topic: str,
    *,
    reason: str,
    detail: str,
    source_topic: str,
    partition: int,
    offset: int,
    key: bytes | None,
    value: bytes | None,
    at: datetime,
) -> OutgoingRecord:
    """The original bytes with headers saying why and where they came from.

    ``detail`` must be one line with no payload values: it is read by operators.
    """
    return OutgoingRecord(
        topic=dlq_topic,
        key=key,
        value=value or b"",
        headers=(
            (HEADER_REASON, reason.encode()),
            (HEADER_DETAIL, detail.splitlines()[0][:500].encode() if detail else b""),
            ("iom.dlq.source_topic", source_topic.encode()),
            ("iom.dlq.source_partition", str(partition).encode()),
            ("iom.dlq.source_offset", str(offset).encode()),
            ("iom.dlq.at", at.isoformat().encode()),
        ),
    )
