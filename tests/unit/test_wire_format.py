"""Confluent wire-format framing: magic byte 0, 4-byte big-endian schema id, Avro body."""

from __future__ import annotations

import pytest

from broker.catalogue import MalformedFrame, frame, peek_schema_id, unframe


def test_frame_writes_magic_byte_and_big_endian_id_before_the_body() -> None:
    """A frame is byte 0, the schema id as 4 big-endian bytes, then the body unchanged."""
    assert frame(258, b"avro") == b"\x00\x00\x00\x01\x02avro"


def test_unframe_returns_the_id_and_body_that_were_framed() -> None:
    """Unframing a frame gives back exactly the schema id and body that went in."""
    assert unframe(frame(2_147_483_647, b"\x02\x04body")) == (2_147_483_647, b"\x02\x04body")


def test_an_empty_body_is_a_valid_frame() -> None:
    """Five header bytes and nothing else unframe to an empty body (Avro decides if it is valid)."""
    assert unframe(b"\x00\x00\x00\x00\x07") == (7, b"")


def test_peek_schema_id_reads_only_the_header() -> None:
    """The router can learn a record's schema id without copying its body."""
    assert peek_schema_id(frame(29, b"x" * 1000)) == 29


@pytest.mark.parametrize("data", [b"", b"\x00", b"\x00\x00\x00\x01"])
def test_a_frame_shorter_than_the_header_is_malformed(data: bytes) -> None:
    """Fewer than five bytes is rejected as a malformed frame that says how many bytes came."""
    with pytest.raises(MalformedFrame, match=rf"too short: {len(data)} bytes") as caught:
        unframe(data)
    assert caught.value.reason == "malformed_frame"


def test_a_wrong_magic_byte_is_malformed_and_named() -> None:
    """A first byte other than 0 is rejected, and the message says which byte value came."""
    with pytest.raises(MalformedFrame, match="wrong magic byte 0x01"):
        unframe(b"\x01\x00\x00\x00\x01body")


def test_json_sent_instead_of_avro_is_recognised_in_the_message() -> None:
    """A JSON payload (first byte '{') is reported as JSON, the usual mis-configured producer."""
    with pytest.raises(MalformedFrame, match=r"0x7b.*JSON"):
        unframe(b'{"event_type": "arrest"}')


@pytest.mark.parametrize("schema_id", [-1, 2**31])
def test_frame_refuses_ids_that_do_not_fit_the_header(schema_id: int) -> None:
    """Schema ids outside 0..2^31-1 cannot be framed."""
    with pytest.raises(ValueError, match="outside"):
        frame(schema_id, b"")
