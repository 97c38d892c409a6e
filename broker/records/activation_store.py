"""Scheduled policy activations, claimed by compare-and-set so each is published once.

States: ``scheduled`` → ``publishing`` (claimed by one API process) → ``activated``; or
``scheduled`` → ``cancelled``; or ``publishing`` → ``not activated`` when the policy changed
under it. A claim whose owner died is taken over after ``lease_ms``; a failed publication
returns the activation to ``scheduled`` so it is tried again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, cast

from broker.records.database import RecordsDatabase

__all__ = ["ActivationRow", "ActivationState", "ActivationStore"]

ActivationState = Literal["scheduled", "publishing", "activated", "cancelled", "not activated"]

SCHEDULED, PUBLISHING, ACTIVATED, CANCELLED, REFUSED = (
    "scheduled",
    "publishing",
    "activated",
    "cancelled",
    "not activated",
)
_COLUMNS = "proposal_id, due_at_ms, requested_by, requested_at_ms, state, done_at_ms"


@dataclass(frozen=True)
class ActivationRow:
    """A proposal's activation: when it is due, who asked, where it is."""

    proposal_id: str
    due_at_ms: int
    requested_by: str
    requested_at_ms: int
    state: ActivationState
    done_at_ms: int | None


def _row(row: tuple[object, ...]) -> ActivationRow:
    pid, due, by, at, state, done = row
    return ActivationRow(
        str(pid), int(str(due)), str(by), int(str(at)), cast(ActivationState, str(state)),
        None if done is None else int(str(done)),
    )  # fmt: skip


class ActivationStore:
    """Activations in a :class:`RecordsDatabase`."""

    def __init__(self, database: RecordsDatabase) -> None:
        self.database = database

    def schedule(self, proposal_id: str, due_at_ms: int, by: str, at_ms: int) -> bool:
        """Schedule the activation unless one is pending or done (a cancelled one is replaced)."""
        with self.database.transaction() as tx:
            changed = tx.execute(
                f"INSERT INTO activations ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, NULL)"
                " ON CONFLICT (proposal_id) DO UPDATE SET due_at_ms = excluded.due_at_ms,"
                " requested_by = excluded.requested_by, requested_at_ms = excluded.requested_at_ms,"
                " state = excluded.state, claimed_by = NULL, claimed_at_ms = NULL"
                " WHERE activations.state = ?",
                (proposal_id, due_at_ms, by, at_ms, SCHEDULED, CANCELLED),
            )
        return changed == 1

    def cancel(self, proposal_id: str) -> bool:
        """Cancel a scheduled activation not yet claimed; False when there is none."""
        return self._move(proposal_id, SCHEDULED, CANCELLED)

    def get(self, proposal_id: str) -> ActivationRow | None:
        """The proposal's activation, if one was ever asked for."""
        with self.database.transaction() as tx:
            rows = tx.rows(
                f"SELECT {_COLUMNS} FROM activations WHERE proposal_id = ?", (proposal_id,)
            )
        return _row(rows[0]) if rows else None

    def pending(self) -> list[ActivationRow]:
        """Scheduled and publishing activations, soonest first."""
        with self.database.transaction() as tx:
            rows = tx.rows(
                f"SELECT {_COLUMNS} FROM activations WHERE state IN (?, ?) ORDER BY due_at_ms",
                (SCHEDULED, PUBLISHING),
            )
        return [_row(r) for r in rows]

    def due(self, now_ms: int, lease_ms: int) -> list[str]:
        """Activations due by ``now_ms``, or claimed longer than ``lease_ms`` ago; soonest first."""
        with self.database.transaction() as tx:
            rows = tx.rows(
                "SELECT proposal_id FROM activations WHERE (state = ? AND due_at_ms <= ?)"
                " OR (state = ? AND claimed_at_ms < ?) ORDER BY due_at_ms",
                (SCHEDULED, now_ms, PUBLISHING, now_ms - lease_ms),
            )
        return [str(r[0]) for r in rows]

    def claim(self, proposal_id: str, owner: str, now_ms: int, lease_ms: int) -> bool:
        """Take the due activation for ``owner`` (compare-and-set); False if another has it."""
        with self.database.transaction() as tx:
            changed = tx.execute(
                "UPDATE activations SET state = ?, claimed_by = ?, claimed_at_ms = ?"
                " WHERE proposal_id = ? AND ((state = ? AND due_at_ms <= ?)"
                " OR (state = ? AND claimed_at_ms < ?))",
                (
                    PUBLISHING, owner, now_ms, proposal_id,
                    SCHEDULED, now_ms, PUBLISHING, now_ms - lease_ms,
                ),
            )  # fmt: skip
        return changed == 1

    def finish(self, proposal_id: str, owner: str, now_ms: int, activated: bool = True) -> bool:
        """Mark ``owner``'s claim activated (or not activated); False if the claim was lost."""
        with self.database.transaction() as tx:
            changed = tx.execute(
                "UPDATE activations SET state = ?, done_at_ms = ?"
                " WHERE proposal_id = ? AND state = ? AND claimed_by = ?",
                (ACTIVATED if activated else REFUSED, now_ms, proposal_id, PUBLISHING, owner),
            )
        return changed == 1

    def release(self, proposal_id: str, owner: str) -> None:
        """Give back ``owner``'s claim after a failed publication (it is retried)."""
        with self.database.transaction() as tx:
            tx.execute(
                "UPDATE activations SET state = ?, claimed_by = NULL, claimed_at_ms = NULL"
                " WHERE proposal_id = ? AND state = ? AND claimed_by = ?",
                (SCHEDULED, proposal_id, PUBLISHING, owner),
            )

    def latest_activated(self) -> str | None:
        """The proposal activated last through the API, if any."""
        with self.database.transaction() as tx:
            rows = tx.rows(
                "SELECT proposal_id FROM activations WHERE state = ?"
                " ORDER BY done_at_ms DESC LIMIT 1",
                (ACTIVATED,),
            )
        return str(rows[0][0]) if rows else None

    def _move(self, proposal_id: str, from_state: str, to_state: str) -> bool:
        with self.database.transaction() as tx:
            changed = tx.execute(
                "UPDATE activations SET state = ? WHERE proposal_id = ? AND state = ?",
                (to_state, proposal_id, from_state),
            )
        return changed == 1
