"""Witnesses are named from configuration, and only those whose cosignature verifies are
named on a receipt."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from broker.http.witness_names import named_witnesses, vouched_by
from broker.settings import WitnessSettings
from broker.transparency.checkpoint import Checkpoint
from broker.transparency.cosignature import sign_cosignature, with_cosignatures
from tests.support.log_records import SIGNER
from tests.support.witnesses import SIGNED_AT, WITNESS, WITNESS_KEY

BODY = Checkpoint(SIGNER.name, 3, bytes(32)).body()
NOTE = Checkpoint(SIGNER.name, 3, bytes(32)).sign(SIGNER)
LINE = sign_cosignature(BODY, WITNESS.verifier.name, WITNESS_KEY, SIGNED_AT)


def test_names_come_from_settings_with_the_key_name_as_the_last_resort() -> None:
    """A witness with both names keeps them; with only English, Welsh says the English; with
    none, both say the key's name."""
    key = WITNESS.verifier.vkey
    both, english_only, unnamed = named_witnesses(
        [
            WitnessSettings(url="https://w.example", vkey=key, name_en="ICO", name_cy="SCG"),
            WitnessSettings(url="https://w.example", vkey=key, name_en="ICO"),
            WitnessSettings(url="https://w.example", vkey=key),
        ]
    )
    assert (both.name("en"), both.name("cy")) == ("ICO", "SCG")
    assert english_only.name("cy") == "ICO"
    assert unnamed.name("en") == unnamed.name("cy") == "ico.example/witness"


def test_a_bad_witness_key_is_refused_naming_the_setting() -> None:
    """A key that does not parse stops start-up with the setting's place in the message."""
    bad = WitnessSettings(url="https://w.example", vkey="not-a-key")
    with pytest.raises(ValueError, match=r"^transparency\.witnesses\[0\]\.vkey: witness key"):
        named_witnesses([bad])


def test_a_verifying_cosignature_names_its_witness_and_time() -> None:
    """The cosigned note names the configured witness with the time it signed."""
    (vouch,) = vouched_by(with_cosignatures(NOTE, [LINE]), [WITNESS])
    assert vouch.witness == WITNESS
    assert vouch.signed_at == datetime(2025, 1, 21, 9, 0, tzinfo=UTC)


def test_no_claim_without_a_configured_witness_or_a_valid_cosignature() -> None:
    """An unsigned note, an unconfigured witness and a broken signature name no one."""
    forged = LINE[:-4] + ("AAA=" if not LINE.endswith("AAA=") else "BBB=")
    assert vouched_by(NOTE, [WITNESS]) == []
    assert vouched_by(with_cosignatures(NOTE, [LINE]), []) == []
    assert vouched_by(with_cosignatures(NOTE, [forged]), [WITNESS]) == []
