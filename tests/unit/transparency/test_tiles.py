"""Tile coordinates follow c2sp.org/tlog-tiles: paths, widths and roots rebuilt from tiles."""

from __future__ import annotations

import pytest

from broker.transparency.errors import FormatError
from broker.transparency.hashing import leaf_hash
from broker.transparency.tiles import (
    Tile,
    encode_index,
    parse_tile_path,
    root_from_tiles,
    tile_width_at,
)
from broker.transparency.tree import CompactRange, NodeId


def test_index_paths_use_x_prefixed_three_digit_groups() -> None:
    """N is zero-padded to 3-digit groups, every group but the last prefixed with x."""
    assert encode_index(0) == "000"
    assert encode_index(5) == "005"
    assert encode_index(1000) == "x001/000"
    assert encode_index(1234067) == "x001/x234/067"
    assert Tile(1, 1234067, 5).path() == "tile/1/x001/x234/067.p/5"
    assert parse_tile_path("1", "x001/x234/067.p/5") == Tile(1, 1234067, 5)


@pytest.mark.parametrize(
    ("level", "rest"),
    [("0", "1"), ("0", "x000/001"), ("0", "001.p/0"), ("0", "001.p/256"), ("8", "000"),
     ("0", "001/002"), ("00", "000"), ("0", "001.p/01")],
)  # fmt: skip
def test_non_canonical_paths_are_refused(level: str, rest: str) -> None:
    """Every path that is not the one canonical spelling of a tile is a FormatError."""
    with pytest.raises(FormatError):
        parse_tile_path(level, rest)


def test_widths_grow_with_the_tree() -> None:
    """A tile is empty, then partial, then full as leaves arrive; upper levels lag by 256x."""
    assert tile_width_at(0, 1, 256) == 0
    assert tile_width_at(0, 1, 300) == 44
    assert tile_width_at(0, 1, 600) == 256
    assert tile_width_at(1, 0, 600) == 2
    assert tile_width_at(1, 0, 255) == 0


@pytest.mark.parametrize("size", [1, 2, 255, 256, 257, 511, 512, 1000, 65_536 + 300])
def test_root_from_tiles_matches_the_tree(size: int) -> None:
    """Folding hashes read only from tiles gives the Merkle root of every tree size."""
    tree = CompactRange()
    nodes: dict[NodeId, bytes] = {}
    for index in range(size):
        nodes.update(tree.append(leaf_hash(index.to_bytes(8, "big"))))

    def fetch(tile: Tile) -> bytes:
        return b"".join(nodes[node] for node in tile.node_ids())

    assert root_from_tiles(size, fetch) == tree.root()
