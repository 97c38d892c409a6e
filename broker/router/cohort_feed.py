"""Apply committed ``subjects`` records to a cohort table (pure logic, no Kafka)."""

from __future__ import annotations

from collections.abc import Iterable

from broker.domain.cohort_table import CohortTable
from broker.router.subject_codec import decode_subject


def apply_subject_records(cohort: CohortTable, values: Iterable[bytes | None]) -> int:
    """Apply each record value (tombstones skipped) in order; return how many were applied.

    The table keeps the newer version of a subject, so records this router produced itself,
    replays and out-of-order copies change nothing that is already newer.
    """
    applied = 0
    for value in values:
        if value is None:
            continue
        cohort.apply(decode_subject(value))
        applied += 1
    return applied
