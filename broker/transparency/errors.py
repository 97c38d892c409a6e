"""Errors of the transparency log; every message is one line naming the bad value and where."""

from __future__ import annotations


class TransparencyError(ValueError):
    """Base class: something about the log, a proof or a signed note is wrong."""


class ProofError(TransparencyError):
    """A Merkle inclusion or consistency proof does not verify, or its parameters are invalid."""


class NoteError(TransparencyError):
    """A signed note, checkpoint or key string is malformed or its signature does not verify."""


class FormatError(TransparencyError):
    """A proof file or entry is not in the expected format; the message says file and line."""


class EntryError(TransparencyError):
    """A log entry is not in canonical form, or a disclosure cannot become one."""


class StoreUnavailableError(RuntimeError):
    """The log store cannot be reached right now (server down, connection lost); retry later.

    Not a :class:`TransparencyError` (a ``ValueError``): nothing about the input is wrong, so
    callers that turn bad input into a client error must not catch it. The message names
    only the failure's kind, never a row or value.
    """
