"""The FHIR R4 adapter: referrals and attendance, NHS number as subject, no clinical content."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from broker.catalogue.catalogue import default_catalogue
from iom_adapters.health import FhirAdapter
from iom_adapters.sdk.outcomes import Rejected, Skipped
from tests.unit.adapters.samples import convert, events, only, rejected, skipped


@pytest.fixture(scope="module")
def adapter() -> FhirAdapter:
    """The adapter with its default options."""
    return FhirAdapter.create(agency=None, options=None, catalogue=default_catalogue())


def test_service_request_in_a_bundle_becomes_referral(adapter: FhirAdapter) -> None:
    """A ServiceRequest whose patient is another bundle entry is a referral under the NHS number."""
    (event,) = events(convert(adapter, "health", "referral-bundle.json"))
    assert event["envelope"]["event_type"] == "referral"
    assert event["envelope"]["source_agency"] == "aneurin-bevan-uhb"
    assert event["envelope"]["subject"]["nhs_number"] == "9731182047"
    assert event["payload"] == {
        "referral_id": "abuhb-sr-20260316-0042",
        "service": "DRUG_AND_ALCOHOL",
        "referred_to": "gdas",
        "reason": "referral recorded by the health board",
        "urgency": "URGENT",
    }


def test_clinical_text_never_enters_an_event(adapter: FhirAdapter) -> None:
    """Notes, comments and reason texts of the source resources appear in no event."""
    found = events(convert(adapter, "health", "referral-bundle.json"))
    found += events(convert(adapter, "health", "appointment-noshow.json"))
    text = json.dumps(found, default=str)
    for clinical in ("never leave", "Clinical reason", "Follow-up review", "mental health team"):
        assert clinical not in text


def test_no_show_is_a_missed_appointment(adapter: FhirAdapter) -> None:
    """``noshow`` is MISSED, with the booked start and the NHS number without spaces."""
    (event,) = events(convert(adapter, "health", "appointment-noshow.json"))
    assert event["envelope"]["subject"]["nhs_number"] == "9731182047"
    assert event["payload"]["outcome"] == "MISSED"
    assert event["payload"]["scheduled_for"] == datetime(2026, 4, 8, 9, 30, tzinfo=UTC)
    assert event["payload"]["service"] == "health appointment"
    assert event["payload"]["clinical_notes"] is None


def test_appointment_and_its_encounter_are_one_event(adapter: FhirAdapter) -> None:
    """A fulfilled Appointment and the Encounter recording that visit share the event id."""
    (appointment,) = events(convert(adapter, "health", "appointment-fulfilled.json"))
    (encounter,) = events(convert(adapter, "health", "encounter-finished.json"))
    assert appointment["payload"]["outcome"] == encounter["payload"]["outcome"] == "ATTENDED"
    assert appointment["envelope"]["event_id"] == encounter["envelope"]["event_id"]


def test_cancelled_encounter_coded_did_not_attend_is_missed(adapter: FhirAdapter) -> None:
    """An Encounter cancelled with the did-not-attend code is a missed appointment."""
    (event,) = events(convert(adapter, "health", "encounter-did-not-attend.json"))
    assert event["payload"]["outcome"] == "MISSED"
    assert event["envelope"]["subject"]["nhs_number"] == "9465528307"


def test_bulk_export_skips_what_has_not_happened(adapter: FhirAdapter) -> None:
    """In an NDJSON export, booked appointments and observations are skipped, others map."""
    outcomes = convert(adapter, "health", "appointments-export.ndjson")
    assert [e["payload"]["outcome"] for e in events(outcomes)] == [
        "ATTENDED",
        "MISSED",
        "CANCELLED",
    ]
    assert [s.locator for s in skipped(outcomes)] == [
        "appointments-export.ndjson:3",
        "appointments-export.ndjson:5",
    ]


def test_unresolvable_patient_is_reported(adapter: FhirAdapter) -> None:
    """A ServiceRequest without a resolvable NHS number is rejected as no_subject."""
    outcome = only(convert(adapter, "health", "servicerequest-without-nhs-number.json"))
    assert isinstance(outcome, Rejected)
    assert outcome.reason == "no_subject"
    assert outcome.field == "ServiceRequest.subject"


def test_wrong_nhs_check_digit_is_reported(adapter: FhirAdapter) -> None:
    """An NHS number failing the modulus-11 check is rejected without quoting it."""
    (problem,) = rejected(convert(adapter, "health", "appointment-bad-nhs-number.json"))
    assert problem.reason == "invalid_identifier"
    assert "9434765918" not in problem.message()


def test_service_text_is_shared_only_when_configured() -> None:
    """With ``share_service_text`` the appointment's service type text is used."""
    sharing = FhirAdapter.create(
        agency=None, options={"share_service_text": True}, catalogue=default_catalogue()
    )
    (event,) = events(convert(sharing, "health", "appointment-fulfilled.json"))
    assert event["payload"]["service"] == "Mental health service"


def test_unsupported_resource_type_is_skipped(adapter: FhirAdapter) -> None:
    """Resource types the adapter does not share are reported as skipped, by type."""
    outcomes = convert(adapter, "health", "appointments-export.ndjson")
    assert any(isinstance(o, Skipped) and "Observation" in o.detail for o in outcomes)
