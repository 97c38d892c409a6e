"""Watch an inbox folder: convert each dropped file, add its events to the outbox, file it.

The agency's system writes files into the inbox (names starting with ``.`` are ignored, so
write ``.name.tmp`` and rename when complete). Each file is converted and its events added to
the outbox in one transaction; then the file moves to ``processed/``, or to ``failed/`` when
any record was rejected (the report names the file and the record). A full outbox leaves the
file where it is until there is room again: nothing is lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import fnmatch
from datetime import UTC, datetime
from pathlib import Path

import structlog

from iom_adapters.sdk.adapter import Adapter
from iom_adapters.sdk.backoff import Backoff
from iom_adapters.sdk.ingest import Ingestor, IngestSummary
from iom_adapters.sdk.outbox import OutboxFull
from iom_adapters.sdk.outcomes import Rejected
from iom_adapters.sdk.source import SourceDocument

log = structlog.get_logger(__name__)

ADAPTER_ERROR = "adapter_error"


class InboxWatcher:
    """Polls ``folder`` for files the adapter reads."""

    def __init__(
        self, folder: Path, adapter: Adapter, ingestor: Ingestor, *, poll_seconds: float = 1.0
    ) -> None:
        self.folder = Path(folder)
        self.processed = self.folder / "processed"
        self.failed = self.folder / "failed"
        for path in (self.folder, self.processed, self.failed):
            path.mkdir(parents=True, exist_ok=True)
        self.adapter = adapter
        self.ingestor = ingestor
        self.poll_seconds = poll_seconds
        self._patterns = adapter.input_patterns()
        self.files_done = 0

    def waiting(self) -> list[Path]:
        """Files ready to convert, oldest first."""
        found = [
            p
            for p in self.folder.iterdir()
            if p.is_file()
            and not p.name.startswith(".")
            and any(fnmatch.fnmatch(p.name, pattern) for pattern in self._patterns)
        ]
        return sorted(found, key=lambda p: (p.stat().st_mtime, p.name))

    async def run(self, stop: asyncio.Event) -> None:
        """Process files until ``stop`` is set."""
        backoff = Backoff(initial=1.0, maximum=60.0)
        while not stop.is_set():
            delay = self.poll_seconds
            for path in self.waiting():
                if stop.is_set():
                    break
                try:
                    self.process(path)
                    backoff.reset()
                except OutboxFull as full:
                    delay = backoff.next_delay()
                    log.error("adapter.outbox.full", file=path.name, detail=str(full))
                    break
                await asyncio.sleep(0)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), delay)

    def process(self, path: Path) -> IngestSummary:
        """Convert one file, add its events to the outbox, and file it; OutboxFull leaves it."""
        document = SourceDocument.read(path)
        try:
            outcomes = list(self.adapter.convert(document))
        except Exception as error:  # an adapter bug must not stop the inbox
            outcomes = [
                Rejected(path.name, ADAPTER_ERROR, f"conversion failed: {type(error).__name__}")
            ]
        summary = self.ingestor.ingest(outcomes, str(path))
        target = self.failed if summary.rejected else self.processed
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        path.replace(target / f"{stamp}-{path.name}")
        self.files_done += 1
        log.info(
            "adapter.file_processed",
            file=path.name,
            events=summary.events,
            added=summary.added,
            duplicates=summary.duplicates,
            skipped=summary.skipped,
            rejected=summary.rejected,
            filed_in=target.name,
        )
        return summary
