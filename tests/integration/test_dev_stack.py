"""`iom-broker dev up` starts a real stack in the background and `dev down` stops all of it."""

from __future__ import annotations

import json
import os
import ssl
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from broker.devtools.processes import pid_alive


def iom_broker(*arguments: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run the CLI as a user would (with ``env`` added to the environment)."""
    return subprocess.run(
        [sys.executable, "-m", "broker.cli", *arguments],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, **env},
    )


@pytest.mark.kafka
def test_dev_up_writes_stack_json_and_dev_down_leaves_nothing_running(tmp_path: Path) -> None:
    """dev up (authentication on) records Kafka, router, log writer, statistics service, issuer
    and an HTTPS API that reaches Kafka through authentication; dev down ends them all."""
    state = tmp_path / "stack"
    up = iom_broker("dev", "up", "--state", str(state))
    assert up.returncode == 0, up.stderr[-2000:]
    try:
        info = json.loads((state / "stack.json").read_text())
        assert info["bootstrap_servers"].startswith("127.0.0.1:")
        assert info["kafka_auth"] is True
        assert info["token_issuer_url"].startswith("https://127.0.0.1:")
        pids = [info["router_pid"], info["log_writer_pid"], info["issuer_pid"], info["api_pid"]]
        pids.append(info["statistics_pid"])
        pids.append(int((state / "kafka" / "kafka.pid").read_text()))
        assert all(pid_alive(pid) for pid in pids)
        assert info["api_url"].startswith("https://127.0.0.1:")
        tls = ssl.create_default_context(cafile=info["ca_file"])
        with urllib.request.urlopen(f"{info['api_url']}/readyz", timeout=10, context=tls) as ready:
            assert json.loads(ready.read())["checks"] == {
                "store": "ok",
                "records": "ok",
                "kafka": "ok",
            }
    finally:
        down = iom_broker("dev", "down", "--state", str(state))
    assert down.returncode == 0, down.stderr[-2000:]
    assert not any(pid_alive(pid) for pid in pids)
    assert not (state / "stack.json").exists()


@pytest.mark.kafka
def test_insecure_dev_up_is_plaintext_without_an_issuer(tmp_path: Path) -> None:
    """dev up --insecure starts no issuer and records a plaintext stack; with
    IOM_LOG_LEVEL=warning it still becomes ready (readiness is a file each service creates,
    not its info log line)."""
    state = tmp_path / "stack"
    up = iom_broker("dev", "up", "--insecure", "--state", str(state), IOM_LOG_LEVEL="warning")
    try:
        assert up.returncode == 0, up.stderr[-2000:]
        info = json.loads((state / "stack.json").read_text())
        assert info["kafka_auth"] is False
        assert info["token_issuer_url"] is None and info["issuer_pid"] is None
        assert pid_alive(info["router_pid"])
        assert "router.ready" not in (state / "router.log").read_text()
        for service in ("router", "log-writer", "statistics"):
            assert (state / f"{service}.ready").exists(), service
    finally:
        down = iom_broker("dev", "down", "--state", str(state))
    assert down.returncode == 0, down.stderr[-2000:]


@pytest.mark.kafka
def test_dev_up_with_three_brokers_runs_a_cluster_and_dev_down_stops_every_node(
    tmp_path: Path,
) -> None:
    """dev up --brokers 3 (authentication on) runs three Kafka nodes listed in stack.json, the
    rest of the stack over them; dev down stops all three."""
    state = tmp_path / "stack"
    up = iom_broker("dev", "up", "--brokers", "3", "--state", str(state))
    kafka_pids: list[int] = []
    try:
        assert up.returncode == 0, up.stderr[-2000:]
        info = json.loads((state / "stack.json").read_text())
        kafka_pids = [
            int((state / "kafka" / f"node-{n}" / "kafka.pid").read_text()) for n in (1, 2, 3)
        ]
        servers = info["bootstrap_servers"].split(",")
        assert info["brokers"] == 3 and len(set(servers)) == 3
        assert all(server.startswith("127.0.0.1:") for server in servers)
        assert info["kafka_auth"] is True
        assert all(pid_alive(pid) for pid in [*kafka_pids, info["router_pid"]])
        assert pid_alive(info["log_writer_pid"])
    finally:
        down = iom_broker("dev", "down", "--state", str(state))
    assert down.returncode == 0, down.stderr[-2000:]
    assert kafka_pids and not any(pid_alive(pid) for pid in kafka_pids)
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
