"""The portal's and the console's signed-in sessions, kept server-side in the records database.

A row is found by the hash of the browser's session id (never the id itself) and holds who
signed in (role, subject, agency: for oversight, never for authorisation, which re-checks the
access token on every request), when, when last used, when the access token expires, and the
tokens sealed under the session id (:mod:`broker.identity.session_seal`). A session unused for
``idle_s`` or older than ``absolute_s`` is gone: :meth:`WebSessionStore.find` no longer returns
it and :meth:`WebSessionStore.purge` deletes it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from broker.records.database import RecordsDatabase

__all__ = ["TOUCH_EVERY_MS", "WebSession", "WebSessionStore"]

TOUCH_EVERY_MS = 60_000
"""Last use is written at most once a minute per session (not on every page)."""
_COLUMNS = (
    "session_hash, area, role, subject, agency, created_at_ms, seen_at_ms,"
    " access_expires_at_ms, tokens"
)


@dataclass(frozen=True)
class WebSession:
    """One signed-in browser."""

    session_hash: str
    area: str
    role: str
    subject: str
    agency: str | None
    created_at_ms: int
    seen_at_ms: int
    access_expires_at_ms: int
    tokens: str = field(repr=False)
    """The sealed tokens."""


def _session(row: tuple[object, ...]) -> WebSession:
    hashed, area, role, subject, agency, created, seen, expires, tokens = row
    return WebSession(
        str(hashed), str(area), str(role), str(subject), None if agency is None else str(agency),
        int(str(created)), int(str(seen)), int(str(expires)), str(tokens),
    )  # fmt: skip


class WebSessionStore:
    """Web sessions in a :class:`RecordsDatabase` (by default a private in-memory one)."""

    def __init__(
        self,
        database: RecordsDatabase | None = None,
        *,
        idle_s: int = 30 * 60,
        absolute_s: int = 10 * 3600,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.database = database or RecordsDatabase()
        self.idle_ms = idle_s * 1000
        self.absolute_ms = absolute_s * 1000
        self._clock = clock

    def now_ms(self) -> int:
        """The store's clock, in milliseconds."""
        return int(self._clock() * 1000)

    def create(self, session: WebSession) -> None:
        """Keep a new session."""
        values = (
            session.session_hash, session.area, session.role, session.subject, session.agency,
            session.created_at_ms, session.seen_at_ms, session.access_expires_at_ms,
            session.tokens,
        )  # fmt: skip
        with self.database.transaction() as tx:
            tx.execute(
                f"INSERT INTO web_sessions ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", values
            )

    def find(self, session_hash: str, area: str) -> WebSession | None:
        """The live session of ``area`` with this hash, marking it used; None when there is
        none, it is another area's, or it timed out (idle or absolute)."""
        now = self.now_ms()
        with self.database.transaction() as tx:
            rows = tx.rows(
                f"SELECT {_COLUMNS} FROM web_sessions WHERE session_hash = ?", (session_hash,)
            )
            if not rows:
                return None
            found = _session(rows[0])
            if found.area != area or not self._live(found, now):
                return None
            if now - found.seen_at_ms >= TOUCH_EVERY_MS:
                tx.execute(
                    "UPDATE web_sessions SET seen_at_ms = ? WHERE session_hash = ?",
                    (now, session_hash),
                )
        return found

    def replace_tokens(
        self, session_hash: str, previous: str, tokens: str, access_expires_at_ms: int
    ) -> bool:
        """Swap in refreshed tokens unless another request already did (compare-and-set)."""
        with self.database.transaction() as tx:
            changed = tx.execute(
                "UPDATE web_sessions SET tokens = ?, access_expires_at_ms = ?"
                " WHERE session_hash = ? AND tokens = ?",
                (tokens, access_expires_at_ms, session_hash, previous),
            )
        return changed == 1

    def take(self, session_hash: str) -> WebSession | None:
        """Delete a session and return it (sign-out), timed out or not; None if none."""
        with self.database.transaction() as tx:
            rows = tx.rows(
                f"SELECT {_COLUMNS} FROM web_sessions WHERE session_hash = ?", (session_hash,)
            )
            tx.execute("DELETE FROM web_sessions WHERE session_hash = ?", (session_hash,))
        return _session(rows[0]) if rows else None

    def delete(self, session_hash: str) -> bool:
        """End a session (sign-out, or a refresh the provider refused); False if none."""
        with self.database.transaction() as tx:
            deleted = tx.execute("DELETE FROM web_sessions WHERE session_hash = ?", (session_hash,))
        return deleted == 1

    def purge(self) -> int:
        """Delete every timed-out session; how many."""
        now = self.now_ms()
        with self.database.transaction() as tx:
            return tx.execute(
                "DELETE FROM web_sessions WHERE seen_at_ms <= ? OR created_at_ms <= ?",
                (now - self.idle_ms, now - self.absolute_ms),
            )

    def count(self) -> int:
        """How many sessions are kept (live or not yet purged)."""
        with self.database.transaction() as tx:
            ((kept,),) = tx.rows("SELECT count(*) FROM web_sessions")
        return int(str(kept))

    def _live(self, session: WebSession, now: int) -> bool:
        return (
            now - session.seen_at_ms < self.idle_ms
            and now - session.created_at_ms < self.absolute_ms
        )
