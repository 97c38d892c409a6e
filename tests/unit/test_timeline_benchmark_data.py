"""The timeline benchmark's synthetic log: the promised size, spread and visibility."""

from __future__ import annotations

import statistics
from pathlib import Path

from benchmarks.timeline_data import build_log, subject_counts, subject_ref, subject_sequence
from broker.transparency.log import TransparencyLog
from broker.transparency.note import NoteSigner
from broker.transparency.store.sqlite_store import SqliteStore
from broker.transparency.subject_view import subject_view


def test_counts_are_exact_and_heavy_tailed() -> None:
    """A million entries over 10,000 people: exact total, a few with thousands, most with tens."""
    counts = subject_counts(1_000_000, 10_000)
    assert sum(counts) == 1_000_000
    assert counts == sorted(counts, reverse=True)
    assert counts[0] > 5_000 and sum(1 for c in counts if c >= 1_000) > 100
    assert 10 <= statistics.median(counts) <= 60


def test_built_log_holds_each_persons_entries_and_rebuilding_adds_nothing(tmp_path: Path) -> None:
    """Each person sees their permitted entries (every tenth entry is a refusal); a rerun skips."""
    store = SqliteStore(tmp_path / "log.sqlite3")
    log = TransparencyLog(store, NoteSigner.generate("test.example/log"), bytes(32))
    assert build_log(log, 2_000, 40, batch=300) == 2_000
    assert build_log(log, 2_000, 40, batch=300) == 2_000
    sequence = subject_sequence(2_000, 40)
    seen = []
    for number in (0, 39):
        view = subject_view(log, subject_ref(number), "test", 100)
        pages = [view]
        while pages[-1].next_page:
            pages.append(subject_view(log, subject_ref(number), "test", 100, pages[-1].next_page))
        seen.append(sum(len(page.entries) for page in pages))
    permitted = [sum(1 for n, s in enumerate(sequence) if s == who and n % 10) for who in (0, 39)]
    assert seen == permitted and seen[0] > 2 * seen[1]
    store.close()
