"""The inbox folder: files converted into the outbox, then filed; a full outbox keeps them."""

from __future__ import annotations

from pathlib import Path

from broker.catalogue.catalogue import default_catalogue
from broker.catalogue.codec import AvroCodec
from iom_adapters.police import CustodyExportAdapter
from iom_adapters.sdk.inbox import InboxWatcher
from iom_adapters.sdk.ingest import Ingestor
from iom_adapters.sdk.outbox import Outbox, OutboxFull
from iom_adapters.sdk.reports import ReportLog
from tests.unit.adapters.samples import SAMPLES


def watcher(tmp_path: Path, outbox: Outbox) -> InboxWatcher:
    """An inbox for the police adapter over ``outbox``."""
    catalogue = default_catalogue()
    adapter = CustodyExportAdapter.create(agency=None, options=None, catalogue=catalogue)
    reports = ReportLog(tmp_path / "reports.jsonl", adapter.name, adapter.agency)
    return InboxWatcher(
        tmp_path / "inbox", adapter, Ingestor(AvroCodec(catalogue), outbox, reports)
    )


def test_clean_file_is_processed_and_a_faulty_one_filed_as_failed(tmp_path: Path) -> None:
    """A file whose records all map goes to processed/, one with rejections to failed/."""
    with Outbox(tmp_path / "outbox.sqlite") as outbox:
        inbox = watcher(tmp_path, outbox)
        (inbox.folder / "clean.json").write_text(
            '{"EventType": "ARREST", "CustodyNumber": "62/9/26", "EventDateTime": '
            '"2026-05-01T10:00:00Z", "PNCID": "2019/0412873N", "OffenceCategory": "Theft", '
            '"OffenceDescription": "Shoplifting", "CustodySuite": "Newport Central"}'
        )
        (inbox.folder / "export.csv").write_bytes(
            (SAMPLES / "police" / "custody-export.csv").read_bytes()
        )
        (inbox.folder / ".partial.csv.tmp").write_text("still being written")
        assert [p.name for p in inbox.waiting()] == ["clean.json", "export.csv"]
        summaries = [inbox.process(p) for p in inbox.waiting()]
        assert [(s.added, s.rejected) for s in summaries] == [(1, 0), (6, 4)]
        assert outbox.pending == 7
        assert [p.name.split("-", 1)[1] for p in (inbox.folder / "processed").iterdir()] == [
            "clean.json"
        ]
        assert [p.name.split("-", 1)[1] for p in (inbox.folder / "failed").iterdir()] == [
            "export.csv"
        ]
        assert (inbox.folder / ".partial.csv.tmp").exists()


def test_same_file_again_adds_nothing_new(tmp_path: Path) -> None:
    """Re-dropping an export (a re-run of the nightly job) adds no duplicate events."""
    with Outbox(tmp_path / "outbox.sqlite") as outbox:
        inbox = watcher(tmp_path, outbox)
        sample = (SAMPLES / "police" / "custody-export.csv").read_bytes()
        (inbox.folder / "a.csv").write_bytes(sample)
        first = inbox.process(inbox.folder / "a.csv")
        (inbox.folder / "b.csv").write_bytes(sample)
        again = inbox.process(inbox.folder / "b.csv")
    assert (first.added, again.added, again.duplicates) == (6, 0, 6)


def test_full_outbox_leaves_the_file_in_the_inbox(tmp_path: Path) -> None:
    """When the outbox has no room the file stays where it is, to be retried."""
    with Outbox(tmp_path / "outbox.sqlite", max_bytes=500) as outbox:
        inbox = watcher(tmp_path, outbox)
        path = inbox.folder / "export.csv"
        path.write_bytes((SAMPLES / "police" / "custody-export.csv").read_bytes())
        try:
            inbox.process(path)
        except OutboxFull as full:
            assert "outbox.max_bytes" in str(full)
        else:
            raise AssertionError("expected OutboxFull")
        assert path.exists()
        assert outbox.pending == 0
