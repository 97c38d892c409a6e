"""Checkpoints witnessed by the real litewitness (filippo.io/torchwood, built with go install).

Each test runs its own litewitness, with its key in a private ssh-agent, over a SQLite log.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from structlog.testing import capture_logs
from typer.testing import CliRunner

from broker.cli import app
from broker.devtools.witness.dev_witness import DevWitness, RunningWitness
from broker.transparency.cosignature import WitnessVerifier, check_quorum
from broker.transparency.log import TransparencyLog
from broker.transparency.monitor import LogMonitor, MonitorError
from broker.transparency.store.sqlite_store import SqliteStore
from broker.transparency.tiles import parse_tile_path
from broker.transparency.witness_submitter import (
    REFUSED_EVENT,
    Witness,
    WitnessSubmitter,
)
from tests.support.log_records import INDEX_KEY, SIGNER, Clock, disclosure

runner = CliRunner()


@pytest.fixture
def dev_witness(tmp_path: Path) -> Iterator[tuple[DevWitness, RunningWitness]]:
    """A running litewitness that knows the test log's origin and key."""
    witness = DevWitness(tmp_path / "witness")
    running = witness.start(SIGNER.name, SIGNER.verifier.vkey)
    yield witness, running
    witness.stop()


def new_log(path: Path) -> TransparencyLog:
    """An empty log in a SQLite file, signed with the test key."""
    return TransparencyLog(SqliteStore(path), SIGNER, INDEX_KEY, "P6Y", Clock())


def submit_once(log: TransparencyLog, running: RunningWitness) -> tuple[int, Witness]:
    """One submission round of a fresh submitter to the witness; (cosigned count, witness)."""
    witness = Witness(running.url, WitnessVerifier.from_vkey(running.vkey))

    async def go() -> int:
        async with httpx.AsyncClient() as client:
            return await WitnessSubmitter(log, [witness], client).submit_latest()

    return asyncio.run(go()), witness


def test_new_checkpoints_are_cosigned_by_the_witness_and_verify_with_a_quorum(
    tmp_path: Path, dev_witness: tuple[DevWitness, RunningWitness]
) -> None:
    """The witness cosigns the first checkpoint and, given a consistency proof, later ones."""
    _, running = dev_witness
    log = new_log(tmp_path / "log.sqlite3")
    witness_key = WitnessVerifier.from_vkey(running.vkey)
    log.append_disclosures([disclosure(i) for i in range(5)])
    first = log.publish_checkpoint()
    assert submit_once(log, running)[0] == 1
    log.append_disclosures([disclosure(i) for i in range(5, 12)])
    latest = log.publish_checkpoint()
    assert submit_once(log, running)[0] == 1
    for checkpoint in (first, latest):
        cosigned = check_quorum(log.cosigned_note(checkpoint), [witness_key], 1)
        assert [c.witness for c in cosigned] == [running.vkey.split("+")[0]]
    assert log.store.cosigned_sizes() == {witness_key.name: 12}


def test_a_log_whose_leaf_changed_after_cosigning_is_refused_by_the_witness(
    tmp_path: Path, dev_witness: tuple[DevWitness, RunningWitness]
) -> None:
    """A second tree under the same key, one entry different, gets no cosignature."""
    _, running = dev_witness
    honest = new_log(tmp_path / "honest.sqlite3")
    honest.append_disclosures([disclosure(i) for i in range(8)])
    honest.publish_checkpoint()
    assert submit_once(honest, running)[0] == 1
    forked = new_log(tmp_path / "forked.sqlite3")
    forked.append_disclosures([disclosure(i, reason="x" if i == 3 else None) for i in range(10)])
    forked.publish_checkpoint()
    with capture_logs() as events:
        cosigned, witness = submit_once(forked, running)
    assert cosigned == 0 and forked.store.cosigned_sizes() == {}
    refused = [e for e in events if e["event"] == REFUSED_EVENT]
    assert refused and "422" in refused[0]["error"] and witness.known_size == 8


def test_a_rolled_back_log_is_refused(
    tmp_path: Path, dev_witness: tuple[DevWitness, RunningWitness]
) -> None:
    """A tree smaller than the one the witness cosigned is never cosigned."""
    _, running = dev_witness
    log = new_log(tmp_path / "log.sqlite3")
    log.append_disclosures([disclosure(i) for i in range(9)])
    log.publish_checkpoint()
    assert submit_once(log, running)[0] == 1
    rolled_back = new_log(tmp_path / "rolled-back.sqlite3")
    rolled_back.append_disclosures([disclosure(i) for i in range(6)])
    rolled_back.publish_checkpoint()
    cosigned, witness = submit_once(rolled_back, running)
    assert cosigned == 0 and witness.known_size == 9


def test_a_witness_that_was_away_cosigns_the_whole_backlog_when_it_returns(
    tmp_path: Path, dev_witness: tuple[DevWitness, RunningWitness]
) -> None:
    """Appends go on while the witness is stopped; afterwards the latest checkpoint is cosigned."""
    witness_process, running = dev_witness
    log = new_log(tmp_path / "log.sqlite3")
    log.append_disclosures([disclosure(i) for i in range(4)])
    log.publish_checkpoint()
    assert submit_once(log, running)[0] == 1
    witness_process.stop()
    log.append_disclosures([disclosure(i) for i in range(4, 40)])
    log.publish_checkpoint()
    assert submit_once(log, running)[0] == 0
    assert log.store.tree_head()[0] == 40
    assert log.witness_gaps() == {WitnessVerifier.from_vkey(running.vkey).name: 36}
    back = witness_process.start(SIGNER.name, SIGNER.verifier.vkey)
    assert submit_once(log, back)[0] == 1
    assert log.store.cosigned_sizes() == {WitnessVerifier.from_vkey(back.vkey).name: 40}


def test_verify_proof_with_quorum_one_passes_with_the_cosignature_and_fails_without(
    tmp_path: Path, dev_witness: tuple[DevWitness, RunningWitness]
) -> None:
    """`log verify-proof --witness --quorum 1` needs the witness's cosignature on the receipt."""
    _, running = dev_witness
    log = new_log(tmp_path / "log.sqlite3")
    log.append_disclosures([disclosure(i) for i in range(6)])
    checkpoint = log.publish_checkpoint()
    entry = log.store.entry(2)
    assert entry is not None and entry.content is not None
    (tmp_path / "entry").write_bytes(entry.content)
    proof = log.inclusion_proof(2, checkpoint.size)
    (tmp_path / "bare").write_text(log.tlog_proof(2, checkpoint, proof))
    submit_once(log, running)
    (tmp_path / "cosigned").write_text(log.tlog_proof(2, checkpoint, proof))
    args = ["log", "verify-proof", "--vkey", SIGNER.verifier.vkey, "--entry"]
    quorum = ["--witness", running.vkey, "--quorum", "1"]
    ok = runner.invoke(app, [*args, str(tmp_path / "entry"), str(tmp_path / "cosigned"), *quorum])
    assert ok.exit_code == 0 and ok.output.startswith("ok (cosigned by witness.iom-broker.dev")
    bare = runner.invoke(app, [*args, str(tmp_path / "entry"), str(tmp_path / "bare"), *quorum])
    assert bare.exit_code == 1
    assert "cosigned by 0 of the 1 witnesses required (no cosignature from: " in bare.output


def store_fetch(log: TransparencyLog) -> Callable[[str], bytes]:
    """What a monitor fetches from the log's HTTP API, answered from its store."""

    def fetch(path: str) -> bytes:
        if path == "checkpoint":
            latest = log.store.latest_checkpoint()
            assert latest is not None
            return log.cosigned_note(latest).encode()
        level, _, rest = path.removeprefix("tile/").partition("/")
        ids = parse_tile_path(level, rest).node_ids()
        found = log.store.node_hashes(ids)
        return b"".join(found[node] for node in ids)

    return fetch


def test_the_monitor_accepts_growth_and_catches_a_rewritten_entry(
    tmp_path: Path, dev_witness: tuple[DevWitness, RunningWitness]
) -> None:
    """`log monitor`'s check passes while the log grows and fails once a leaf is rewritten."""
    _, running = dev_witness
    path = tmp_path / "log.sqlite3"
    log = new_log(path)
    witness_key = WitnessVerifier.from_vkey(running.vkey)
    monitor = LogMonitor(tmp_path / "mirror", store_fetch(log), SIGNER.verifier, [witness_key], 1)
    log.append_disclosures([disclosure(i) for i in range(300)])
    log.publish_checkpoint()
    submit_once(log, running)
    assert monitor.check().checkpoint.size == 300
    log.append_disclosures([disclosure(i) for i in range(300, 310)])
    log.publish_checkpoint()
    submit_once(log, running)
    assert monitor.check().previous_size == 300
    with sqlite3.connect(path) as db:  # the operator rewrites leaf 5 and re-signs a fresh tree
        db.execute("UPDATE nodes SET hash = zeroblob(32) WHERE level = 0 AND idx = 5")
    fresh = LogMonitor(tmp_path / "fresh", store_fetch(log), SIGNER.verifier)
    with pytest.raises(MonitorError, match="do not hash to its checkpoint"):
        fresh.check()
