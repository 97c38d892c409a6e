"""What both stores compute the same way: new tree nodes and audit rows for an append."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from json.encoder import encode_basestring_ascii

from broker.transparency.store.protocol import AuditEvent, NewLeaf
from broker.transparency.tree import CompactRange, NodeId

ACTION_DISCLOSURE = "disclosure"
ACTION_REFUSAL = "refusal"
LOG_WRITER_ACTOR = "log-writer"

EntryRow = tuple[int, str, str | None, bool, int, int, bytes]
NodeRow = tuple[int, int, bytes]
AuditRow = tuple[int, str, str, str, str]
_DETAIL_JSON = json.JSONEncoder(sort_keys=True)  # as json.dumps(..., sort_keys=True), built once


def audit_detail(index: int, recipient: str, event_type: str) -> str:
    """``json.dumps({"index": ..., "recipient": ..., "event_type": ...}, sort_keys=True)``,
    formatted directly for the usual text values (a tenth of the time)."""
    if type(recipient) is str and type(event_type) is str and type(index) is int:
        quoted_type, quoted_recipient = (
            encode_basestring_ascii(event_type),
            encode_basestring_ascii(recipient),
        )
        return f'{{"event_type": {quoted_type}, "index": {index}, "recipient": {quoted_recipient}}}'
    return _DETAIL_JSON.encode({"index": index, "recipient": recipient, "event_type": event_type})


@dataclass
class AppendPlan:
    """Rows to insert for one append, in index order."""

    entries: list[EntryRow] = field(default_factory=list)
    nodes: list[NodeRow] = field(default_factory=list)
    audit: list[AuditRow] = field(default_factory=list)
    appended: list[tuple[str, int]] = field(default_factory=list)
    skipped: int = 0
    size: int = 0


def audit_row(event: AuditEvent) -> AuditRow:
    """The columns of an audit record."""
    return (event.at_ms, event.actor, event.action, event.target, event.detail)


def plan_append(
    size: int,
    lookup: Callable[[Sequence[NodeId]], Mapping[NodeId, bytes]],
    leaves: Sequence[NewLeaf],
    already_logged: set[str],
    at_ms: int,
) -> AppendPlan:
    """Assign indexes from ``size`` to leaves not logged yet and compute every new node."""
    tree = CompactRange.load(size, lookup)
    plan = AppendPlan()
    seen = set(already_logged)
    for leaf in leaves:
        if leaf.disclosure_id in seen:
            plan.skipped += 1
            continue
        seen.add(leaf.disclosure_id)
        index = tree.size
        plan.nodes.extend(
            (level, idx, value) for (level, idx), value in tree.append(leaf.leaf_hash)
        )
        plan.entries.append(
            (
                index,
                leaf.disclosure_id,
                leaf.subject,
                leaf.permitted,
                leaf.decided_at_ms,
                leaf.expires_at_ms,
                leaf.content,
            )
        )
        detail = audit_detail(index, leaf.recipient_agency, leaf.event_type)
        action = ACTION_DISCLOSURE if leaf.permitted else ACTION_REFUSAL
        plan.audit.append((at_ms, leaf.source_agency, action, leaf.disclosure_id, detail))
        plan.appended.append((leaf.disclosure_id, index))
    plan.size = tree.size
    return plan
