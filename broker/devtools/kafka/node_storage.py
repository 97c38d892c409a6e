"""A local Kafka node's KRaft storage: cluster ids, and formatting a log dir once.

``kafka.tools.StorageTool format`` writes ``meta.properties`` (with the cluster id) into the
node's data dir; a formatted dir is never formatted again, and a dir formatted for another
cluster is refused rather than reused.
"""

from __future__ import annotations

import base64
import subprocess
import uuid
from pathlib import Path

import structlog

from broker.devtools.kafka.node_launch import KafkaStartError
from broker.devtools.processes import tail_text
from broker.secrets.owner_only import OWNER_ONLY_UMASK

__all__ = ["TOOL_HEAP_OPTS", "format_storage", "formatted_cluster_id", "new_cluster_id"]

TOOL_HEAP_OPTS: tuple[str, ...] = ("-Xmx256m",)
_FORMAT_TIMEOUT_S = 120.0

log = structlog.get_logger(__name__)


def new_cluster_id() -> str:
    """A fresh KRaft cluster id (22 URL-safe base64 characters, as Kafka makes them)."""
    while True:  # Kafka's own ids avoid a leading '-', which CLI parsers take for an option
        cid = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode("ascii").rstrip("=")
        if not cid.startswith("-"):
            return cid


def formatted_cluster_id(data_dir: Path) -> str | None:
    """The cluster id ``data_dir`` was formatted for, or None if it was never formatted."""
    try:
        text = (data_dir / "meta.properties").read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep and key.strip() == "cluster.id":
            return value.strip()
    raise KafkaStartError(f"{data_dir / 'meta.properties'} has no cluster.id; delete {data_dir}")


def format_storage(
    java: str, lib: Path, cluster_id: str, properties_path: Path, data_dir: Path, home: Path
) -> None:
    """Format ``data_dir`` (named by ``properties_path``) for ``cluster_id`` with the jars in
    ``lib``, with umask 077; raise ``KafkaStartError`` quoting the tool's output on failure."""
    command = [
        java,
        *TOOL_HEAP_OPTS,
        "-cp",
        f"{lib}/*",
        "kafka.tools.StorageTool",
        "format",
        "-t",
        cluster_id,
        "-c",
        str(properties_path),
    ]
    try:
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=_FORMAT_TIMEOUT_S,
            check=False,
            umask=OWNER_ONLY_UMASK,
        )
    except subprocess.TimeoutExpired as exc:
        raise KafkaStartError(f"formatting {data_dir} took over {_FORMAT_TIMEOUT_S:.0f}s") from exc
    if result.returncode != 0:
        output = (result.stdout + result.stderr).splitlines()
        raise KafkaStartError(
            f"formatting {data_dir} failed (exit {result.returncode}): {tail_text(output)}"
        )
    log.info("kafka.formatted", state_dir=str(home))
