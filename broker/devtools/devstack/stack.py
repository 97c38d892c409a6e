"""The local development stack: a real Kafka broker, the router, the log writer and the HTTP
API (portal and console), in the background, with authentication and ACLs on by default.

Secured (the default): the development OIDC issuer (HTTPS, loopback) as its own process,
Kafka with SASL/OAUTHBEARER over TLS and the registry's ACLs, and the router and log writer
connecting as their own principals (``iom-router``, ``iom-log-writer``) with their
``private_key_jwt`` keys from ``<state>/identity/clients/``. ``secure=False``
(``dev up --insecure``) keeps everything plaintext on loopback, for debugging.

``brokers=3`` (``dev up --brokers 3``) runs a three-node Kafka cluster on loopback instead of
one node; topics then get 3 replicas and ``min.insync.replicas=2``.

The log's checkpoints are cosigned by a real witness, litewitness (filippo.io/torchwood,
built with ``go install`` into ``.cache/witness`` on first use, before anything starts), with
its key in a private ssh-agent and its state in ``<state>/witness/``; receipts call it by a
plain development name. ``witness=False`` (``dev up --no-witness``) runs without one, for a
machine without Go 1.24: checkpoints are then signed by the log alone.

``up`` writes ``<state>/stack.json`` describing what runs; ``down`` stops everything it
started, the issuer, the witness and every Kafka node included.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import ssl
import sys
import time
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

import structlog

from broker.agency_registry import load_agencies
from broker.devtools.devstack.errors import StackError
from broker.devtools.devstack.secured_kafka import ISSUER_PID_FILE, SecuredDevKafka
from broker.devtools.devstack.stack_access import StackAccess
from broker.devtools.identity.dev_clients import DevClientStore
from broker.devtools.identity.dev_pki import DevPki
from broker.devtools.identity.web_clients import register_redirect_uris
from broker.devtools.kafka.kafka_launcher import local_kafka, recorded_local_kafka
from broker.devtools.kafka.node_launch import KafkaStartError
from broker.devtools.kafka.secured_local_kafka import HTTP_CERT_NAME
from broker.devtools.keycloak.dev_realm import DevRealm
from broker.devtools.keycloak.keycloak_kafka import KeycloakSecuredKafka
from broker.devtools.keycloak.local_keycloak import LocalKeycloak
from broker.devtools.ports import port_free
from broker.devtools.processes import read_pid, spawn_detached, stop_process_group
from broker.devtools.witness.dev_witness import (
    DEV_WITNESS_NAME_CY,
    DEV_WITNESS_NAME_EN,
    DevWitness,
    RunningWitness,
)
from broker.devtools.witness.litewitness_install import WitnessToolingError, ensure_litewitness
from broker.domain.agency import AgencyDirectory
from broker.kafka.topic_admin import ensure_topic_plan
from broker.secrets.owner_only import make_owner_only, owner_only_umask
from broker.settings import Settings
from broker.transparency.keys import load_signer

__all__ = ["DevStack", "IdentityProvider", "StackError", "StackInfo"]

IdentityProvider = Literal["dev-issuer", "keycloak"]

log = structlog.get_logger(__name__)

API_PID_FILE = "api.pid"


@dataclass(frozen=True)
class StackInfo:
    """What ``stack.json`` records about a running stack."""

    state_dir: str
    bootstrap_servers: str
    router_pid: int | None
    api_url: str | None = None
    token_issuer_url: str | None = None
    log_writer_pid: int | None = None
    log_store: str | None = None
    kafka_auth: bool = False
    """SASL/OAUTHBEARER + ACLs on (``dev up``) or plaintext (``dev up --insecure``)."""
    ca_file: str | None = None
    """The development CA that Kafka's and the issuer's certificates chain to."""
    issuer_pid: int | None = None
    api_pid: int | None = None
    brokers: int = 1
    """Kafka nodes (``bootstrap_servers`` lists each)."""
    witness_vkeys: tuple[str, ...] = ()
    """Cosignature keys of the witnesses of the log (the stack's litewitness)."""
    witness_url: str | None = None
    witness_pid: int | None = None
    statistics_pid: int | None = None
    statistics_store: str | None = None
    identity_provider: str = "dev-issuer"
    """Who issues the stack's tokens: ``dev-issuer`` or ``keycloak`` (``dev up --identity``)."""
    token_url: str | None = None
    """The token endpoint, when not ``<issuer>/token`` (Keycloak's)."""
    jwks_url: str | None = None
    """The issuer's JWKS, when not ``<issuer>/jwks.json`` (Keycloak's)."""
    keycloak_pid: int | None = None


def log_store_env(state_dir: Path, store_url: str) -> dict[str, str]:
    """The settings that open the stack's transparency log: its store and its two keys."""
    keys = state_dir / "keys"
    return {
        "IOM_TRANSPARENCY__STORE_URL": store_url,
        "IOM_TRANSPARENCY__SIGNING_KEY_FILE": str(keys / "log-signing.key"),
        "IOM_TRANSPARENCY__SUBJECT_INDEX_KEY_FILE": str(keys / "log-subject-index.key"),
    }


class DevStack:
    """Kafka, the router and the log writer (and, secured, the issuer) in one state dir."""

    def __init__(
        self,
        state_dir: Path,
        settings: Settings,
        *,
        secure: bool = True,
        brokers: int = 1,
        witness: bool = True,
        identity: IdentityProvider = "dev-issuer",
    ) -> None:
        if brokers < 1:
            raise StackError(f"--brokers {brokers} must be at least 1")
        self.identity = identity
        self.state_dir = state_dir.resolve()
        self._settings = settings
        self.secure = secure
        self.brokers = brokers
        self.witness = witness
        """Run the development witness (litewitness); False: checkpoints go uncosigned."""
        self._router_pid_file = self.state_dir / "router.pid"
        self.router_log = self.state_dir / "router.log"
        self._log_writer_pid_file = self.state_dir / "log-writer.pid"
        self.log_writer_log = self.state_dir / "log-writer.log"
        self.log_store_url = f"sqlite:///{self.state_dir / 'transparency' / 'log.sqlite3'}"
        self._statistics_pid_file = self.state_dir / "statistics.pid"
        self.statistics_log = self.state_dir / "statistics.log"
        self.statistics_store_url = (
            f"sqlite:///{self.state_dir / 'statistics' / 'statistics.sqlite3'}"
        )
        self.stack_file = self.state_dir / "stack.json"
        self._witness: RunningWitness | None = None
        self._api_port: int | None = None
        self._keycloak_realm: DevRealm | None = None

    @property
    def subject_key_file(self) -> Path:
        """The stack's own subject key (development only)."""
        return self.state_dir / "keys" / "subject.key"

    def up(self, router_timeout: float = 90.0) -> StackInfo:
        """Start Kafka (secured: the issuer first), create topics (and ACLs), start the router
        and the log writer; return once both are ready.

        Everything in the state folder is owner-only (0700 folders, 0600 files): a reused
        folder is tightened first, everything is created under umask 077, and the processes
        started (Kafka's JVM included) run with umask 077.
        """
        with owner_only_umask():
            self.state_dir.mkdir(parents=True, exist_ok=True)
            make_owner_only(self.state_dir)
            info = self._up(router_timeout)
            make_owner_only(self.state_dir)
        return info

    def _up(self, router_timeout: float) -> StackInfo:
        agencies = load_agencies(self._settings.agencies_file)
        if self.witness:
            try:  # before anything starts: without Go the stack is not half up
                ensure_litewitness()
            except WitnessToolingError as error:
                raise StackError(f"witness: {error}") from error
        api_url = self._recorded_api_url()
        if read_pid(self.state_dir / API_PID_FILE) is None or api_url is None:
            api_url = None
        try:
            access = self._start_kafka(agencies, api_url or self._planned_api_url())
        except KafkaStartError as error:
            raise StackError(str(error)) from error
        router_pid = read_pid(self._router_pid_file)
        if router_pid is None:
            router_pid = self._start_router(access, router_timeout)
        witness = self._start_witness() if self.witness else None
        log_writer_pid = read_pid(self._log_writer_pid_file)
        if log_writer_pid is None:
            log_writer_pid = self._start_log_writer(access, router_timeout)
        statistics_pid = read_pid(self._statistics_pid_file)
        if statistics_pid is None:
            statistics_pid = self._start_statistics(access, router_timeout)
        if api_url is None:
            api_url = self._start_api(access, router_timeout)
        info = StackInfo(
            str(self.state_dir),
            access.bootstrap_servers,
            router_pid,
            api_url=api_url,
            token_issuer_url=access.secured.issuer_url if access.secured else None,
            log_writer_pid=log_writer_pid,
            log_store=self.log_store_url,
            kafka_auth=access.secured is not None,
            ca_file=str(access.secured.ca_file) if access.secured else None,
            issuer_pid=read_pid(self.state_dir / ISSUER_PID_FILE),
            api_pid=read_pid(self.state_dir / API_PID_FILE),
            brokers=self.brokers,
            witness_vkeys=(witness.vkey,) if witness else (),
            witness_url=witness.url if witness else None,
            witness_pid=witness.pid if witness else None,
            statistics_pid=statistics_pid,
            statistics_store=self.statistics_store_url,
            identity_provider=self.identity if access.secured else "none",
            token_url=access.secured.token_url if access.secured else None,
            jwks_url=access.secured.jwks_url if access.secured else None,
            keycloak_pid=LocalKeycloak(self.state_dir).running_pid,
        )
        self.stack_file.write_text(json.dumps(asdict(info), indent=2) + "\n")
        log.info("stack.up", state_dir=str(self.state_dir))
        return info

    def down(self) -> None:
        """Stop the router and the log writer, then Kafka, then the issuer; leaves nothing
        running."""
        stop_process_group(self.state_dir / API_PID_FILE)
        stop_process_group(self._router_pid_file)
        stop_process_group(self._log_writer_pid_file)
        stop_process_group(self._statistics_pid_file)
        DevWitness(self.state_dir / "witness").stop()
        recorded_local_kafka(self.state_dir).stop()
        stop_process_group(self.state_dir / ISSUER_PID_FILE)
        LocalKeycloak(self.state_dir).stop()
        self.stack_file.unlink(missing_ok=True)
        log.info("stack.down", state_dir=str(self.state_dir))

    def _planned_api_url(self) -> str:
        """The URL the API will answer on: its port chosen now (the last one again if free, so
        Keycloak's realm, whose redirect URIs name it, need not change), before it starts."""
        port_file = self.state_dir / "api.port"
        try:
            port = int(port_file.read_text("utf-8"))
        except (OSError, ValueError):
            port = 0
        if not port or not port_free(port):
            port = _free_port()
            port_file.write_text(str(port), "utf-8")
        self._api_port = port
        return f"https://127.0.0.1:{port}"

    def _start_kafka(self, agencies: AgencyDirectory, api_url: str) -> StackAccess:
        """Kafka (``brokers`` nodes), its topics (and, secured, the issuer or Keycloak, and
        ACLs)."""
        kafka = self._settings.kafka
        if self.secure and self.identity == "keycloak":
            DevPki(self.state_dir / "pki").issue(HTTP_CERT_NAME)  # the API's certificate
            stack = KeycloakSecuredKafka(
                self.state_dir,
                self._settings,
                agencies,
                brokers=self.brokers,
                redirect_uris=_redirect_uris(api_url),
            ).start()
            self._keycloak_realm = stack.realm
            return StackAccess(stack.kafka.bootstrap_servers, stack.kafka)
        if self.secure:
            secured_kafka = SecuredDevKafka(self.state_dir, self._settings, agencies)
            _, secured = secured_kafka.start(brokers=self.brokers)
            return StackAccess(secured.bootstrap_servers, secured)
        bootstrap = local_kafka(self.state_dir, self.brokers).start()
        created = asyncio.run(
            ensure_topic_plan(
                bootstrap,
                agencies.ids,
                replication_factor=kafka.replication_factor,
                min_insync_replicas=kafka.min_insync_replicas,
            )
        )
        log.info("stack.topics_ready", created=len(created))
        return StackAccess(bootstrap)

    def access(self) -> StackAccess:
        """How to reach the running stack (from ``stack.json``)."""
        return StackAccess.from_stack_file(self.stack_file)

    def restart_router(self, router_timeout: float = 90.0) -> int:
        """Stop (if running) and start the router against the running Kafka."""
        stop_process_group(self._router_pid_file)
        return self._start_router(self.access(), router_timeout)

    def _start_router(self, access: StackAccess, timeout: float) -> int:
        env = {
            **os.environ,
            **access.process_env(self._settings.security.router_principal),
            "IOM_SUBJECT_KEY_FILE": str(self.subject_key_file),
            "IOM_AGENCIES_FILE": str(self._settings.agencies_file),
            "IOM_POLICY_FILE": str(self._settings.policy_file),
            "IOM_SCHEMA_DIR": str(self._settings.schema_dir),
        }
        command = [sys.executable, "-m", "broker.cli", "router", "run"]
        return self._spawn_ready(
            "router", command, self.router_log, self._router_pid_file, env, timeout
        )

    def _start_log_writer(self, access: StackAccess, timeout: float) -> int:
        env = {
            **os.environ,
            **access.process_env(self._settings.security.log_writer_principal),
            **self._transparency_env(),
        }
        command = [sys.executable, "-m", "broker.cli", "log", "writer", "run"]
        log_file, pid_file = self.log_writer_log, self._log_writer_pid_file
        return self._spawn_ready("log writer", command, log_file, pid_file, env, timeout)

    def _start_witness(self) -> RunningWitness:
        """The stack's litewitness (built on first use), witnessing this log's origin and key."""
        origin = self._settings.transparency.origin
        signer = load_signer(self.state_dir / "keys" / "log-signing.key", origin)
        try:
            self._witness = DevWitness(self.state_dir / "witness").start(
                origin, signer.verifier.vkey
            )
        except WitnessToolingError as error:
            raise StackError(f"witness: {error}") from error
        return self._witness

    def _start_statistics(self, access: StackAccess, timeout: float) -> int:
        """The statistics service (``stats run``) as ``iom-statistics``; its SQLite store."""
        env = {
            **os.environ,
            **access.process_env(self._settings.security.statistics_principal),
            "IOM_SCHEMA_DIR": str(self._settings.schema_dir),
            "IOM_AGENCIES_FILE": str(self._settings.agencies_file),
            "IOM_POLICY_FILE": str(self._settings.policy_file),
            "IOM_STATISTICS__STORE_URL": self.statistics_store_url,
        }
        command = [sys.executable, "-m", "broker.cli", "stats", "run"]
        log_file, pid_file = self.statistics_log, self._statistics_pid_file
        return self._spawn_ready("statistics service", command, log_file, pid_file, env, timeout)

    def _spawn_ready(
        self,
        name: str,
        command: list[str],
        log_file: Path,
        pid_file: Path,
        env: dict[str, str],
        timeout: float,
    ) -> int:
        """Start ``command`` in the background and return its pid once it is ready: once its
        ready file (``<pid file>.ready``, ``IOM_READY_FILE``) exists, a signal that does not
        depend on the log level. Raises StackError if it exits first or is not ready in time."""
        ready = pid_file.with_suffix(".ready")
        ready.unlink(missing_ok=True)
        pid = spawn_detached(command, log_file, pid_file, {**env, "IOM_READY_FILE": str(ready)})
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if ready.exists():
                return pid
            if read_pid(pid_file) is None:
                raise StackError(f"{name} exited during start; see {log_file}")
            time.sleep(0.2)
        stop_process_group(pid_file)
        raise StackError(f"{name} not ready after {timeout:.0f}s; see {log_file}")

    def _transparency_env(self) -> dict[str, str]:
        """Settings shared by the log writer and the API: one log store, its keys, its
        witnesses."""
        env = {
            "IOM_SCHEMA_DIR": str(self._settings.schema_dir),
            **log_store_env(self.state_dir, self.log_store_url),
        }
        witness = self._witness
        if witness is not None:
            named = {"name_en": DEV_WITNESS_NAME_EN, "name_cy": DEV_WITNESS_NAME_CY}
            env["IOM_TRANSPARENCY__WITNESSES"] = json.dumps(
                [{"url": witness.url, "vkey": witness.vkey, **named}]
            )
        return env

    def _recorded_api_url(self) -> str | None:
        if not self.stack_file.exists():
            return None
        url = json.loads(self.stack_file.read_text()).get("api_url")
        return str(url) if url else None

    def _start_api(self, access: StackAccess, timeout: float) -> str:
        """Start the HTTP API on a free loopback port (HTTPS with the dev CA's certificate when
        secured); return its URL once /healthz answers."""
        env = {
            **os.environ,
            **access.process_env(self._settings.security.admin_principal),
            **self._transparency_env(),
            "IOM_AGENCIES_FILE": str(self._settings.agencies_file),
            "IOM_POLICY_FILE": str(self._settings.policy_file),
            "IOM_API__STORE_URL": f"sqlite:///{self.state_dir / 'api' / 'records.sqlite3'}",
            "IOM_STATISTICS__STORE_URL": self.statistics_store_url,
        }
        tls: ssl.SSLContext | None = None
        port = self._api_port or _free_port()
        if access.secured is not None:
            pki = self.state_dir / "pki"
            env["IOM_API__TLS_CERT_FILE"] = str(pki / f"{HTTP_CERT_NAME}.crt")
            env["IOM_API__TLS_KEY_FILE"] = str(pki / f"{HTTP_CERT_NAME}.key")
            env.update(self._sign_in_env(f"https://127.0.0.1:{port}"))
            tls = ssl.create_default_context(cafile=str(access.secured.ca_file))
        else:  # no issuer runs: there is no provider to check
            env["IOM_IDENTITY__CHECK_PROVIDER"] = "false"
        log_file, pid_file = self.state_dir / "api.log", self.state_dir / API_PID_FILE
        command = [sys.executable, "-m", "broker.cli", "api", "run", "--port", str(port)]
        spawn_detached(command, log_file, pid_file, env)
        url = f"{'https' if tls else 'http'}://127.0.0.1:{port}"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2, context=tls) as response:
                    if response.status == 200:
                        return url
            except OSError:
                pass
            if read_pid(pid_file) is None:
                raise StackError(f"API exited during start; see {log_file}")
            time.sleep(0.2)
        stop_process_group(pid_file)
        raise StackError(f"API not ready after {timeout:.0f}s; see {log_file}")

    def _sign_in_env(self, api_url: str) -> dict[str, str]:
        """Register the front ends' callbacks (at the dev issuer; Keycloak's realm has them
        already) and give the API its web client's key (``private_key_jwt``), so the portal
        and console sign in there."""
        identity = self.state_dir / "identity"
        client_id = self._settings.sign_in.client_id
        key_file = DevClientStore(identity / "clients").ensure(client_id).key_file
        env = {"IOM_SIGN_IN__CLIENT_KEY_FILE": str(key_file)}
        realm = self._keycloak_realm
        if realm is not None:
            env["IOM_SIGN_IN__AUTHORIZATION_URL"] = realm.authorization_url
            env["IOM_SIGN_IN__TOKEN_URL"] = realm.token_url
            return env
        register_redirect_uris(identity, client_id, _redirect_uris(api_url))
        return env


def _redirect_uris(api_url: str) -> list[str]:
    """The portal's and the console's sign-in callbacks at ``api_url``."""
    return [f"{api_url}/portal/signed-in", f"{api_url}/console/signed-in"]


def _free_port() -> int:
    """A TCP port free on loopback now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
