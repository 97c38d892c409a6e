"""One records transaction spanning the proposal, activation and policy-audit stores.

Inside :meth:`PolicyUnitOfWork.begin`, every store's statements join the one open transaction of
the records database, so a policy change, its history event and its s.62 audit record are kept
together or not at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from broker.records.activation_store import ActivationStore
from broker.records.database import RecordsDatabase
from broker.records.policy_audit_outbox import PolicyAuditOutbox
from broker.records.proposal_store import ProposalStore

__all__ = ["PolicyUnitOfWork"]


class PolicyUnitOfWork:
    """The stores a policy change writes, over one :class:`RecordsDatabase`."""

    def __init__(self, database: RecordsDatabase) -> None:
        self.database = database
        self.proposals = ProposalStore(database)
        self.activations = ActivationStore(database)
        self.audit = PolicyAuditOutbox(database)

    @contextmanager
    def begin(self) -> Iterator[PolicyUnitOfWork]:
        """One transaction: committed when the block ends, rolled back (all of it) on an error."""
        with self.database.transaction():
            yield self
