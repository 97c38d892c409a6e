"""Retention: erase the content and salt of entries whose retention ended; keep leaf hashes.

The log still verifies afterwards (every proof uses stored hashes, never content); only the
erased entries can no longer be shown or re-hashed.
"""

from __future__ import annotations

from datetime import datetime

import structlog

from broker.transparency.audit import ERASURE, audit_event
from broker.transparency.store.protocol import LogStore

log = structlog.get_logger(__name__)

RETENTION_ACTOR = "retention-policy"


def erase_expired(store: LogStore, now: datetime, batch: int = 1000) -> int:
    """Erase every entry past its retention at ``now``; return how many were erased."""
    now_ms = int(now.timestamp() * 1000)
    total = 0
    while indexes := store.expired(now_ms, batch):
        audit = [audit_event(now, RETENTION_ACTOR, ERASURE, f"entry/{i}") for i in indexes]
        total += store.erase(indexes, now_ms, audit)
    if total:
        log.info("transparency.retention_erased", entries=total)
    return total
