"""``dev env`` exports what a command needs to use the running stack, the log included."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from broker.cli import app
from broker.settings import load_settings
from broker.transparency.wiring import open_log
from tests.support.log_records import disclosure

runner = CliRunner()


def test_log_export_in_a_dev_env_shell_reads_the_stacks_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After eval "$(iom-broker dev env)", log export reads the stack's log and finds its
    entries (not a new, empty log in the current folder)."""
    state = tmp_path / "dev"
    store = f"sqlite:///{state / 'transparency' / 'log.sqlite3'}"
    (state / "transparency").mkdir(parents=True)
    stack = {"bootstrap_servers": "127.0.0.1:1", "kafka_auth": False, "state_dir": str(state)}
    stack |= {"log_store": store, "witness_url": "http://127.0.0.1:2", "witness_vkeys": ["w+1+x"]}
    (state / "stack.json").write_text(json.dumps(stack))
    printed = runner.invoke(app, ["dev", "env", "--state", str(state)])
    assert printed.exit_code == 0, printed.output
    exported = dict(
        shlex.split(line.removeprefix("export "))[0].split("=", 1)
        for line in printed.stdout.splitlines()
    )
    assert exported["IOM_TRANSPARENCY__STORE_URL"] == store
    assert exported["IOM_TRANSPARENCY__SIGNING_KEY_FILE"] == str(state / "keys" / "log-signing.key")
    assert json.loads(exported["IOM_TRANSPARENCY__WITNESSES"])[0]["vkey"] == "w+1+x"
    for name, value in exported.items():
        if name != "IOM_TRANSPARENCY__WITNESSES":
            monkeypatch.setenv(name, value)
    monkeypatch.setenv("IOM_LOG_LEVEL", "warning")
    log = open_log(load_settings().transparency)
    log.append_disclosures([disclosure(i, "subj-a") for i in range(3)])
    log.store.close()
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(
        app, ["log", "export", "--subject", "subj-a", "--out", "sar", "--actor", "dpo:test"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("3 entries")
    assert not (tmp_path / ".state").exists()
