"""The s.62 audit of policy changes, written with the change and then handed to the log store.

A policy change lives in the records database and the s.62 audit in the transparency log's
store: two databases, so no one transaction spans both. The audit record is therefore added to
this outbox in the change's own records transaction (both or neither are kept), and
:meth:`PolicyAuditOutbox.relay` appends the waiting records to the log store's audit afterwards,
deleting them once appended. A relay that fails (the log store is down) leaves them waiting for
the next one; a crash between the append and the delete can append one twice, never lose it.
"""

from __future__ import annotations

import json
from datetime import datetime

from broker.records.database import RecordsDatabase
from broker.transparency.audit import POLICY_CHANGE
from broker.transparency.store.protocol import AuditEvent, LogStore

__all__ = ["PolicyAuditOutbox"]

_BATCH = 500


class PolicyAuditOutbox:
    """Policy-change audit records waiting in a :class:`RecordsDatabase` for the log store."""

    def __init__(self, database: RecordsDatabase) -> None:
        self.database = database

    def add(self, at: datetime, actor: str, policy_version: str, change: str) -> None:
        """Keep one policy change's audit record (in the caller's transaction, if one is open)."""
        with self.database.transaction() as tx:
            tx.execute(
                "INSERT INTO policy_audit_outbox (at_ms, actor, policy_version, change)"
                " VALUES (?, ?, ?, ?)",
                (int(at.timestamp() * 1000), actor, policy_version, change),
            )

    def waiting(self) -> int:
        """How many records wait to be relayed."""
        with self.database.transaction() as tx:
            ((count,),) = tx.rows("SELECT count(*) FROM policy_audit_outbox")
        return int(count)

    def relay(self, store: LogStore) -> int:
        """Append every waiting record to ``store``'s s.62 audit, oldest first; how many."""
        moved = 0
        while True:
            with self.database.transaction() as tx:
                rows = tx.rows(
                    "SELECT seq, at_ms, actor, policy_version, change FROM policy_audit_outbox"
                    " ORDER BY seq LIMIT ?",
                    (_BATCH,),
                )
                if not rows:
                    return moved
                store.append_audit([_audit(*row[1:]) for row in rows])
                tx.execute("DELETE FROM policy_audit_outbox WHERE seq <= ?", (int(rows[-1][0]),))
            moved += len(rows)


def _audit(at_ms: object, actor: object, version: object, change: object) -> AuditEvent:
    """The record :func:`broker.transparency.audit.record_policy_change` would have appended."""
    detail = json.dumps({"change": str(change)}, sort_keys=True)
    return AuditEvent(int(str(at_ms)), str(actor), POLICY_CHANGE, f"policy/{version}", detail)
