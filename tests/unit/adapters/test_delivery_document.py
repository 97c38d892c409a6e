"""What the agency's system receives: the decision next to the minimised event, as JSON."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from broker.catalogue.catalogue import default_catalogue
from iom_adapters.sdk.delivery import Delivery
from iom_adapters.sdk.event_json import event_json


def delivery() -> Delivery:
    """A prison release delivered to the police with its decision headers."""
    record = {
        "envelope": {
            "event_id": "6ef4b382-0000-5000-8000-000000000000",
            "event_type": "prison_release",
            "occurred_at": datetime(2026, 3, 9, 9, 41, 12, tzinfo=UTC),
            "source_agency": "probation-wales",
            "subject": {
                "crn": None,
                "pnc_id": "2019/0412873N",
                "noms_number": None,
                "nhs_number": None,
            },
            "schema_version": 1,
        },
        "payload": {
            "prison": None,
            "release_type": "CONDITIONAL_RELEASE",
            "licence_end_date": date(2027, 1, 14),
            "release_address_postcode": None,
        },
    }
    headers = {
        "iom.disclosure_id": "d-1",
        "iom.rule_id": "probation-release-to-police",
        "iom.purpose": "public_protection",
        "iom.legal_basis": "offender_management_act_2007_s14",
        "iom.retention": "P2Y",
        "iom.policy_version": "sha256:abc",
    }
    return Delivery("deliver.gwent-police", 0, 41, record, headers)


def test_document_carries_decision_and_event() -> None:
    """The document names rule, purpose, legal basis and retention, with ISO times."""
    document = json.loads(delivery().json())
    assert document["disclosure_id"] == "d-1"
    assert document["rule_id"] == "probation-release-to-police"
    assert document["purpose"] == "public_protection"
    assert document["retention"] == "P2Y"
    assert document["occurred_at"] == "2026-03-09T09:41:12.000Z"
    assert document["payload"]["licence_end_date"] == "2027-01-14"
    assert document["payload"]["prison"] is None
    assert document["kafka"] == {"topic": "deliver.gwent-police", "partition": 0, "offset": 41}


def test_avro_json_form_tags_unions() -> None:
    """The Avro JSON form follows the specification: unions tagged, times as epoch millis."""
    record = {
        "envelope": {
            "event_id": "6ef4b382-0000-5000-8000-000000000000",
            "event_type": "recall",
            "occurred_at": datetime(2026, 6, 17, 15, 48, 9, tzinfo=UTC),
            "source_agency": "probation-wales",
            "subject": {"crn": "E482913", "pnc_id": None, "noms_number": None, "nhs_number": None},
            "schema_version": 1,
        },
        "payload": {"recall_type": "STANDARD", "reason": "r", "prison": None},
    }
    parsed = json.loads(event_json(default_catalogue(), record, "avro"))
    assert parsed["envelope"]["subject"]["crn"] == {"string": "E482913"}
    assert parsed["envelope"]["occurred_at"] == 1781711289000
    plain = json.loads(event_json(default_catalogue(), record, "plain"))
    assert plain["envelope"]["subject"]["crn"] == "E482913"
