"""How hard the fuzz properties try: a short CI budget, or more with ``IOM_FUZZ_EXAMPLES``.

    IOM_FUZZ_EXAMPLES=20000 .venv/bin/pytest -q tests/unit/fuzz     # a long run, on demand

The deadline is a hang detector, not a speed target: an example that takes longer than
``HANG_SECONDS`` (normal ones take milliseconds) fails as a hang.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta

from hypothesis import HealthCheck, settings

EXAMPLES = int(os.environ.get("IOM_FUZZ_EXAMPLES", "150"))
HANG_SECONDS = 10

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=timedelta(seconds=HANG_SECONDS),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

FUZZ_SLOW = settings(FUZZ, max_examples=max(10, EXAMPLES // 4))
"""For properties whose every example builds a whole policy or document (tens of ms each)."""

MARKER = "Zq7Marker-Xy9"
"""A value planted in fuzzed input; no error message may ever repeat it."""


def assert_clean_message(message: str, *, payload: str = MARKER) -> None:
    """A rejection message: one non-empty line, bounded, quoting nothing of the payload."""
    assert message.strip(), "empty error message"
    assert "\n" not in message and "\r" not in message, f"multi-line message: {message!r}"
    assert len(message) <= 500, f"overlong message ({len(message)} chars)"
    assert payload not in message, "the message repeats part of the payload"
    assert not re.search(r"Traceback|File \"", message), "a stack trace leaked into a message"
