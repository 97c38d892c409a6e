"""The development stack's one error type."""

from __future__ import annotations

__all__ = ["StackError"]


class StackError(RuntimeError):
    """The stack could not start; the message says which part and where its log is."""
