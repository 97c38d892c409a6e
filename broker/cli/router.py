"""``iom-broker router run``: the router process."""

from __future__ import annotations

from typing import Annotated

import typer

from broker.cli.command_settings import command_settings

router_app = typer.Typer(help="The router: ingress -> policy -> deliveries.", no_args_is_help=True)


@router_app.command("run")
def router_run(
    metrics_port: Annotated[
        int | None,
        typer.Option(
            "--metrics-port",
            help="Serve Prometheus metrics on this port (loopback unless "
            "IOM_ROUTER__METRICS_HOST says otherwise); default IOM_ROUTER__METRICS_PORT.",
        ),
    ] = None,
    client: Annotated[
        str | None,
        typer.Option(
            "--client",
            help="Kafka client of the transactional loop: aiokafka or confluent "
            "(librdkafka, KIP-447 fencing); default IOM_ROUTER__KAFKA_CLIENT.",
        ),
    ] = None,
) -> None:
    """Route records until SIGTERM or Ctrl-C (settings from IOM_* variables or IOM_CONFIG)."""
    import asyncio
    import signal

    from broker.bootstrap import build_router
    from broker.ready_file import ready_file
    from broker.startup_heap import freeze_startup_heap

    settings = command_settings()
    overrides: dict[str, object] = {}
    if metrics_port is not None:
        overrides["metrics_port"] = metrics_port
    if client is not None:
        if client not in ("aiokafka", "confluent"):
            raise typer.BadParameter(
                f"{client!r} is not aiokafka or confluent", param_hint="--client"
            )
        overrides["kafka_client"] = client
    if overrides:
        router_settings = type(settings.router).model_validate(
            {**settings.router.model_dump(), **overrides}
        )
        settings = settings.model_copy(update={"router": router_settings})
    router, _ = build_router(settings)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        freezer = asyncio.create_task(freeze_when_ready())
        try:
            async with ready_file(router.ready, settings.ready_file):
                await router.run(stop)
        finally:
            freezer.cancel()

    async def freeze_when_ready() -> None:
        await router.ready.wait()  # policy, schemas, cohort and clients are built by now
        freeze_startup_heap()

    asyncio.run(main())
