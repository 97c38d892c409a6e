"""``iom-broker stats ...``: the statistics service, its rebuild, and the exports."""

from __future__ import annotations

import re
import sys
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from broker.cli.command_settings import command_settings
from broker.cli.failure import fail

if TYPE_CHECKING:
    from broker.records.database import RecordsDatabase

stats_app = typer.Typer(
    help="Oversight statistics: run the service, rebuild it, export tables.",
    no_args_is_help=True,
)

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class ExportFormat(StrEnum):
    """What ``stats export`` writes."""

    CSV = "csv"
    ODS = "ods"
    JSON = "json"


def _consume(until_caught_up: bool) -> None:
    import asyncio
    import signal

    from broker.bootstrap import load_core
    from broker.ready_file import ready_file
    from broker.statistics.service import StatisticsService
    from broker.statistics.wiring import open_statistics_store, statistics_context

    settings = command_settings()
    core = load_core(settings)
    context = statistics_context(settings)
    store = open_statistics_store(settings)
    if until_caught_up:
        store.clear()

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        service = StatisticsService(
            settings, store, core.codec, context.agency_areas, core.agencies.ids
        )
        async with ready_file(service.ready, None if until_caught_up else settings.ready_file):
            await service.run(stop, until_caught_up=until_caught_up)
        if until_caught_up:
            typer.echo(f"rebuilt from {service.records} records")

    try:
        asyncio.run(main())
    finally:
        store.close()


@stats_app.command("run")
def stats_run() -> None:
    """Aggregate subjects, disclosures and dead letters until SIGTERM or Ctrl-C."""
    _consume(until_caught_up=False)


@stats_app.command("rebuild")
def stats_rebuild() -> None:
    """Forget every aggregate and read the topics again from the start (stop `stats run`
    first); returns once caught up."""
    _consume(until_caught_up=True)


def _month(value: str | None, option: str, default: str) -> str:
    if value is None:
        return default
    if not _MONTH.match(value):
        fail(f"{option} {value!r}: give a month as YYYY-MM", 2)
    return value


def _records(url: str) -> RecordsDatabase | None:
    """The API's records database (subject access requests) when it exists; else None."""
    from broker.records.database import RecordsDatabase

    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return None
    return RecordsDatabase(url)


@stats_app.command("export")
def stats_export(
    export_format: Annotated[
        ExportFormat, typer.Option("--format", help="csv, ods (with a cover sheet) or json.")
    ] = ExportFormat.CSV,
    first: Annotated[str | None, typer.Option("--from", help="First month, YYYY-MM.")] = None,
    last: Annotated[
        str | None, typer.Option("--to", help="Last month, YYYY-MM (default: this month).")
    ] = None,
    area: Annotated[str | None, typer.Option("--area", help="Only this area (its id).")] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write here instead of standard output.")
    ] = None,
) -> None:
    """Export the published statistics (small numbers suppressed) for a period."""
    from broker.statistics.exports import ReleaseInfo, render_export
    from broker.statistics.report import Scope
    from broker.statistics.uk_month import uk_month
    from broker.statistics.wiring import open_statistics_store, report_for, statistics_context

    settings = command_settings()
    this_month = uk_month(datetime.now(UTC))
    last_month = _month(last, "--to", this_month)
    first_month = _month(first, "--from", f"{int(last_month[:4]) - 1}{last_month[4:]}")
    if first_month > last_month:
        fail(f"--from {first_month} is after --to {last_month}", 2)
    context = statistics_context(settings)
    if area is not None and area not in context.areas:
        fail(f"--area {area!r}: not an area; known: {', '.join(context.areas)}", 2)
    store = open_statistics_store(settings)
    records = _records(settings.api.store_url)
    try:
        report = report_for(store, context, first_month, last_month, Scope(area=area), records)
    finally:
        store.close()
        if records is not None:
            records.close()
    info = ReleaseInfo(contact=context.contact)
    data = render_export(report, export_format.value, context.labels("en"), info)
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        out.write_bytes(data)
        typer.echo(f"wrote {out}", err=True)
