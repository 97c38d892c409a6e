"""Text formats for offline verification: c2sp.org/tlog-proof@v1 and the tlog-witness body.

tlog-proof::

    c2sp.org/tlog-proof@v1
    extra <base64>            (optional)
    index <N>
    <base64 hash>             (zero or more)
    <blank line>
    <signed checkpoint>

add-checkpoint body (c2sp.org/tlog-witness)::

    old <N>
    <base64 hash>             (zero to 63)
    <blank line>
    <signed checkpoint>

Parse errors are one line: ``<source>:<line>: <what is wrong>``.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass

from broker.transparency.errors import FormatError
from broker.transparency.hashing import HASH_SIZE
from broker.transparency.note import b64decode_strict

TLOG_PROOF_HEADER = "c2sp.org/tlog-proof@v1"
MAX_CONSISTENCY_LINES = 63


@dataclass(frozen=True)
class TlogProof:
    """An entry's index, its inclusion proof and the signed checkpoint it leads to."""

    index: int
    hashes: tuple[bytes, ...]
    checkpoint: str
    extra: bytes | None = None


@dataclass(frozen=True)
class ConsistencyBody:
    """A consistency proof from ``old_size`` to the signed checkpoint that follows it."""

    old_size: int
    hashes: tuple[bytes, ...]
    checkpoint: str


def _hash_lines(hashes: Sequence[bytes]) -> str:
    return "".join(base64.b64encode(h).decode() + "\n" for h in hashes)


def format_tlog_proof(proof: TlogProof) -> str:
    """The proof file text."""
    extra = "" if proof.extra is None else f"extra {base64.b64encode(proof.extra).decode()}\n"
    return (
        f"{TLOG_PROOF_HEADER}\n{extra}index {proof.index}\n"
        f"{_hash_lines(proof.hashes)}\n{proof.checkpoint}"
    )


def format_consistency_body(body: ConsistencyBody) -> str:
    """The add-checkpoint body text."""
    return f"old {body.old_size}\n{_hash_lines(body.hashes)}\n{body.checkpoint}"


class _Lines:
    """Newline-terminated lines of a text file, with their 1-based numbers for error messages."""

    def __init__(self, text: str, source: str) -> None:
        self.source = source
        if not text.endswith("\n"):
            raise FormatError(f"{source}: file does not end with a newline")
        self._lines = text.split("\n")[:-1]
        self.number = 0

    def next(self, what: str) -> str:
        if self.number >= len(self._lines):
            raise FormatError(f"{self.source}:{self.number + 1}: missing {what}")
        self.number += 1
        return self._lines[self.number - 1]

    def peek(self) -> str | None:
        return self._lines[self.number] if self.number < len(self._lines) else None

    def fail(self, message: str) -> FormatError:
        return FormatError(f"{self.source}:{self.number}: {message}")

    def rest(self) -> str:
        return "".join(line + "\n" for line in self._lines[self.number :])


def _number(lines: _Lines, line: str, keyword: str) -> int:
    prefix = keyword + " "
    if not line.startswith(prefix):
        raise lines.fail(f"expected '{keyword} N'")
    digits = line[len(prefix) :]
    if not digits.isascii() or not digits.isdigit() or (digits != "0" and digits[0] == "0"):
        raise lines.fail(f"{keyword} {digits!r} is not a decimal without leading zeros")
    return int(digits)


def _hashes(lines: _Lines, limit: int | None) -> tuple[bytes, ...]:
    hashes: list[bytes] = []
    while (line := lines.next("blank line before the checkpoint")) != "":
        try:
            value = b64decode_strict(line)
        except ValueError:
            raise lines.fail("hash is not base64") from None
        if len(value) != HASH_SIZE:
            raise lines.fail(f"hash is {len(value)} bytes, expected {HASH_SIZE}")
        hashes.append(value)
        if limit is not None and len(hashes) > limit:
            raise lines.fail(f"more than {limit} proof hashes")
    return tuple(hashes)


def parse_tlog_proof(text: str, source: str = "proof") -> TlogProof:
    """Read a tlog-proof file; the checkpoint is returned verbatim, not yet verified."""
    lines = _Lines(text, source)
    if lines.next("header") != TLOG_PROOF_HEADER:
        raise lines.fail(f"first line is not {TLOG_PROOF_HEADER!r}")
    extra = None
    if (lines.peek() or "").startswith("extra "):
        try:
            extra = b64decode_strict(lines.next("extra")[len("extra ") :])
        except ValueError:
            raise lines.fail("extra data is not base64") from None
    index = _number(lines, lines.next("index line"), "index")
    hashes = _hashes(lines, None)
    checkpoint = lines.rest()
    if not checkpoint:
        raise FormatError(f"{source}:{lines.number + 1}: missing signed checkpoint")
    return TlogProof(index, hashes, checkpoint, extra)


def parse_consistency_body(text: str, source: str = "body") -> ConsistencyBody:
    """Read an add-checkpoint body; the checkpoint is returned verbatim, not yet verified."""
    lines = _Lines(text, source)
    old_size = _number(lines, lines.next("old size line"), "old")
    hashes = _hashes(lines, MAX_CONSISTENCY_LINES)
    checkpoint = lines.rest()
    if not checkpoint:
        raise FormatError(f"{source}:{lines.number + 1}: missing signed checkpoint")
    return ConsistencyBody(old_size, hashes, checkpoint)
