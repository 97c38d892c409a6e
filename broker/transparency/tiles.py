"""The log's Merkle tree as c2sp.org/tlog-tiles hash tiles, and rebuilding roots from them.

A tile at level ``L`` and index ``N`` holds up to 256 consecutive hashes of tree level ``8*L``:
the perfect subtrees ``(8*L, N*256 + i)``, 32 bytes each. Level-0 tiles hold leaf hashes. A
full tile has 256 hashes; the rightmost tile of a tree may be *partial*, with width ``W`` in
1..255, and its bytes are a prefix of the full tile it will become. Paths are
``tile/<L>/<N>[.p/<W>]``, where ``N`` is written in three-digit groups, all but the last
prefixed with ``x`` (``1234067`` is ``x001/x234/067``).

Entry bundles (``tile/entries/...``) are not published: entries carry the keyed subject index
and disclosure metadata, which only the subject sees (through the API, with proofs). The hash
tiles reveal nothing, since every leaf hash covers a fresh 32-byte salt.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from broker.transparency.errors import FormatError, ProofError
from broker.transparency.hashing import HASH_SIZE, node_hash
from broker.transparency.tree import NodeId, fold, perfect_nodes

TILE_HEIGHT = 8
TILE_WIDTH = 1 << TILE_HEIGHT
MAX_TILE_LEVEL = 7  # level 7 tiles hold subtrees of 2**56 leaves: more than any log here
_MAX_INDEX = 2**53
_GROUP = re.compile(r"x[0-9]{3}")
_LAST = re.compile(r"[0-9]{3}")
_WIDTH = re.compile(r"[1-9][0-9]{0,2}")


@dataclass(frozen=True)
class Tile:
    """A hash tile: ``level`` (0..7), ``index`` and ``width`` (256 for a full tile)."""

    level: int
    index: int
    width: int = TILE_WIDTH

    def __post_init__(self) -> None:
        if not 0 <= self.level <= MAX_TILE_LEVEL:
            raise FormatError(f"tile level {self.level} is not between 0 and {MAX_TILE_LEVEL}")
        if not 0 <= self.index < _MAX_INDEX:
            raise FormatError(f"tile index {self.index} is out of range")
        if not 1 <= self.width <= TILE_WIDTH:
            raise FormatError(f"tile width {self.width} is not between 1 and {TILE_WIDTH}")

    @property
    def partial(self) -> bool:
        """True for a partial tile (fewer than 256 hashes)."""
        return self.width < TILE_WIDTH

    def path(self) -> str:
        """The tile's path below the log prefix: ``tile/<L>/<N>[.p/<W>]``."""
        suffix = f".p/{self.width}" if self.partial else ""
        return f"tile/{self.level}/{encode_index(self.index)}{suffix}"

    def node_ids(self) -> list[NodeId]:
        """The tree nodes whose hashes make up this tile, left to right."""
        level = self.level * TILE_HEIGHT
        first = self.index * TILE_WIDTH
        return [(level, first + i) for i in range(self.width)]


def encode_index(index: int) -> str:
    """``N`` as tile path elements: ``5`` -> ``005``, ``1234067`` -> ``x001/x234/067``."""
    digits = f"{index:03d}"
    digits = digits.zfill(-(-len(digits) // 3) * 3)
    groups = [digits[i : i + 3] for i in range(0, len(digits), 3)]
    return "/".join([*(f"x{g}" for g in groups[:-1]), groups[-1]])


def parse_tile_path(level: str, rest: str) -> Tile:
    """The tile named by ``tile/<level>/<rest>``; raise FormatError unless it is canonical."""
    if not re.fullmatch(r"[0-9]", level):
        raise FormatError("tile level is not a single digit")
    index_text, dot, width_text = rest.partition(".p/")
    elements = index_text.split("/")
    if len(elements) > 6 or not _LAST.fullmatch(elements[-1]):
        raise FormatError("tile index is not in three-digit path elements")
    if not all(_GROUP.fullmatch(e) for e in elements[:-1]):
        raise FormatError("tile index elements before the last must be 'x' and three digits")
    index = int("".join(e.lstrip("x") for e in elements))
    if dot and not _WIDTH.fullmatch(width_text):
        raise FormatError("partial tile width is not a decimal without leading zeros")
    width = int(width_text) if dot else TILE_WIDTH
    if dot and width >= TILE_WIDTH:
        raise FormatError(f"partial tile width {width} is not below {TILE_WIDTH}")
    tile = Tile(int(level), index, width)
    if encode_index(index) != index_text:
        raise FormatError("tile index is not in canonical form (no extra leading groups)")
    return tile


def tile_width_at(level: int, index: int, size: int) -> int:
    """How many hashes tile ``(level, index)`` has in the tree of ``size`` (0: none yet)."""
    span = 1 << (level * TILE_HEIGHT)
    available = size // span - index * TILE_WIDTH
    return max(0, min(TILE_WIDTH, available))


def split_tile(data: bytes, width: int) -> list[bytes]:
    """The hashes of a tile's bytes; raise FormatError if it is not ``width`` hashes."""
    if len(data) != width * HASH_SIZE:
        raise FormatError(f"tile is {len(data)} bytes, expected {width * HASH_SIZE}")
    return [data[i : i + HASH_SIZE] for i in range(0, len(data), HASH_SIZE)]


def root_from_tiles(size: int, fetch: Callable[[Tile], bytes]) -> bytes:
    """The root hash of the tree of ``size``, computed only from tiles ``fetch`` returns.

    This is what a client does to check a checkpoint against the tiles: each perfect subtree
    along the tree's left-to-right decomposition is folded from the hashes of the tile level
    just below it (full tiles where complete, the rightmost partial tile otherwise).
    """
    if size < 0:
        raise ProofError(f"tree size {size} is negative")
    cache: dict[Tile, list[bytes]] = {}

    def hashes_at(level: int, first: int, count: int) -> list[bytes]:
        found: list[bytes] = []
        for position in range(first, first + count):
            index, offset = divmod(position, TILE_WIDTH)
            tile = Tile(level, index, tile_width_at(level, index, size))
            if tile not in cache:
                cache[tile] = split_tile(fetch(tile), tile.width)
            found.append(cache[tile][offset])
        return found

    def subtree(node: NodeId) -> bytes:
        height, index = node
        tile_level = height // TILE_HEIGHT
        below = height - tile_level * TILE_HEIGHT
        hashes = hashes_at(tile_level, index << below, 1 << below)
        while len(hashes) > 1:
            hashes = [node_hash(hashes[i], hashes[i + 1]) for i in range(0, len(hashes), 2)]
        return hashes[0]

    return fold([subtree(node) for node in (perfect_nodes(0, size) if size else [])])
