"""What every harness shares: the clean-rejection check and the libFuzzer entry point."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

import atheris

MARKER = b"Zq7Marker-Xy9"


def check_message(message: str, payload: bytes = MARKER) -> None:
    """A rejection's message: one bounded line that repeats nothing of the payload."""
    if not message.strip() or "\n" in message or len(message) > 500:
        raise AssertionError(f"unclean message ({len(message)} chars)")
    if payload and payload.decode("latin-1") in message:
        raise AssertionError("the message repeats part of the payload")


def run(test_one_input: Callable[[bytes], None]) -> None:
    """Hand ``test_one_input`` to libFuzzer with the command-line options (``-runs=N`` ...).

    Everything imported by then is instrumented for coverage feedback, which takes a minute or
    two at start-up; ``IOM_FUZZ_INSTRUMENT=0`` skips it (plain random inputs: the CI smoke run).
    """
    if os.environ.get("IOM_FUZZ_INSTRUMENT", "1") != "0":
        atheris.instrument_all()
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
