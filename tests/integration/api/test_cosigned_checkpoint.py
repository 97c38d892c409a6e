"""The API serves checkpoints with the cosignatures their witnesses returned."""

from __future__ import annotations

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from broker.transparency.checkpoint import Checkpoint
from broker.transparency.cosignature import WitnessVerifier, check_quorum, sign_cosignature
from broker.transparency.log import TransparencyLog
from tests.support.log_records import disclosure


async def test_checkpoint_routes_carry_the_stored_cosignatures(
    client: httpx.AsyncClient, transparency_log: TransparencyLog
) -> None:
    """/log/checkpoint and /log/checkpoints/{size} end with the witness's verified line."""
    transparency_log.append_disclosures([disclosure(i) for i in range(4)])
    stored = transparency_log.publish_checkpoint()
    key = Ed25519PrivateKey.generate()
    raw = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    witness = WitnessVerifier.for_key("ico.example/witness", raw)
    body = Checkpoint(transparency_log.origin, stored.size, stored.root).body()
    line = sign_cosignature(body, witness.name, key, 1_765_000_000)
    transparency_log.store.save_cosignature(stored.size, witness.name, line, 0)
    for path in ("/log/checkpoint", "/log/checkpoints/4"):
        response = await client.get(path)
        assert response.text.startswith(stored.note) and response.text.endswith(line + "\n")
        assert [c.witness for c in check_quorum(response.text, [witness], 1)] == [witness.name]
