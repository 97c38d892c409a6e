"""The s.62 operational audit: who consulted, disclosed, altered, erased or restricted what.

DPA 2018 s.62(4) limits these logs to verifying lawfulness, self-monitoring, integrity and
security, and criminal proceedings: they are never part of a subject's view. Records are
append-only (the stores refuse updates and deletes) and carry no payload.
"""

from __future__ import annotations

import json
from datetime import datetime

from broker.transparency.store.common import ACTION_DISCLOSURE, ACTION_REFUSAL
from broker.transparency.store.protocol import AuditEvent, LogStore

CONSULTATION = "consultation"
DISCLOSURE = ACTION_DISCLOSURE
REFUSAL = ACTION_REFUSAL
ERASURE = "erasure"
RESTRICTION_SET = "restriction.set"
RESTRICTION_LIFTED = "restriction.lifted"
POLICY_CHANGE = "policy.change"
ALTERATION = "alteration"

ACTIONS = frozenset(
    {CONSULTATION, DISCLOSURE, REFUSAL, ERASURE, RESTRICTION_SET, RESTRICTION_LIFTED}
    | {POLICY_CHANGE, ALTERATION}
)


def audit_event(at: datetime, actor: str, action: str, target: str, **detail: object) -> AuditEvent:
    """An audit record; ``detail`` must hold no payload or agency identifier."""
    if action not in ACTIONS:
        raise ValueError(f"audit action {action!r} is not one of {sorted(ACTIONS)}")
    if not actor:
        raise ValueError("audit actor is empty: every audited operation names who did it")
    at_ms = int(at.timestamp() * 1000)
    return AuditEvent(at_ms, actor, action, target, json.dumps(detail, sort_keys=True))


def record_policy_change(
    store: LogStore, at: datetime, actor: str, policy_version: str, change: str
) -> None:
    """Audit a sharing-policy change (proposal, approval, activation) by ``actor``."""
    store.append_audit(
        [audit_event(at, actor, POLICY_CHANGE, f"policy/{policy_version}", change=change)]
    )
