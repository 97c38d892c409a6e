"""The router's per-record logic, without Kafka: what each ingress record turns into."""

from __future__ import annotations

import uuid

import pytest

from broker.catalogue.catalogue import default_catalogue
from broker.kafka.topics import DISCLOSURES_TOPIC, SUBJECTS_TOPIC
from broker.router.dead_letter import HEADER_REASON, HEADER_TRUNCATED_FROM
from broker.router.outgoing import RoutingOutcome
from broker.router.record_processor import (
    _DISCLOSURE_NAMESPACE,
    IngressRecord,
    RecordProcessor,
    disclosure_id,
)
from broker.router.subject_codec import decode_subject
from tests.unit.event_examples import example_event
from tests.unit.policy.support import ARREST_RULE, single
from tests.unit.routing_support import MAX_BYTES, new_processor, route


@pytest.fixture
def processor() -> RecordProcessor:
    """A processor on the shipped policy and catalogue with an empty cohort."""
    return new_processor()


def test_enrolment_is_shared_and_recorded_in_the_subjects_topic(processor: RecordProcessor) -> None:
    """An enrolment updates the cohort topic, is delivered per policy, disclosed per recipient."""
    outcome = route(processor, example_event("cohort_enrolment"))
    topics = [r.topic for r in outcome.records]
    assert topics.count(DISCLOSURES_TOPIC) == 4
    assert topics.count(SUBJECTS_TOPIC) == 1
    assert {t for t in topics if t.startswith("deliver.")} == {
        "deliver.gwent-police",
        "deliver.aneurin-bevan-uhb",
        "deliver.newport-housing",
        "deliver.gdas",
    }
    subject = decode_subject(next(r.value for r in outcome.records if r.topic == SUBJECTS_TOPIC))
    assert subject.enrolled and subject.cohort == "FIXED"
    assert outcome.delivered == 4 and outcome.refused == 0


def test_outputs_decode_with_the_catalogue(processor: RecordProcessor) -> None:
    """Deliveries and disclosures written without re-validation still decode with their schemas."""
    route(processor, example_event("cohort_enrolment"))
    outcome = route(processor, example_event("appointment"))
    codec = processor._codec
    delivery = next(r for r in outcome.records if r.topic == "deliver.probation-wales")
    decoded = codec.decode_delivery(delivery.value)
    assert decoded["payload"]["clinical_notes"] is None
    assert decoded["payload"]["outcome"] is not None
    disclosures = [
        codec.decode_disclosure(r.value) for r in outcome.records if r.topic == DISCLOSURES_TOPIC
    ]
    assert {d["recipient_agency"] for d in disclosures} == {
        "gwent-police",
        "probation-wales",
        "newport-housing",
        "gdas",
    }
    assert all(d["subject_ref"] and "X123456" not in d["subject_ref"] for d in disclosures)


def test_disclosure_id_is_the_standard_uuid5() -> None:
    """Disclosure ids are RFC 4122 version-5 UUIDs, so any tool can recompute them."""
    expected = uuid.uuid5(_DISCLOSURE_NAMESPACE, "e-1/gdas")
    assert disclosure_id("e-1", "gdas") == str(expected)


def test_oversized_record_is_dead_lettered_before_decoding(processor: RecordProcessor) -> None:
    """A record over the size limit goes to the sender's DLQ with reason oversized."""
    outcome = processor.process(
        IngressRecord("ingress.gdas", 0, 1, None, b"\x00" * (MAX_BYTES + 1))
    )
    assert outcome.dead_letter_reason == "oversized"
    (letter,) = outcome.records
    assert letter.topic == "dlq.gdas"
    assert dict(letter.headers)[HEADER_REASON] == b"oversized"


def test_record_far_over_the_limit_is_dead_lettered_cut_to_the_limit(
    processor: RecordProcessor,
) -> None:
    """A record of any size (huge key included) becomes a dead letter the router can write."""
    value, key = b"\x00" * (MAX_BYTES * 50), b"K" * (MAX_BYTES * 3)
    outcome = processor.process(IngressRecord("ingress.gdas", 0, 1, key, value))
    (letter,) = outcome.records
    headers = dict(letter.headers)
    assert outcome.dead_letter_reason == "oversized"
    assert len(letter.key or b"") + len(letter.value) <= MAX_BYTES
    assert value.startswith(letter.value) and key.startswith(letter.key or b"")
    assert headers[HEADER_TRUNCATED_FROM] == str(len(key) + len(value)).encode()
    assert headers["iom.dlq.source_offset"] == b"1"


def test_bad_record_within_the_limit_is_dead_lettered_whole(processor: RecordProcessor) -> None:
    """Garbage that fits the limit is kept byte for byte, key included, without a cut marker."""
    outcome = processor.process(IngressRecord("ingress.gdas", 0, 1, b"key", b"\x13garbage"))
    (letter,) = outcome.records
    assert (letter.key, letter.value) == (b"key", b"\x13garbage")
    assert HEADER_TRUNCATED_FROM not in dict(letter.headers)


def test_record_claiming_another_agency_is_refused(processor: RecordProcessor) -> None:
    """A police record on the housing topic is dead-lettered to housing, not routed."""
    outcome = route(processor, example_event("arrest"), topic="ingress.newport-housing")
    assert outcome.dead_letter_reason == "agency_mismatch"
    assert outcome.records[0].topic == "dlq.newport-housing"


def test_older_schema_version_is_still_routed(processor: RecordProcessor) -> None:
    """An adapter still writing arrest v1 is read with the newest schema and routed."""
    route(processor, example_event("cohort_enrolment"))
    old = example_event("arrest", schema_version=default_catalogue().versions("arrest")[0].version)
    del old["payload"]["arresting_force"]
    outcome = route(processor, old)
    assert not outcome.dead_lettered and outcome.delivered == 1


def test_each_disclosure_records_the_policy_version_it_was_decided_under(
    processor: RecordProcessor,
) -> None:
    """After a hot switch of policy, later disclosures name the new version, earlier the old."""
    codec = processor._codec
    route(processor, example_event("cohort_enrolment"))
    before = route(processor, example_event("arrest"))
    old_version = processor.policy.version
    new_policy = single(ARREST_RULE.replace("P2Y", "P1Y"))
    processor.use_policy(new_policy)
    after = route(processor, example_event("arrest"))

    def versions(outcome: RoutingOutcome) -> set[str]:
        return {
            codec.decode_disclosure(r.value)["policy_version"]
            for r in outcome.records
            if r.topic == DISCLOSURES_TOPIC
        }

    assert versions(before) == {old_version}
    assert versions(after) == {new_policy.version} != {old_version}
    delivery = next(r for r in after.records if r.topic == "deliver.probation-wales")
    assert dict(delivery.headers)["iom.retention"] == b"P1Y"


def test_delivery_headers_name_the_transforms_applied(processor: RecordProcessor) -> None:
    """A generalised field is announced to the recipient in the iom.transforms header."""
    route(processor, example_event("cohort_enrolment"))
    outcome = route(processor, example_event("prison_release"))
    delivery = next(r for r in outcome.records if r.topic == "deliver.gwent-police")
    headers = dict(delivery.headers)
    assert headers["iom.transforms"] == b"payload.release_address_postcode=generalise"
    assert (
        processor._codec.decode_delivery(delivery.value)["payload"]["release_address_postcode"]
        == "NP19"
    )


def test_release_and_recall_update_the_supervision_status(processor: RecordProcessor) -> None:
    """A release puts the subject on licence and a recall in custody, in the subjects topic."""
    route(processor, example_event("cohort_enrolment"))
    released = route(processor, example_event("prison_release"))
    recalled = route(processor, example_event("recall"))

    def status(outcome: RoutingOutcome) -> str | None:
        record = next(r for r in outcome.records if r.topic == SUBJECTS_TOPIC)
        return decode_subject(record.value).supervision

    assert status(released) == "on_licence"
    assert status(recalled) == "in_custody"


def test_enrolment_area_selects_the_local_agreements(processor: RecordProcessor) -> None:
    """Someone enrolled in Dyfed-Powys is shared about with Dyfed-Powys agencies, not Gwent's."""
    enrolment = example_event("cohort_enrolment", area="Carmarthenshire")
    outcome = route(processor, enrolment)
    assert {r.topic for r in outcome.records if r.topic.startswith("deliver.")} == {
        "deliver.dyfed-powys-police",
        "deliver.hywel-dda-uhb",
        "deliver.carmarthenshire-housing",
        "deliver.ddas",
    }


def _treatment_progress_decision(processor: RecordProcessor) -> str | None:
    """Route a GDAS referral outcome; return probation's deny reason (None when shared)."""
    outcome = route(processor, example_event("referral_outcome"))
    codec = processor._codec
    disclosures = [
        codec.decode_disclosure(r.value) for r in outcome.records if r.topic == DISCLOSURES_TOPIC
    ]
    (to_probation,) = [d for d in disclosures if d["recipient_agency"] == "probation-wales"]
    return None if to_probation["permitted"] else str(to_probation["reason"])


def test_consent_change_events_start_and_stop_consent_based_sharing(
    processor: RecordProcessor,
) -> None:
    """GDAS treatment progress reaches probation only between consent given and withdrawn."""
    route(processor, example_event("cohort_enrolment"))
    assert _treatment_progress_decision(processor) == "no_consent_recorded"
    route(processor, example_event("consent_change", status="GIVEN"))
    assert _treatment_progress_decision(processor) is None
    route(processor, example_event("consent_change", status="WITHDRAWN"))
    assert _treatment_progress_decision(processor) == "consent_withdrawn"


def test_disclosures_record_how_fields_were_changed_and_what_was_withheld(
    processor: RecordProcessor,
) -> None:
    """A release told to the police records the postcode generalised and the prison withheld."""
    route(processor, example_event("cohort_enrolment"))
    outcome = route(processor, example_event("prison_release"))
    records = [
        processor._codec.decode_disclosure(r.value)
        for r in outcome.records
        if r.topic == DISCLOSURES_TOPIC
    ]
    police = next(r for r in records if r["recipient_agency"] == "gwent-police")
    assert police["field_transforms"] == {"payload.release_address_postcode": "generalise"}
    assert police["fields_withheld"] == ["payload.prison"]
