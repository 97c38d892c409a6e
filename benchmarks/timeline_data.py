"""Synthetic transparency logs for the timeline benchmark: many people, a heavy-tailed spread.

A real IOM cohort is uneven: most people have tens of disclosures, a few prolific ones have
thousands. :func:`subject_counts` gives subject ``i`` a share proportional to
``1 / (i + OFFSET)`` (a Zipf-like tail), and :func:`build_log` appends that many realistic
disclosures (every tenth a refusal) through ``TransparencyLog.append_leaves`` — the same
encoding, salting, hashing, subject index and s.62 audit rows as the log writer — in time order.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from broker.transparency.log import TransparencyLog

START = datetime(2025, 1, 1, tzinfo=UTC)
OFFSET = 20
_FLOWS = (  # source, recipient, event type, purpose, legal basis
    ("gwent-police", "probation-wales", "arrest", "iom_case_management", "dpa2018_part3_s35"),
    ("probation-wales", "gwent-police", "breach", "public_protection", "dpa2018_part3_s35"),
    (
        "probation-wales",
        "newport-housing",
        "referral",
        "housing_support",
        "ukgdpr_6_1_e_public_task",
    ),
    ("aneurin-bevan-uhb", "probation-wales", "appointment", "health_care", "explicit_consent"),
)


def subject_ref(number: int) -> str:
    """The subject reference of synthetic person ``number``."""
    return f"subj-{number:08d}"


def subject_counts(entries: int, subjects: int) -> list[int]:
    """How many entries each subject gets: a Zipf-like tail, summing exactly to ``entries``."""
    if entries < 0 or subjects < 1:
        raise ValueError(f"need entries >= 0 and subjects >= 1, got {entries} and {subjects}")
    weights = [1.0 / (rank + OFFSET) for rank in range(subjects)]
    total = sum(weights)
    counts = [int(entries * weight / total) for weight in weights]
    for rank in range(entries - sum(counts)):  # hand out the rounding remainder, biggest first
        counts[rank % subjects] += 1
    return counts


def subject_sequence(entries: int, subjects: int, seed: int = 7) -> list[int]:
    """The subject number of each entry in append order: the counts, shuffled reproducibly."""
    order = [number for number, count in enumerate(subject_counts(entries, subjects))
             for _ in range(count)]  # fmt: skip
    random.Random(seed).shuffle(order)
    return order


def disclosure(number: int, subject: int) -> dict[str, Any]:
    """Disclosure record ``number`` (one a second from START) about person ``subject``."""
    source, recipient, event_type, purpose, basis = _FLOWS[number % len(_FLOWS)]
    permitted = number % 10 != 0
    return {
        "disclosure_id": str(uuid.UUID(int=number, version=4)),
        "event_id": str(uuid.UUID(int=number // 2, version=4)),
        "event_type": event_type,
        "occurred_at": START + timedelta(seconds=number),
        "decided_at": START + timedelta(seconds=number, milliseconds=120),
        "source_agency": source,
        "recipient_agency": recipient,
        "subject_ref": subject_ref(subject),
        "permitted": permitted,
        "reason": None if permitted else "no_rule",
        "rule_id": f"{event_type}-to-{recipient}" if permitted else None,
        "purpose": purpose if permitted else None,
        "legal_basis": basis if permitted else None,
        "policy_version": "2025.1",
        "fields_shared": ["payload.offence_category", "subject.crn"] if permitted else [],
        "retention": "P6Y" if permitted else None,
    }


def disclosures(entries: int, subjects: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    """Every disclosure record of the synthetic log, in append order."""
    for number, subject in enumerate(subject_sequence(entries, subjects, seed)):
        yield disclosure(number, subject)


def build_log(
    log: TransparencyLog,
    entries: int,
    subjects: int,
    batch: int = 5000,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Append the synthetic log (skipping what is already there) and return the tree size."""
    pending = []
    for record in disclosures(entries, subjects):
        pending.append(log.leaf_for(record)[1])
        if len(pending) == batch:
            size = log.append_leaves(pending).size
            pending = []
            if progress:
                progress(size)
    if pending:
        log.append_leaves(pending)
    return log.store.tree_head()[0]
