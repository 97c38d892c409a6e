"""Tampering with any stored entry, leaf, interior node or checkpoint is detected."""

from __future__ import annotations

import psycopg
import pytest

from broker.transparency.errors import TransparencyError
from broker.transparency.integrity import check_store
from broker.transparency.log import TransparencyLog
from broker.transparency.subject_view import subject_view
from broker.transparency.verifier import verify_entry_proof
from tests.support.log_records import SIGNER, disclosure


def tamper(transparency_log: TransparencyLog, statement: str, *params: object) -> None:
    """Change the store behind the log's back, as an attacker with database access would."""
    connection = transparency_log.store._db  # type: ignore[attr-defined]
    if isinstance(connection, psycopg.Connection):
        connection.execute(statement.replace("?", "%s"), params)
        connection.commit()
    else:
        connection.execute(statement, params)


def rewrite_entry(transparency_log: TransparencyLog, index: int, old: bytes, new: bytes) -> None:
    """Replace bytes inside one stored entry."""
    entry = transparency_log.store.entry(index)
    assert entry is not None and entry.content is not None
    altered = entry.content.replace(old, new)
    tamper(transparency_log, "UPDATE entries SET content = ? WHERE idx = ?", altered, index)


def filled(transparency_log: TransparencyLog) -> None:
    """Twelve entries and two checkpoints, verified clean."""
    transparency_log.append_disclosures([disclosure(i) for i in range(5)])
    transparency_log.publish_checkpoint()
    transparency_log.append_disclosures([disclosure(i) for i in range(5, 12)])
    transparency_log.publish_checkpoint()
    assert check_store(transparency_log.store, SIGNER.verifier).ok


ATTACKS: dict[str, tuple[str, tuple[object, ...], str]] = {
    "entry": ("", (), "entry 3: content does not match its leaf hash"),
    "leaf": (
        "UPDATE nodes SET hash = ? WHERE level = 0 AND idx = 7",
        (bytes(32),),
        "checkpoint 12",
    ),
    "node": ("UPDATE nodes SET hash = ? WHERE level = 2 AND idx = 1", (bytes(32),), "node 2/1"),
    "checkpoint": (
        "UPDATE checkpoints SET note = replace(note, ?, ?) WHERE size = 5",
        ("\n5\n", "\n4\n"),
        "checkpoint 5: signature",
    ),
    "checkpoint-root": (
        "UPDATE checkpoints SET root = ? WHERE size = 12",
        (bytes(32),),
        "checkpoint 12",
    ),
}


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_whole_store_check_finds_tampering(transparency_log: TransparencyLog, attack: str) -> None:
    """Re-hashing entries and rebuilding the tree exposes each kind of alteration."""
    filled(transparency_log)
    statement, params, problem = ATTACKS[attack]
    if statement:
        tamper(transparency_log, statement, *params)
    else:
        rewrite_entry(transparency_log, 3, b"probation-wales", b"probation-walez")
    report = check_store(transparency_log.store, SIGNER.verifier)
    assert not report.ok
    assert any(problem in line for line in report.problems), report.problems


@pytest.mark.parametrize(
    ("statement", "params", "index"),
    [
        ("", (), 3),
        ("UPDATE nodes SET hash = ? WHERE level = 0 AND idx = 6", (bytes(32),), 7),
        ("UPDATE nodes SET hash = ? WHERE level = 1 AND idx = 0", (bytes(32),), 2),
    ],
    ids=["entry", "sibling-leaf", "interior-node"],
)
def test_subject_receipts_expose_tampering(
    transparency_log: TransparencyLog,
    statement: str,
    params: tuple[object, ...],
    index: int,
) -> None:
    """After tampering, the affected entry's receipt fails the offline verifier."""
    filled(transparency_log)
    if statement:
        tamper(transparency_log, statement, *params)
    else:
        rewrite_entry(transparency_log, index, b"arrest", b"arresT")
    view = subject_view(transparency_log, "subj-a", "subject:self", page_size=20)
    item = next(item for item in view.entries if item.index == index)
    with pytest.raises(TransparencyError):
        verify_entry_proof(item.proof, item.content, SIGNER.verifier)
