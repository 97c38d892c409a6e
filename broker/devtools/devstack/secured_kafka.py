"""The secured half of ``dev up``: the development issuer in the background, Kafka with
OAUTHBEARER and ACLs, and the registry's topics and ACLs.

DEVELOPMENT ONLY. The issuer runs as its own detached process
(``iom-broker identity issuer``, HTTPS on a free loopback port) so it outlives ``dev up``;
Kafka validates every client's token against its JWKS. Everything lives in the state dir:
``pki/`` (dev CA and certificates), ``identity/`` (issuer key, client keys and secrets).
"""

from __future__ import annotations

import asyncio
import os
import ssl
import sys
import time
from pathlib import Path

import httpx
import structlog

from broker.devtools.devstack.errors import StackError
from broker.devtools.identity.dev_issuer import DevIssuer
from broker.devtools.identity.dev_pki import DevPki
from broker.devtools.kafka.kafka_launcher import KafkaLauncher, local_kafka
from broker.devtools.kafka.secured_local_kafka import (
    HTTP_CERT_NAME,
    NODE_PRINCIPAL,
    SecuredLocalStack,
    kafka_security,
    provision,
)
from broker.devtools.ports import free_loopback_port
from broker.devtools.processes import read_pid, spawn_detached, stop_process_group
from broker.domain.agency import AgencyDirectory
from broker.settings import Settings

__all__ = ["ISSUER_PID_FILE", "SecuredDevKafka"]

#: The issuer process's pid file, relative to the state dir.
ISSUER_PID_FILE = "issuer.pid"

log = structlog.get_logger(__name__)

_DISCOVERY = "/.well-known/openid-configuration"


class SecuredDevKafka:
    """Starts (or finds running) the issuer process and the secured Kafka of ``state_dir``."""

    def __init__(self, state_dir: Path, settings: Settings, agencies: AgencyDirectory) -> None:
        self.state_dir = Path(state_dir).resolve()
        self.settings = settings
        self.agencies = agencies
        self.pki = DevPki(self.state_dir / "pki")
        self.identity_dir = self.state_dir / "identity"
        self.issuer_pid_file = self.state_dir / ISSUER_PID_FILE
        self.issuer_log = self.state_dir / "issuer.log"

    def start(
        self, timeout: float = 90.0, brokers: int = 1
    ) -> tuple[KafkaLauncher, SecuredLocalStack]:
        """Issuer, then Kafka (``brokers`` nodes), then topics and ACLs; return the Kafka and
        how to reach it."""
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self.pki.issue(HTTP_CERT_NAME)
        node = self.pki.issue(NODE_PRINCIPAL, client=True)
        running = read_pid(self.issuer_pid_file) is not None
        url = DevIssuer.recorded_url(self.identity_dir) if running else None
        if url is None:
            stop_process_group(self.issuer_pid_file)
            url = f"https://127.0.0.1:{free_loopback_port()}"
        issuer = DevIssuer.open(self.identity_dir, self.settings, self.agencies, issuer_url=url)
        if not running:
            self._spawn_issuer(url)
        self._wait_for_issuer(url, timeout=30.0)
        security = kafka_security(
            jwks_url=issuer.jwks_uri,
            issuer=issuer.issuer_url,
            audience=issuer.audience,
            pki=self.pki,
            node_keystore=node.bundle_file,
            settings=self.settings,
        )
        kafka = local_kafka(self.state_dir, brokers, security)
        bootstrap = kafka.start(timeout=timeout if brokers == 1 else timeout + 30.0)
        stack = SecuredLocalStack(bootstrap, url, self.pki.ca_file, self.identity_dir / "clients")
        asyncio.run(provision(stack, self.settings, self.agencies))
        return kafka, stack

    def stop_issuer(self) -> None:
        """Stop the issuer process, if one runs; idempotent."""
        stop_process_group(self.issuer_pid_file)

    def _spawn_issuer(self, url: str) -> None:
        port = url.rsplit(":", 1)[1]
        command = [sys.executable, "-m", "broker.cli", "identity", "issuer"]
        command += ["--state", str(self.state_dir), "--port", port]
        spawn_detached(command, self.issuer_log, self.issuer_pid_file, dict(os.environ))

    def _wait_for_issuer(self, url: str, timeout: float) -> None:
        context = ssl.create_default_context(cafile=str(self.pki.ca_file))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if httpx.get(url + _DISCOVERY, verify=context, timeout=2.0).status_code == 200:
                    log.info("stack.issuer_ready", issuer=url)
                    return
            except httpx.HTTPError:
                pass
            if read_pid(self.issuer_pid_file) is None:
                raise StackError(f"development issuer exited during start; see {self.issuer_log}")
            time.sleep(0.2)
        self.stop_issuer()
        raise StackError(
            f"development issuer not ready after {timeout:.0f}s; see {self.issuer_log}"
        )
