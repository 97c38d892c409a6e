"""Every ``iom-broker`` command reports a bad setting the same way, before doing anything."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from broker.cli import app

runner = CliRunner()

COMMANDS = [
    ["policy", "validate"],
    ["kafka", "topics"],
    ["router", "run"],
    ["log", "vkey"],
    ["log", "writer", "run"],
    ["identity", "pki"],
    ["dev", "down"],
    ["adapter", "run", "mapping", "--config", "adapter.yaml"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_bad_setting_exits_2_with_one_line_naming_it(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A wrong IOM_* value exits 2 with one ``error:`` line naming the setting and variable."""
    monkeypatch.delenv("IOM_CONFIG", raising=False)
    monkeypatch.setenv("IOM_LOG_LEVEL", "loud")
    monkeypatch.chdir(tmp_path)
    has_state = command[0] in ("dev", "identity")
    arguments = [*command, "--state", str(tmp_path)] if has_state else command
    result = runner.invoke(app, arguments)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: setting log_level (IOM_LOG_LEVEL): ")
    assert result.stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_router_client_is_refused_naming_the_option(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``router run --client`` accepts aiokafka or confluent and names anything else."""
    monkeypatch.delenv("IOM_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["router", "run", "--client", "kafka-python"])
    assert result.exit_code == 2, result.output
    assert "'kafka-python' is not aiokafka or confluent" in result.output
