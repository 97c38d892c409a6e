"""Run a real Keycloak (``kc.sh start --optimized``) for a state folder: loopback, HTTPS.

DEVELOPMENT ONLY. Everything lives under ``<state_dir>/keycloak/``: ``launch.json`` (ports,
reused by a restart), ``db/`` (the development file database), ``keycloak.log``,
``keycloak.pid`` and, until the realm is set up, ``bootstrap-admin.secret`` (mode 0600): the
secret of the temporary admin client Keycloak creates on its very first start, which
:mod:`broker.devtools.keycloak.realm_admin` replaces with a signed-JWT admin client and
deletes. The server binds 127.0.0.1 only, serves HTTPS with a certificate from the dev CA and
keeps its caches local (no cluster discovery). Readiness is the management interface's
``/health/ready``. The JVM runs detached in its own session, so it outlives the Python
process until :meth:`LocalKeycloak.stop` (``dev down``, the end of a test session).
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import ssl
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import structlog

from broker.devtools.identity.dev_pki import DevPki
from broker.devtools.keycloak.distribution import KEYCLOAK_VERSION, ensure_keycloak
from broker.devtools.ports import LOOPBACK, free_ports, port_free
from broker.devtools.processes import (
    read_log_tail,
    read_pid,
    reap,
    runs_command,
    signal_group,
    start_detached,
    tail_text,
)
from broker.secrets.private_files import write_private_bytes

__all__ = [
    "BOOTSTRAP_CLIENT_ID",
    "HTTP_CERT_NAME",
    "KeycloakEndpoints",
    "KeycloakStartError",
    "LocalKeycloak",
]

HTTP_CERT_NAME = "iom-keycloak"
BOOTSTRAP_CLIENT_ID = "iom-bootstrap-admin"
HEAP_OPTIONS = "-Xms64m -Xmx512m"
STARTUP_OPTIONS = "-XX:TieredStopAtLevel=1"
"""Extra JVM options (``JAVA_OPTS_APPEND``): the client compiler only, which starts Keycloak
faster on a small machine (BENCHMARKS.md: median restart 6.3 s against 10.8 s)."""
_POLL_S = 0.5

log = structlog.get_logger(__name__)


class KeycloakStartError(RuntimeError):
    """Keycloak did not become ready; the message is one line naming its log."""


@dataclass(frozen=True)
class KeycloakEndpoints:
    """Where a running Keycloak answers, and the CA its certificate chains to."""

    base_url: str
    management_url: str
    ca_file: Path

    def issuer(self, realm: str) -> str:
        """The issuer URL (``iss``) of ``realm``'s tokens."""
        return f"{self.base_url}/realms/{realm}"


class LocalKeycloak:
    """The Keycloak of ``state_dir`` (``keycloak/`` for its files, ``pki/`` for the dev CA)."""

    def __init__(
        self,
        state_dir: Path,
        *,
        cache_root: Path | None = None,
        version: str = KEYCLOAK_VERSION,
        java_options: str = STARTUP_OPTIONS,
    ) -> None:
        self.state_dir = Path(state_dir).resolve()
        self.directory = self.state_dir / "keycloak"
        self.pki = DevPki(self.state_dir / "pki")
        self.cache_root = cache_root
        self.version = version
        self.java_options = java_options
        self.pid_file = self.directory / "keycloak.pid"
        self.log_file = self.directory / "keycloak.log"
        self.launch_file = self.directory / "launch.json"
        self.bootstrap_secret_file = self.directory / "bootstrap-admin.secret"
        self.db_dir = self.directory / "db"

    @property
    def running_pid(self) -> int | None:
        """The pid of this state folder's Keycloak, if it runs."""
        pid = read_pid(self.pid_file)
        if pid is None or not runs_command(pid, self._db_option.encode()):
            return None
        return pid

    @property
    def _db_option(self) -> str:
        """The ``--db-url`` argument: this state folder's database, and how its JVM is known."""
        return f"--db-url=jdbc:h2:file:{self.db_dir}/keycloakdb;NON_KEYWORDS=VALUE"

    def endpoints(self) -> KeycloakEndpoints:
        """The URLs recorded at the last start (the ports a restart reuses)."""
        port, management = self._ports()
        return KeycloakEndpoints(
            f"https://{LOOPBACK}:{port}", f"https://{LOOPBACK}:{management}", self.pki.ca_file
        )

    def start(self, timeout: float = 240.0) -> KeycloakEndpoints:
        """Start Keycloak (or find it running) and return once it reports ready."""
        home = ensure_keycloak(self.version, self.cache_root)
        self.directory.mkdir(parents=True, exist_ok=True)
        certificate = self.pki.issue(HTTP_CERT_NAME)
        if self.running_pid is None:
            port, management = self._ports(fresh=True)
            first_start = not self.db_dir.exists()
            environment = {
                "JAVA_OPTS_KC_HEAP": HEAP_OPTIONS,
                "JAVA_OPTS_APPEND": self.java_options,
                **_inherited_environment(),
            }
            if first_start:
                secret = secrets.token_urlsafe(32)
                write_private_bytes(self.bootstrap_secret_file, secret.encode())
                environment["KC_BOOTSTRAP_ADMIN_CLIENT_ID"] = BOOTSTRAP_CLIENT_ID
                environment["KC_BOOTSTRAP_ADMIN_CLIENT_SECRET"] = secret
            command = [
                str(home / "bin" / "kc.sh"),
                "start",
                "--optimized",
                f"--hostname=https://{LOOPBACK}:{port}",
                f"--https-port={port}",
                f"--http-management-port={management}",
                f"--http-host={LOOPBACK}",
                "--http-enabled=false",
                f"--https-certificate-file={certificate.cert_file}",
                f"--https-certificate-key-file={certificate.key_file}",
                self._db_option,
                "--cache=local",
                "--log-level=WARN,org.keycloak.services:INFO,io.quarkus:INFO",
            ]
            process = start_detached(command, self.log_file, env=environment, cwd=self.directory)
            self.pid_file.write_text(str(process.pid))
            log.info("keycloak.starting", port=port, state=str(self.state_dir))
        endpoints = self.endpoints()
        self._await_ready(endpoints, timeout)
        return endpoints

    def stop(self, timeout: float = 30.0) -> bool:
        """Stop this state folder's Keycloak (SIGTERM, then SIGKILL); True if one ran."""
        pid = self.running_pid
        self.pid_file.unlink(missing_ok=True)
        if pid is None:
            return False
        signal_group(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and runs_command(pid):
            reap(pid)
            time.sleep(0.2)
        if runs_command(pid):
            signal_group(pid, signal.SIGKILL)
            reap(pid)
        log.info("keycloak.stopped", state=str(self.state_dir))
        return True

    def _ports(self, *, fresh: bool = False) -> tuple[int, int]:
        try:
            recorded = json.loads(self.launch_file.read_text("utf-8"))
            ports = (int(recorded["port"]), int(recorded["management_port"]))
        except (OSError, ValueError, KeyError, TypeError):
            if not fresh:
                raise KeycloakStartError(f"no Keycloak was started in {self.directory}") from None
            ports = (0, 0)
        if fresh and not (ports[0] and all(port_free(p) for p in ports)):
            first, second = free_ports(2)
            ports = (first, second)
            record = {"port": first, "management_port": second, "version": self.version}
            self.launch_file.write_text(json.dumps(record, indent=1), "utf-8")
        return ports

    def _await_ready(self, endpoints: KeycloakEndpoints, timeout: float) -> None:
        context = ssl.create_default_context(cafile=str(endpoints.ca_file))
        deadline = time.monotonic() + timeout
        url = f"{endpoints.management_url}/health/ready"
        while time.monotonic() < deadline:
            try:
                answer = httpx.get(url, verify=context, timeout=3.0)
                if answer.status_code == 200 and answer.json().get("status") == "UP":
                    log.info("keycloak.ready", url=endpoints.base_url)
                    return
            except (httpx.HTTPError, ValueError):
                pass
            if self.running_pid is None:
                raise KeycloakStartError(
                    f"Keycloak exited during start; see {self.log_file}: "
                    f"{tail_text(read_log_tail(self.log_file), 3)}"
                )
            time.sleep(_POLL_S)
        self.stop()
        raise KeycloakStartError(f"Keycloak not ready after {timeout:.0f}s; see {self.log_file}")


def _inherited_environment() -> dict[str, str]:
    """PATH, HOME, JAVA_HOME and locale from this process; nothing else reaches Keycloak."""
    keep = ("PATH", "HOME", "JAVA_HOME", "LANG", "LC_ALL", "TMPDIR")
    return {name: os.environ[name] for name in keep if name in os.environ}
