"""Auditors fetch signed checkpoints and consistency proofs that verify offline."""

from __future__ import annotations

import httpx

from broker.transparency.log import TransparencyLog
from broker.transparency.verifier import verify_checkpoint_consistency
from tests.support.log_records import SIGNER, disclosure


async def test_no_checkpoint_yet_is_404(client: httpx.AsyncClient) -> None:
    """Before the log signs anything, the latest checkpoint is a 404 problem."""
    response = await client.get("/log/checkpoint")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def test_checkpoints_and_consistency_verify(
    client: httpx.AsyncClient, transparency_log: TransparencyLog
) -> None:
    """Checkpoint by size and the latest are signed notes; the proof between them verifies."""
    transparency_log.append_disclosures([disclosure(i) for i in range(3)])
    transparency_log.publish_checkpoint()
    transparency_log.append_disclosures([disclosure(i) for i in range(3, 8)])
    transparency_log.publish_checkpoint()
    old = await client.get("/log/checkpoints/3")
    latest = await client.get("/log/checkpoint")
    assert old.status_code == latest.status_code == 200
    assert latest.text.splitlines()[1] == "8"
    body = await client.get("/log/consistency", params={"old": 3, "new": 8})
    assert body.status_code == 200
    old_checkpoint, new_checkpoint = verify_checkpoint_consistency(
        old.text, body.text, SIGNER.verifier
    )
    assert (old_checkpoint.size, new_checkpoint.size) == (3, 8)


async def test_unpublished_size_and_reversed_sizes_are_refused(
    client: httpx.AsyncClient, transparency_log: TransparencyLog
) -> None:
    """A size no checkpoint was published at is 404; old larger than new is 400."""
    transparency_log.append_disclosures([disclosure(1)])
    transparency_log.publish_checkpoint()
    assert (await client.get("/log/checkpoints/7")).status_code == 404
    assert (await client.get("/log/consistency", params={"old": 1, "new": 7})).status_code == 404
    assert (await client.get("/log/consistency", params={"old": 2, "new": 1})).status_code == 400
