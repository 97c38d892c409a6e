"""What a supervisee sees: every disclosure about them, newest first, each with its proof.

Refusals, erased entries and entries under an active s.45(4) restriction are left out
without trace: the page sizes, cursors and proofs are the same as if they did not exist.
Every call is recorded in the s.62 audit as a consultation.
"""

from __future__ import annotations

from dataclasses import dataclass

from broker.transparency.audit import CONSULTATION, audit_event
from broker.transparency.entry import LogEntry, decode_entry
from broker.transparency.log import TransparencyLog
from broker.transparency.store.protocol import StoredCheckpoint, SubjectPage

MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class SubjectEntry:
    """One disclosure shown to its subject, with the bytes and proof to verify it offline."""

    index: int
    entry: LogEntry
    content: bytes
    proof: str  # c2sp.org/tlog-proof@v1 text against the view's checkpoint


@dataclass(frozen=True)
class SubjectView:
    """One page of a subject's log; ``next_page`` is None on the last page."""

    entries: tuple[SubjectEntry, ...]
    checkpoint: StoredCheckpoint
    next_page: str | None


def _cursor(page: str | None) -> SubjectPage | None:
    if page is None:
        return None
    decided, dot, index = page.partition(".")
    if not (dot and decided.isdigit() and index.isdigit()):
        raise ValueError(f"page token {page!r} is not one this service issued")
    return SubjectPage(int(decided), int(index))


def subject_view(
    log: TransparencyLog,
    subject_ref: str,
    actor: str,
    page_size: int = 20,
    page: str | None = None,
    checkpoint: StoredCheckpoint | None = None,
) -> SubjectView:
    """A page of ``subject_ref``'s visible entries with inclusion proofs; audited as ``actor``.

    Proofs lead to ``checkpoint`` if given (entries it does not cover yet are left out), else
    to the latest checkpoint, published on demand if the tree has grown since.
    """
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise ValueError(f"page size {page_size} is not between 1 and {MAX_PAGE_SIZE}")
    subject = log.subject_index(subject_ref)
    rows = log.store.subject_entries(subject, page_size + 1, _cursor(page))
    more, rows = len(rows) > page_size, rows[:page_size]
    last = rows[-1] if rows else None
    checkpoint = checkpoint or log.publish_checkpoint()
    rows = [row for row in rows if row.index < checkpoint.size]
    proofs = log.inclusion_proofs([row.index for row in rows], checkpoint.size)
    entries = tuple(
        SubjectEntry(
            row.index,
            decode_entry(row.content),
            row.content,
            log.tlog_proof(row.index, checkpoint, proofs[row.index]),
        )
        for row in rows
        if row.content is not None
    )
    token = f"{last.decided_at_ms}.{last.index}" if more and last else None
    log.store.append_audit(
        [audit_event(log.clock(), actor, CONSULTATION, subject, entries=len(entries))]
    )
    return SubjectView(entries, checkpoint, token)
