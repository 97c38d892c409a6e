"""Rebuild the cohort table from the compacted ``subjects`` topic before routing starts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import structlog

from broker.domain.cohort_table import CohortTable
from broker.kafka.topic_reader import read_topic
from broker.kafka.topics import SUBJECTS_TOPIC
from broker.router.subject_codec import decode_subject

log = structlog.get_logger(__name__)


async def load_cohort(
    bootstrap_servers: str,
    cohort: CohortTable,
    client_options: Mapping[str, Any] | None = None,
) -> int:
    """Apply every committed record of the ``subjects`` topic to ``cohort``; return how many."""
    records = await read_topic(bootstrap_servers, SUBJECTS_TOPIC, client_options=client_options)
    for record in records:
        if record.value is not None:
            cohort.apply(decode_subject(record.value))
    log.info("router.cohort_loaded", subjects=len(cohort), records=len(records))
    return len(records)
