"""``iom-broker adapter``: list installed adapters, convert a native file, run an adapter."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from broker.cli.command_settings import command_settings
from broker.cli.failure import fail
from broker.cli.json_output import JsonOption, print_json

adapter_app = typer.Typer(
    help="Agency adapters: native records <-> catalogue events.", no_args_is_help=True
)

ConfigOption = Annotated[
    Path | None, typer.Option("--config", help="Adapter config file (YAML); see docs/adapters.md.")
]


@adapter_app.command("list")
def adapter_list(as_json: JsonOption = False) -> None:
    """List the adapters installed through the iom_broker.adapters entry points."""
    from iom_adapters.sdk.registry import installed_adapters

    entries = installed_adapters()
    if as_json:
        print_json(
            [
                {
                    "name": entry.name,
                    "agency": entry.adapter.default_agency if entry.adapter else None,
                    "file_patterns": list(entry.adapter.file_patterns) if entry.adapter else [],
                    "summary": entry.adapter.summary if entry.adapter else "",
                    "error": None if entry.adapter else f"{entry.target}: {entry.problem}",
                }
                for entry in entries
            ]
        )
        return
    if not entries:
        typer.echo("no adapters installed")
        return
    rows = [
        (
            entry.name,
            entry.adapter.default_agency or "(from mapping)",
            " ".join(entry.adapter.file_patterns),
            entry.adapter.summary,
        )
        if entry.adapter is not None
        else (entry.name, "error:", entry.target, str(entry.problem))
        for entry in entries
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        typer.echo(
            "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)) + "  " + row[3]
        )


@adapter_app.command("convert")
def adapter_convert(
    name: Annotated[str, typer.Argument(help="Adapter name (see `adapter list`).")],
    file: Annotated[Path, typer.Argument(help="A native file (CSV, JSON, NDJSON...).")],
    config: ConfigOption = None,
    option: Annotated[
        list[str] | None,
        typer.Option("--option", "-o", help="Adapter option KEY=VALUE, e.g. mapping=FILE."),
    ] = None,
    agency: Annotated[str | None, typer.Option(help="Publish as this agency id.")] = None,
    form: Annotated[
        str, typer.Option("--format", help="avro (Avro JSON encoding) or plain (readable).")
    ] = "avro",
    as_json: Annotated[
        bool,
        typer.Option(
            "--json", help="Print one JSON document: events, skipped and rejected, counts."
        ),
    ] = False,
) -> None:
    """Print the catalogue events FILE would produce, without publishing anything.

    Events go to stdout, one JSON line each; skipped and rejected records go to stderr with
    their location. With --json, one document on stdout holds all three. Exit status 1
    when any record was rejected.
    """
    import json

    from broker.agency_registry import load_agencies
    from broker.bootstrap import load_core
    from iom_adapters.sdk.config import AdapterConfig, load_config
    from iom_adapters.sdk.event_json import event_json
    from iom_adapters.sdk.ingest import encode
    from iom_adapters.sdk.outbox import OutboxItem
    from iom_adapters.sdk.outcomes import Converted, Rejected
    from iom_adapters.sdk.registry import AdapterNotFound, find_adapter
    from iom_adapters.sdk.source import SourceDocument
    from iom_adapters.sdk.yaml_lines import ConfigFileError

    if form not in ("avro", "plain"):
        fail(f"--format {form!r}: use avro or plain", 2)
    settings = command_settings(log_level="warning")
    try:
        adapter_class = find_adapter(name)
        located = None
        loaded = AdapterConfig()
        if config is not None:
            loaded, located = load_config(config)
        options = dict(loaded.options)
        for pair in option or []:
            key, sep, value = pair.partition("=")
            if not sep or not key:
                raise ConfigFileError(f"--option {pair!r}: expected KEY=VALUE")
            options[key] = value
        core = load_core(settings)
        adapter = adapter_class.create(
            agency=agency or loaded.agency,
            options=options,
            catalogue=core.catalogue,
            config=located,
            base_dir=config.parent if config is not None else Path.cwd(),
        )
        registry = load_agencies(settings.agencies_file)
        if adapter.agency not in registry.ids:
            raise ConfigFileError(f"agency {adapter.agency!r} is not in {settings.agencies_file}")
        document = SourceDocument.read(file)
    except (AdapterNotFound, ConfigFileError, ValueError) as error:
        fail(str(error), 2)
    except OSError as error:
        fail(f"{file}: cannot read ({error.strerror})", 2)
    events: list[object] = []
    converted = 0
    skipped: list[str] = []
    rejected: list[str] = []
    for outcome in adapter.convert(document):
        if isinstance(outcome, Converted):
            checked = encode(core.codec, outcome)
            if isinstance(checked, OutboxItem):
                line = event_json(
                    core.catalogue, outcome.event, "plain" if form == "plain" else "avro"
                )
                converted += 1
                if as_json:
                    events.append(json.loads(line))
                else:
                    typer.echo(line)
                continue
            outcome = checked
        kind = "rejected" if isinstance(outcome, Rejected) else "skipped"
        (rejected if kind == "rejected" else skipped).append(outcome.message())
        if not as_json:
            typer.echo(f"{kind}: {outcome.message()}", err=True)
    adapter.close()
    counts = {"events": converted, "skipped": len(skipped), "rejected": len(rejected)}
    if as_json:
        print_json({"counts": counts, "events": events, "skipped": skipped, "rejected": rejected})
    else:
        typer.echo(
            f"{converted} events, {len(skipped)} skipped, {len(rejected)} rejected", err=True
        )
    if rejected:
        raise typer.Exit(1)


@adapter_app.command("run")
def adapter_run(
    name: Annotated[str, typer.Argument(help="Adapter name (see `adapter list`).")],
    config: Annotated[Path, typer.Option("--config", help="Adapter config file (YAML).")],
) -> None:
    """Run an adapter until SIGTERM or Ctrl-C: inbox -> outbox -> Kafka, deliveries -> sink."""
    import asyncio
    import signal

    from broker.agency_registry import load_agencies
    from broker.catalogue.catalogue import SchemaCatalogue
    from iom_adapters.sdk.config import load_config
    from iom_adapters.sdk.registry import AdapterNotFound, find_adapter
    from iom_adapters.sdk.runner import AdapterRunner
    from iom_adapters.sdk.yaml_lines import ConfigFileError

    settings = command_settings(log_level="info")
    try:
        adapter_class = find_adapter(name)
        loaded, located = load_config(config)
        runner = AdapterRunner(
            adapter_class,
            loaded,
            SchemaCatalogue.load(settings.schema_dir),
            agencies=load_agencies(settings.agencies_file),
            located=located,
            base_dir=config.parent,
        )
    except (AdapterNotFound, ConfigFileError, ValueError) as error:
        fail(str(error), 2)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        await runner.run(stop)

    asyncio.run(main())
