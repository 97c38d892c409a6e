"""What differs between the log store's databases: connections, transactions, one query.

:class:`~broker.transparency.store.sql_store.SqlStore` writes every other statement once
(``?`` placeholders, standard SQL both databases run) and asks its dialect for the rest.
"""

from __future__ import annotations

from collections.abc import Collection
from contextlib import AbstractContextManager
from typing import Protocol

from broker.database.sql_transaction import SqlTransaction
from broker.transparency.tree import NodeId

IN_CHUNK = 500
"""Most values one ``IN (...)`` list carries."""


class SqlDialect(Protocol):
    """One database's way of running the log store's transactions."""

    row_lock: str
    """Appended to the ``SELECT`` of the tree size in an append (``FOR UPDATE`` or nothing)."""

    def writing(self) -> AbstractContextManager[SqlTransaction]:
        """One serialised write transaction, committed when the block ends, else rolled back."""
        ...

    def reading(self, snapshot: bool = False) -> AbstractContextManager[SqlTransaction]:
        """Reads; with ``snapshot`` every statement of the block sees the same state."""
        ...

    def node_hashes(self, tx: SqlTransaction, ids: Collection[NodeId]) -> dict[NodeId, bytes]:
        """The stored hashes of the perfect subtrees ``ids`` (missing ones left out)."""
        ...

    def close(self) -> None:
        """Release the connections."""
        ...
