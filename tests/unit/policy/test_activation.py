"""An activation record carries a policy version intact, and refuses one that was altered."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from broker.policy.activation import Activation, decode_activation, encode_activation
from broker.policy.problems import PolicyError
from tests.unit.policy.support import shipped_source


def test_an_activation_round_trips_with_its_version() -> None:
    """Files, version, time and who activated it survive encoding."""
    activation = Activation(shipped_source(), datetime(2026, 6, 1, tzinfo=UTC), "Siân Morgan")
    decoded = decode_activation(encode_activation(activation))
    assert decoded.version == activation.version == shipped_source().version
    assert decoded.activated_by == "Siân Morgan"
    assert dict(decoded.source.files) == dict(shipped_source().files)


def test_an_altered_record_is_refused() -> None:
    """Content that does not hash to the claimed version is not a policy."""
    encoded = encode_activation(Activation(shipped_source(), datetime.now(UTC), "x"))
    tampered = encoded.replace(b"P2Y", b"P9Y", 1)
    with pytest.raises(
        PolicyError, match=r"claims version 'sha256:[0-9a-f]{16}' but its files are"
    ):
        decode_activation(tampered)


def test_garbage_is_refused_in_one_line() -> None:
    """A record that is not an activation at all is refused without a stack trace."""
    with pytest.raises(PolicyError, match=r"^policies topic: not a policy activation record"):
        decode_activation(b"\x00not json")
