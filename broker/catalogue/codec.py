"""Encode and decode events, deliveries and disclosure records in the Confluent wire format.

Everything schema-related is prepared once when the codec is built (parsed writer and reader
schemas, compiled validators), so a call does one validation pass and one fastavro read or
write. Decoding resolves old writer versions to the newest reader schema of the same type.

Python values: ``timestamp-millis`` fields decode to timezone-aware UTC ``datetime`` and
``date`` fields to ``datetime.date`` (fastavro's logical types); ``uuid`` fields decode to
their canonical string (``"0f8fad5b-d9cb-469f-a165-70867728950e"``), which is what ids are
compared, logged and serialised as. Encoders accept those, a ``uuid.UUID``, or the underlying
epoch ``int``; naive datetimes and non-canonical UUID strings are refused.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

import fastavro

from broker.catalogue.catalogue import CatalogueEntry, SchemaCatalogue
from broker.catalogue.errors import (
    InvalidRecord,
    UndecodableRecord,
    UnexpectedSchemaKind,
    UnknownSchemaId,
)
from broker.catalogue.validation import Check, compile_validator
from broker.catalogue.wire_format import HEADER_SIZE, frame, peek_schema_id

_KIND_LABEL = {
    "event": "an event schema",
    "delivery": "a delivery schema",
    "audit": "an audit schema",
}


@dataclass(frozen=True)
class DecodedEvent:
    """An event read from the wire: its writer schema id, event type and record (latest shape)."""

    schema_id: int
    event_type: str
    record: dict[str, Any]


def _without_uuid_conversion(schema: Any) -> Any:
    """Copy a schema JSON with ``uuid`` logical types removed, so fastavro reads them as str."""
    if isinstance(schema, list):
        return [_without_uuid_conversion(branch) for branch in schema]
    if not isinstance(schema, dict):
        return schema
    if schema.get("logicalType") == "uuid":
        return {k: v for k, v in schema.items() if k != "logicalType"}
    return {key: _without_uuid_conversion(value) for key, value in schema.items()}


_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
"""What the catalogue's validator accepts as a uuid; decoders see the uuid as plain text."""


def _read_schema(entry: CatalogueEntry) -> dict[str, Any]:
    parsed = fastavro.parse_schema(_without_uuid_conversion(json.loads(entry.schema_json)))
    return cast(dict[str, Any], parsed)


@dataclass(frozen=True)
class _Plan:
    """What the codec needs to write with, or read from, one registered schema id."""

    entry: CatalogueEntry
    writer: dict[str, Any]  # for writing
    read_writer: dict[str, Any]  # the writer schema as decoders see it (uuid read as str)
    reader: dict[str, Any] | None  # the newest version; None when the writer is the newest
    validate: Check
    header: bytes


class AvroCodec:
    """Serialise records of a catalogue; safe to share between threads and tasks."""

    def __init__(self, catalogue: SchemaCatalogue) -> None:
        self.catalogue = catalogue
        self._plans: dict[int, _Plan] = {}
        self._writers: dict[tuple[str, str, int], _Plan] = {}
        for entry in catalogue.entries():
            newest = self._newest(entry)
            plan = _Plan(
                entry=entry,
                writer=entry.schema,
                read_writer=_read_schema(entry),
                reader=None if newest.schema_id == entry.schema_id else _read_schema(newest),
                validate=compile_validator(json.loads(entry.schema_json)),
                header=frame(entry.schema_id, b""),
            )
            self._plans[entry.schema_id] = plan
            self._writers[(entry.kind, entry.event_type, entry.version)] = plan

    def _newest(self, entry: CatalogueEntry) -> CatalogueEntry:
        if entry.kind == "event":
            return self.catalogue.latest(entry.event_type)
        if entry.kind == "delivery":
            return self.catalogue.delivery(entry.event_type)
        return self.catalogue.versions(entry.event_type)[-1]

    # --- events -------------------------------------------------------------------------------

    def encode_event(self, record: Mapping[str, Any]) -> bytes:
        """Validate and frame an event; the writer version is ``envelope.schema_version``.

        Raise InvalidRecord naming the field path if the record does not fit the schema.
        """
        envelope = record.get("envelope") if isinstance(record, Mapping) else None
        if not isinstance(envelope, Mapping):
            raise InvalidRecord("envelope", "required record missing")
        event_type = envelope.get("event_type")
        if event_type not in self.catalogue.event_types():
            raise InvalidRecord("envelope.event_type", "not an event type of the catalogue")
        version = envelope.get("schema_version")
        plan = self._writers.get(("event", event_type, version)) if type(version) is int else None
        if plan is None:
            known = ", ".join(str(e.version) for e in self.catalogue.versions(event_type))
            raise InvalidRecord(
                "envelope.schema_version", f"{event_type} has no such version (registered: {known})"
            )
        return self._write(plan, record)

    def decode_event(self, data: bytes) -> DecodedEvent:
        """Read a framed event into the newest shape of its type.

        Raise MalformedFrame, UnknownSchemaId (UnexpectedSchemaKind for a non-event id),
        UndecodableRecord, or InvalidRecord if the envelope contradicts the schema id.
        """
        plan = self._plan_for(data, "event")
        record = self._read(plan, data)
        self._check_envelope(plan.entry, record, check_version=True)
        return DecodedEvent(plan.entry.schema_id, plan.entry.event_type, record)

    # --- deliveries ---------------------------------------------------------------------------

    def encode_delivery(
        self, event_type: str, record: Mapping[str, Any], *, check: bool = True
    ) -> bytes:
        """Validate and frame a minimised record with the newest delivery schema of its type.

        ``check=False`` skips the validator for records built by trusted code from an event
        that was itself validated (the router's hot path); fastavro still refuses wrong types.
        """
        entry = self.catalogue.delivery(event_type)
        envelope = record.get("envelope") if isinstance(record, Mapping) else None
        if isinstance(envelope, Mapping) and envelope.get("event_type") != event_type:
            raise InvalidRecord("envelope.event_type", f"does not match delivery type {event_type}")
        return self._write(self._plans[entry.schema_id], record, check)

    def decode_delivery(self, data: bytes) -> dict[str, Any]:
        """Read a framed delivery record into the newest delivery shape of its type."""
        plan = self._plan_for(data, "delivery")
        record = self._read(plan, data)
        self._check_envelope(plan.entry, record, check_version=False)
        return record

    # --- disclosures --------------------------------------------------------------------------

    def encode_disclosure(self, record: Mapping[str, Any], *, check: bool = True) -> bytes:
        """Validate and frame an ``iom.audit.Disclosure`` record with its newest schema.

        ``check=False`` skips the validator, as for :meth:`encode_delivery`.
        """
        return self._write(self._plans[self.catalogue.disclosure().schema_id], record, check)

    def decode_disclosure(self, data: bytes) -> dict[str, Any]:
        """Read a framed disclosure record into the newest disclosure shape."""
        return self._read(self._plan_for(data, "audit"), data)

    # --- shared -------------------------------------------------------------------------------

    @staticmethod
    def _write(plan: _Plan, record: Mapping[str, Any], check: bool = True) -> bytes:
        problem = plan.validate(record) if check else None
        if problem is not None:
            raise InvalidRecord(*problem)
        out = io.BytesIO()
        out.write(plan.header)
        try:
            fastavro.schemaless_writer(out, plan.writer, record)
        except Exception as exc:  # the validator should have caught it; never echo values
            raise InvalidRecord(
                "", f"record does not fit {plan.entry.label}: {type(exc).__name__}"
            ) from None
        return out.getvalue()

    def _plan_for(self, data: bytes, kind: str) -> _Plan:
        schema_id = peek_schema_id(data)
        plan = self._plans.get(schema_id)
        if plan is None:
            raise UnknownSchemaId(schema_id)
        if plan.entry.kind != kind:
            entry = plan.entry
            actual = f"the {entry.kind} schema {entry.event_type} v{entry.version}"
            raise UnexpectedSchemaKind(schema_id, actual, _KIND_LABEL[kind])
        return plan

    @staticmethod
    def _read(plan: _Plan, data: bytes) -> dict[str, Any]:
        stream = io.BytesIO(data)
        stream.seek(HEADER_SIZE)
        entry = plan.entry
        try:
            record = fastavro.schemaless_reader(stream, plan.read_writer, plan.reader)
        except Exception as exc:  # EOFError, IndexError, UnicodeDecodeError...: never echo bytes
            raise UndecodableRecord(
                f"body does not decode as schema id {entry.schema_id} ({entry.label}): "
                f"{type(exc).__name__}"
            ) from None
        if not isinstance(record, dict):  # a record schema always reads as a dict
            raise UndecodableRecord(f"schema id {entry.schema_id} did not read as a record")
        left = len(data) - stream.tell()
        if left:
            raise UndecodableRecord(
                f"{left} trailing byte(s) after the record "
                f"(schema id {entry.schema_id}, {entry.label})"
            )
        return record

    @staticmethod
    def _check_envelope(entry: CatalogueEntry, record: dict[str, Any], check_version: bool) -> None:
        envelope = record["envelope"]
        event_id = envelope["event_id"]
        if not isinstance(event_id, str) or not _CANONICAL_UUID.fullmatch(event_id):
            raise InvalidRecord("envelope.event_id", "not a canonical UUID string")
        if envelope["event_type"] != entry.event_type:
            raise InvalidRecord(
                "envelope.event_type",
                f"does not match the event type of schema id {entry.schema_id} ({entry.label})",
            )
        if check_version and envelope["schema_version"] != entry.version:
            raise InvalidRecord(
                "envelope.schema_version",
                f"does not match the version of schema id {entry.schema_id} ({entry.label})",
            )
