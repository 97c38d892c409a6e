"""Assemble runnable Apache Kafka classpaths from Maven Central.

``ensure_kafka_jars`` writes a one-dependency POM into the cache folder and lets Maven copy
``kafka_2.13`` and its runtime dependencies (plus an slf4j binding) into ``lib/``: the
broker's classpath. ``ensure_kafka_tools_jars`` does the same for ``kafka-tools`` (Kafka's
own command-line tools: consumer groups, configs, ACLs...) into ``tools/``, a separate
classpath fetched only when a tool is first run, so the broker's stays as it was. A marker
file listing the jars is written only after Maven succeeded, so an interrupted run is redone
and a completed one is reused without calling Maven again.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import structlog

from broker.package_data import SOURCE_ROOT, is_installed

__all__ = [
    "CACHE_DIR_VARIABLE",
    "KAFKA_SERVER_JARS",
    "KAFKA_TOOLS_JARS",
    "KAFKA_VERSION",
    "SCALA_VERSION",
    "SLF4J_VERSION",
    "JarSet",
    "KafkaToolingError",
    "Runner",
    "default_cache_root",
    "ensure_kafka_jars",
    "ensure_kafka_tools_jars",
    "exclusive_lock",
    "jars_ready",
    "pom_xml",
    "require_executable",
]

KAFKA_VERSION = "4.4.0"
SCALA_VERSION = "2.13"
SLF4J_VERSION = "2.0.17"
DEPENDENCY_PLUGIN_VERSION = "3.8.1"
MVN_TIMEOUT_S = 900.0
CACHE_DIR_VARIABLE = "IOM_KAFKA_CACHE_DIR"

log = structlog.get_logger(__name__)

Runner = Callable[..., "subprocess.CompletedProcess[str]"]
"""Signature of ``subprocess.run`` as used here; tests may pass a fake."""


class KafkaToolingError(RuntimeError):
    """A tool Kafka needs (java, mvn) is missing or failed; the message is one line."""


@dataclass(frozen=True)
class JarSet:
    """One cached classpath: an ``org.apache.kafka`` artifact and its runtime dependencies,
    in ``<cache_root>/<version>/<folder>``, completed when ``marker`` lists its jars."""

    artifact: str
    folder: str
    marker: str
    pom: str


KAFKA_SERVER_JARS = JarSet(f"kafka_{SCALA_VERSION}", "lib", "complete.json", "pom.xml")
"""The broker (``kafka.Kafka``) and the storage tool."""
KAFKA_TOOLS_JARS = JarSet("kafka-tools", "tools", "tools-complete.json", "tools-pom.xml")
"""Kafka's command-line tools (``org.apache.kafka.tools.*``), as in a release's ``bin/``."""


def default_cache_root(environ: Mapping[str, str] = os.environ) -> Path:
    """Return the folder where jar sets are cached per version.

    ``IOM_KAFKA_CACHE_DIR`` if set; else ``.cache/kafka`` in a source checkout; else (an
    installed wheel) ``$XDG_CACHE_HOME/iom-broker/kafka``, by default ``~/.cache/...``.
    """
    if explicit := environ.get(CACHE_DIR_VARIABLE):
        return Path(explicit)
    if not is_installed():
        return SOURCE_ROOT / ".cache" / "kafka"
    user_cache = environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(user_cache) / "iom-broker" / "kafka"


def require_executable(name: str, purpose: str) -> str:
    """Return the path of executable ``name`` on PATH, or raise a one-line error."""
    found = shutil.which(name)
    if found is None:
        raise KafkaToolingError(f"'{name}' not found on PATH; it is needed to {purpose}")
    return found


def pom_xml(version: str, jar_set: JarSet = KAFKA_SERVER_JARS) -> str:
    """Return the POM text whose runtime dependencies form ``jar_set``'s Kafka ``version``
    classpath."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.iom-broker</groupId>
  <artifactId>{jar_set.artifact}-classpath</artifactId>
  <version>{version}</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>{jar_set.artifact}</artifactId>
      <version>{version}</version>
    </dependency>
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-api</artifactId>
      <version>{SLF4J_VERSION}</version>
    </dependency>
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-simple</artifactId>
      <version>{SLF4J_VERSION}</version>
    </dependency>
  </dependencies>
  <build>
    <pluginManagement>
      <plugins>
        <plugin>
          <groupId>org.apache.maven.plugins</groupId>
          <artifactId>maven-dependency-plugin</artifactId>
          <version>{DEPENDENCY_PLUGIN_VERSION}</version>
        </plugin>
      </plugins>
    </pluginManagement>
  </build>
</project>
"""


def jars_ready(version_dir: Path, jar_set: JarSet = KAFKA_SERVER_JARS) -> Path | None:
    """Return ``jar_set``'s folder in ``version_dir`` if a completed download is there with
    every jar present."""
    marker = version_dir / jar_set.marker
    lib = version_dir / jar_set.folder
    try:
        recorded: Any = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    jars = recorded.get("jars") if isinstance(recorded, dict) else None
    if not isinstance(jars, list) or not jars:
        return None
    if all(isinstance(j, str) and (lib / j).is_file() for j in jars):
        return lib
    return None


def ensure_kafka_jars(
    version: str = KAFKA_VERSION,
    cache_root: Path | None = None,
    runner: Runner = subprocess.run,
) -> Path:
    """Return the folder of Kafka ``version``'s broker jars, downloading them with Maven if
    needed.

    ``cache_root`` defaults to :func:`default_cache_root`; jars land in
    ``<cache_root>/<version>/lib``. Concurrent callers are serialised by a file lock.
    """
    return _ensure(KAFKA_SERVER_JARS, version, cache_root, runner)


def ensure_kafka_tools_jars(
    version: str = KAFKA_VERSION,
    cache_root: Path | None = None,
    runner: Runner = subprocess.run,
) -> Path:
    """Return the folder of Kafka ``version``'s command-line tool jars
    (``<cache_root>/<version>/tools``), downloading them with Maven if needed."""
    return _ensure(KAFKA_TOOLS_JARS, version, cache_root, runner)


def _ensure(jar_set: JarSet, version: str, cache_root: Path | None, runner: Runner) -> Path:
    version_dir = (cache_root or default_cache_root()) / version
    ready = jars_ready(version_dir, jar_set)
    if ready is not None:
        return ready
    version_dir.mkdir(parents=True, exist_ok=True)
    with exclusive_lock(version_dir / ".lock"):
        ready = jars_ready(version_dir, jar_set)  # another process may have finished meanwhile
        if ready is not None:
            return ready
        return _download(jar_set, version, version_dir, runner)


@contextlib.contextmanager
def exclusive_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``path`` (created if absent) while the block runs."""
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _download(jar_set: JarSet, version: str, version_dir: Path, runner: Runner) -> Path:
    mvn = require_executable("mvn", f"download the Kafka {version} jars from Maven Central")
    require_executable("java", f"run Kafka {version}")
    (version_dir / jar_set.marker).unlink(missing_ok=True)
    pom = version_dir / jar_set.pom
    pom.write_text(pom_xml(version, jar_set), encoding="utf-8")
    staging = version_dir / f"{jar_set.folder}.partial"
    shutil.rmtree(staging, ignore_errors=True)
    command = [
        mvn,
        "-q",
        "-B",
        "-f",
        str(pom),
        "dependency:copy-dependencies",
        "-DincludeScope=runtime",
        f"-DoutputDirectory={staging}",
    ]
    log.info(
        "kafka.jars.downloading", version=version, artifact=jar_set.artifact, cache=str(version_dir)
    )
    try:
        result = runner(
            command,
            cwd=version_dir,
            capture_output=True,
            text=True,
            timeout=MVN_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise KafkaToolingError(
            f"mvn did not finish within {MVN_TIMEOUT_S:.0f}s fetching Kafka {version} "
            f"into {staging}"
        ) from exc
    jars = sorted(p.name for p in staging.glob("*.jar")) if staging.is_dir() else []
    if result.returncode != 0 or not jars:
        output = (result.stdout or "") + (result.stderr or "")
        raise KafkaToolingError(
            f"mvn failed (exit {result.returncode}) fetching Kafka {version} into "
            f"{staging}: {_tail(output.splitlines())}"
        )
    lib = version_dir / jar_set.folder
    shutil.rmtree(lib, ignore_errors=True)
    staging.rename(lib)
    marker_tmp = version_dir / f"{jar_set.marker}.tmp"
    marker_tmp.write_text(json.dumps({"version": version, "jars": jars}, indent=1), "utf-8")
    marker_tmp.replace(version_dir / jar_set.marker)
    log.info("kafka.jars.ready", version=version, jars=len(jars), lib=str(lib))
    return lib


def _tail(lines: Sequence[str], count: int = 6) -> str:
    kept = [line.strip() for line in lines if line.strip()][-count:]
    return " | ".join(kept) if kept else "(no output)"
