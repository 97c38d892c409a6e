"""Receipts name, in the reader's language, the configured witnesses whose cosignature of the
receipt's checkpoint verifies, and claim none otherwise."""

from __future__ import annotations

import base64
import dataclasses

import httpx
import pytest

from broker.http.context import ApiContext
from broker.identity.principal import Role
from broker.transparency.cosignature import check_quorum
from broker.transparency.log import TransparencyLog
from broker.transparency.proof_files import parse_tlog_proof
from broker.transparency.verifier import verify_entry_proof
from tests.support.api_callers import bearer
from tests.support.log_records import SIGNER, disclosure
from tests.support.witnesses import SIGNED_AT, WITNESS, cosign, cosignature_line

ME = bearer(Role.SUPERVISEE, "subj-a")
FIRST = disclosure(0)["disclosure_id"]


@pytest.fixture
def context(context: ApiContext) -> ApiContext:
    """The API's context with the test witness configured by name."""
    return dataclasses.replace(context, witnesses=(WITNESS,))


async def _receipt(client: httpx.AsyncClient, lang: str = "en") -> dict[str, object]:
    response = await client.get(f"/me/disclosures/{FIRST}/receipt?lang={lang}", headers=ME)
    assert response.status_code == 200, response.text
    found: dict[str, object] = response.json()["receipt"]
    return found


async def test_a_cosigned_receipt_names_the_witness_in_each_language(
    client: httpx.AsyncClient, transparency_log: TransparencyLog
) -> None:
    """The receipt and the timeline's items carry the witness's English or Welsh name, key
    and signing time, and the proof's checkpoint carries its cosignature."""
    transparency_log.append_disclosures([disclosure(i) for i in range(3)])
    cosign(transparency_log, transparency_log.publish_checkpoint())
    english = await _receipt(client)
    assert english["witnesses"] == [
        {
            "name": "The Information Commissioner's Office",
            "key": WITNESS.verifier.vkey,
            "signed_at": "2025-01-21T09:00:00Z",
        }
    ]
    welsh = await _receipt(client, "cy")
    assert [w["name"] for w in welsh["witnesses"]] == ["Swyddfa'r Comisiynydd Gwybodaeth"]  # type: ignore[attr-defined]
    note = parse_tlog_proof(str(english["proof"])).checkpoint
    assert [c.witness for c in check_quorum(note, [WITNESS.verifier], 1)] == [WITNESS.verifier.name]
    page = (await client.get("/me/disclosures", headers=ME)).json()
    assert {w["name"] for i in page["items"] for w in i["receipt"]["witnesses"]} == {
        "The Information Commissioner's Office"
    }


async def test_while_the_newest_checkpoint_waits_the_receipt_uses_the_cosigned_one(
    client: httpx.AsyncClient, transparency_log: TransparencyLog
) -> None:
    """When the log has grown since the witness last signed, the receipt proves the entry
    under the checkpoint the witness did cosign, and still verifies."""
    transparency_log.append_disclosures([disclosure(i) for i in range(3)])
    cosign(transparency_log, transparency_log.publish_checkpoint())
    transparency_log.append_disclosures([disclosure(i) for i in range(3, 6)])
    found = await _receipt(client)
    assert [w["name"] for w in found["witnesses"]] == ["The Information Commissioner's Office"]  # type: ignore[attr-defined]
    proof = str(found["proof"])
    checked = verify_entry_proof(proof, base64.b64decode(str(found["entry"])), SIGNER.verifier)
    assert checked.checkpoint.size == 3
    assert transparency_log.store.latest_checkpoint().size == 6  # type: ignore[union-attr]


async def test_an_unsigned_or_forged_checkpoint_names_no_witness(
    client: httpx.AsyncClient, transparency_log: TransparencyLog
) -> None:
    """No cosignature, or a cosignature line whose signature does not verify, names no one."""
    transparency_log.append_disclosures([disclosure(i) for i in range(3)])
    checkpoint = transparency_log.publish_checkpoint()
    assert (await _receipt(client))["witnesses"] == []
    line = cosignature_line(transparency_log, checkpoint, SIGNED_AT)
    name, encoded = line.removeprefix("— ").split(" ")
    blob = bytearray(base64.b64decode(encoded))
    blob[-1] ^= 1
    forged = f"— {name} {base64.b64encode(bytes(blob)).decode()}"
    transparency_log.store.save_cosignature(checkpoint.size, name, forged, 0)
    assert (await _receipt(client))["witnesses"] == []
