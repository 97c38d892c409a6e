"""Log lines are JSON and never carry payloads or personal identifiers."""

import json
import logging
from collections.abc import Iterator

import pytest
import structlog

from broker.logging_setup import REDACTED, configure_logging


def test_sensitive_values_are_redacted(capsys: pytest.CaptureFixture[str]) -> None:
    """A log call passing an identifier or payload prints the event name but not the values."""
    configure_logging("info", "json")
    structlog.get_logger("test").info("router.example", crn="X123456", payload={"a": 1}, count=3)
    line = capsys.readouterr().err.strip().splitlines()[-1]
    logged = json.loads(line)
    assert logged["event"] == "router.example"
    assert logged["crn"] == REDACTED
    assert logged["payload"] == REDACTED
    assert logged["count"] == 3
    assert "X123456" not in line


@pytest.fixture(autouse=True)
def _restore_structlog() -> Iterator[None]:
    """Leave structlog as it was, so later tests do not write to a closed capture stream."""
    yield
    structlog.reset_defaults()


def test_library_warnings_are_timestamped_json(capsys: pytest.CaptureFixture[str]) -> None:
    """A standard-library warning (as aiokafka logs its retries) is a JSON line with its time,
    level and logger name."""
    configure_logging("info", "json")
    logging.getLogger("aiokafka.producer").warning("retrying %s", "NotEnoughReplicas")
    logged = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert logged["event"] == "retrying NotEnoughReplicas"
    assert logged["logger"] == "aiokafka.producer"
    assert logged["level"] == "warning"
    assert logged["timestamp"].startswith("20")
