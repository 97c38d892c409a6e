"""``iom-broker kafka ...``: Kafka administration."""

from __future__ import annotations

from typing import Annotated

import typer

from broker.cli.command_settings import command_settings
from broker.cli.kafka_tool import KAFKA_TOOL_CONTEXT, kafka_tool

kafka_app = typer.Typer(help="Kafka administration.", no_args_is_help=True)
kafka_app.command("tool", context_settings=KAFKA_TOOL_CONTEXT)(kafka_tool)


@kafka_app.command("topics")
def kafka_topics(
    bootstrap: Annotated[str | None, typer.Option(help="Kafka bootstrap servers.")] = None,
) -> None:
    """Create every topic the agency registry needs (idempotent).

    Replicas: IOM_KAFKA__REPLICATION_FACTOR, else the cluster's broker count up to 3 (with 3,
    min.insync.replicas=2; IOM_KAFKA__MIN_INSYNC_REPLICAS overrides)."""
    import asyncio

    from broker.agency_registry import load_agencies
    from broker.kafka.client_options import kafka_client_options
    from broker.kafka.topic_admin import ensure_topic_plan

    settings = command_settings()
    agencies = load_agencies(settings.agencies_file)
    servers = bootstrap or settings.kafka.bootstrap_servers
    options = kafka_client_options(settings)  # on a secured cluster: the admin principal
    created = asyncio.run(
        ensure_topic_plan(
            servers,
            agencies.ids,
            options,
            replication_factor=settings.kafka.replication_factor,
            min_insync_replicas=settings.kafka.min_insync_replicas,
        )
    )
    typer.echo(f"{len(created)} topics created")
