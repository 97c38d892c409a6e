"""Dead-lettering: invalid records go to ``dlq.<agency>`` untouched, with a reason code."""

from __future__ import annotations

from datetime import datetime

from broker.router.outgoing import OutgoingRecord

#: Reasons the router itself assigns (the codec's errors carry their own ``reason``).
REASON_OVERSIZED = "oversized"
REASON_EMPTY = "empty_record"
REASON_AGENCY_MISMATCH = "agency_mismatch"
REASON_MISSING_SUBJECT = "missing_subject"
REASON_IDENTIFIER_CONFLICT = "identifier_conflict"
REASON_NOT_COHORT_AUTHORITY = "not_cohort_authority"

HEADER_REASON = "iom.dlq.reason"
HEADER_DETAIL = "iom.dlq.detail"
#: On a dead letter cut to the size limit: the original record's size (key + value) in bytes.
HEADER_TRUNCATED_FROM = "iom.dlq.truncated_from_bytes"


def fit_to_limit(
    key: bytes | None, value: bytes | None, limit: int
) -> tuple[bytes | None, bytes, int | None]:
    """Key and value cut so that together they take at most ``limit`` bytes.

    Returns the key, the value and the original size if anything was cut (else None). The
    key keeps up to half the limit, the value the rest, so a record of any size (a huge key
    included) can be dead-lettered by a producer sized for the limit: copying it whole would
    fail the transaction, stop the router, and stop it again on every restart.
    """
    value = value or b""
    size = len(key or b"") + len(value)
    if size <= limit:
        return key, value, None
    kept_key = None if key is None else key[: limit // 2]
    return kept_key, value[: limit - len(kept_key or b"")], size


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
    limit: int,
) -> OutgoingRecord:
    """The original bytes with headers saying why and where they came from.

    ``detail`` must be one line with no payload values: it is read by operators. A record
    larger than ``limit`` (key and value) is cut to it, with :data:`HEADER_TRUNCATED_FROM`;
    the whole record stays in the ingress topic at the source offset.
    """
    kept_key, kept_value, original_size = fit_to_limit(key, value, limit)
    truncated = () if original_size is None else ((HEADER_TRUNCATED_FROM, b"%d" % original_size),)
    return OutgoingRecord(
        topic=dlq_topic,
        key=kept_key,
        value=kept_value,
        headers=(
            (HEADER_REASON, reason.encode()),
            (HEADER_DETAIL, detail.splitlines()[0][:500].encode() if detail else b""),
            ("iom.dlq.source_topic", source_topic.encode()),
            ("iom.dlq.source_partition", str(partition).encode()),
            ("iom.dlq.source_offset", str(offset).encode()),
            ("iom.dlq.at", at.isoformat().encode()),
            *truncated,
        ),
    )
