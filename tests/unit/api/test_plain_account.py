"""A disclosure told plainly: which details went and how, what was kept back, why, the law."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import textstat  # type: ignore[import-untyped]

from broker.catalogue.catalogue import default_catalogue
from broker.http.field_words import FIELD_WORDS, field_phrase
from broker.http.plain_account import PURPOSE_WORDS, plain_account
from broker.http.sentences import EVENT_PHRASES
from broker.transparency.entry import LogEntry, entry_from_disclosure
from tests.support.api_context import vocabulary
from tests.unit.identity.keys import agencies

MAX_GRADE = 6.0


def _entry(**changes: object) -> LogEntry:
    record: dict[str, object] = {
        "disclosure_id": "00000000-0000-5000-8000-000000000001",
        "event_id": "00000000-0000-0000-0000-000000000001",
        "event_type": "accommodation_change",
        "occurred_at": datetime(2026, 3, 3, 9, tzinfo=UTC),
        "decided_at": datetime(2026, 3, 3, 9, 1, tzinfo=UTC),
        "source_agency": "newport-housing",
        "recipient_agency": "probation-wales",
        "subject_ref": "subj-a",
        "permitted": True,
        "reason": None,
        "rule_id": "housing-accommodation-to-probation",
        "purpose": "iom_case_management",
        "legal_basis": "ukgdpr_6_1_e_public_task",
        "policy_version": "2026.1",
        "fields_shared": ["payload.postcode", "payload.effective_from"],
        "retention": "P1Y",
        "field_transforms": {"payload.postcode": "generalise"},
        "fields_withheld": ["payload.address_line"],
    }
    record.update(changes)
    return entry_from_disclosure(record, "index")


def test_the_housing_entry_names_the_area_and_says_the_full_address_was_not_shared() -> None:
    """Rhys reads that his address area and moving date went, and his full address did not."""
    account = plain_account(_entry(), "en", agencies(), vocabulary())
    assert account.told == (
        "Newport City Council Housing told the Probation Service in Wales "
        "that your housing changed."
    )
    assert account.shared == (
        "What they shared: the date you moved and "
        "the area of your address (first half of the postcode)."
    )
    assert account.kept_back == "Not shared: your full postcode and your street address."
    assert account.why is not None and "IOM" in account.why
    assert account.law is not None and account.law.startswith("Public task")


def test_the_welsh_account_mutates_the_recipient_and_is_in_welsh() -> None:
    """In Welsh the recipient follows "wrth" mutated, and every part is Welsh."""
    account = plain_account(_entry(), "cy", agencies(), vocabulary())
    assert account.told == (
        "Dywedodd Tai Cyngor Dinas Casnewydd wrth y Gwasanaeth Prawf yng Nghymru "
        "bod eich llety wedi newid."
    )
    assert "ardal eich cyfeiriad" in account.shared
    assert account.kept_back == "Heb ei rannu: eich cod post llawn a eich cyfeiriad stryd."


def test_health_information_is_named_as_such() -> None:
    """Clinical notes going anywhere are called health information the law protects more."""
    entry = _entry(
        event_type="appointment",
        source_agency="aneurin-bevan-uhb",
        fields_shared=["payload.outcome"],
        field_transforms={},
        fields_withheld=["payload.clinical_notes"],
    )
    account = plain_account(entry, "en", agencies(), vocabulary())
    assert account.special is not None and "health information" in account.special
    assert account.kept_back == "Not shared: your health notes."


def test_an_older_entry_says_it_does_not_record_changes() -> None:
    """A version 1 entry lists what went and says it cannot tell if a detail was shortened."""
    entry = _entry(field_transforms={}, fields_withheld=[])
    account = plain_account(entry, "en", agencies(), vocabulary())
    assert entry.version == 1
    assert "does not say if any detail was shortened" in account.shared
    assert account.kept_back is None


def test_every_shareable_field_has_plain_words() -> None:
    """No supervisee ever reads a dotted field path such as subject.nhs_number."""
    catalogue = default_catalogue()
    for event_type in catalogue.event_types():
        for path in catalogue.shareable_fields(event_type):
            assert path in FIELD_WORDS, path
            for how in (None, "generalise", "mask", "pseudonymise"):
                assert "." not in field_phrase(event_type, path, how, "en").split("(")[0]


#: What people call each kind of agency. Agency names are proper names, which the formula
#: scores by syllables as if they were hard words; the reader knows them.
SPOKEN_NAMES = {
    "police": "the police",
    "probation": "probation",
    "health": "the health board",
    "housing": "housing",
    "substance_misuse": "the drug service",
}


def _spoken(text: str) -> str:
    for agency in agencies():
        for name in (agency.name_en, "the " + agency.name_en[4:]):
            text = text.replace(name, SPOKEN_NAMES[agency.kind])
    return text


def _entry_paragraphs() -> list[str]:
    """What a person reads for one entry of each event type (agency names as spoken)."""
    catalogue = default_catalogue()
    paragraphs = []
    for event_type in EVENT_PHRASES:
        payload = [p for p in catalogue.shareable_fields(event_type) if p.startswith("payload.")]
        entry = _entry(
            event_type=event_type,
            fields_shared=payload[:2],
            field_transforms={},
            fields_withheld=payload[2:3],
        )
        account = plain_account(entry, "en", agencies(), vocabulary())
        parts = (account.told, account.shared, account.kept_back, account.why)
        paragraphs.append(_spoken(" ".join(p for p in parts if p)))
    return paragraphs


@pytest.mark.parametrize("text", _entry_paragraphs() + [en for en, _ in PURPOSE_WORDS.values()])
def test_entries_read_at_grade_6_or_below(text: str) -> None:
    """Each entry's English text scores Flesch-Kincaid grade 6 or less (a reading age of 11)."""
    assert textstat.flesch_kincaid_grade(text) <= MAX_GRADE, text
