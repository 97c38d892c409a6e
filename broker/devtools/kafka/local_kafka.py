"""Run a real Kafka node (KRaft, broker+controller) from Maven Central jars.

Alone by default; a node of a local cluster when given a :class:`ClusterMember` (see
:mod:`broker.devtools.kafka.local_kafka_cluster`). Everything of a single node lives under
``<state_dir>/kafka/`` (a cluster node's under its member folder): ``launch.json`` (cluster id
and ports, kept so a restart reuses them), ``data/`` (the formatted log dir), ``server.properties``,
``server.log`` (the JVM's output) and ``kafka.pid``. The JVM runs detached in its own
session, so it outlives the Python process that started it until ``stop()`` is called.

The JVM and the storage tool run with umask 077, so segments, checkpoints and ``server.log``
are owner-only; the OAUTHBEARER validator's loggers are off
(:data:`broker.devtools.kafka.jvm.QUIET_LOGGERS`), so a refused token and its claims never
reach ``server.log``. Helpers do the rest: :mod:`~broker.devtools.kafka.node_storage`
(formatting), :mod:`~broker.devtools.kafka.jvm` (the command line),
:mod:`~broker.devtools.kafka.admin_probe` (readiness), :mod:`broker.devtools.ports` and
:mod:`broker.devtools.processes`.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import signal
import ssl
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

import structlog

from broker.devtools.kafka.admin_probe import describe_cluster
from broker.devtools.kafka.jars import (
    KAFKA_VERSION,
    KafkaToolingError,
    ensure_kafka_jars,
    require_executable,
)
from broker.devtools.kafka.jvm import kafka_server_command
from broker.devtools.kafka.node_launch import ClusterMember, KafkaStartError, NodeLaunch
from broker.devtools.kafka.node_storage import (
    format_storage,
    formatted_cluster_id,
    new_cluster_id,
)
from broker.devtools.kafka.server_properties import render_properties, single_node_properties
from broker.devtools.kafka.server_security import KafkaSecurity, secured_single_node_properties
from broker.devtools.ports import LOOPBACK, free_ports, port_free, port_open
from broker.devtools.processes import (
    read_log_tail,
    reap,
    runs_command,
    signal_group,
    start_detached,
    tail_text,
)
from broker.devtools.started import StartedOnEnter

__all__ = ["KAFKA_VERSION", "KafkaStartError", "KafkaToolingError", "LocalKafka"]

NODE_ID = 1
_POLL_S = 0.2

log = structlog.get_logger(__name__)


class LocalKafka(StartedOnEnter):
    """A Kafka node whose files live in ``state_dir/kafka`` (alone) or its member folder.

    ``cache_dir`` is the jar cache root (default: ``jars.default_cache_root()``; jars go
    to ``<cache_dir>/<version>/lib``). ``port`` fixes the client port; otherwise a free loopback
    port is chosen on first start and reused by later starts of the same state dir.

    ``security`` (opt-in) makes the node authenticate and authorise: OAUTHBEARER on the
    client port, mutual TLS on the internal and controller ports, ACLs enforced (see
    :mod:`broker.devtools.kafka.server_security`). Without it the node is plaintext on loopback.

    ``member`` makes this one node of a local cluster: its folder, ids and ports come from
    the cluster (``port`` is then ignored) and its heap is smaller.
    """

    def __init__(
        self,
        state_dir: Path,
        cache_dir: Path | None = None,
        version: str = KAFKA_VERSION,
        port: int | None = None,
        security: KafkaSecurity | None = None,
        member: ClusterMember | None = None,
    ) -> None:
        self.state_dir = Path(state_dir).resolve()
        self.security = security
        self.cache_dir = cache_dir
        self.version = version
        self.member = member
        self._requested_port = member.launch.port if member else port
        self.home = member.home.resolve() if member else self.state_dir / "kafka"
        self.data_dir = self.home / "data"
        self.properties_path = self.home / "server.properties"
        self.log_path = self.home / "server.log"
        self.pid_path = self.home / "kafka.pid"
        self.launch_path = self.home / "launch.json"
        self._proc: subprocess.Popen[bytes] | None = None
        self._launch: NodeLaunch | None = self._read_launch()

    @property
    def bootstrap_servers(self) -> str:
        """The ``host:port`` clients connect to; known once a port was chosen."""
        port = self._launch.port if self._launch else self._requested_port
        if port is None:
            raise KafkaStartError(f"Kafka in {self.home} has no port yet; call start() first")
        return f"{LOOPBACK}:{port}"

    def ensure_jars(self) -> Path:
        """Return the folder of Kafka jars, downloading them with Maven on first use."""
        return ensure_kafka_jars(self.version, self.cache_dir)

    def is_running(self) -> bool:
        """Return whether this state dir's Kafka JVM is alive (not whether it is ready)."""
        return self._running_pid() is not None

    def start(self, timeout: float = 90.0) -> str:
        """Start Kafka (formatting storage on first use), wait until it answers; return bootstrap.

        If it is already running and answers, returns at once. ``timeout`` bounds the wait
        for readiness after the JVM is launched (a first jar download is not counted). Raises
        ``KafkaStartError`` with the last lines of ``server.log`` if the JVM exits early or
        is not ready in time; the JVM is then stopped.
        """
        self.home.mkdir(parents=True, exist_ok=True)
        with self._locked():
            started = time.monotonic()
            launched = self._launch_locked()
            self._await_ready(timeout, launched, started, stop=self._stop_locked)
            return self.bootstrap_servers

    def launch(self) -> bool:
        """Format (first use) and spawn the JVM without waiting for it; False if it already ran.

        A node of a cluster cannot become ready alone (it needs a quorum), so a cluster
        launches every node first, then waits for each with :meth:`wait_ready`.
        """
        self.home.mkdir(parents=True, exist_ok=True)
        with self._locked():
            return self._launch_locked()

    def wait_ready(self, timeout: float = 90.0, *, launched: bool = True) -> None:
        """Wait until the node answers and is registered; if ``launched`` (by this call's
        :meth:`launch`) and it does not, stop it.

        Raises ``KafkaStartError`` with the end of ``server.log`` if the JVM exits or is not
        ready within ``timeout`` seconds.
        """
        self._await_ready(timeout, launched, time.monotonic(), stop=self.stop)

    def _await_ready(
        self, timeout: float, launched: bool, started: float, stop: Callable[[float], None]
    ) -> None:
        launch = self._launch
        if launch is None:
            raise KafkaStartError(f"Kafka in {self.home} was never launched; call start()")
        try:
            self._wait_ready(launch, time.monotonic() + timeout, pid_owned=launched)
        except BaseException:
            if launched:
                stop(15.0)
            raise
        if not launched:
            log.info("kafka.already_running", bootstrap=self.bootstrap_servers)
            return
        log.info(
            "kafka.started",
            bootstrap=self.bootstrap_servers,
            node_id=launch.node_id,
            pid=self._running_pid(),
            seconds=round(time.monotonic() - started, 1),
            state_dir=str(self.home),
        )

    def kill(self) -> int | None:
        """``kill -9`` the JVM at once (a crash, no controlled shutdown); return its pid."""
        if not self.home.is_dir():
            return None
        with self._locked():
            pid = self._running_pid()
            if pid is None:
                return None
            signal_group(pid, signal.SIGKILL)
            if not self._wait_exit(pid, 10.0):
                raise KafkaStartError(f"Kafka pid {pid} ({self.home}) survived SIGKILL")
            self.pid_path.unlink(missing_ok=True)
            self._proc = None
            log.info("kafka.killed", pid=pid, state_dir=str(self.home))
            return pid

    @property
    def pid(self) -> int | None:
        """The JVM's pid while it runs."""
        return self._running_pid()

    def _launch_locked(self) -> bool:
        self._launch = self._read_launch()
        if self._running_pid() is not None:
            if self._launch is not None:
                return False
            self._stop_locked(timeout=30.0)  # running, but its launch record is gone
        self.pid_path.unlink(missing_ok=True)
        java = require_executable("java", f"run Kafka {self.version}")
        lib = self.ensure_jars()
        launch = self._prepare_launch()
        self._write_properties(launch)
        self._check_ports_free(launch)
        self._format_once(java, lib, launch)
        self._spawn(java, lib)
        return True

    def stop(self, timeout: float = 30.0) -> None:
        """Stop the JVM (SIGTERM to its process group, SIGKILL after ``timeout``); idempotent."""
        if not self.home.is_dir():
            return
        with self._locked():
            self._stop_locked(timeout)

    # -- state ------------------------------------------------------------------------------

    def _read_launch(self) -> NodeLaunch | None:
        try:
            raw: Any = json.loads(self.launch_path.read_text(encoding="utf-8"))
            return NodeLaunch(**raw)
        except FileNotFoundError:
            return None
        except (ValueError, TypeError) as exc:
            raise KafkaStartError(
                f"{self.launch_path} is not a valid launch record ({exc}); delete it to reset"
            ) from exc

    def _prepare_launch(self) -> NodeLaunch:
        launch = self._read_launch()
        if self.member is not None:
            launch = NodeLaunch(**asdict(self.member.launch))
        elif launch is None:
            cluster_id = formatted_cluster_id(self.data_dir) or new_cluster_id()
            port, controller_port = free_ports(2)
            launch = NodeLaunch(self.version, cluster_id, NODE_ID, port, controller_port)
        if self.security is not None and launch.internal_port is None:
            taken = {launch.port, launch.controller_port, self._requested_port}
            launch.internal_port = next(p for p in free_ports(3) if p not in taken)
        if self._requested_port is not None:
            launch.port = self._requested_port
        if launch.port == launch.controller_port:
            raise KafkaStartError(
                f"port {launch.port} is also the controller port in {self.launch_path}"
            )
        launch.version = self.version
        tmp = self.launch_path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(asdict(launch), indent=1), encoding="utf-8")
        tmp.replace(self.launch_path)
        self._launch = launch
        return launch

    def _write_properties(self, launch: NodeLaunch) -> None:
        if self.security is not None:
            assert launch.internal_port is not None
            props = secured_single_node_properties(
                port=launch.port,
                internal_port=launch.internal_port,
                controller_port=launch.controller_port,
                log_dir=self.data_dir,
                security=self.security,
                node_id=launch.node_id,
                host=LOOPBACK,
                **self._quorum(),
            )
        else:
            props = single_node_properties(
                port=launch.port,
                controller_port=launch.controller_port,
                log_dir=self.data_dir,
                node_id=launch.node_id,
                host=LOOPBACK,
                **self._quorum(),
            )
        header = (
            "Written by broker.devtools.kafka.local_kafka on every start; edits are overwritten."
        )
        self.properties_path.write_text(render_properties(props, header), encoding="utf-8")

    def _quorum(self) -> dict[str, Any]:
        if self.member is None:
            return {}
        return {
            "voters": self.member.voters,
            "replication_factor": self.member.replication_factor,
        }

    def _format_once(self, java: str, lib: Path, launch: NodeLaunch) -> None:
        formatted = formatted_cluster_id(self.data_dir)
        if formatted is not None:
            if formatted != launch.cluster_id:
                raise KafkaStartError(
                    f"{self.data_dir} belongs to cluster {formatted!r}, but {self.launch_path} "
                    f"says {launch.cluster_id!r}; delete {self.home} to reset"
                )
            return
        format_storage(java, lib, launch.cluster_id, self.properties_path, self.data_dir, self.home)

    def _check_ports_free(self, launch: NodeLaunch) -> None:
        ports = [("client", launch.port), ("controller", launch.controller_port)]
        if self.security is not None and launch.internal_port is not None:
            ports.append(("internal", launch.internal_port))
        for name, port in ports:
            if not port_free(port):
                raise KafkaStartError(
                    f"{name} port {port} (from {self.launch_path}) is in use by another "
                    f"process; stop it or delete {self.launch_path}"
                )

    # -- process ----------------------------------------------------------------------------

    def _spawn(self, java: str, lib: Path) -> None:
        if self.log_path.exists():
            self.log_path.replace(self.log_path.with_suffix(".log.1"))
        command = kafka_server_command(
            java,
            lib,
            self.properties_path,
            cluster_node=self.member is not None,
            security=self.security,
        )
        self._proc = start_detached(command, self.log_path, cwd=self.home)
        self.pid_path.write_text(f"{self._proc.pid}\n", encoding="utf-8")

    def _wait_ready(self, launch: NodeLaunch, deadline: float, *, pid_owned: bool) -> None:
        probe_port, probe_options = self._probe(launch)
        bootstrap = f"{LOOPBACK}:{probe_port}"
        last_error = "no answer yet"
        while True:
            pid = self._running_pid()
            if pid is None:
                code = self._proc.poll() if (pid_owned and self._proc) else None
                raise KafkaStartError(
                    f"Kafka exited (code {code}) before it was ready on {bootstrap}; "
                    f"{self.log_path} ends: {tail_text(read_log_tail(self.log_path))}"
                )
            if port_open(probe_port):
                try:
                    cluster = describe_cluster(bootstrap, probe_options)
                except Exception as exc:  # not ready yet: any client error means retry
                    last_error = f"{type(exc).__name__}: {exc}"
                else:
                    found = cluster.get("cluster_id")
                    if found != launch.cluster_id:
                        raise KafkaStartError(
                            f"{bootstrap} answers for cluster {found!r}, not this state dir's "
                            f"{launch.cluster_id!r}: another Kafka holds port {launch.port}"
                        )
                    if any(b.get("node_id") == launch.node_id for b in cluster["brokers"]):
                        return
                    last_error = "broker not yet registered"
            if time.monotonic() > deadline:
                raise KafkaStartError(
                    f"Kafka on {bootstrap} not ready in time ({last_error}); "
                    f"{self.log_path} ends: {tail_text(read_log_tail(self.log_path))}"
                )
            time.sleep(_POLL_S)

    def admin_access(self) -> tuple[str, dict[str, Any]]:
        """Where and with which aiokafka options this node's own admin view is asked for
        (plaintext; a secured node over mutual TLS as the node principal)."""
        launch = self._launch or self._read_launch()
        if launch is None:
            raise KafkaStartError(f"Kafka in {self.home} has no launch record; call start()")
        port, options = self._probe(launch)
        return f"{LOOPBACK}:{port}", options

    def _probe(self, launch: NodeLaunch) -> tuple[int, dict[str, Any]]:
        """Where and how readiness is asked: a secured node over mutual TLS, as itself."""
        if self.security is None or launch.internal_port is None:
            return launch.port, {}
        context = ssl.create_default_context(cafile=str(self.security.ca_file))
        context.load_cert_chain(str(self.security.node_keystore))
        return launch.internal_port, {"security_protocol": "SSL", "ssl_context": context}

    def _running_pid(self) -> int | None:
        if self._proc is not None and self._proc.poll() is None:
            return self._proc.pid
        try:
            pid = int(self.pid_path.read_text(encoding="utf-8").strip())
        except (FileNotFoundError, ValueError):
            return None
        return pid if self._is_this_kafka(pid) else None

    def _stop_locked(self, timeout: float) -> None:
        pid = self._running_pid()
        if pid is None:
            self.pid_path.unlink(missing_ok=True)
            self._proc = None
            return
        started = time.monotonic()
        signal_group(pid, signal.SIGTERM)
        graceful = self._wait_exit(pid, timeout)
        if not graceful:
            log.warning("kafka.stop_forced", pid=pid, after_seconds=timeout)
            signal_group(pid, signal.SIGKILL)
            if not self._wait_exit(pid, 10.0):
                raise KafkaStartError(f"Kafka pid {pid} ({self.home}) survived SIGKILL")
        self.pid_path.unlink(missing_ok=True)
        self._proc = None
        log.info(
            "kafka.stopped",
            pid=pid,
            graceful=graceful,
            seconds=round(time.monotonic() - started, 1),
            state_dir=str(self.home),
        )

    def _wait_exit(self, pid: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while True:
            if self._proc is not None and self._proc.pid == pid:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self._proc.wait(timeout=_POLL_S)
                    return True
            else:
                reap(pid)
                if not self._is_this_kafka(pid):
                    return True
                time.sleep(_POLL_S)
            if time.monotonic() > deadline:
                return False

    def _is_this_kafka(self, pid: int) -> bool:
        """Whether ``pid`` is a live Kafka JVM started with this node's properties."""
        return runs_command(pid, b"kafka.Kafka", str(self.properties_path).encode())

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        with (self.home / ".lock").open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
