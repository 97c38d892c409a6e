"""Entries encode canonically, are salted, and carry no agency identifier."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from broker.transparency.entry import decode_entry, entry_from_disclosure
from broker.transparency.errors import EntryError
from broker.transparency.hashing import leaf_hash
from broker.transparency.subject_index import subject_index

KEY = bytes(range(32))


def disclosure(**changes: Any) -> dict[str, Any]:
    """A decoded disclosure record as the router writes it."""
    record: dict[str, Any] = {
        "disclosure_id": "3f1c2a9e-0000-5000-8000-000000000001",
        "event_id": "0f8fad5b-d9cb-469f-a165-70867728950e",
        "event_type": "arrest",
        "occurred_at": datetime(2025, 3, 1, 9, 30, tzinfo=UTC),
        "decided_at": datetime(2025, 3, 1, 9, 30, 1, 250_000, tzinfo=UTC),
        "source_agency": "gwent-police",
        "recipient_agency": "probation-wales",
        "subject_ref": "subj-0123456789abcdef0123456789abcdef",
        "permitted": True,
        "reason": "rule arrests permits",
        "rule_id": "arrests",
        "purpose": "iom_case_management",
        "legal_basis": "dpa2018_part3_s35",
        "policy_version": "2025.1",
        "fields_shared": ["payload.offence_category", "subject.crn"],
        "retention": "P2Y",
    }
    record.update(changes)
    return record


def test_encoding_is_canonical_and_round_trips() -> None:
    """Sorted keys, no spaces, millisecond UTC times; decoding gives the same entry back."""
    entry = entry_from_disclosure(disclosure(), "lsi-x", salt=bytes(32))
    data = entry.encode()
    assert data.startswith(b'{"decided_at":"2025-03-01T09:30:01.250Z","disclosure_id":')
    assert b" " not in data.replace(b"rule arrests permits", b"")
    assert decode_entry(data) == entry
    assert entry_from_disclosure(disclosure(), "lsi-x", salt=bytes(32)).encode() == data


def test_field_order_of_the_disclosure_does_not_change_the_bytes() -> None:
    """fields_shared is sorted, so the same decision always encodes the same way."""
    a = entry_from_disclosure(disclosure(), None, salt=bytes(32)).encode()
    shuffled = disclosure(fields_shared=["subject.crn", "payload.offence_category"])
    assert entry_from_disclosure(shuffled, None, salt=bytes(32)).encode() == a


def test_fresh_salts_give_unlinkable_leaves() -> None:
    """The same disclosure logged twice with fresh salts has two unrelated leaf hashes."""
    first = entry_from_disclosure(disclosure(), None).encode()
    second = entry_from_disclosure(disclosure(), None).encode()
    assert leaf_hash(first) != leaf_hash(second)


def test_no_agency_identifier_or_subject_ref_in_the_entry() -> None:
    """The entry names the subject only by the log's keyed index, never the subject_ref."""
    record = disclosure()
    index = subject_index(KEY, record["subject_ref"])
    data = entry_from_disclosure(record, index).encode()
    assert record["subject_ref"].encode() not in data
    assert index.encode() in data
    assert subject_index(bytes(reversed(KEY)), record["subject_ref"]) != index


@pytest.mark.parametrize(
    "mutate",
    [
        lambda b: b.replace(b'","', b'", "', 1),
        lambda b: b.replace(b"2025-03-01T09:30:01.250Z", b"2025-03-01T09:30:01.25Z"),
        lambda b: b[:-1] + b',"extra":1}',
        lambda b: b.replace(b'"permitted":true', b'"permitted":1'),
    ],
    ids=["spacing", "time-format", "extra-field", "bool-type"],
)
def test_non_canonical_bytes_are_refused(mutate: Any) -> None:
    """Any other spelling of an entry is not accepted as an entry."""
    data = entry_from_disclosure(disclosure(), None, salt=bytes(32)).encode()
    with pytest.raises(EntryError):
        decode_entry(mutate(data))


def test_missing_disclosure_field_is_named() -> None:
    """A disclosure without a required field is refused with the field's name."""
    record = disclosure()
    del record["policy_version"]
    with pytest.raises(EntryError, match="policy_version"):
        entry_from_disclosure(record, None)


def test_an_entry_with_field_details_is_version_2_and_round_trips() -> None:
    """How each field was changed and which were withheld are committed to in version 2."""
    record = disclosure(
        field_transforms={"payload.offence_category": "generalise"},
        fields_withheld=["payload.custody_suite"],
    )
    entry = entry_from_disclosure(record, "lsi-x", salt=bytes(32))
    data = entry.encode()
    assert b'"v":2' in data
    assert b'"field_transforms":{"payload.offence_category":"generalise"}' in data
    decoded = decode_entry(data)
    assert decoded.field_transforms == (("payload.offence_category", "generalise"),)
    assert decoded.fields_withheld == ("payload.custody_suite",)


def test_a_version_1_entry_still_reads_and_keeps_its_bytes() -> None:
    """Entries logged before version 2 decode unchanged, so their proofs still verify."""
    entry = entry_from_disclosure(disclosure(), "lsi-x", salt=bytes(32))
    data = entry.encode()
    assert b'"v":1' in data and b"field_transforms" not in data
    assert decode_entry(data).encode() == data


def test_a_version_2_entry_without_details_is_not_canonical() -> None:
    """An entry spelled as version 2 with empty details is refused: version 1 is its form."""
    data = entry_from_disclosure(disclosure(), "lsi-x", salt=bytes(32)).encode()
    spelled = data.replace(b'"v":1', b'"field_transforms":{},"fields_withheld":[],"v":2')
    with pytest.raises(EntryError, match="canonical"):
        decode_entry(spelled)
