"""structlog configuration: JSON lines with stable event names and no personal data.

Libraries' standard-library log records (aiokafka's retries and rebalances, for instance) go
through the same processors, so they too are timestamped JSON lines with sensitive keys redacted.
"""

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


class CurrentStderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """A handler writing to the ``sys.stderr`` of the moment, like structlog's logger factory."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _stream: Any) -> None:
        """Ignored: the stream is always the current ``sys.stderr``."""


def configure_logging(level: str = "info", log_format: str = "json") -> None:
    """Send structured logs to stderr at ``level`` as JSON lines (or coloured text for humans),
    and libraries' warnings the same way."""
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if log_format == "json"
        else structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())
    )
    shared: list[Any] = [
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    structlog.configure(
        processors=[structlog.contextvars.merge_contextvars, *shared, redact_sensitive, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        # the stderr of the moment, not the one at configure time (which a caller may close)
        logger_factory=lambda *_args: structlog.PrintLogger(sys.stderr),
        cache_logger_on_first_use=False,
    )
    handler = CurrentStderrHandler()
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[structlog.stdlib.add_logger_name, *shared],
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                redact_sensitive,
                renderer,
            ],
        )
    )
    logging.basicConfig(level=logging.WARNING, handlers=[handler], force=True)
