"""A subject access response: every visible entry about one subject, with offline proofs.

Writes into a folder: ``log.vkey`` (the log's verifier key), ``checkpoint`` (the signed
checkpoint every proof leads to), and per entry ``<index>.entry`` (the exact bytes the leaf
commits to) and ``<index>.tlog-proof`` (c2sp.org/tlog-proof@v1), plus ``entries.json``, a
readable list. ``iom-broker log verify-proof`` checks each pair without trusting us.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from broker.transparency.log import TransparencyLog
from broker.transparency.store.protocol import StoredCheckpoint
from broker.transparency.subject_view import MAX_PAGE_SIZE, SubjectEntry, subject_view

README = """\
Transparency log export: what was shared about you, and proof that the log holds it.

Check any entry offline (exit 0 and "ok" means it is in the log this key signs):

  iom-broker log verify-proof --vkey "$(cat log.vkey)" --entry 000012.entry 000012.tlog-proof

The proof format is c2sp.org/tlog-proof@v1; any tool implementing it can check it too.
"""


@dataclass(frozen=True)
class ExportSummary:
    """How many entries were written, and under which checkpoint size."""

    entries: int
    checkpoint_size: int
    written: list[SubjectEntry] = field(default_factory=list)
    """The entries written, newest first, each with its proof against ``checkpoint``."""
    checkpoint: StoredCheckpoint | None = None


def export_subject(
    log: TransparencyLog,
    subject_ref: str,
    folder: Path,
    actor: str,
    progress: Callable[[int], None] | None = None,
) -> ExportSummary:
    """Write the subject's visible entries with their proofs into ``folder``; ``progress`` is
    told how many are written after each page."""
    folder.mkdir(parents=True, exist_ok=True)
    listing: list[dict[str, object]] = []
    written: list[SubjectEntry] = []
    checkpoint = log.publish_checkpoint()
    page: str | None = None
    while True:
        view = subject_view(log, subject_ref, actor, MAX_PAGE_SIZE, page, checkpoint)
        for item in view.entries:
            name = f"{item.index:06d}"
            (folder / f"{name}.entry").write_bytes(item.content)
            (folder / f"{name}.tlog-proof").write_text(item.proof, encoding="utf-8")
            listing.append({"file": f"{name}.entry", **item.entry.as_json()})
            written.append(item)
        if progress is not None:
            progress(len(listing))
        page = view.next_page
        if page is None:
            break
    (folder / "checkpoint").write_text(log.cosigned_note(checkpoint), encoding="utf-8")
    (folder / "log.vkey").write_text(log.verifier.vkey + "\n", encoding="utf-8")
    (folder / "entries.json").write_text(json.dumps(listing, indent=2) + "\n", encoding="utf-8")
    (folder / "README.txt").write_text(README, encoding="utf-8")
    return ExportSummary(len(listing), checkpoint.size, written, checkpoint)
