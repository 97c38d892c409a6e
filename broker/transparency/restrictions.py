"""DPA 2018 s.45(4) restrictions: hide an entry from its subject (neither confirm nor deny).

A restriction names its reason, who set it and when it must be reviewed. The entry stays in
the Merkle log; setting and lifting are audited (with the reason), and none of it is shown
to the subject.
"""

from __future__ import annotations

from datetime import date, datetime

from broker.transparency.audit import RESTRICTION_LIFTED, RESTRICTION_SET, audit_event
from broker.transparency.errors import TransparencyError
from broker.transparency.store.protocol import LogStore, Restriction


def restrict_entry(
    store: LogStore, disclosure_id: str, reason: str, set_by: str, review_date: date, at: datetime
) -> int:
    """Restrict the entry of ``disclosure_id``; return the restriction id."""
    if not reason.strip() or not set_by.strip():
        raise TransparencyError("a restriction needs a reason and the name of who set it")
    entry = store.entry_by_disclosure(disclosure_id)
    if entry is None:
        raise TransparencyError(f"no log entry for disclosure {disclosure_id}")
    restriction = Restriction(
        0, entry.index, reason, set_by, int(at.timestamp() * 1000), review_date.isoformat()
    )
    audit = audit_event(
        at,
        set_by,
        RESTRICTION_SET,
        disclosure_id,
        index=entry.index,
        reason=reason,
        review_date=review_date.isoformat(),
    )
    return store.add_restriction(restriction, audit)


def lift_restriction(store: LogStore, restriction_id: int, by: str, at: datetime) -> bool:
    """Lift a restriction; the entry is shown to its subject again. False if not active."""
    audit = audit_event(at, by, RESTRICTION_LIFTED, f"restriction/{restriction_id}")
    return store.lift_restriction(restriction_id, by, int(at.timestamp() * 1000), audit)


def due_for_review(store: LogStore, on: date) -> list[Restriction]:
    """Active restrictions whose review date is on or before ``on``."""
    return [r for r in store.restrictions() if r.active and r.review_date <= on.isoformat()]
