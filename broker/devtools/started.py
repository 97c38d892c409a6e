"""The ``with`` block of the development launchers: stop on leaving it, start on entering it.

The development issuer, a local Kafka node, a local Kafka cluster and the secured local
stack all run as ``with Launcher(...) as running:``; the two small bases here are the one
place that says what entering and leaving the block does.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from types import TracebackType
from typing import Self

__all__ = ["StartedOnEnter", "StoppedOnExit"]


class StoppedOnExit(ABC):
    """Something that runs until :meth:`stop`, called when its ``with`` block ends (also on
    an error)."""

    @abstractmethod
    def stop(self) -> None:
        """Stop it (a no-op when it is not running)."""

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


class StartedOnEnter(StoppedOnExit):
    """Something that :meth:`start` starts when its ``with`` block begins; the block gets it."""

    @abstractmethod
    def start(self) -> object:
        """Start it (and wait until it is ready)."""

    def __enter__(self) -> Self:
        self.start()
        return self
