"""`dev up` also runs the log writer (recorded in stack.json) and `dev down` stops it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from broker.devtools.processes import pid_alive


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
def test_dev_stack_runs_and_stops_the_log_writer(tmp_path: Path) -> None:
    """stack.json names the log writer pid and its SQLite store; dev down ends the writer."""
    state = tmp_path / "stack"
    up = iom_broker("dev", "up", "--state", str(state))
    assert up.returncode == 0, up.stderr[-2000:]
    try:
        info = json.loads((state / "stack.json").read_text())
        writer_pid = info["log_writer_pid"]
        assert pid_alive(writer_pid)
        assert info["log_store"] == f"sqlite:///{state.resolve() / 'transparency' / 'log.sqlite3'}"
        assert (state / "transparency" / "log.sqlite3").exists()
    finally:
        down = iom_broker("dev", "down", "--state", str(state))
    assert down.returncode == 0, down.stderr[-2000:]
    assert not pid_alive(writer_pid)
