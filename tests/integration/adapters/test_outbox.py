"""The SQLite outbox: durable, idempotent by event id, bounded on disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from iom_adapters.sdk.outbox import Outbox, OutboxFull, OutboxItem


def item(number: int, size: int = 100) -> OutboxItem:
    """An encoded event of ``size`` bytes."""
    return OutboxItem(f"00000000-0000-5000-8000-{number:012d}", "arrest", b"k", b"v" * (size - 1))


def test_pending_events_survive_reopening(tmp_path: Path) -> None:
    """Events added and not yet sent are still there after the adapter restarts."""
    path = tmp_path / "outbox.sqlite"
    with Outbox(path) as outbox:
        outbox.add([item(1), item(2), item(3)])
        outbox.mark_sent(outbox.take(1))
    with Outbox(path) as reopened:
        assert reopened.pending == 2
        assert reopened.pending_bytes == 200
        assert [r.event_id[-1] for r in reopened.take(10)] == ["2", "3"]


def test_same_event_id_is_added_once(tmp_path: Path) -> None:
    """A re-sent record (same event id) is not added while pending, nor after it was sent."""
    with Outbox(tmp_path / "o.sqlite") as outbox:
        assert outbox.add([item(1), item(1)]).added == 1
        assert outbox.add([item(1)]).duplicates == 1
        outbox.mark_sent(outbox.take(5))
        assert outbox.was_sent(item(1).event_id)
        result = outbox.add([item(1), item(2)])
        assert (result.added, result.duplicates) == (1, 1)


def test_full_outbox_refuses_the_whole_batch_with_a_clear_error(tmp_path: Path) -> None:
    """Past max_bytes, adding raises OutboxFull naming the file and the limit; nothing added."""
    path = tmp_path / "o.sqlite"
    with Outbox(path, max_bytes=1_000) as outbox:
        outbox.add([item(n) for n in range(9)])
        with pytest.raises(OutboxFull) as caught:
            outbox.add([item(100), item(101)])
        message = str(caught.value)
        assert str(path) in message
        assert "max_bytes 0.0 MiB" in message or "max_bytes" in message
        assert "restore the Kafka connection or raise outbox.max_bytes" in message
        assert outbox.pending == 9
        outbox.mark_sent(outbox.take(5))
        assert outbox.add([item(100), item(101)]).added == 2


def test_ledger_is_bounded(tmp_path: Path) -> None:
    """The ledger of sent ids keeps at most ledger_max_rows rows, forgetting the oldest."""
    with Outbox(tmp_path / "o.sqlite", ledger_max_rows=3) as outbox:
        outbox.add([item(n) for n in range(6)])
        outbox.mark_sent(outbox.take(6))
        assert outbox.prune_ledger() == 3
        assert not outbox.was_sent(item(0).event_id)
        assert outbox.was_sent(item(5).event_id)
