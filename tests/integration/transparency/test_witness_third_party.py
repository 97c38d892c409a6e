"""Cosigned checkpoints verify with third-party Go code (golang.org/x/mod/sumdb/note and
filippo.io/torchwood), built from tools/cosigcheck with the Go toolchain."""

from __future__ import annotations

import asyncio
import base64
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from broker.devtools.witness.dev_witness import DevWitness, RunningWitness
from broker.devtools.witness.litewitness_install import find_go
from broker.transparency.cosignature import WitnessVerifier
from broker.transparency.log import TransparencyLog
from broker.transparency.store.sqlite_store import SqliteStore
from broker.transparency.witness_submitter import Witness, WitnessSubmitter
from tests.support.log_records import INDEX_KEY, SIGNER, Clock, disclosure

TOOL = Path(__file__).resolve().parents[3] / "tools" / "cosigcheck"


@pytest.fixture(scope="module")
def cosigcheck(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Go verifier, built (modules from the Go module proxy, cached by Go)."""
    binary = tmp_path_factory.mktemp("go") / "cosigcheck"
    subprocess.run(
        [find_go(), "build", "-o", str(binary), "."],
        cwd=TOOL,
        check=True,
        timeout=600,
        env={**os.environ, "CGO_ENABLED": "0"},
    )
    return binary


@pytest.fixture
def running_witness(tmp_path: Path) -> Iterator[RunningWitness]:
    """A litewitness that knows the test log."""
    witness = DevWitness(tmp_path / "witness")
    yield witness.start(SIGNER.name, SIGNER.verifier.vkey)
    witness.stop()


def check(
    binary: Path, note: str, folder: Path, *witnesses: str
) -> subprocess.CompletedProcess[str]:
    """Run the Go verifier on ``note``."""
    (folder / "checkpoint").write_text(note)
    command = [str(binary), str(folder / "checkpoint"), SIGNER.verifier.vkey, *witnesses]
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=60)


def test_a_litewitness_cosigned_checkpoint_verifies_with_go_and_a_tampered_one_does_not(
    tmp_path: Path, cosigcheck: Path, running_witness: RunningWitness
) -> None:
    """Go accepts the log signature plus cosignature, and rejects a flipped cosignature byte."""
    store = SqliteStore(tmp_path / "log.sqlite3")
    log = TransparencyLog(store, SIGNER, INDEX_KEY, "P6Y", Clock())
    log.append_disclosures([disclosure(i) for i in range(7)])
    checkpoint = log.publish_checkpoint()
    witness = Witness(running_witness.url, WitnessVerifier.from_vkey(running_witness.vkey))

    async def submit() -> int:
        async with httpx.AsyncClient() as client:
            return await WitnessSubmitter(log, [witness], client).submit_latest()

    assert asyncio.run(submit()) == 1
    note = log.cosigned_note(checkpoint)
    good = check(cosigcheck, note, tmp_path, running_witness.vkey)
    assert (good.returncode, good.stdout) == (0, "ok\n")
    unsigned = check(cosigcheck, checkpoint.note, tmp_path, running_witness.vkey)
    assert unsigned.returncode == 1 and "no valid signature by witness" in unsigned.stdout
    blob = note.splitlines()[-1].rsplit(" ", 1)[1]
    raw = bytearray(base64.b64decode(blob))
    raw[-1] ^= 1
    tampered = note.replace(blob, base64.b64encode(bytes(raw)).decode())
    bad = check(cosigcheck, tampered, tmp_path, running_witness.vkey)
    assert bad.returncode == 1 and "signature" in bad.stdout
