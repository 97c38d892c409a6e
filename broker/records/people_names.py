"""What the people who act in the console are called, by account, as their tokens said.

A DPO's token may carry their name (OpenID Connect's ``name`` claim, see
``identity.claims.name_claim``); the console keeps the latest one per account in the
``people`` table so the history can name who proposed or approved, even after they signed
out. Only staff accounts are kept (a supervisee's principal never has a name).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from broker.records.database import RecordsDatabase

__all__ = ["PeopleNames"]


class PeopleNames:
    """The latest name seen for each account."""

    def __init__(self, database: RecordsDatabase, clock: Callable[[], float] = time.time) -> None:
        self.database = database
        self._clock = clock
        self._known: dict[str, str] = {}
        self._lock = threading.Lock()

    def remember(self, account: str, name: str) -> None:
        """Keep ``name`` for ``account`` (written only when it differs from what this process
        last wrote, so signed-in pages do not write on every request)."""
        with self._lock:
            if self._known.get(account) == name:
                return
        at_ms = int(self._clock() * 1000)
        with self.database.transaction() as tx:
            changed = tx.execute(
                "UPDATE people SET name = ?, seen_at_ms = ? WHERE account = ?",
                (name, at_ms, account),
            )
            if changed == 0:
                tx.execute(
                    "INSERT INTO people (account, name, seen_at_ms) VALUES (?, ?, ?)",
                    (account, name, at_ms),
                )
        with self._lock:
            self._known[account] = name

    def names(self) -> dict[str, str]:
        """Every account's name."""
        with self.database.transaction() as tx:
            rows = tx.rows("SELECT account, name FROM people")
        return {str(account): str(name) for account, name in rows}
