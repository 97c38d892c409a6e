"""``iom-broker kafka tool``: Kafka's own command-line tools against the development stack."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from broker.cli.defaults import DEV_STATE

__all__ = ["KAFKA_TOOL_CONTEXT", "kafka_tool"]

KAFKA_TOOL_CONTEXT = {
    "allow_extra_args": True,
    "ignore_unknown_options": True,
    "allow_interspersed_args": False,
}
"""Everything after TOOL goes to the tool unparsed (its own --help included)."""


def kafka_tool(
    tool: Annotated[
        str,
        typer.Argument(
            help="A tool of Kafka's bin/ without 'kafka-' and '.sh': consumer-groups, "
            "configs, acls, topics, transactions, console-consumer, get-offsets...",
            show_default=False,
        ),
    ],
    args: Annotated[
        list[str] | None,
        typer.Argument(help="The tool's own arguments.", show_default=False),
    ] = None,
    state: Annotated[
        Path, typer.Option("--state", help="Folder of the running development stack.")
    ] = DEV_STATE,
    principal: Annotated[
        str, typer.Option("--as", help="Client id to connect as (an agency's principal too).")
    ] = "iom-admin",
) -> None:
    """Run one of Kafka's own tools against the dev stack in STATE, as PRINCIPAL.

    E.g. `iom-broker kafka tool consumer-groups --describe --all-groups`. The tool gets
    --bootstrap-server and --command-config STATE/kafka-tools/PRINCIPAL.properties (0600:
    TLS with the stack's CA, OAUTHBEARER with PRINCIPAL's key), and this command exits with
    the tool's status. Put this command's options before TOOL: everything after it is the
    tool's. The first run downloads the kafka-tools jars."""
    from broker.devtools.devstack.stack_access import StackAccess
    from broker.devtools.kafka.jars import KafkaToolingError
    from broker.devtools.kafka.kafka_tools import main_class, run_kafka_tool
    from broker.kafka.java_client_config import (
        JavaClientConfigError,
        java_client_config,
        write_client_properties,
    )
    from broker.secrets.private_files import SecretFileError
    from broker.settings import SettingsError

    try:
        main_class(tool)
    except KafkaToolingError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    stack_file = state / "stack.json"
    if not stack_file.exists():
        typer.echo(f"error: no running stack in {state} (no stack.json); run dev up", err=True)
        raise typer.Exit(1)
    access = StackAccess.from_stack_file(stack_file)
    if (
        access.secured is not None
        and not (access.secured.clients_dir / f"{principal}.key").exists()
    ):
        typer.echo(
            f"error: no development client {principal!r} in {access.secured.clients_dir}", err=True
        )
        raise typer.Exit(2)
    try:
        client = java_client_config(access.settings_for(principal))
        properties = write_client_properties(
            state / "kafka-tools" / f"{principal}.properties", client
        )
        status = run_kafka_tool(tool, args or [], client, properties)
    except (SettingsError, JavaClientConfigError, SecretFileError, KafkaToolingError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None
    raise typer.Exit(status)
