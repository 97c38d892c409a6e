"""A real witness for the development stack: litewitness, its key in a private ssh-agent.

``start`` builds litewitness once (:mod:`.litewitness_install`), creates an Ed25519 key
(``ssh-keygen``) on first use, starts a dedicated ``ssh-agent`` holding only that key,
registers the log's origin and verifier key in the witness's SQLite database
(``witnessctl add-log``/``add-key``, once) and starts litewitness on a free loopback port.
Everything lives in one owner-only folder; ``stop`` ends the witness and its agent.
"""

from __future__ import annotations

import base64
import hashlib
import json
import socket
import struct
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from broker.devtools.processes import read_pid, spawn_detached, stop_process_group
from broker.devtools.witness.litewitness_install import WitnessToolingError, ensure_litewitness
from broker.transparency.cosignature import WitnessVerifier

__all__ = [
    "DEV_WITNESS_NAME",
    "DEV_WITNESS_NAME_CY",
    "DEV_WITNESS_NAME_EN",
    "DevWitness",
    "RunningWitness",
    "witness_vkey_of_ssh_key",
]

DEV_WITNESS_NAME = "witness.iom-broker.dev/dev"
DEV_WITNESS_NAME_EN = "A test witness on this computer (for development only)"
"""What receipts call the development witness: plainly not a real independent body."""
DEV_WITNESS_NAME_CY = "Tyst profi ar y cyfrifiadur hwn (ar gyfer datblygu yn unig)"
START_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class RunningWitness:
    """Where the witness listens and the key its cosignatures verify with."""

    url: str
    vkey: str
    pid: int


def witness_vkey_of_ssh_key(name: str, public_key_line: str) -> str:
    """The cosignature verifier key of an ``ssh-ed25519 AAAA... comment`` public key line."""
    blob = base64.b64decode(public_key_line.split()[1])
    (kind_length,) = struct.unpack(">I", blob[:4])
    kind = blob[4 : 4 + kind_length]
    key = blob[4 + kind_length + 4 :]
    if kind != b"ssh-ed25519" or len(key) != 32:
        raise WitnessToolingError("witness key is not an ssh-ed25519 key")
    return WitnessVerifier.for_key(name, key).vkey


class DevWitness:
    """One litewitness (and its ssh-agent) with its state in ``folder``."""

    def __init__(self, folder: Path, name: str = DEV_WITNESS_NAME) -> None:
        self.folder = folder.resolve()
        self.name = name
        self.key_file = self.folder / "witness-key"
        self.db = self.folder / "litewitness.db"
        self.log_file = self.folder / "litewitness.log"
        self._pid_file = self.folder / "litewitness.pid"
        self._agent_pid_file = self.folder / "ssh-agent.pid"
        self._info_file = self.folder / "witness.json"
        digest = hashlib.sha256(str(self.folder).encode()).hexdigest()[:12]
        self.agent_socket = Path("/tmp") / f"iom-witness-{digest}.sock"  # sun_path is short

    def start(self, log_origin: str, log_vkey: str) -> RunningWitness:
        """Start (or find running) the witness of the log ``log_origin`` with key ``log_vkey``."""
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        pid = read_pid(self._pid_file)
        if pid is not None and self._info_file.exists():
            recorded = json.loads(self._info_file.read_text(encoding="utf-8"))
            return RunningWitness(recorded["url"], recorded["vkey"], pid)
        bin_dir = ensure_litewitness()
        if not self.key_file.exists():
            _run(
                [
                    "ssh-keygen",
                    "-q",
                    "-t",
                    "ed25519",
                    "-N",
                    "",
                    "-C",
                    self.name,
                    "-f",
                    str(self.key_file),
                ]
            )
        self._start_agent()
        self._register(bin_dir, log_origin, log_vkey)
        fingerprint = _run(["ssh-keygen", "-l", "-E", "sha256", "-f", f"{self.key_file}.pub"])
        port = _free_port()
        command = [
            str(bin_dir / "litewitness"),
            "-db",
            str(self.db),
            "-name",
            self.name,
            "-key",
            fingerprint.split()[1],
            "-ssh-agent",
            str(self.agent_socket),
            "-listen",
            f"127.0.0.1:{port}",
        ]
        pid = spawn_detached(command, self.log_file, self._pid_file, {"PATH": "/usr/bin:/bin"})
        _wait_for_port(port, self._pid_file, self.log_file)
        vkey = witness_vkey_of_ssh_key(self.name, Path(f"{self.key_file}.pub").read_text())
        running = RunningWitness(f"http://127.0.0.1:{port}", vkey, pid)
        self._info_file.write_text(json.dumps({"url": running.url, "vkey": vkey}) + "\n")
        return running

    def stop(self) -> None:
        """Stop litewitness, then its ssh-agent (state and key stay for the next start)."""
        stop_process_group(self._pid_file)
        stop_process_group(self._agent_pid_file)
        self.agent_socket.unlink(missing_ok=True)

    def _start_agent(self) -> None:
        if read_pid(self._agent_pid_file) is None:
            self.agent_socket.unlink(missing_ok=True)
            command = ["ssh-agent", "-D", "-a", str(self.agent_socket)]
            spawn_detached(command, self.folder / "ssh-agent.log", self._agent_pid_file, {})
            deadline = time.monotonic() + START_TIMEOUT_S
            while not self.agent_socket.exists():
                if time.monotonic() > deadline or read_pid(self._agent_pid_file) is None:
                    raise WitnessToolingError("ssh-agent for the witness did not start")
                time.sleep(0.05)
        _run(["ssh-add", "-q", str(self.key_file)], {"SSH_AUTH_SOCK": str(self.agent_socket)})

    def _register(self, bin_dir: Path, origin: str, log_vkey: str) -> None:
        witnessctl = str(bin_dir / "witnessctl")
        logs = _run([witnessctl, "list-logs", "-db", str(self.db)])
        known = [json.loads(line) for line in logs.splitlines() if line.startswith("{")]
        entry = next((log for log in known if log.get("origin") == origin), None)
        if entry is None:
            _run([witnessctl, "add-log", "-db", str(self.db), "-origin", origin])
        if entry is None or log_vkey not in (entry.get("keys") or []):
            _run([witnessctl, "add-key", "-db", str(self.db), "-origin", origin, "-key", log_vkey])


def _run(command: list[str], env: dict[str, str] | None = None) -> str:
    base = {"PATH": "/usr/local/bin:/usr/bin:/bin"}
    result = subprocess.run(
        command, capture_output=True, text=True, env={**base, **(env or {})}, check=False
    )
    if result.returncode != 0:
        tail = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["(no output)"]
        raise WitnessToolingError(f"{Path(command[0]).name} failed: {tail[0]}")
    return result.stdout


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for_port(port: int, pid_file: Path, log_file: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        if read_pid(pid_file) is None:
            raise WitnessToolingError(f"litewitness exited during start; see {log_file}")
        time.sleep(0.05)
    stop_process_group(pid_file)
    raise WitnessToolingError(f"litewitness not listening after {START_TIMEOUT_S:.0f}s")
