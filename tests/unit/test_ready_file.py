"""Readiness as a file, not a log line: dev up waits for it at any log level."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

from broker.devtools.devstack.stack import DevStack, StackError
from broker.devtools.processes import stop_process_group
from broker.ready_file import ready_file
from broker.settings import Settings

#: A service that logs nothing at all: it only creates its ready file, then waits.
QUIET_SERVICE = (
    "import os, pathlib, time; time.sleep(0.3); "
    "pathlib.Path(os.environ['IOM_READY_FILE']).write_text('1'); time.sleep(60)"
)


async def test_the_file_appears_once_ready_and_goes_when_the_process_stops(
    tmp_path: Path,
) -> None:
    """No file before the ready event, the file after it, none once the block ends."""
    path, ready = tmp_path / "state" / "router.ready", asyncio.Event()
    async with ready_file(ready, path):
        await asyncio.sleep(0.05)
        assert not path.exists()
        ready.set()
        for _ in range(100):
            if path.exists():
                break
            await asyncio.sleep(0.01)
        assert path.exists()
    assert not path.exists()


def test_dev_up_waits_for_the_ready_file_not_for_log_lines(tmp_path: Path) -> None:
    """A service that writes no log line at all (as at IOM_LOG_LEVEL=warning) is ready once
    its ready file exists; one that exits first is reported with its log."""
    stack = DevStack(tmp_path, Settings())
    pid_file, log_file = tmp_path / "quiet.pid", tmp_path / "quiet.log"
    command = [sys.executable, "-c", QUIET_SERVICE]
    try:
        pid = stack._spawn_ready("quiet service", command, log_file, pid_file, {}, 30)
        assert pid > 0 and (tmp_path / "quiet.ready").exists()
        assert log_file.read_text() == ""
    finally:
        stop_process_group(pid_file)
    failing = [sys.executable, "-c", "raise SystemExit(3)"]
    with pytest.raises(StackError, match=r"quiet service exited during start; see .*quiet\.log"):
        stack._spawn_ready("quiet service", failing, log_file, pid_file, {}, 30)
