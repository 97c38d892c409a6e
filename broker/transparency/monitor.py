"""A log monitor: follow a running log's checkpoints and check it only ever grows.

For each new checkpoint: verify the log's signature (and, given witnesses, their
cosignatures and the quorum); recompute its root from the log's leaf-hash tiles (level 0,
mirrored in a folder: a tile once fetched is never fetched again, so a log that later serves
different leaves is caught; the levels above are hashed from them, not trusted); and
recompute the root of the last checkpoint seen from the same tiles, so the new tree provably
extends it. A smaller tree (rollback), the same size with another root
or a tree whose prefix no longer matches (split view, rewritten entry), or a bad signature
raises :class:`MonitorError` with a one-line message.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from broker.transparency.checkpoint import Checkpoint, open_checkpoint
from broker.transparency.cosignature import Cosignature, WitnessVerifier, check_quorum
from broker.transparency.errors import TransparencyError
from broker.transparency.hashing import node_hash
from broker.transparency.note import NoteVerifier
from broker.transparency.tiles import TILE_WIDTH, Tile, root_from_tiles, split_tile


class MonitorError(TransparencyError):
    """The log was caught misbehaving (or serving something that does not verify)."""


@dataclass(frozen=True)
class Observation:
    """A checkpoint the monitor verified, with the witnesses that cosigned it."""

    checkpoint: Checkpoint
    cosignatures: tuple[Cosignature, ...]
    previous_size: int | None


class TileMirror:
    """Level-0 tiles (leaf hashes) fetched from the log, kept in ``folder`` under their
    tlog-tiles paths; tiles above are recomputed from them, never taken from the log."""

    def __init__(self, folder: Path, fetch: Callable[[str], bytes]) -> None:
        self.folder = folder
        self._fetch = fetch
        self.fetched = 0
        self._computed: dict[Tile, bytes] = {}

    def tile(self, tile: Tile) -> bytes:
        """The tile's bytes: level 0 from the mirror (else fetched and kept); higher levels
        hashed from the full tiles of the level below."""
        if tile.level == 0:
            return self._leaf_tile(tile)
        if tile not in self._computed:
            below = [
                self.tile(Tile(tile.level - 1, tile.index * TILE_WIDTH + j, TILE_WIDTH))
                for j in range(tile.width)
            ]
            self._computed[tile] = b"".join(_subtree(split_tile(b, TILE_WIDTH)) for b in below)
        return self._computed[tile]

    def _leaf_tile(self, tile: Tile) -> bytes:
        path = self.folder / tile.path()
        if path.exists():
            return path.read_bytes()
        data = self._fetch(tile.path())
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.fetched += 1
        return data


def _subtree(hashes: list[bytes]) -> bytes:
    """The root of a perfect subtree from its bottom row."""
    while len(hashes) > 1:
        hashes = [node_hash(hashes[i], hashes[i + 1]) for i in range(0, len(hashes), 2)]
    return hashes[0]


class LogMonitor:
    """Checks each checkpoint against the last one it accepted (kept in ``<folder>/checkpoint``)."""

    def __init__(
        self,
        folder: Path,
        fetch: Callable[[str], bytes],
        log_key: NoteVerifier,
        witnesses: Sequence[WitnessVerifier] = (),
        quorum: int = 0,
    ) -> None:
        self.folder = folder
        self._fetch = fetch
        self._log_key = log_key
        self._witnesses = list(witnesses)
        self._quorum = quorum
        self.mirror = TileMirror(folder, fetch)
        self._state = folder / "checkpoint"

    def last_seen(self) -> Checkpoint | None:
        """The last checkpoint accepted (None before the first)."""
        if not self._state.exists():
            return None
        return open_checkpoint(self._state.read_text(encoding="utf-8"), self._log_key)

    def check(self) -> Observation:
        """Fetch the log's checkpoint and check it; raise MonitorError if the log misbehaves."""
        note = self._fetch("checkpoint").decode("utf-8", errors="replace")
        try:
            new = open_checkpoint(note, self._log_key)
            cosignatures = (
                check_quorum(note, self._witnesses, self._quorum) if self._witnesses else []
            )
        except TransparencyError as error:
            raise MonitorError(f"checkpoint: {error}") from None
        old = self.last_seen()
        self._check_growth(old, new)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._state.write_text(note, encoding="utf-8")
        return Observation(new, tuple(cosignatures), old.size if old else None)

    def _check_growth(self, old: Checkpoint | None, new: Checkpoint) -> None:
        if old is not None and new.size < old.size:
            raise MonitorError(
                f"rollback: the log's checkpoint has size {new.size}, smaller than the"
                f" {old.size} it showed before"
            )
        if old is not None and new.size == old.size and new.root != old.root:
            raise MonitorError(
                f"split view: two checkpoints of size {new.size} with different roots"
            )
        if root_from_tiles(new.size, self.mirror.tile) != new.root:
            raise MonitorError(
                f"the log's tiles do not hash to its checkpoint of size {new.size}"
                " (tiles rewritten, or a split view)"
            )
        if old is not None and root_from_tiles(old.size, self.mirror.tile) != old.root:
            raise MonitorError(
                f"inconsistent: the tree of size {new.size} does not extend the checkpoint of"
                f" size {old.size} seen before (an entry was changed or removed)"
            )
