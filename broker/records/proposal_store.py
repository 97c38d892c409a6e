"""Proposals, their approvals and the history of who did what to them, kept durably."""

from __future__ import annotations

import json
from dataclasses import dataclass

from broker.records.database import RecordsDatabase, Transaction

__all__ = ["ProposalEvent", "ProposalRow", "ProposalStore"]


@dataclass(frozen=True)
class ProposalRow:
    """A stored proposal: its metadata and the whole proposed policy's files."""

    proposal_id: str
    proposer: str
    agency: str
    submitted_at_ms: int
    base_version: str
    version: str
    changed: tuple[str, ...]
    files: dict[str, str]
    label: str
    reason: str = ""
    """Why the proposer wants the change (kept as the ``proposed`` event's detail)."""


@dataclass(frozen=True)
class ProposalEvent:
    """One thing a person (or the API acting for them) did to a proposal."""

    at_ms: int
    actor: str
    action: str
    """proposed, approved, scheduled, cancelled, activated or not activated."""
    detail: str


_COLUMNS = (
    "proposal_id, proposer, agency, submitted_at_ms, base_version, version, changed, files, label"
)


class ProposalStore:
    """Proposals in a :class:`RecordsDatabase`."""

    def __init__(self, database: RecordsDatabase) -> None:
        self.database = database

    def add(self, row: ProposalRow, limit: int) -> None:
        """Keep ``row`` with its ``proposed`` event.

        ValueError when ``limit`` proposals not yet activated are open against the same version.
        """
        with self.database.transaction() as tx:
            ((count,),) = tx.rows(
                "SELECT count(*) FROM proposals p WHERE p.base_version = ? AND NOT EXISTS"
                " (SELECT 1 FROM activations a WHERE a.proposal_id = p.proposal_id"
                " AND a.state = 'activated')",
                (row.base_version,),
            )
            if count >= limit:
                raise ValueError(f"at most {limit} open proposals")
            tx.execute(
                f"INSERT INTO proposals ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    row.proposal_id, row.proposer, row.agency, row.submitted_at_ms,
                    row.base_version, row.version, json.dumps(list(row.changed)),
                    json.dumps(row.files, sort_keys=True, ensure_ascii=False), row.label,
                ),
            )  # fmt: skip
            _event(tx, row.proposal_id, row.submitted_at_ms, row.proposer, "proposed", row.reason)

    def get(self, proposal_id: str) -> ProposalRow | None:
        """The stored proposal, if any."""
        with self.database.transaction() as tx:
            found = tx.rows(
                f"SELECT {_COLUMNS} FROM proposals WHERE proposal_id = ?", (proposal_id,)
            )
        if not found:
            return None
        pid, proposer, agency, at_ms, base, version, changed, files, label = found[0]
        return ProposalRow(
            pid, proposer, agency, int(at_ms), base, version,
            tuple(json.loads(changed)), json.loads(files), label,
        )  # fmt: skip

    def ids(self) -> list[str]:
        """Every proposal id, newest first."""
        with self.database.transaction() as tx:
            rows = tx.rows("SELECT proposal_id FROM proposals ORDER BY submitted_at_ms DESC")
        return [str(r[0]) for r in rows]

    def approve(self, proposal_id: str, agency: str, dpo: str, at_ms: int) -> dict[str, str]:
        """Record the first approval for ``agency`` (later ones change nothing); all approvals."""
        with self.database.transaction() as tx:
            added = tx.execute(
                "INSERT INTO approvals (proposal_id, agency, dpo, at_ms) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (proposal_id, agency) DO NOTHING",
                (proposal_id, agency, dpo, at_ms),
            )
            if added:
                _event(tx, proposal_id, at_ms, dpo, "approved", f"for {agency}")
            rows = tx.rows(
                "SELECT agency, dpo FROM approvals WHERE proposal_id = ?", (proposal_id,)
            )
        return {str(a): str(d) for a, d in rows}

    def approvals(self, proposal_id: str) -> dict[str, str]:
        """Agency → the DPO who approved for it."""
        with self.database.transaction() as tx:
            rows = tx.rows(
                "SELECT agency, dpo FROM approvals WHERE proposal_id = ?", (proposal_id,)
            )
        return {str(a): str(d) for a, d in rows}

    def record(self, proposal_id: str, at_ms: int, actor: str, action: str, detail: str) -> None:
        """Add an event to the proposal's history."""
        with self.database.transaction() as tx:
            _event(tx, proposal_id, at_ms, actor, action, detail)

    def history(self, proposal_id: str) -> list[ProposalEvent]:
        """The proposal's events, oldest first."""
        with self.database.transaction() as tx:
            rows = tx.rows(
                "SELECT at_ms, actor, action, detail FROM proposal_events"
                " WHERE proposal_id = ? ORDER BY seq",
                (proposal_id,),
            )
        return [
            ProposalEvent(int(at), str(actor), str(action), str(d)) for at, actor, action, d in rows
        ]


def _event(
    tx: Transaction, proposal_id: str, at_ms: int, actor: str, action: str, detail: str
) -> None:
    tx.execute(
        "INSERT INTO proposal_events (proposal_id, at_ms, actor, action, detail)"
        " VALUES (?, ?, ?, ?, ?)",
        (proposal_id, at_ms, actor, action, detail),
    )
