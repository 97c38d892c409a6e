"""Run Kafka's own command-line tools (``kafka-consumer-groups.sh`` and the rest) from Python.

A tool is named as in a Kafka release's ``bin/`` without ``kafka-`` and ``.sh``
(``consumer-groups``, ``configs``, ``acls``...). :func:`kafka_tool_command` builds the
``java`` command line: the cached ``kafka-tools`` classpath
(:func:`broker.devtools.kafka.jars.ensure_kafka_tools_jars`), the JVM flags Kafka's scripts
give tools (256 MiB heap, warnings only on stderr) plus the client's system properties, the
tool's main class, then ``--bootstrap-server`` and ``--command-config`` (unless the caller
passes its own) before the caller's arguments, where argparse-style tools need global options.
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from broker.devtools.kafka.jars import (
    KAFKA_VERSION,
    KafkaToolingError,
    ensure_kafka_tools_jars,
    require_executable,
)
from broker.kafka.java_client_config import JavaClientConfig

__all__ = ["KAFKA_TOOLS", "TOOL_JVM_OPTIONS", "kafka_tool_command", "main_class", "run_kafka_tool"]

_TOOLS = "org.apache.kafka.tools"
KAFKA_TOOLS: Mapping[str, str] = {
    "acls": f"{_TOOLS}.AclCommand",
    "broker-api-versions": f"{_TOOLS}.BrokerApiVersionsCommand",
    "client-metrics": f"{_TOOLS}.ClientMetricsCommand",
    "configs": f"{_TOOLS}.ConfigCommand",
    "console-consumer": f"{_TOOLS}.consumer.ConsoleConsumer",
    "console-producer": f"{_TOOLS}.ConsoleProducer",
    "console-share-consumer": f"{_TOOLS}.consumer.ConsoleShareConsumer",
    "consumer-groups": f"{_TOOLS}.consumer.group.ConsumerGroupCommand",
    "delete-records": f"{_TOOLS}.DeleteRecordsCommand",
    "features": f"{_TOOLS}.FeatureCommand",
    "get-offsets": f"{_TOOLS}.GetOffsetShell",
    "groups": f"{_TOOLS}.GroupsCommand",
    "leader-election": f"{_TOOLS}.LeaderElectionCommand",
    "log-dirs": f"{_TOOLS}.LogDirsCommand",
    "metadata-quorum": f"{_TOOLS}.MetadataQuorumCommand",
    "reassign-partitions": f"{_TOOLS}.reassign.ReassignPartitionsCommand",
    "share-groups": f"{_TOOLS}.consumer.group.ShareGroupCommand",
    "streams-groups": f"{_TOOLS}.streams.StreamsGroupCommand",
    "topics": f"{_TOOLS}.TopicCommand",
    "transactions": f"{_TOOLS}.TransactionsCommand",
}
"""Tool name -> main class; every one takes ``--bootstrap-server`` and ``--command-config``."""

TOOL_JVM_OPTIONS = (
    "-Xmx256m",
    "-Djava.awt.headless=true",
    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
)
"""As Kafka's ``kafka-run-class.sh`` runs tools: a small heap, only warnings logged."""

_BOOTSTRAP_OPTIONS = ("--bootstrap-server", "--bootstrap-controller")


def main_class(tool: str) -> str:
    """The main class of ``tool``, or a one-line error listing the tools there are."""
    found = KAFKA_TOOLS.get(tool)
    if found is None:
        raise KafkaToolingError(
            f"unknown Kafka tool {tool!r}; one of: {', '.join(sorted(KAFKA_TOOLS))}"
        )
    return found


def kafka_tool_command(
    tool: str,
    args: Sequence[str],
    *,
    java: str,
    classpath: Path,
    client: JavaClientConfig,
    properties_file: Path,
) -> list[str]:
    """The ``java`` command that runs ``tool`` with ``args`` against ``client``'s cluster."""
    given = {arg.split("=", 1)[0] for arg in args}
    connection: list[str] = []
    if not given.intersection(_BOOTSTRAP_OPTIONS):
        connection += ["--bootstrap-server", client.bootstrap_servers]
    if "--command-config" not in given:
        connection += ["--command-config", str(properties_file)]
    return [
        java,
        *TOOL_JVM_OPTIONS,
        *client.system_properties,
        "-cp",
        f"{classpath}/*",
        main_class(tool),
        *connection,
        *args,
    ]


def run_kafka_tool(
    tool: str,
    args: Sequence[str],
    client: JavaClientConfig,
    properties_file: Path,
    *,
    version: str = KAFKA_VERSION,
    cache_root: Path | None = None,
) -> int:
    """Run ``tool`` in the foreground (its output on this process's stdout and stderr) and
    return its exit status; the tool jars are fetched with Maven on first use."""
    main_class(tool)  # an unknown name fails before any download
    java = require_executable("java", f"run Kafka {version}'s tools")
    classpath = ensure_kafka_tools_jars(version, cache_root)
    command = kafka_tool_command(
        tool, args, java=java, classpath=classpath, client=client, properties_file=properties_file
    )
    return subprocess.run(command, check=False).returncode
