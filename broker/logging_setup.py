"""structlog configuration: JSON lines with stable event names and no personal data."""

from __future__ import annotations

import logging
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog

#: Keys that could carry a payload or a personal identifier; their values never reach a log line.
SENSITIVE_KEYS = frozenset(
    {"payload", "record", "value", "subject", "crn", "pnc_id", "noms_number", "nhs_number", "key"}
)
REDACTED = "[redacted]"


def redact_sensitive(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """Replace the value of any sensitive key, so a careless call cannot leak personal data."""
    for name in SENSITIVE_KEYS.intersection(event_dict):
        event_dict[name] = REDACTED
    return event_dict


def configure_logging(level: str = "info", log_format: str = "json") -> None:
    """Send structured logs to stderr at ``level`` as JSON lines (or coloured text for humans)."""
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if log_format == "json"
        else structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            redact_sensitive,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        # the stderr of the moment, not the one at configure time (which a caller may close)
        logger_factory=lambda *_args: structlog.PrintLogger(sys.stderr),
        cache_logger_on_first_use=False,
    )
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
