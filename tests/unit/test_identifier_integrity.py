"""No event replaces a person's identifier or adds one its sender does not issue."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from broker.domain.subject import IDENTIFIER_TYPES, SubjectIdentifiers, SubjectRecord
from broker.router.record_processor import RecordProcessor
from tests.unit.event_examples import example_event
from tests.unit.routing_support import (
    dead_letter,
    delivered_to,
    disclosures,
    new_processor,
    route,
    shipped_core,
)

RHYS = {
    "crn": "X100001",
    "pnc_id": "2019/0000001A",
    "noms_number": None,
    "nhs_number": "9990000011",
}
OTHER = {
    "crn": "X200002",
    "pnc_id": "2019/0000002B",
    "noms_number": "A2222BB",
    "nhs_number": "9990000022",
}
FRESH = {
    "crn": "X900009",
    "pnc_id": "2019/0000009Z",
    "noms_number": "A9999ZZ",
    "nhs_number": "9990000099",
}
EVENT_TYPES = (
    "arrest",
    "appointment",
    "accommodation_change",
    "referral",
    "consent_change",
    "cohort_enrolment",
    "cohort_deselection",
)
PROPERTY_SETTINGS = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def only(**identifiers: str | None) -> dict[str, str | None]:
    """A subject section naming just ``identifiers``."""
    return {kind: identifiers.get(kind) for kind in IDENTIFIER_TYPES}


def enrolled_pair() -> RecordProcessor:
    """A processor where probation has enrolled Rhys (no NOMS number) and another person."""
    processor = new_processor()
    for person in (RHYS, OTHER):
        route(processor, example_event("cohort_enrolment", subject=dict(person)))
    return processor


def record_of(processor: RecordProcessor, person: Mapping[str, str | None]) -> SubjectRecord:
    """The cohort record found by the person's CRN."""
    found = processor._cohort.resolve(SubjectIdentifiers(crn=person["crn"]))
    assert found is not None
    return found


def test_an_enrolment_cannot_overwrite_an_nhs_number() -> None:
    """An enrolment naming Rhys's CRN with another NHS number is refused; health still finds him."""
    processor = enrolled_pair()
    planted = example_event(
        "cohort_enrolment", subject=only(crn=RHYS["crn"], nhs_number=FRESH["nhs_number"])
    )
    reason, detail = dead_letter(route(processor, planted))
    assert reason == "identifier_conflict"
    assert str(RHYS["crn"]) not in detail and str(FRESH["nhs_number"]) not in detail
    assert record_of(processor, RHYS).identifiers.nhs_number == RHYS["nhs_number"]
    missed = example_event("appointment", subject=only(nhs_number=RHYS["nhs_number"]))
    assert "probation-wales" in delivered_to(route(processor, missed))


def test_identifiers_of_two_people_are_a_conflict() -> None:
    """An event naming Rhys's CRN and the other person's PNC id is dead-lettered, not merged."""
    processor = enrolled_pair()
    mixed = example_event("arrest", subject=only(crn=RHYS["crn"], pnc_id=OTHER["pnc_id"]))
    assert dead_letter(route(processor, mixed))[0] == "identifier_conflict"


def test_only_the_issuing_kind_adds_an_identifier() -> None:
    """Housing naming a NOMS number Rhys lacks adds nothing; probation naming it adds it."""
    processor = enrolled_pair()
    housing = example_event(
        "accommodation_change", subject=only(crn=RHYS["crn"], noms_number=FRESH["noms_number"])
    )
    shared = route(processor, housing)
    assert not shared.dead_lettered
    assert record_of(processor, RHYS).identifiers.noms_number is None
    probation = example_event(
        "referral", subject=only(crn=RHYS["crn"], noms_number=FRESH["noms_number"])
    )
    route(processor, probation)
    assert record_of(processor, RHYS).identifiers.noms_number == FRESH["noms_number"]


def test_recipients_get_the_known_identifiers_not_the_senders_unverified_ones() -> None:
    """An NHS number housing names but the broker never accepted is not passed on."""
    processor = new_processor()
    route(processor, example_event("cohort_enrolment", subject=only(crn=RHYS["crn"])))
    housing = example_event(
        "accommodation_change", subject=only(crn=RHYS["crn"], nhs_number=FRESH["nhs_number"])
    )
    outcome = route(processor, housing)
    codec = shipped_core().codec
    deliveries = [codec.decode_delivery(r.value) for r in outcome.records if r.headers]
    assert deliveries
    assert all((d["envelope"]["subject"] or {}).get("nhs_number") is None for d in deliveries)


subjects = st.fixed_dictionaries(
    {
        kind: st.sampled_from([None, RHYS[kind], OTHER[kind], FRESH[kind]])
        for kind in IDENTIFIER_TYPES
    }
).filter(lambda s: any(s.values()))
events = st.tuples(
    st.sampled_from(EVENT_TYPES), st.sampled_from(shipped_core().agencies.ids), subjects
)


def send(processor: RecordProcessor, event_type: str, agency: str, subject: dict[str, Any]) -> None:
    """Route one event of ``event_type`` from ``agency`` about ``subject``."""
    route(processor, example_event(event_type, source_agency=agency, subject=subject))


@PROPERTY_SETTINGS
@given(
    agency=st.sampled_from(["newport-housing", "gdas", "dyfed-powys-police", "hywel-dda-uhb"]),
    sequence=st.lists(st.tuples(st.sampled_from(EVENT_TYPES), subjects), max_size=8),
)
def test_no_sequence_from_a_non_owning_agency_changes_identifiers(
    agency: str, sequence: list[tuple[str, dict[str, Any]]]
) -> None:
    """Whatever a non-owning agency sends, the people's identifiers stay as enrolled."""
    processor = enrolled_pair()
    owned = processor.policy.owned_identifiers(agency)
    before = {p["crn"]: record_of(processor, p).identifiers for p in (RHYS, OTHER)}
    for event_type, subject in sequence:
        send(processor, event_type, agency, subject)
    for person in (RHYS, OTHER):
        after = record_of(processor, person).identifiers
        for kind in IDENTIFIER_TYPES:
            if kind not in owned:
                assert getattr(after, kind) == getattr(before[person["crn"]], kind)


#: Rhys's identifiers as his agencies know them: the broker has not yet learned the last two.
RHYS_KNOWN_TO_AGENCIES = {**RHYS, "noms_number": "A1111AA", "nhs_number": "9990000012"}
#: Events Rhys's own agencies send about him, each naming two of his identifiers.
RHYS_OWN_EVENTS = (
    ("appointment", "aneurin-bevan-uhb", ("nhs_number", "pnc_id")),
    ("referral", "probation-wales", ("crn", "noms_number")),
    ("arrest", "gwent-police", ("pnc_id", "nhs_number")),
)
#: Agencies that neither issue identifiers nor may enrol anyone.
NEITHER_ISSUER_NOR_AUTHORITY = ("newport-housing", "gdas", "carmarthenshire-housing", "ddas")


@PROPERTY_SETTINGS
@given(
    agency=st.sampled_from(NEITHER_ISSUER_NOR_AUTHORITY),
    event_type=st.sampled_from(EVENT_TYPES),
    subject=st.fixed_dictionaries(
        {
            kind: st.sampled_from([None, OTHER[kind], FRESH[kind], RHYS_KNOWN_TO_AGENCIES[kind]])
            for kind in IDENTIFIER_TYPES
        }
    ).filter(lambda s: any(s.values())),
)
def test_a_single_wrong_event_never_moves_another_persons_events(
    agency: str, event_type: str, subject: dict[str, Any]
) -> None:
    """After any one event from such an agency, Rhys's own events still resolve to him alone."""
    processor = new_processor()
    enrolment = example_event(
        "cohort_enrolment", subject=only(crn=RHYS["crn"], pnc_id=RHYS["pnc_id"])
    )
    route(processor, enrolment)
    route(processor, example_event("cohort_enrolment", subject=dict(OTHER)))
    rhys = record_of(processor, RHYS).subject_ref
    send(processor, event_type, agency, subject)
    for own_type, issuer, kinds in RHYS_OWN_EVENTS:
        named = only(**{kind: RHYS_KNOWN_TO_AGENCIES[kind] for kind in kinds})
        outcome = route(processor, example_event(own_type, source_agency=issuer, subject=named))
        assert not outcome.dead_lettered
        assert {d["subject_ref"] for d in disclosures(shipped_core().codec, outcome)} == {rhys}
