"""Plain-language disclosure sentences in English and Welsh."""

from __future__ import annotations

from datetime import UTC, date, datetime

from broker.http.sentences import disclosure_sentence, long_date
from broker.transparency.entry import LogEntry, entry_from_disclosure
from tests.support.api_context import vocabulary
from tests.unit.identity.keys import agencies


def _entry(**changes: object) -> LogEntry:
    record: dict[str, object] = {
        "disclosure_id": "00000000-0000-5000-8000-000000000001",
        "event_id": "00000000-0000-0000-0000-000000000001",
        "event_type": "arrest",
        "occurred_at": datetime(2026, 3, 3, 9, tzinfo=UTC),
        "decided_at": datetime(2026, 3, 3, 9, 1, tzinfo=UTC),
        "source_agency": "gwent-police",
        "recipient_agency": "probation-wales",
        "subject_ref": "subj-a",
        "permitted": True,
        "reason": None,
        "rule_id": "arrests",
        "purpose": "iom_case_management",
        "legal_basis": "dpa2018_part3_s35",
        "policy_version": "2026.1",
        "fields_shared": ["payload.offence_category"],
        "retention": "P1Y",
    }
    record.update(changes)
    return entry_from_disclosure(record, "index")


def test_english_sentence_names_who_what_why_and_the_law() -> None:
    """The sentence says when, who told whom, what about, why and under which law."""
    text = disclosure_sentence(_entry(), "en", agencies(), vocabulary())
    assert text.startswith(
        "On 3 March 2026 Gwent Police told the Probation Service in Wales that you were arrested."
    )
    assert "Why: Integrated Offender Management case management." in text
    assert "Legal basis: Law enforcement" in text


def test_welsh_sentence_uses_welsh_names_and_months() -> None:
    """In Welsh the month, agencies and vocabulary names are Welsh."""
    text = disclosure_sentence(_entry(), "cy", agencies(), vocabulary())
    assert text.startswith("Ar 3 Mawrth 2026 dywedodd Heddlu Gwent wrth y Gwasanaeth Prawf")
    assert "Sail gyfreithiol: Gorfodi'r gyfraith" in text
    assert long_date(date(2026, 12, 1), "cy") == "1 Rhagfyr 2026"
