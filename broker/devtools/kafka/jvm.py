"""The Kafka server JVM's command line: heap, GC and logging flags sized for 2 cores.

The JVM logs through slf4j-simple into ``server.log``; the OAUTHBEARER validator's loggers
are off (:data:`QUIET_LOGGERS`), so a refused token and its claims never reach that file.
"""

from __future__ import annotations

from pathlib import Path

from broker.devtools.kafka.server_security import KafkaSecurity, jvm_system_properties

__all__ = [
    "CLUSTER_NODE_HEAP_OPTS",
    "JVM_HEAP_OPTS",
    "JVM_OPTS",
    "QUIET_LOGGERS",
    "kafka_server_command",
]

JVM_HEAP_OPTS: tuple[str, ...] = ("-Xms256m", "-Xmx768m")
CLUSTER_NODE_HEAP_OPTS: tuple[str, ...] = ("-Xms256m", "-Xmx512m")
"""Three of these fit a 2-core, 24 GiB machine beside the routers and the test suite."""
JVM_OPTS: tuple[str, ...] = (
    "-XX:+UseG1GC",
    "-XX:MaxGCPauseMillis=20",
    "-XX:InitiatingHeapOccupancyPercent=35",
    "-XX:+ExplicitGCInvokesConcurrent",
    "-XX:ParallelGCThreads=2",
    "-XX:ConcGCThreads=1",
    "-XX:CICompilerCount=2",
    "-Djava.awt.headless=true",
    "-Dorg.slf4j.simpleLogger.showDateTime=true",
    "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSS",
)
QUIET_LOGGERS: tuple[str, ...] = (
    "org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallbackHandler",
    "org.apache.kafka.common.security.oauthbearer.BrokerJwtValidator",
    "org.apache.kafka.common.security.oauthbearer.DefaultJwtValidator",
    "org.apache.kafka.common.security.oauthbearer.internals.OAuthBearerSaslServer",
    "org.jose4j",
)
"""Loggers switched off: on a refused token Kafka's validator logs a warning with its claims
or, when the signature fails, the whole token. Refusals are still counted (the broker's
``failed-authentication-total`` metric) and JWKS fetch problems are still logged."""


def kafka_server_command(
    java: str,
    lib: Path,
    properties_path: Path,
    *,
    cluster_node: bool = False,
    security: KafkaSecurity | None = None,
) -> list[str]:
    """``java … kafka.Kafka server.properties``: a cluster node gets the smaller heap, a
    secured node the system properties its OAUTHBEARER validator needs."""
    return [
        java,
        *(CLUSTER_NODE_HEAP_OPTS if cluster_node else JVM_HEAP_OPTS),
        *JVM_OPTS,
        *(f"-Dorg.slf4j.simpleLogger.log.{name}=off" for name in QUIET_LOGGERS),
        *(jvm_system_properties(security) if security else ()),
        "-cp",
        f"{lib}/*",
        "kafka.Kafka",
        str(properties_path),
    ]
