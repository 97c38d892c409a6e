"""A durable local outbox (one SQLite file) between an adapter and Kafka.

Events are written here first, in one transaction per batch, and leave only once Kafka has
acknowledged them; so nothing is lost while Kafka is unreachable or the adapter restarts.
Disk use is bounded: the pending events may take at most ``max_bytes`` (adding more raises
:class:`OutboxFull`, and the batch is not added), and the ledger of sent event ids keeps at
most ``ledger_max_rows`` rows and ``ledger_days`` days. The ledger makes adding idempotent: an
event id that is pending or was sent within the ledger's memory is not added again, which is
how repeated source records (HMPPS events are re-published) are dropped before Kafka.

Two more small tables serve the relay's Kafka transactions: ``relay`` holds the random token
that makes this outbox's transactional id unique (created once, kept for the file's life), and
``in_doubt`` records, for a batch whose commit was asked for but not yet answered, the
partition and offset Kafka gave each event, so the relay can look them up after a crash.
"""

from __future__ import annotations

import secrets
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import structlog

from broker.database.sqlite_transaction import immediate_transaction

DEFAULT_MAX_BYTES = 256 * 1024 * 1024
DEFAULT_LEDGER_ROWS = 1_000_000
DEFAULT_LEDGER_DAYS = 30.0
_PRUNE_EVERY = 5_000

log = structlog.get_logger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL UNIQUE,
    event_type TEXT NOT NULL,
    key BLOB,
    value BLOB NOT NULL,
    enqueued_at REAL NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS sent (event_id TEXT PRIMARY KEY, sent_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS relay (token TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS in_doubt (
    seq INTEGER PRIMARY KEY, kafka_partition INTEGER NOT NULL, kafka_offset INTEGER NOT NULL
);
"""
_INSERT = (
    "INSERT INTO outbox (event_id, event_type, key, value, enqueued_at) "
    "SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM sent WHERE event_id = ?) "
    "ON CONFLICT (event_id) DO NOTHING"
)


class OutboxFull(Exception):
    """Adding would exceed the outbox's disk budget; nothing of the batch was added."""

    reason = "outbox_full"


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """An encoded event to publish."""

    event_id: str
    event_type: str
    key: bytes | None
    value: bytes

    @property
    def size(self) -> int:
        """Bytes it takes in the budget."""
        return len(self.value) + len(self.key or b"")


@dataclass(frozen=True, slots=True)
class PendingRecord:
    """An event waiting in the outbox, oldest first."""

    seq: int
    event_id: str
    key: bytes | None
    value: bytes
    attempts: int


@dataclass(frozen=True, slots=True)
class WrittenRecord:
    """A pending event Kafka wrote at ``partition``/``offset`` in a not yet settled transaction."""

    record: PendingRecord
    partition: int
    offset: int


@dataclass(frozen=True, slots=True)
class AddResult:
    """What adding a batch did."""

    added: int
    duplicates: int


class Outbox:
    """The outbox file at ``path`` (created with its folder on first use)."""

    def __init__(
        self,
        path: Path,
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        ledger_max_rows: int = DEFAULT_LEDGER_ROWS,
        ledger_days: float = DEFAULT_LEDGER_DAYS,
        on_added: Callable[[], None] | None = None,
    ) -> None:
        self.path = Path(path)
        self.max_bytes = max_bytes
        self.ledger_max_rows = ledger_max_rows
        self.ledger_days = ledger_days
        self.on_added = on_added
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)
        row = self._db.execute(
            "SELECT count(*), total(length(value) + ifnull(length(key), 0)) FROM outbox"
        ).fetchone()
        self._pending = int(row[0])
        self._pending_bytes = int(row[1])
        self._since_prune = 0

    def __enter__(self) -> Outbox:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the file (pending events stay for the next start)."""
        self._db.close()

    @property
    def pending(self) -> int:
        """Events not yet acknowledged by Kafka."""
        return self._pending

    @property
    def pending_bytes(self) -> int:
        """Bytes the pending events take in the budget."""
        return self._pending_bytes

    def add(self, items: Sequence[OutboxItem]) -> AddResult:
        """Add a batch durably (one transaction); already pending or sent ids are skipped.

        Raise OutboxFull, adding nothing, if the batch could exceed ``max_bytes``.
        """
        if not items:
            return AddResult(0, 0)
        incoming = sum(item.size for item in items)
        if self._pending_bytes + incoming > self.max_bytes:
            raise OutboxFull(
                f"outbox {self.path} is full: {self._pending} events "
                f"({self._pending_bytes / 2**20:.1f} MiB) wait for Kafka and {incoming} more bytes "
                f"would pass max_bytes {self.max_bytes / 2**20:.1f} MiB; restore the Kafka "
                "connection or raise outbox.max_bytes"
            )
        now = time.time()
        with immediate_transaction(self._db) as cursor:
            last = cursor.execute("SELECT ifnull(max(seq), 0) FROM outbox").fetchone()[0]
            cursor.executemany(
                _INSERT,
                [(i.event_id, i.event_type, i.key, i.value, now, i.event_id) for i in items],
            )
            added, added_bytes = cursor.execute(
                "SELECT count(*), total(length(value) + ifnull(length(key), 0)) "
                "FROM outbox WHERE seq > ?",
                (last,),
            ).fetchone()
            added, added_bytes = int(added), int(added_bytes)
        self._pending += added
        self._pending_bytes += added_bytes
        if added and self.on_added is not None:
            self.on_added()
        return AddResult(added, len(items) - added)

    def take(self, limit: int) -> list[PendingRecord]:
        """Up to ``limit`` pending events, oldest first (they stay until :meth:`mark_sent`)."""
        rows = self._db.execute(
            "SELECT seq, event_id, key, value, attempts FROM outbox ORDER BY seq LIMIT ?", (limit,)
        ).fetchall()
        return [PendingRecord(*row) for row in rows]

    def mark_sent(self, records: Sequence[PendingRecord]) -> None:
        """Remove acknowledged events and remember their ids in the ledger (one transaction)."""
        if not records:
            return
        now = time.time()
        with immediate_transaction(self._db) as cursor:
            cursor.executemany("DELETE FROM outbox WHERE seq = ?", [(r.seq,) for r in records])
            cursor.executemany("DELETE FROM in_doubt WHERE seq = ?", [(r.seq,) for r in records])
            cursor.executemany(
                "INSERT OR REPLACE INTO sent (event_id, sent_at) VALUES (?, ?)",
                [(r.event_id, now) for r in records],
            )
        self._pending -= len(records)
        self._pending_bytes -= sum(len(r.value) + len(r.key or b"") for r in records)
        self._since_prune += len(records)
        if self._since_prune >= _PRUNE_EVERY:
            self.prune_ledger()

    def relay_token(self) -> str:
        """This outbox's random token (made on first call, then kept in the file)."""
        row = self._db.execute("SELECT token FROM relay").fetchone()
        if row is not None:
            return str(row[0])
        token = secrets.token_hex(4)
        with immediate_transaction(self._db) as cursor:
            cursor.execute("INSERT INTO relay (token) VALUES (?)", (token,))
        return token

    def note_in_doubt(self, written: Sequence[WrittenRecord]) -> None:
        """Remember where Kafka wrote each event of a batch about to be committed (synced)."""
        with immediate_transaction(self._db) as cursor:
            cursor.executemany(
                "INSERT OR REPLACE INTO in_doubt (seq, kafka_partition, kafka_offset) "
                "VALUES (?, ?, ?)",
                [(w.record.seq, w.partition, w.offset) for w in written],
            )

    def in_doubt(self) -> list[WrittenRecord]:
        """Pending events whose transaction's outcome is not known here, oldest first."""
        rows = self._db.execute(
            "SELECT o.seq, o.event_id, o.key, o.value, o.attempts, d.kafka_partition, "
            "d.kafka_offset FROM in_doubt d JOIN outbox o ON o.seq = d.seq ORDER BY o.seq"
        ).fetchall()
        return [WrittenRecord(PendingRecord(*row[:5]), row[5], row[6]) for row in rows]

    def clear_in_doubt(self) -> None:
        """Forget every in-doubt position (their transaction was aborted; they stay pending)."""
        self._db.execute("DELETE FROM in_doubt")

    def note_failure(self, records: Sequence[PendingRecord]) -> None:
        """Count a failed attempt for each record (they stay pending)."""
        self._db.executemany(
            "UPDATE outbox SET attempts = attempts + 1 WHERE seq = ?", [(r.seq,) for r in records]
        )

    def prune_ledger(self) -> int:
        """Forget sent ids older than ``ledger_days`` or beyond ``ledger_max_rows``."""
        self._since_prune = 0
        cutoff = time.time() - self.ledger_days * 86_400
        removed = self._db.execute("DELETE FROM sent WHERE sent_at < ?", (cutoff,)).rowcount
        removed += self._db.execute(
            "DELETE FROM sent WHERE rowid <= (SELECT max(rowid) FROM sent) - ?",
            (self.ledger_max_rows,),
        ).rowcount
        if removed:
            log.info("adapter.outbox.ledger_pruned", removed=removed)
        return removed

    def was_sent(self, event_id: str) -> bool:
        """Whether the ledger remembers ``event_id`` as sent."""
        row = self._db.execute("SELECT 1 FROM sent WHERE event_id = ?", (event_id,)).fetchone()
        return row is not None
