"""Bad input goes to the sender's dead-letter topic with its reason; the router keeps going."""

from __future__ import annotations

import io
import uuid
from typing import Any

import fastavro

from broker.catalogue.wire_format import frame
from broker.router.dead_letter import HEADER_DETAIL, HEADER_REASON, HEADER_TRUNCATED_FROM
from iom_adapters.sdk.publisher import AgencyPublisher
from tests.integration.helpers import (
    arrest,
    dead_letters_with_keys,
    disclosures_for,
    enrolment,
    unique_subject,
)
from tests.integration.router_fixture import TEST_MAX_RECORD_BYTES, RunningRouter

POLICE = "gwent-police"


def encode_with(running: RunningRouter, event_type: str, record: dict[str, Any]) -> bytes:
    """Encode with the catalogue's schema for ``event_type`` without the codec's checks."""
    entry = running.codec.catalogue.latest(event_type)
    body = io.BytesIO()
    fastavro.schemaless_writer(body, entry.schema, record)
    return frame(entry.schema_id, body.getvalue())


async def test_each_kind_of_bad_record_is_dead_lettered_and_counts_reconcile(
    running_router: RunningRouter,
) -> None:
    """Garbage, unknown id, truncation, mismatch, no subject, oversize, spoofing: dead-lettered."""
    running, codec = running_router, running_router.codec
    subject = unique_subject()
    good = arrest(POLICE, subject)
    valid = codec.encode_event(good)

    mismatched = arrest(POLICE, subject)
    mismatched["envelope"]["event_type"] = "charge"
    no_subject = arrest(POLICE, dict.fromkeys(subject))
    huge = arrest(POLICE, subject)
    huge["payload"]["offence_description"] = "x" * (TEST_MAX_RECORD_BYTES + 1)
    spoofed = arrest("probation-wales", subject)

    bad: dict[str, bytes] = {
        "malformed_frame": b"\x13\x37 this is not an event",
        "unknown_schema_id": frame(987_654, valid[5:]),
        "undecodable": valid[:-7],
        "invalid_record": encode_with(running, "arrest", mismatched),
        "missing_subject": codec.encode_event(no_subject),
        "oversized": encode_with(running, "arrest", huge),
        "agency_mismatch": codec.encode_event(spoofed),
        "empty_record": b"",
    }
    keys = {reason: f"dlq-test-{reason}-{uuid.uuid4()}".encode() for reason in bad}
    before = running.router.counters.as_dict()

    async with AgencyPublisher(running.bootstrap, POLICE, codec) as police:
        for reason, value in bad.items():
            await police.publish_raw(value, keys[reason])
        enrol = enrolment(POLICE, subject)
        await police.publish(enrol)
        await police.publish(good)

    letters = await dead_letters_with_keys(running.bootstrap, POLICE, set(keys.values()))
    for reason, key in keys.items():
        letter = letters[key]
        headers = dict(letter.headers)
        assert headers[HEADER_REASON].decode() == reason
        if reason == "oversized":  # cut to the limit; the whole record stays in ingress
            assert bad[reason].startswith(letter.value)
            assert len(letter.value) + len(key) == TEST_MAX_RECORD_BYTES
            assert headers[HEADER_TRUNCATED_FROM] == str(len(bad[reason]) + len(key)).encode()
        else:
            assert (letter.value or b"") == bad[reason], f"{reason}: original bytes not kept"
        detail = headers[HEADER_DETAIL].decode()
        assert "\n" not in detail
        assert subject["crn"] not in detail and "xxxx" not in detail

    good_ids = [enrol["envelope"]["event_id"], good["envelope"]["event_id"]]
    disclosures = await disclosures_for(running.bootstrap, codec, good_ids, per_event=4)
    after = running.router.counters.as_dict()
    delta = {name: after[name] - before[name] for name in after}
    assert delta["records_in"] == len(bad) + 2
    assert delta["dead_lettered"] == len(bad)
    assert delta["decided"] == 2
    assert delta["records_in"] == delta["decided"] + delta["dead_lettered"]
    assert delta["delivered"] + delta["refused"] == len(disclosures) == 2 * 4
