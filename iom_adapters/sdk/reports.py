"""Reports of records that were rejected or skipped: a JSON-lines file and a log line each.

A report says where the record is (source and locator), the reason code and a one-line
detail; never a value from the record. Together with the source file (kept in the inbox's
``failed/`` folder) it lets an integrator find, fix and re-send the record: nothing is dropped
silently.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

import structlog

from iom_adapters.sdk.outcomes import Rejected, Skipped

log = structlog.get_logger(__name__)


class ReportLog:
    """Appends reports to ``path`` (JSON lines) if given, and logs each one."""

    def __init__(self, path: Path | None, adapter: str, agency: str) -> None:
        self.path = path
        self.adapter = adapter
        self.agency = agency
        self.counts: Counter[str] = Counter()
        self._file: IO[str] | None = None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._file = path.open("a", encoding="utf-8")

    def record(self, outcome: Rejected | Skipped, source: str = "") -> None:
        """Report one rejected or skipped record."""
        rejected = isinstance(outcome, Rejected)
        self.counts[outcome.reason] += 1
        entry = {
            "at": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "adapter": self.adapter,
            "agency": self.agency,
            "source": source,
            "locator": outcome.locator,
            "outcome": "rejected" if rejected else "skipped",
            "reason": outcome.reason,
            "field": outcome.field if isinstance(outcome, Rejected) else "",
            "detail": outcome.detail,
        }
        if self._file is not None:
            self._file.write(json.dumps(entry) + "\n")
            self._file.flush()
        event = "adapter.record_rejected" if rejected else "adapter.record_skipped"
        emit = log.warning if rejected else log.info
        emit(
            event,
            adapter=self.adapter,
            locator=outcome.locator,
            reason=outcome.reason,
            field=entry["field"],
            detail=outcome.detail,
        )

    def close(self) -> None:
        """Close the report file."""
        if self._file is not None:
            self._file.close()
            self._file = None
