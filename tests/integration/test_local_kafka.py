"""The local Kafka launcher, its jar cache and topic creation, against a real broker."""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from structlog.testing import capture_logs

from broker.devtools.kafka import jars, jvm
from broker.devtools.kafka.jars import KafkaToolingError, ensure_kafka_jars, ensure_kafka_tools_jars
from broker.devtools.kafka.local_kafka import KafkaStartError, LocalKafka
from broker.kafka.topic_admin import ensure_topics
from broker.kafka.topics import SUBJECTS_TOPIC, TopicSpec, topic_plan
from tests.support.agencies import TEST_AGENCIES


def _kafka_pids(kafka: LocalKafka) -> list[int]:
    """Pids of live Kafka JVMs started with this instance's server.properties."""
    wanted = str(kafka.properties_path).encode()
    pids = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            args = (proc / "cmdline").read_bytes().split(b"\0")
            state = (proc / "stat").read_text().rpartition(")")[2].split()[0]
        except OSError:
            continue
        if b"kafka.Kafka" in args and wanted in args and state != "Z":
            pids.append(int(proc.name))
    return pids


async def _topics(bootstrap: str, names: list[str]) -> dict[str, int]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        described = await admin.describe_topics(names)
    finally:
        await admin.close()
    return {t["topic"]: len(t["partitions"]) for t in described if t["error_code"] == 0}


async def _topic_config(bootstrap: str, topic: str, key: str) -> str:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        [response] = await admin.describe_configs(
            [ConfigResource(ConfigResourceType.TOPIC, topic, {key: None})]
        )
    finally:
        await admin.close()
    entries = response.resources[0][4]
    return str(next(e[1] for e in entries if e[0] == key))


# -- jar cache (no broker needed) -------------------------------------------------------------


def _fake_mvn(jar_names: list[str], calls: list[list[str]]) -> Any:
    def run(command: list[str], **_: Any) -> subprocess.CompletedProcess[str]:
        calls.append(command)
        out = Path(next(a for a in command if a.startswith("-DoutputDirectory=")).split("=", 1)[1])
        out.mkdir(parents=True, exist_ok=True)
        for name in jar_names:
            (out / name).write_bytes(b"PK")
        return subprocess.CompletedProcess(command, 0, "", "")

    return run


def test_completed_jar_cache_is_reused_without_calling_maven(tmp_path: Path) -> None:
    """Once a download completed, later calls return the cached jars and never run mvn."""
    calls: list[list[str]] = []
    first = ensure_kafka_jars("9.9.9", tmp_path, runner=_fake_mvn(["a.jar", "b.jar"], calls))

    def no_mvn(*_: Any, **__: Any) -> Any:
        raise AssertionError("mvn was called again")

    again = ensure_kafka_jars("9.9.9", tmp_path, runner=no_mvn)

    assert again == first == tmp_path / "9.9.9" / "lib"
    assert sorted(p.name for p in again.iterdir()) == ["a.jar", "b.jar"]
    assert len(calls) == 1
    assert "kafka_2.13</artifactId>" in (tmp_path / "9.9.9" / "pom.xml").read_text()


def test_tools_jars_are_their_own_cached_classpath_beside_the_brokers(tmp_path: Path) -> None:
    """kafka-tools is fetched into tools/ with its own POM and marker, once, leaving the
    broker's lib/ and its marker as they were."""
    calls: list[list[str]] = []
    lib = ensure_kafka_jars("9.9.9", tmp_path, runner=_fake_mvn(["server.jar"], calls))
    marker = (tmp_path / "9.9.9" / "complete.json").read_text()

    tools = ensure_kafka_tools_jars("9.9.9", tmp_path, runner=_fake_mvn(["tools.jar"], calls))
    again = ensure_kafka_tools_jars("9.9.9", tmp_path, runner=_fake_mvn(["other.jar"], calls))

    assert tools == again == tmp_path / "9.9.9" / "tools"
    assert [p.name for p in tools.iterdir()] == ["tools.jar"]
    assert [p.name for p in lib.iterdir()] == ["server.jar"]
    assert len(calls) == 2
    assert (tmp_path / "9.9.9" / "complete.json").read_text() == marker
    tools_pom = (tmp_path / "9.9.9" / "tools-pom.xml").read_text()
    assert "<artifactId>kafka-tools</artifactId>" in tools_pom
    assert "<version>9.9.9</version>" in tools_pom
    assert "kafka_2.13</artifactId>" in (tmp_path / "9.9.9" / "pom.xml").read_text()


def test_interrupted_download_is_redone(tmp_path: Path) -> None:
    """A partial download (no completion marker, or a listed jar gone) is fetched again."""
    calls: list[list[str]] = []
    runner = _fake_mvn(["a.jar"], calls)
    (tmp_path / "9.9.9" / "lib.partial").mkdir(parents=True)  # killed mid-download
    lib = ensure_kafka_jars("9.9.9", tmp_path, runner=runner)
    (lib / "a.jar").unlink()  # someone pruned the cache

    ensure_kafka_jars("9.9.9", tmp_path, runner=runner)

    assert len(calls) == 2
    assert (lib / "a.jar").is_file()
    assert not (tmp_path / "9.9.9" / "lib.partial").exists()


def test_maven_failure_is_one_line_with_the_end_of_its_output(tmp_path: Path) -> None:
    """A failed mvn run raises one line naming the version and quoting mvn's last lines."""
    output = "\n".join(f"[INFO] line {i}" for i in range(50)) + (
        "\n[ERROR] Could not resolve org.apache.kafka:kafka_2.13:jar:9.9.9\n"
    )

    def failing(command: list[str], **_: Any) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(command, 1, output, "")

    with pytest.raises(KafkaToolingError) as caught:
        ensure_kafka_jars("9.9.9", tmp_path, runner=failing)

    message = str(caught.value)
    assert "\n" not in message
    assert "mvn failed (exit 1) fetching Kafka 9.9.9" in message
    assert message.endswith("[ERROR] Could not resolve org.apache.kafka:kafka_2.13:jar:9.9.9")
    assert "line 10 " not in message
    assert not (tmp_path / "9.9.9" / "complete.json").exists()


def test_missing_maven_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without mvn on PATH the error says so in one line instead of a stack of subprocess."""
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(KafkaToolingError, match="'mvn' not found on PATH"):
        ensure_kafka_jars("9.9.9", tmp_path / "cache")


# -- one launcher of our own: start, restart, stop ---------------------------------------------


@pytest.fixture(scope="module")
def own_kafka(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalKafka]:
    kafka = LocalKafka(tmp_path_factory.mktemp("own-kafka"))
    kafka.start()
    yield kafka
    kafka.stop()


@pytest.mark.kafka
def test_start_when_running_returns_the_same_bootstrap_without_a_second_jvm(
    own_kafka: LocalKafka,
) -> None:
    """A second launcher on the same state dir finds the running broker and reuses it."""
    pid_before = own_kafka.pid_path.read_text()
    other = LocalKafka(own_kafka.state_dir)

    assert other.is_running()
    assert other.start() == own_kafka.bootstrap_servers
    assert own_kafka.pid_path.read_text() == pid_before
    assert len(_kafka_pids(own_kafka)) == 1


@pytest.mark.kafka
async def test_restart_reuses_jars_storage_and_port(
    own_kafka: LocalKafka, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After stop, a start of the same state dir skips mvn and formatting and keeps topics."""
    bootstrap = own_kafka.bootstrap_servers
    await ensure_topics(bootstrap, [TopicSpec("restart-probe", 2, 1)])
    marker = own_kafka.ensure_jars().parent / "complete.json"
    marker_mtime = marker.stat().st_mtime_ns
    meta_mtime = (own_kafka.data_dir / "meta.properties").stat().st_mtime_ns
    cluster_id = json.loads(own_kafka.launch_path.read_text())["cluster_id"]
    await asyncio.to_thread(own_kafka.stop)

    def no_download(*_: Any, **__: Any) -> Any:
        raise AssertionError("jars were downloaded again")

    monkeypatch.setattr(jars, "_download", no_download)
    with capture_logs() as events:
        restarted = await asyncio.to_thread(LocalKafka(own_kafka.state_dir).start)

    names = [e["event"] for e in events]
    assert restarted == bootstrap
    assert "kafka.started" in names
    assert "kafka.formatted" not in names and "kafka.jars.downloading" not in names
    assert marker.stat().st_mtime_ns == marker_mtime
    assert (own_kafka.data_dir / "meta.properties").stat().st_mtime_ns == meta_mtime
    assert json.loads(own_kafka.launch_path.read_text())["cluster_id"] == cluster_id
    assert await _topics(bootstrap, ["restart-probe"]) == {"restart-probe": 2}


@pytest.mark.kafka
def test_stop_leaves_no_java_process_and_is_idempotent(own_kafka: LocalKafka) -> None:
    """Stopping ends the JVM of this state dir, removes the pid file, and can be repeated."""
    assert len(_kafka_pids(own_kafka)) == 1

    own_kafka.stop()
    own_kafka.stop()

    assert _kafka_pids(own_kafka) == []
    assert not own_kafka.is_running()
    assert not own_kafka.pid_path.exists()


# -- failures a developer would hit -------------------------------------------------------------


@pytest.mark.kafka
def test_jvm_that_exits_early_is_reported_with_the_end_of_its_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the JVM dies before answering, start() raises one line quoting server.log."""
    monkeypatch.setattr(jvm, "JVM_OPTS", ("-XX:+IomNoSuchVmOption",))
    kafka = LocalKafka(tmp_path)

    with pytest.raises(KafkaStartError) as caught:
        kafka.start(timeout=30)

    message = str(caught.value)
    assert "\n" not in message
    assert "Kafka exited (code 1) before it was ready" in message
    assert "IomNoSuchVmOption" in message
    assert not kafka.is_running()


@pytest.mark.kafka
def test_port_held_by_another_process_is_reported(tmp_path: Path) -> None:
    """Asking for a client port someone else listens on fails fast, naming the port."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        kafka = LocalKafka(tmp_path, port=port)

        with pytest.raises(KafkaStartError, match=f"client port {port} .* is in use"):
            kafka.start()

    assert not kafka.is_running()


# -- topics on the session broker ----------------------------------------------------------------


@pytest.mark.kafka
async def test_session_broker_has_every_planned_topic(kafka_bootstrap: str) -> None:
    """The shared test broker carries the plan's topics with planned partitions and configs."""
    plan = topic_plan(TEST_AGENCIES)

    found = await _topics(kafka_bootstrap, [s.name for s in plan])

    assert found == {s.name: s.partitions for s in plan}
    assert await _topic_config(kafka_bootstrap, SUBJECTS_TOPIC, "cleanup.policy") == "compact"


@pytest.mark.kafka
async def test_ensure_topics_is_idempotent_and_creates_only_missing_ones(
    kafka_bootstrap: str,
) -> None:
    """Re-running the plan creates nothing; a new agency adds exactly its three topics."""
    assert await ensure_topics(kafka_bootstrap, topic_plan(TEST_AGENCIES)) == []

    created = await ensure_topics(kafka_bootstrap, topic_plan([*TEST_AGENCIES, "late-agency"]))

    assert created == ["ingress.late-agency", "deliver.late-agency", "dlq.late-agency"]
    assert await _topics(kafka_bootstrap, created) == dict(zip(created, [6, 1, 1], strict=True))
