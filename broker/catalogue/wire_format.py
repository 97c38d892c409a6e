"""Confluent wire format: magic byte 0, a 4-byte big-endian schema id, then the Avro body.

This is the framing Confluent serializers and Schema Registry clients use, so any Kafka tool
that speaks it can read our topics given the registry API.
"""

from __future__ import annotations

import struct

from broker.catalogue.errors import MalformedFrame

MAGIC_BYTE = 0
HEADER_SIZE = 5
MAX_SCHEMA_ID = 0x7FFFFFFF

_HEADER = struct.Struct(">bI")


def frame(schema_id: int, body: bytes) -> bytes:
    """Prefix an Avro binary body with the magic byte and its schema id."""
    if not 0 <= schema_id <= MAX_SCHEMA_ID:
        raise ValueError(f"schema id {schema_id} is outside 0..{MAX_SCHEMA_ID}")
    return _HEADER.pack(MAGIC_BYTE, schema_id) + body


def peek_schema_id(data: bytes) -> int:
    """Return the schema id of a frame without copying its body; raise MalformedFrame."""
    if len(data) < HEADER_SIZE:
        raise MalformedFrame(
            f"frame too short: {len(data)} bytes, a Confluent frame has at least {HEADER_SIZE}"
        )
    magic = data[0]
    if magic != MAGIC_BYTE:
        hint = " (looks like JSON, not Confluent Avro)" if magic == 0x7B else ""
        raise MalformedFrame(f"wrong magic byte 0x{magic:02x}, expected 0x00{hint}")
    schema_id: int = _HEADER.unpack_from(data)[1]
    return schema_id


def unframe(data: bytes) -> tuple[int, bytes]:
    """Split a frame into its schema id and Avro body; raise MalformedFrame."""
    schema_id = peek_schema_id(data)
    return schema_id, bytes(data[HEADER_SIZE:])
