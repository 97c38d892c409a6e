"""Expected failures of a command as one line and exit 2; ``--debug`` shows the traceback.

Kafka being unreachable or refusing (authentication, ACLs), a missing or unreadable file and
a timeout are things a DPO or operator can fix, not bugs: they get one line naming what
failed, never an 87-line traceback. The message names the error's type and its first line
only; no payload or personal value is ever part of these errors.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from broker.cli.failure import fail

__all__ = ["debug_option", "expected_failures"]

_DEBUG = {"on": False}
_CLIENT_LOGGERS = ("aiokafka", "asyncio")


def debug_option(debug: bool) -> None:
    """Remember the group's ``--debug`` flag for :func:`expected_failures`."""
    _DEBUG["on"] = debug


@contextmanager
def expected_failures(doing: str) -> Iterator[None]:
    """Turn Kafka, file and timeout errors raised while ``doing`` into one line and exit 2."""
    from aiokafka.errors import KafkaError

    loggers = [logging.getLogger(name) for name in _CLIENT_LOGGERS]
    levels = [found.level for found in loggers]
    if not _DEBUG["on"]:
        for noisy in loggers:  # the Kafka client logs each failed attempt itself
            noisy.setLevel(logging.CRITICAL)
    try:
        yield
    except (KafkaError, OSError, TimeoutError) as error:
        if _DEBUG["on"]:
            raise
        first = str(error).strip().splitlines()[0][:200] if str(error).strip() else ""
        detail = f"{type(error).__name__}: {first}" if first else type(error).__name__
        fail(f"{doing} failed ({detail}); run with --debug for the details", 2)
    finally:
        for found, level in zip(loggers, levels, strict=True):
            found.setLevel(level)
