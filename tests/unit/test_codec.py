"""The Avro codec: round trips, and how bad bytes and bad records are rejected."""

from __future__ import annotations

import datetime
import io
import uuid
from typing import Any

import fastavro
import pytest

from broker.catalogue import (
    AvroCodec,
    InvalidRecord,
    MalformedFrame,
    SchemaCatalogue,
    UndecodableRecord,
    UnexpectedSchemaKind,
    UnknownSchemaId,
    default_catalogue,
    frame,
)
from tests.unit.event_examples import (
    EXAMPLE_SUBJECT,
    example_delivery,
    example_disclosure,
    example_event,
)

EVENT_TYPES = default_catalogue().event_types()
SECRET = "Secret-Value-Nobody-May-See"


@pytest.fixture(scope="module")
def catalogue() -> SchemaCatalogue:
    return default_catalogue()


@pytest.fixture(scope="module")
def codec(catalogue: SchemaCatalogue) -> AvroCodec:
    return AvroCodec(catalogue)


def _write_raw(schema: dict[str, Any], schema_id: int, record: dict[str, Any]) -> bytes:
    """Frame a record written directly with fastavro, bypassing the codec's checks."""
    body = io.BytesIO()
    fastavro.schemaless_writer(body, schema, record)
    return frame(schema_id, body.getvalue())


def _envelope(**changes: Any) -> dict[str, Any]:
    record = example_event("arrest")
    record["envelope"].update(changes)
    return record


def _payload(**changes: Any) -> dict[str, Any]:
    record = example_event("arrest")
    record["payload"].update(changes)
    return record


def _without(section: str, name: str) -> dict[str, Any]:
    record = example_event("arrest")
    del record[section][name]
    return record


def _subject(**changes: Any) -> dict[str, Any]:
    record = example_event("arrest")
    record["envelope"]["subject"].update(changes)
    return record


# --- round trips ----------------------------------------------------------------------------


@pytest.mark.parametrize("event_type", EVENT_TYPES)
def test_every_event_type_round_trips(codec: AvroCodec, event_type: str) -> None:
    """An example event encodes and decodes back to an equal record, under its newest id."""
    record = example_event(event_type)
    decoded = codec.decode_event(codec.encode_event(record))
    assert decoded.record == record
    assert decoded.event_type == event_type
    assert decoded.schema_id == codec.catalogue.latest(event_type).schema_id


def test_encoded_events_carry_the_confluent_header(codec: AvroCodec) -> None:
    """The first five bytes are magic byte 0 and the writer schema id (arrest v2 is id 28)."""
    assert codec.encode_event(example_event("arrest"))[:5] == b"\x00\x00\x00\x00\x1c"


def test_optional_fields_may_be_left_out_or_null(codec: AvroCodec) -> None:
    """An optional payload field omitted from the record decodes as null."""
    record = example_event("arrest")
    del record["payload"]["location_postcode"]
    decoded = codec.decode_event(codec.encode_event(record)).record
    assert decoded["payload"]["location_postcode"] is None


def test_uuid_objects_and_epoch_millis_are_accepted_on_encode(codec: AvroCodec) -> None:
    """event_id may be a uuid.UUID and occurred_at epoch ms; decoding gives str and datetime."""
    record = example_event("recall")
    event_id = record["envelope"]["event_id"]
    record["envelope"]["event_id"] = uuid.UUID(event_id)
    record["envelope"]["occurred_at"] = 1_741_944_413_589
    envelope = codec.decode_event(codec.encode_event(record)).record["envelope"]
    assert envelope["event_id"] == event_id
    assert envelope["occurred_at"] == datetime.datetime(
        2025, 3, 14, 9, 26, 53, 589000, tzinfo=datetime.UTC
    )


@pytest.mark.parametrize("event_type", EVENT_TYPES)
def test_every_delivery_type_round_trips_with_withheld_fields_null(
    codec: AvroCodec, event_type: str
) -> None:
    """A minimised record keeps shared fields and reads back with withheld fields null."""
    first_field = codec.catalogue.payload_fields(event_type)[0]
    record = example_delivery(event_type, keep=["subject.crn", f"payload.{first_field}"])
    decoded = codec.decode_delivery(codec.encode_delivery(event_type, record))
    assert decoded == record
    assert decoded["envelope"]["subject"] == {
        "crn": EXAMPLE_SUBJECT["crn"],
        "pnc_id": None,
        "noms_number": None,
        "nhs_number": None,
    }


def test_a_delivery_may_withhold_the_whole_subject(codec: AvroCodec) -> None:
    """With no identifier shared, the delivery's subject is null."""
    record = example_delivery("breach", keep=["payload.action"])
    assert (
        codec.decode_delivery(codec.encode_delivery("breach", record))["envelope"]["subject"]
        is None
    )


def test_disclosure_round_trips(codec: AvroCodec) -> None:
    """A disclosure record encodes under the audit schema id and decodes back equal."""
    record = example_disclosure(permitted=False, rule_id=None, fields_shared=[])
    data = codec.encode_disclosure(record)
    assert data[1:5] == codec.catalogue.disclosure().schema_id.to_bytes(4, "big")
    assert codec.decode_disclosure(data) == record


def test_an_older_writer_version_decodes_into_the_newest_shape(
    codec: AvroCodec, catalogue: SchemaCatalogue
) -> None:
    """An arrest written by a v1 producer is read with the v2 reader: the new field is null."""
    record = example_event("arrest", schema_version=1)
    del record["payload"]["arresting_force"]
    data = codec.encode_event(record)
    assert data[:5] == frame(1, b"")
    decoded = codec.decode_event(data)
    assert decoded.schema_id == 1
    assert decoded.record["payload"] == {**record["payload"], "arresting_force": None}
    assert decoded.record["envelope"]["schema_version"] == 1


# --- bad bytes ------------------------------------------------------------------------------


def test_an_unknown_schema_id_is_reported(codec: AvroCodec) -> None:
    """A frame naming an unregistered id is rejected as unknown_schema_id, naming the id."""
    with pytest.raises(UnknownSchemaId, match="unknown schema id 4242") as caught:
        codec.decode_event(frame(4242, b"\x00"))
    assert caught.value.reason == "unknown_schema_id"


def test_a_delivery_id_on_the_event_stream_is_the_wrong_kind(codec: AvroCodec) -> None:
    """A delivery record fed to decode_event is refused as a registered id of another kind."""
    data = codec.encode_delivery("breach", example_delivery("breach", keep=[]))
    with pytest.raises(
        UnexpectedSchemaKind, match=r"is the delivery schema breach v1, expected an event schema$"
    ) as e:
        codec.decode_event(data)
    assert e.value.reason == "unexpected_schema_kind"
    assert isinstance(e.value, UnknownSchemaId)


def test_an_event_is_not_accepted_as_a_disclosure(codec: AvroCodec) -> None:
    """decode_disclosure only reads audit ids."""
    with pytest.raises(UnexpectedSchemaKind):
        codec.decode_disclosure(codec.encode_event(example_event("charge")))


def test_a_malformed_frame_is_reported_before_decoding(codec: AvroCodec) -> None:
    """Bytes without the Confluent header are rejected as malformed_frame."""
    with pytest.raises(MalformedFrame) as caught:
        codec.decode_event(b'{"envelope": {}}')
    assert caught.value.reason == "malformed_frame"


def test_every_truncation_of_a_record_is_undecodable(codec: AvroCodec) -> None:
    """Cutting an encoded event anywhere after the header never yields a record."""
    data = codec.encode_event(example_event("appointment"))
    for cut in range(5, len(data)):
        with pytest.raises(UndecodableRecord) as caught:
            codec.decode_event(data[:cut])
        assert caught.value.reason == "undecodable"


def test_trailing_bytes_after_a_record_are_undecodable(codec: AvroCodec) -> None:
    """Extra bytes after a complete record are rejected, and the message counts them."""
    data = codec.encode_event(example_event("charge")) + b"\x00\x01\x02"
    with pytest.raises(UndecodableRecord, match="3 trailing byte"):
        codec.decode_event(data)


def test_undecodable_messages_do_not_echo_the_bytes(codec: AvroCodec) -> None:
    """Invalid UTF-8 in a string is reported by error type only, never with the bytes read."""
    data = bytearray(codec.encode_event(example_event("recall", reason=SECRET)))
    at = data.index(SECRET.encode())
    data[at : at + 2] = b"\xff\xfe"
    with pytest.raises(UndecodableRecord) as caught:
        codec.decode_event(bytes(data))
    assert str(caught.value).endswith("UnicodeDecodeError")
    assert "Value-Nobody" not in str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_an_envelope_claiming_another_event_type_is_invalid(
    codec: AvroCodec, catalogue: SchemaCatalogue
) -> None:
    """A record written under the arrest schema but saying event_type 'charge' is refused."""
    record = _envelope(event_type="charge")
    latest = catalogue.latest("arrest")
    with pytest.raises(InvalidRecord, match=r"^envelope\.event_type: does not match") as caught:
        codec.decode_event(_write_raw(latest.schema, latest.schema_id, record))
    assert caught.value.reason == "invalid_record"
    assert caught.value.field_path == "envelope.event_type"


def test_an_envelope_claiming_another_schema_version_is_invalid(
    codec: AvroCodec, catalogue: SchemaCatalogue
) -> None:
    """A record framed as arrest v2 whose envelope says version 1 is refused."""
    latest = catalogue.latest("arrest")
    data = _write_raw(latest.schema, latest.schema_id, example_event("arrest", schema_version=1))
    with pytest.raises(InvalidRecord, match=r"^envelope\.schema_version: does not match"):
        codec.decode_event(data)


# --- bad records on encode ------------------------------------------------------------------


INVALID_EVENTS = [
    ("wrong type", _payload(offence_category=7), "payload.offence_category", "expected string"),
    ("missing field", _without("payload", "custody_suite"), "payload.custody_suite", "missing"),
    ("unknown field", _payload(**{SECRET: "x"}), f"payload.{SECRET}", "not a field of"),
    (
        "payload of another type",
        _envelope(event_type="custody_release", schema_version=1),
        "payload.outcome",
        "required field missing",
    ),
    ("nested", _subject(crn=12345), "envelope.subject.crn", "expected string, got int"),
    ("bad uuid", _envelope(event_id=SECRET), "envelope.event_id", "not a UUID"),
    (
        "uppercase uuid",
        _envelope(event_id="0F8FAD5B-D9CB-469F-A165-70867728950E"),
        "envelope.event_id",
        "not a canonical UUID string",
    ),
    (
        "naive time",
        _envelope(occurred_at=datetime.datetime(2025, 3, 14, 9, 0)),
        "envelope.occurred_at",
        "naive datetime",
    ),
    ("int range", _envelope(schema_version=2**40), "envelope.schema_version", "no such version"),
    ("bool as int", _envelope(schema_version=True), "envelope.schema_version", "no such version"),
    ("unknown type", _envelope(event_type=SECRET), "envelope.event_type", "not an event type"),
    ("no envelope", {"payload": {}}, "envelope", "missing"),
]


@pytest.mark.parametrize(
    ("record", "path", "problem"),
    [case[1:] for case in INVALID_EVENTS],
    ids=[case[0] for case in INVALID_EVENTS],
)
def test_invalid_events_name_the_field_path_and_never_the_value(
    codec: AvroCodec, record: dict[str, Any], path: str, problem: str
) -> None:
    """Encoding an invalid event raises InvalidRecord naming the path, on one line, no values."""
    with pytest.raises(InvalidRecord) as caught:
        codec.encode_event(record)
    message = str(caught.value)
    assert caught.value.field_path == path
    assert problem in message
    assert "\n" not in message
    assert "Value-Nobody" not in message.replace(path, "")
    assert "Ystrad" not in message and "Burglary" not in message


def test_a_bad_enum_symbol_is_refused_without_quoting_it(codec: AvroCodec) -> None:
    """An unknown enum symbol names the enum, not the symbol given."""
    record = example_event("custody_release", outcome=SECRET)
    with pytest.raises(
        InvalidRecord, match=r"^payload\.outcome: not a symbol of enum CustodyOutcome$"
    ):
        codec.encode_event(record)


def test_a_date_no_reader_could_decode_is_refused(codec: AvroCodec) -> None:
    """A day count beyond year 9999 is refused on encode rather than failing every reader."""
    record = example_event("accommodation_change", effective_from=3_000_000)
    with pytest.raises(InvalidRecord, match=r"^payload\.effective_from: out of range for a date"):
        codec.encode_event(record)


def test_a_timestamp_no_reader_could_decode_is_refused(codec: AvroCodec) -> None:
    """Epoch milliseconds beyond year 9999 are refused on encode."""
    record = example_event("appointment", scheduled_for=2**60)
    with pytest.raises(InvalidRecord, match=r"^payload\.scheduled_for: out of range"):
        codec.encode_event(record)


def test_a_datetime_where_a_date_belongs_is_refused(codec: AvroCodec) -> None:
    """Passing a datetime for a date field is refused instead of silently dropping the time."""
    record = example_event("charge", first_hearing_date=datetime.datetime(2025, 3, 28, 10, 0))
    with pytest.raises(InvalidRecord, match=r"^payload\.first_hearing_date: expected a date"):
        codec.encode_event(record)


def test_an_array_element_is_named_by_index(codec: AvroCodec) -> None:
    """A bad element of fields_shared is reported with its index."""
    record = example_disclosure(fields_shared=["payload.reason", 3])
    with pytest.raises(InvalidRecord, match=r"^fields_shared\[1\]: expected string, got int$"):
        codec.encode_disclosure(record)


def test_a_naive_decision_time_is_refused_in_a_disclosure(codec: AvroCodec) -> None:
    """Audit times must be timezone-aware, so a server's local time never leaks into the log."""
    record = example_disclosure(decided_at=datetime.datetime(2025, 3, 14, 9, 0))
    with pytest.raises(InvalidRecord, match=r"^decided_at: naive datetime"):
        codec.encode_disclosure(record)


def test_a_delivery_of_another_event_type_is_refused(codec: AvroCodec) -> None:
    """encode_delivery refuses a record whose envelope names another event type."""
    record = example_delivery("charge", keep=[])
    with pytest.raises(InvalidRecord, match=r"^envelope\.event_type: does not match delivery"):
        codec.encode_delivery("arrest", record)


def test_a_delivery_must_still_carry_the_envelope_basics(codec: AvroCodec) -> None:
    """Minimisation may null payload fields but not the event id."""
    record = example_delivery("recall", keep=[])
    record["envelope"]["event_id"] = None
    with pytest.raises(InvalidRecord, match=r"^envelope\.event_id: expected a UUID"):
        codec.encode_delivery("recall", record)


@pytest.mark.parametrize(
    ("value", "problem"),
    [(2**40, "out of range for Avro int"), (True, "expected int, got bool")],
)
def test_an_avro_int_must_fit_32_bits_and_not_be_a_bool(
    codec: AvroCodec, value: Any, problem: str
) -> None:
    """fastavro would write these silently; the codec refuses them."""
    record = example_delivery("recall", keep=[])
    record["envelope"]["schema_version"] = value
    with pytest.raises(InvalidRecord, match=rf"^envelope\.schema_version: {problem}$"):
        codec.encode_delivery("recall", record)
