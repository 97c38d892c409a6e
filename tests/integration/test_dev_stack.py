"""`iom-broker dev up` starts a real stack in the background and `dev down` stops all of it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from broker.devstack.processes import pid_alive


def iom_broker(*arguments: str) -> subprocess.CompletedProcess[str]:
    """Run the CLI as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "broker.cli", *arguments],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.kafka
def test_dev_up_writes_stack_json_and_dev_down_leaves_nothing_running(tmp_path: Path) -> None:
    """dev up records the bootstrap servers and router pid; dev down ends both processes."""
    state = tmp_path / "stack"
    up = iom_broker("dev", "up", "--state", str(state))
    assert up.returncode == 0, up.stderr[-2000:]
    try:
        info = json.loads((state / "stack.json").read_text())
        assert info["bootstrap_servers"].startswith("127.0.0.1:")
        router_pid = info["router_pid"]
        kafka_pid = int((state / "kafka" / "kafka.pid").read_text())
        assert pid_alive(router_pid) and pid_alive(kafka_pid)
    finally:
        down = iom_broker("dev", "down", "--state", str(state))
    assert down.returncode == 0, down.stderr[-2000:]
    assert not pid_alive(router_pid)
    assert not pid_alive(kafka_pid)
    assert not (state / "stack.json").exists()


def test_bad_setting_is_reported_in_one_line_without_a_traceback() -> None:
    """A wrong IOM_* variable makes the CLI exit 2 with one line naming it."""
    result = subprocess.run(
        [sys.executable, "-m", "broker.cli", "policy", "validate"],
        capture_output=True,
        text=True,
        env={**os.environ, "IOM_ROUTER__MAX_RECORD_BYTES": "-5"},
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "IOM_ROUTER__MAX_RECORD_BYTES" in result.stderr and "Traceback" not in result.stderr
