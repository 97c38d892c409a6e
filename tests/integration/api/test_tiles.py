"""Auditors mirror the log as c2sp tlog-tiles and recompute the signed root from the tiles alone."""

from __future__ import annotations

import httpx

from broker.transparency.checkpoint import open_checkpoint
from broker.transparency.log import TransparencyLog
from broker.transparency.tiles import TILE_HEIGHT, TILE_WIDTH, Tile, root_from_tiles, tile_width_at
from tests.support.log_records import SIGNER, disclosure


def tiles_of(size: int) -> list[Tile]:
    """Every tile (full or the rightmost partial one) of each level of the tree of ``size``."""
    found = []
    level = 0
    while size >> (level * TILE_HEIGHT):
        count = size >> (level * TILE_HEIGHT)
        for index in range(-(-count // TILE_WIDTH)):
            found.append(Tile(level, index, tile_width_at(level, index, size)))
        level += 1
    return found


async def mirror(client: httpx.AsyncClient, size: int) -> dict[Tile, bytes]:
    """Fetch every tile of the tree of ``size``, as a mirroring client would."""
    fetched = {}
    for tile in tiles_of(size):
        response = await client.get(f"/log/{tile.path()}")
        assert response.status_code == 200, (tile.path(), response.text)
        assert response.headers["content-type"] == "application/octet-stream"
        fetched[tile] = response.content
    return fetched


async def test_the_checkpoint_root_is_recomputed_from_tiles_alone(
    client: httpx.AsyncClient, transparency_log: TransparencyLog
) -> None:
    """From /log/checkpoint and the tiles (full and partial), a client gets the signed root."""
    transparency_log.append_disclosures([disclosure(i) for i in range(600)])
    transparency_log.publish_checkpoint()
    checkpoint = open_checkpoint((await client.get("/log/checkpoint")).text, SIGNER.verifier)
    assert checkpoint.size == 600
    tiles = await mirror(client, checkpoint.size)
    assert {t.path() for t in tiles} == {
        "tile/0/000", "tile/0/001", "tile/0/002.p/88", "tile/1/000.p/2",
    }  # fmt: skip
    assert root_from_tiles(checkpoint.size, tiles.__getitem__) == checkpoint.root
    wrong = dict(tiles)
    damaged = bytearray(wrong[Tile(0, 2, 88)])
    damaged[5] ^= 1
    wrong[Tile(0, 2, 88)] = bytes(damaged)
    assert root_from_tiles(checkpoint.size, wrong.__getitem__) != checkpoint.root


async def test_a_partial_tile_is_the_prefix_of_the_full_tile_it_becomes(
    client: httpx.AsyncClient, transparency_log: TransparencyLog
) -> None:
    """Partial tiles stay valid as the log grows; a not-yet-complete width is 404."""
    transparency_log.append_disclosures([disclosure(i) for i in range(300)])
    partial = await client.get("/log/tile/0/001.p/44")
    assert partial.status_code == 200 and len(partial.content) == 44 * 32
    assert (await client.get("/log/tile/0/001")).status_code == 404
    assert (await client.get("/log/tile/0/001.p/45")).status_code == 404
    transparency_log.append_disclosures([disclosure(i) for i in range(300, 520)])
    full = await client.get("/log/tile/0/001")
    assert full.status_code == 200 and full.content[: 44 * 32] == partial.content
    assert "immutable" in full.headers["cache-control"]
    smaller = await client.get("/log/tile/0/001.p/12")
    assert smaller.content == partial.content[: 12 * 32]


async def test_bad_tile_paths_and_entry_bundles_are_refused(client: httpx.AsyncClient) -> None:
    """Non-canonical paths are 400 problems; entry bundles are not published (404)."""
    for path in ("/log/tile/0/1", "/log/tile/0/x000/001", "/log/tile/0/001.p/256",
                 "/log/tile/0/001.p/007", "/log/tile/9/000", "/log/tile/0/abc"):  # fmt: skip
        response = await client.get(path)
        assert response.status_code == 400, path
        assert response.headers["content-type"] == "application/problem+json"
    assert (await client.get("/log/tile/entries/000")).status_code == 404
