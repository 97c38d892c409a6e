"""A supervisee sees their disclosures newest first, with proofs; restricted ones stay hidden."""

from __future__ import annotations

import json
from datetime import date

import pytest

from broker.transparency.log import TransparencyLog
from broker.transparency.restrictions import due_for_review, lift_restriction, restrict_entry
from broker.transparency.store.protocol import SubjectPage
from broker.transparency.subject_view import subject_view
from broker.transparency.verifier import verify_entry_proof
from tests.support.log_records import SIGNER, Clock, disclosure


def test_newest_first_in_pages_each_with_a_valid_proof(transparency_log: TransparencyLog) -> None:
    """Pages run newest to oldest without gaps or repeats, and every proof verifies."""
    records = [disclosure(i, "subj-a" if i % 3 else "subj-b") for i in range(30)]
    transparency_log.append_disclosures(records)
    seen: list[str] = []
    page = None
    while True:
        view = subject_view(transparency_log, "subj-a", "subject:self", 7, page)
        for item in view.entries:
            verify_entry_proof(item.proof, item.content, SIGNER.verifier)
            seen.append(item.entry.disclosure_id)
        page = view.next_page
        if page is None:
            break
    expected = [r["disclosure_id"] for r in reversed(records) if r["subject_ref"] == "subj-a"]
    assert seen == expected


def test_refusals_and_other_subjects_are_not_shown(transparency_log: TransparencyLog) -> None:
    """A refused decision about the subject, or anything about someone else, is left out."""
    transparency_log.append_disclosures(
        [
            disclosure(1),
            disclosure(2, permitted=False, reason="no agreement", fields_shared=[]),
            disclosure(3, subject_ref="subj-other"),
            disclosure(4, subject_ref=None, permitted=False, reason="not enrolled"),
        ]
    )
    view = subject_view(transparency_log, "subj-a", "subject:self")
    assert [item.index for item in view.entries] == [0]


def test_restricted_entry_is_hidden_until_lifted(
    transparency_log: TransparencyLog, clock: Clock
) -> None:
    """Under s.45(4) the entry vanishes from the view (not even counted), then returns."""
    transparency_log.append_disclosures([disclosure(i) for i in range(3)])
    store = transparency_log.store
    restriction = restrict_entry(
        store,
        disclosure(1)["disclosure_id"],
        "live investigation",
        "dpo:gwent",
        date(2025, 4, 1),
        clock(),
    )
    hidden = subject_view(transparency_log, "subj-a", "subject:self", page_size=2)
    assert [item.index for item in hidden.entries] == [2, 0]
    assert hidden.next_page is None
    text = json.dumps([item.entry.as_json() for item in hidden.entries])
    assert "live investigation" not in text and "dpo:gwent" not in text
    assert [r.restriction_id for r in due_for_review(store, date(2025, 4, 1))] == [restriction]
    assert due_for_review(store, date(2025, 3, 31)) == []
    assert lift_restriction(store, restriction, "dpo:gwent", clock())
    assert not lift_restriction(store, restriction, "dpo:gwent", clock())
    shown = subject_view(transparency_log, "subj-a", "subject:self")
    assert [item.index for item in shown.entries] == [2, 1, 0]
    assert store.entry(1) is not None  # never left the log
    assert store.restrictions(1)[0].reason == "live investigation"


def test_every_view_is_audited_as_a_consultation(transparency_log: TransparencyLog) -> None:
    """Who looked at whose log, and how many entries they saw, is in the s.62 audit."""
    transparency_log.append_disclosures([disclosure(1)])
    subject_view(transparency_log, "subj-a", "caseworker:42")
    consultations = [e for e in transparency_log.store.audit_events() if e.action == "consultation"]
    assert [(e.actor, e.target, json.loads(e.detail)) for e in consultations] == [
        ("caseworker:42", transparency_log.subject_index("subj-a"), {"entries": 1})
    ]


def test_bad_page_token_is_refused(transparency_log: TransparencyLog) -> None:
    """A page token the service did not issue is an error quoting it."""
    with pytest.raises(ValueError, match="'abc'"):
        subject_view(transparency_log, "subj-a", "subject:self", page="abc")


def test_receipts_stay_valid_as_the_tree_grows(transparency_log: TransparencyLog) -> None:
    """Receipts issued at every tree size verify, whatever earlier pages were served before."""
    for batch in range(6):
        first = batch * 37
        transparency_log.append_disclosures([disclosure(i) for i in range(first, first + 37)])
        view = subject_view(transparency_log, "subj-a", "subject:self", 20)
        assert view.checkpoint.size == first + 37
        for item in view.entries:
            verified = verify_entry_proof(item.proof, item.content, SIGNER.verifier)
            assert verified.checkpoint.size == first + 37


def test_entries_newer_than_a_cursor_come_oldest_first(transparency_log: TransparencyLog) -> None:
    """The store reads a subject's visible entries above a cursor in ascending order, leaving
    out refusals and other subjects, so the portal can page back ("Newer entries")."""
    records = [disclosure(i, "subj-a" if i % 3 else "subj-b") for i in range(12)]
    records[4].update(permitted=False, reason="no agreement", fields_shared=[])
    transparency_log.append_disclosures(records)
    store = transparency_log.store
    subject = transparency_log.subject_index("subj-a")
    newest_first = store.subject_entries(subject, 100)
    middle = newest_first[4]
    above = store.subject_entries_newer(
        subject, 100, SubjectPage(middle.decided_at_ms, middle.index)
    )
    assert [e.index for e in above] == [e.index for e in reversed(newest_first[:4])]
    assert len(store.subject_entries_newer(subject, 2, SubjectPage(0, 0))) == 2
