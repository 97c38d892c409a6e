"""`dev up` runs litewitness: the log writer has its checkpoints cosigned, the API serves them
and receipts name the witness; `dev up --no-witness` runs the stack without one."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from broker.devtools.processes import pid_alive
from broker.devtools.witness.dev_witness import DEV_WITNESS_NAME_CY, DEV_WITNESS_NAME_EN
from broker.transparency.keys import load_index_key, load_signer
from broker.transparency.log import TransparencyLog
from broker.transparency.store import open_store
from tests.support.log_records import disclosure


def iom_broker(*arguments: str) -> subprocess.CompletedProcess[str]:
    """Run the CLI as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "broker.cli", *arguments],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _open_log(info: dict[str, Any], state: Path) -> TransparencyLog:
    """The running stack's log, as the log writer opens it."""
    keys = state / "keys"
    signer = load_signer(keys / "log-signing.key", "iom-broker.dev/transparency-log")
    return TransparencyLog(
        open_store(info["log_store"]), signer, load_index_key(keys / "log-subject-index.key")
    )


def _receipt_witnesses(info: dict[str, Any], state: Path, lang: str) -> list[str]:
    """The witness names on subj-a's first receipt, asked of the stack's API as subj-a."""
    token = iom_broker("dev", "token", "--state", str(state), "--supervisee", "subj-a")
    assert token.returncode == 0, token.stderr
    response = httpx.get(
        f"{info['api_url']}/me/disclosures/{disclosure(0)['disclosure_id']}/receipt",
        params={"lang": lang},
        headers={"Authorization": f"Bearer {token.stdout.strip()}"},
        verify=info["ca_file"],
    )
    assert response.status_code == 200, response.text
    return [w["name"] for w in response.json()["receipt"]["witnesses"]]


@pytest.mark.kafka
def test_dev_stack_checkpoints_are_cosigned_and_the_monitor_accepts_them(tmp_path: Path) -> None:
    """stack.json names the witness; /log/checkpoint carries its cosignature; monitor says ok."""
    state = tmp_path / "stack"
    witness_pid = None
    try:
        up = iom_broker("dev", "up", "--state", str(state))
        assert up.returncode == 0, up.stderr[-2000:]
        info = json.loads((state / "stack.json").read_text())
        [witness_vkey] = info["witness_vkeys"]
        witness_pid = info["witness_pid"]
        assert pid_alive(witness_pid)
        log = _open_log(info, state)
        signer = log.signer
        log.append_disclosures([disclosure(i) for i in range(20)])
        log.publish_checkpoint()
        witness_name = witness_vkey.split("+")[0]
        deadline, note = time.monotonic() + 30, ""
        with httpx.Client(verify=info["ca_file"]) as client:
            while time.monotonic() < deadline and f"\u2014 {witness_name} " not in note:
                note = client.get(f"{info['api_url']}/log/checkpoint").text
                time.sleep(0.2)
        assert f"\u2014 {witness_name} " in note
        monitor = iom_broker(
            "log", "monitor", f"{info['api_url']}/log", "--once",
            "--vkey", signer.verifier.vkey, "--witness", witness_vkey, "--quorum", "1",
            "--ca-file", info["ca_file"], "--mirror", str(tmp_path / "mirror"),
        )  # fmt: skip
        assert monitor.returncode == 0, monitor.stderr
        assert monitor.stdout.startswith("ok: size 20 extends size 0, cosigned by ")
        assert _receipt_witnesses(info, state, "en") == [DEV_WITNESS_NAME_EN]
        assert _receipt_witnesses(info, state, "cy") == [DEV_WITNESS_NAME_CY]
    finally:
        down = iom_broker("dev", "down", "--state", str(state))
    assert down.returncode == 0, down.stderr[-2000:]
    assert witness_pid is not None and not pid_alive(witness_pid)


@pytest.mark.kafka
def test_dev_up_no_witness_runs_the_stack_without_one(tmp_path: Path) -> None:
    """With --no-witness, stack.json lists no witness, no witness folder or process exists,
    checkpoints carry the log's signature only and receipts name no one."""
    state = tmp_path / "stack"
    try:
        up = iom_broker("dev", "up", "--state", str(state), "--no-witness")
        assert up.returncode == 0, up.stderr[-2000:]
        info = json.loads((state / "stack.json").read_text())
        assert (info["witness_vkeys"], info["witness_pid"], info["witness_url"]) == ([], None, None)
        assert not (state / "witness").exists()
        log = _open_log(info, state)
        log.append_disclosures([disclosure(i) for i in range(3)])
        log.publish_checkpoint()
        note = httpx.get(f"{info['api_url']}/log/checkpoint", verify=info["ca_file"]).text
        assert note.count("\u2014 ") == 1
        assert _receipt_witnesses(info, state, "en") == []
    finally:
        down = iom_broker("dev", "down", "--state", str(state))
    assert down.returncode == 0, down.stderr[-2000:]
