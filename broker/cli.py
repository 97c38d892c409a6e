"""The ``iom-broker`` command line."""

from __future__ import annotations

import asyncio
import shutil
import signal
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from broker.commands_adapter import adapter_app
from broker.commands_api import api_app
from broker.commands_identity import dev_token, identity_app
from broker.commands_kafka_tool import KAFKA_TOOL_CONTEXT, kafka_tool
from broker.commands_log import log_app
from broker.commands_policy import policy_app
from broker.logging_setup import configure_logging
from broker.secrets.owner_only import use_owner_only_umask
from broker.settings import PROJECT_ROOT, Settings, SettingsError, load_settings

app = typer.Typer(help="IOM information-sharing broker.", no_args_is_help=True)
dev_app = typer.Typer(
    help="The local development stack (real Kafka, router).", no_args_is_help=True
)
router_app = typer.Typer(help="The router: ingress -> policy -> deliveries.", no_args_is_help=True)
kafka_app = typer.Typer(help="Kafka administration.", no_args_is_help=True)
app.add_typer(dev_app, name="dev")
app.add_typer(router_app, name="router")
app.add_typer(kafka_app, name="kafka")
kafka_app.command("tool", context_settings=KAFKA_TOOL_CONTEXT)(kafka_tool)
app.add_typer(policy_app, name="policy")
app.add_typer(identity_app, name="identity")
dev_app.command("token")(dev_token)
app.add_typer(adapter_app, name="adapter")
app.add_typer(log_app, name="log")
app.add_typer(api_app, name="api")

DEFAULT_STATE = PROJECT_ROOT / ".state" / "dev"


@app.callback()
def _owner_only_files() -> None:
    """Every command creates files 0600 and folders 0700 (umask 077), and so do the processes
    it starts: state holds personal data and keys that no other local user may read."""
    use_owner_only_umask()


StateOption = Annotated[Path, typer.Option("--state", help="Folder for the stack's data and logs.")]


def _settings(**overrides: object) -> Settings:
    try:
        settings = load_settings(**overrides)
    except SettingsError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    configure_logging(settings.log_level, settings.log_format)
    return settings


InsecureOption = Annotated[
    bool,
    typer.Option(
        "--insecure", help="Plaintext Kafka without authentication or ACLs (debugging only)."
    ),
]


BrokersOption = Annotated[
    int,
    typer.Option(
        "--brokers",
        min=1,
        help="Kafka nodes on loopback (3: a cluster; topics get 3 replicas, min ISR 2).",
    ),
]


@dev_app.command("up")
def dev_up(
    state: StateOption = DEFAULT_STATE,
    insecure: InsecureOption = False,
    brokers: BrokersOption = 1,
) -> None:
    """Start the dev issuer, Kafka (OAUTHBEARER + ACLs), the router and the log writer in the
    background; write STATE/stack.json."""
    from broker.devstack.stack import DevStack, StackError

    try:
        info = DevStack(state, _settings(), secure=not insecure, brokers=brokers).up()
    except StackError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"stack up: bootstrap {info.bootstrap_servers}; details in {state / 'stack.json'}")
    if info.token_issuer_url:
        typer.echo(
            f"authentication on: issuer {info.token_issuer_url} (CA {info.ca_file}); "
            f"try: iom-broker dev token --state {state} --agency gwent-police"
        )


@dev_app.command("env")
def dev_env(
    state: StateOption = DEFAULT_STATE,
    principal: Annotated[
        str, typer.Option("--as", help="Client id to connect as (an agency's principal too).")
    ] = "iom-admin",
) -> None:
    """Print `export IOM_...` lines that connect a command to the running stack as PRINCIPAL.

    E.g. `eval "$(iom-broker dev env)"; iom-broker policy activate` (as the admin principal).
    """
    import shlex

    from broker.devstack.stack_access import StackAccess

    stack_file = state / "stack.json"
    if not stack_file.exists():
        typer.echo(f"error: no running stack in {state} (no stack.json); run dev up", err=True)
        raise typer.Exit(1)
    try:
        env = StackAccess.from_stack_file(stack_file).process_env(principal)
    except ValueError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    for name, value in env.items():
        typer.echo(f"export {name}={shlex.quote(value)}")


@dev_app.command("down")
def dev_down(state: StateOption = DEFAULT_STATE) -> None:
    """Stop everything `dev up` started in STATE."""
    from broker.devstack.stack import DevStack

    DevStack(state, _settings()).down()
    typer.echo("stack down")


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
) -> None:
    """Route records until SIGTERM or Ctrl-C (settings from IOM_* variables or IOM_CONFIG)."""
    from broker.bootstrap import build_router
    from broker.startup_heap import freeze_startup_heap

    settings = _settings()
    if metrics_port is not None:
        router_settings = settings.router.model_copy(update={"metrics_port": metrics_port})
        settings = settings.model_copy(update={"router": router_settings})
    router, _ = build_router(settings)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        freezer = asyncio.create_task(freeze_when_ready())
        try:
            await router.run(stop)
        finally:
            freezer.cancel()

    async def freeze_when_ready() -> None:
        await router.ready.wait()  # policy, schemas, cohort and clients are built by now
        freeze_startup_heap()

    asyncio.run(main())


@kafka_app.command("topics")
def kafka_topics(
    bootstrap: Annotated[str | None, typer.Option(help="Kafka bootstrap servers.")] = None,
) -> None:
    """Create every topic the agency registry needs (idempotent).

    Replicas: IOM_KAFKA__REPLICATION_FACTOR, else the cluster's broker count up to 3 (with 3,
    min.insync.replicas=2; IOM_KAFKA__MIN_INSYNC_REPLICAS overrides)."""
    from broker.agency_registry import load_agencies
    from broker.kafka.client_options import kafka_client_options
    from broker.kafka.topic_admin import ensure_topic_plan

    settings = _settings()
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


@app.command("demo")
def demo(
    state: StateOption = PROJECT_ROOT / ".state" / "demo",
    keep_running: Annotated[bool, typer.Option(help="Leave the stack running afterwards.")] = False,
    insecure: InsecureOption = False,
) -> None:
    """Start the stack, replay a scripted IOM story and show what each agency received."""
    from broker.bootstrap import load_core
    from broker.demo.front_ends import list_demo_person, print_front_ends, subject_ref_of
    from broker.demo.run_demo import run_demo
    from broker.demo.story import demo_story
    from broker.devstack.stack import DevStack

    settings = _settings(log_level="warning", log_format="console")
    console = Console()
    stack = DevStack(state, settings, secure=not insecure)
    stack.down()
    shutil.rmtree(state, ignore_errors=True)
    with console.status("Starting the stack (first run downloads Kafka)..."):
        info = stack.up()
    try:
        report = run_demo(stack.access(), load_core(settings), settings, console)
        if info.api_url:
            enrolment = demo_story()[0].record or {}
            rhys = subject_ref_of(report.disclosures, enrolment["envelope"]["event_id"])
            if info.token_issuer_url:
                list_demo_person(state, rhys)
            print_front_ends(console, info.api_url, state, rhys)
        if not keep_running and sys.stdin.isatty():
            input("\nThe stack is running: browse the front ends, then press Enter to stop it. ")
    finally:
        if keep_running:
            console.print(f"Stack left running: iom-broker dev down --state {state}")
        else:
            stack.down()


if __name__ == "__main__":
    app()
