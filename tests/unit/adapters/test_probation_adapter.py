"""The HMPPS domain events adapter: each public event type maps as docs/adapters.md says."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from broker.catalogue.catalogue import default_catalogue
from iom_adapters.probation import HmppsDomainEventsAdapter
from iom_adapters.sdk.outcomes import Converted, Rejected, Skipped
from iom_adapters.sdk.source import SourceDocument
from tests.unit.adapters.samples import SAMPLES, convert, events, only


@pytest.fixture(scope="module")
def adapter() -> HmppsDomainEventsAdapter:
    """The adapter with its default options."""
    return HmppsDomainEventsAdapter.create(agency=None, options=None, catalogue=default_catalogue())


def test_iom_registration_becomes_cohort_enrolment(adapter: HmppsDomainEventsAdapter) -> None:
    """An nDelius IOM registration enrols the person in the cohort its category names."""
    (event,) = events(convert(adapter, "probation", "registration-added-iom.json"))
    assert event["envelope"]["event_type"] == "cohort_enrolment"
    assert event["envelope"]["source_agency"] == "probation-wales"
    assert event["envelope"]["subject"] == {
        "crn": "E482913",
        "pnc_id": None,
        "noms_number": "A4821CD",
        "nhs_number": None,
    }
    assert event["envelope"]["occurred_at"] == datetime(2026, 3, 2, 10, 14, 7, 412000, UTC)
    assert event["payload"] == {
        "cohort": "FIXED",
        "area": "Wales",
        "reason": "IOM registration added in nDelius",
        "lead_agency": "probation-wales",
    }


def test_other_registers_are_skipped_not_shared(adapter: HmppsDomainEventsAdapter) -> None:
    """A MAPPA registration is understood and deliberately produces no event."""
    outcome = only(convert(adapter, "probation", "registration-added-mappa.json"))
    assert isinstance(outcome, Skipped)
    assert "not an IOM register" in outcome.detail


def test_deregistration_becomes_cohort_deselection(adapter: HmppsDomainEventsAdapter) -> None:
    """The end of an IOM registration deselects the person."""
    (event,) = events(convert(adapter, "probation", "registration-deregistered-iom.json"))
    assert event["envelope"]["event_type"] == "cohort_deselection"
    assert event["payload"]["reason"] == "IOM registration ended in nDelius"


def test_release_read_from_its_sns_notification(adapter: HmppsDomainEventsAdapter) -> None:
    """A release inside an SNS notification maps to prison_release with the prison's name."""
    (event,) = events(convert(adapter, "probation", "prisoner-released.sns.json"))
    assert event["envelope"]["event_type"] == "prison_release"
    assert event["envelope"]["subject"]["noms_number"] == "A4821CD"
    assert event["payload"]["prison"] == "HMP Cardiff"
    assert event["payload"]["release_type"] == "CONDITIONAL_RELEASE"


def test_transfer_out_is_not_a_release(adapter: HmppsDomainEventsAdapter) -> None:
    """A transfer between prisons is skipped."""
    assert isinstance(
        only(convert(adapter, "probation", "prisoner-released-transfer.json")), Skipped
    )


def test_reception_on_recall_becomes_recall(adapter: HmppsDomainEventsAdapter) -> None:
    """An admission whose probable cause is a recall maps to a recall into that prison."""
    (event,) = events(convert(adapter, "probation", "prisoner-received-recall.json"))
    assert event["envelope"]["event_type"] == "recall"
    assert event["payload"] == {
        "recall_type": "STANDARD",
        "reason": "returned to custody on recall",
        "prison": "HMP Cardiff",
    }


def test_decision_to_recall_becomes_recall(adapter: HmppsDomainEventsAdapter) -> None:
    """Management oversight's decision to recall is a recall not yet in a prison."""
    (event,) = events(convert(adapter, "probation", "recall-decision.json"))
    assert event["envelope"]["event_type"] == "recall"
    assert event["payload"]["prison"] is None


def test_licence_activation_is_the_same_release_as_the_movement(
    adapter: HmppsDomainEventsAdapter,
) -> None:
    """Licence activation and the release movement of the same day share one event id."""
    (licence,) = events(convert(adapter, "probation", "licence-activated.json"))
    (movement,) = events(convert(adapter, "probation", "prisoner-released.sns.json"))
    assert licence["envelope"]["event_type"] == "prison_release"
    assert licence["payload"]["licence_end_date"] == date(2027, 1, 14)
    assert licence["envelope"]["event_id"] == movement["envelope"]["event_id"]


def test_licence_variation_becomes_a_licence_variation_event(
    adapter: HmppsDomainEventsAdapter,
) -> None:
    """A licence variation maps to the catalogue's licence_variation, dated the day it applies."""
    (varied,) = events(convert(adapter, "probation", "licence-variation-activated.json"))
    assert varied["envelope"]["event_type"] == "licence_variation"
    assert varied["payload"]["licence_id"] == "40388"
    assert varied["payload"]["effective_from"].isoformat() == "2026-05-04"
    (again,) = events(convert(adapter, "probation", "licence-variation-activated.json"))
    assert again["envelope"]["event_id"] == varied["envelope"]["event_id"]


def test_referral_and_its_outcome(adapter: HmppsDomainEventsAdapter) -> None:
    """A CRS referral and its conclusion share the referral id and service."""
    (sent,) = events(convert(adapter, "probation", "referral-sent.json"))
    (done,) = events(convert(adapter, "probation", "referral-concluded.json"))
    assert sent["payload"]["service"] == "HOUSING"
    assert sent["payload"]["referred_to"] == "newport-housing"
    assert done["payload"]["outcome"] == "COMPLETED"
    assert done["payload"]["referral_id"] == sent["payload"]["referral_id"]


def test_appointment_attendance(adapter: HmppsDomainEventsAdapter) -> None:
    """Attended and missed intervention appointments keep their booked time and Delius id."""
    (missed,) = events(convert(adapter, "probation", "session-appointment-missed.json"))
    (attended,) = events(convert(adapter, "probation", "initial-assessment-attended.json"))
    assert missed["payload"]["outcome"] == "MISSED"
    assert missed["payload"]["appointment_id"] == "2500733190"
    assert missed["payload"]["scheduled_for"] == datetime(2026, 4, 2, 13, 0, tzinfo=UTC)
    assert attended["payload"]["outcome"] == "ATTENDED"


def test_unmapped_event_type_is_reported_by_name(adapter: HmppsDomainEventsAdapter) -> None:
    """An event type without a mapping is rejected with a report naming that type."""
    outcome = only(convert(adapter, "probation", "prisoner-cell-move.json"))
    assert isinstance(outcome, Rejected)
    assert outcome.reason == "unmapped_event_type"
    assert "prison-offender-events.prisoner.cell.move" in outcome.message()


def test_malformed_json_is_reported_with_its_line(adapter: HmppsDomainEventsAdapter) -> None:
    """Broken JSON is a malformed_input rejection naming file and line, not a crash."""
    outcome = only(convert(adapter, "probation", "malformed.json"))
    assert isinstance(outcome, Rejected)
    assert outcome.reason == "malformed_input"
    assert outcome.locator == "malformed.json:1"


def test_repeated_event_keeps_its_event_id(adapter: HmppsDomainEventsAdapter) -> None:
    """HMPPS re-publishes events: the same event converted twice has the same event id."""
    first = events(convert(adapter, "probation", "registration-added-iom.json"))
    again = events(convert(adapter, "probation", "registration-added-iom.json"))
    assert first[0]["envelope"]["event_id"] == again[0]["envelope"]["event_id"]


def test_json_lines_batch_with_a_bad_identifier(adapter: HmppsDomainEventsAdapter) -> None:
    """In a JSON-lines batch each line is one outcome; a malformed CRN is rejected alone."""
    good = json.loads((SAMPLES / "probation" / "registration-added-iom.json").read_text())
    bad = json.loads(json.dumps(good).replace("E482913", "E48"))
    text = "\n".join(json.dumps(v) for v in (good, bad)) + "\n"
    outcomes = list(adapter.convert(SourceDocument("batch.jsonl", text.encode())))
    assert isinstance(outcomes[0], Converted)
    assert isinstance(outcomes[1], Rejected)
    assert outcomes[1].locator == "batch.jsonl:2"
    assert outcomes[1].reason == "invalid_identifier"


def test_options_replace_code_tables() -> None:
    """A deployment can rename prisons and choose the area through the adapter's options."""
    custom = HmppsDomainEventsAdapter.create(
        agency="probation-wales",
        options={"prisons": {"CFI": "Carchar Caerdydd"}, "area": "Gwent"},
        catalogue=default_catalogue(),
    )
    (release,) = events(convert(custom, "probation", "prisoner-released.sns.json"))
    (enrol,) = events(convert(custom, "probation", "registration-added-iom.json"))
    assert release["payload"]["prison"] == "Carchar Caerdydd"
    assert enrol["payload"]["area"] == "Gwent"
