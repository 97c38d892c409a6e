"""Retention erases content but keeps the log verifiable; the s.62 audit is append-only."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta

import psycopg
import pytest

from broker.transparency.audit import record_policy_change
from broker.transparency.hashing import leaf_hash
from broker.transparency.integrity import check_store
from broker.transparency.log import TransparencyLog
from broker.transparency.proofs import verify_inclusion
from broker.transparency.restrictions import restrict_entry
from broker.transparency.retention_sweep import erase_expired
from broker.transparency.subject_view import subject_view
from broker.transparency.verifier import verify_entry_proof
from tests.support.log_records import SIGNER, Clock, disclosure


def test_expired_entries_lose_content_and_salt_but_the_log_still_verifies(
    transparency_log: TransparencyLog, clock: Clock
) -> None:
    """After retention only the leaf hash remains; proofs and the whole-store check still pass."""
    short = [disclosure(i, retention="P1M") for i in range(0, 6, 2)]
    long = [disclosure(i, retention="P2Y") for i in range(1, 6, 2)]
    transparency_log.append_disclosures(short + long)
    store = transparency_log.store
    before = transparency_log.publish_checkpoint()
    kept = store.entry(4)
    assert kept is not None and kept.content is not None
    leaf_before = store.node_hashes([(0, 0)])[(0, 0)]

    clock.now += timedelta(days=40)
    assert erase_expired(store, clock.now) == 3
    assert erase_expired(store, clock.now) == 0
    erased = store.entry(0)
    assert erased is not None
    assert (erased.content, erased.subject, erased.erased_at_ms is not None) == (None, None, True)
    assert store.node_hashes([(0, 0)])[(0, 0)] == leaf_before
    assert store.tree_head() == (before.size, before.root)
    proof = transparency_log.inclusion_proof(4, before.size)
    verify_inclusion(4, before.size, leaf_hash(kept.content), proof, before.root)
    report = check_store(store, SIGNER.verifier)
    assert report.ok, report.problems
    assert (report.size, report.contents_checked) == (6, 3)
    view = subject_view(transparency_log, "subj-a", "subject:self")
    assert [item.index for item in view.entries] == [5, 4, 3]
    for item in view.entries:
        verify_entry_proof(item.proof, item.content, SIGNER.verifier)
    erasures = [e for e in store.audit_events() if e.action == "erasure"]
    assert sorted(e.target for e in erasures) == ["entry/0", "entry/1", "entry/2"]


def test_audit_records_disclosures_refusals_restrictions_and_policy_changes(
    transparency_log: TransparencyLog, clock: Clock
) -> None:
    """Each operation leaves who, when and what; no payload or subject reference."""
    transparency_log.append_disclosures(
        [disclosure(1), disclosure(2, permitted=False, reason="no rule", fields_shared=[])]
    )
    store = transparency_log.store
    restrict_entry(
        store, disclosure(1)["disclosure_id"], "investigation", "dpo:x", date(2025, 6, 1), clock()
    )
    record_policy_change(store, clock(), "dpo:x", "2025.2", "activated")
    events = store.audit_events()
    assert [(e.action, e.actor) for e in events] == [
        ("disclosure", "gwent-police"),
        ("refusal", "gwent-police"),
        ("restriction.set", "dpo:x"),
        ("policy.change", "dpo:x"),
    ]
    assert json.loads(events[0].detail) == {
        "event_type": "arrest", "index": 0, "recipient": "probation-wales"
    }  # fmt: skip
    assert json.loads(events[2].detail)["reason"] == "investigation"
    assert all("subj-a" not in e.detail and "subj-a" not in e.target for e in events)
    assert [e.seq for e in events] == sorted(e.seq for e in events if e.seq is not None)


def test_audit_records_cannot_be_changed_or_deleted(transparency_log: TransparencyLog) -> None:
    """The database itself refuses to update or delete an audit record."""
    transparency_log.append_disclosures([disclosure(1)])
    connection = transparency_log.store._db  # type: ignore[attr-defined]
    for statement in ("UPDATE audit SET actor = 'someone else'", "DELETE FROM audit"):
        with pytest.raises((sqlite3.DatabaseError, psycopg.Error), match="append-only"):
            connection.execute(statement)
        if isinstance(connection, psycopg.Connection):
            connection.rollback()
    assert len(transparency_log.store.audit_events()) == 1
