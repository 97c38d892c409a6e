"""The demo: tell a scripted IOM story through the real stack and show who received what."""

from __future__ import annotations

import asyncio
from collections import Counter
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from broker.bootstrap import CoreComponents
from broker.devtools.demo.observer import DecisionObserver, read_deliveries
from broker.devtools.demo.story import StoryStep, demo_story
from broker.devtools.devstack.stack_access import StackAccess
from broker.policy.reasons import reason_text
from broker.settings import Settings
from iom_adapters.sdk.publisher import AgencyPublisher

_TRANSFORMED = {
    "mask": "masked",
    "generalise": "generalised",
    "pseudonymise": "pseudonymised",
    "drop": "dropped",
}


@dataclass
class DemoReport:
    """What the demo saw, for printing and for tests."""

    disclosures: list[dict[str, Any]] = field(default_factory=list)
    dead_letters: list[tuple[str, str]] = field(default_factory=list)
    deliveries: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


async def play_story(
    access: StackAccess,
    core: CoreComponents,
    settings: Settings,
    console: Console,
    steps: list[StoryStep] | None = None,
) -> DemoReport:
    """Publish each step as its agency would, wait for the router's decisions, and print them.

    Each agency publishes and reads its deliveries with its own credentials; the observer of
    disclosures and dead letters is the admin principal.
    """
    steps = steps if steps is not None else demo_story()
    agencies = core.agencies
    bootstrap_servers = access.bootstrap_servers

    def options(principal: str) -> dict[str, Any]:
        return access.client_options(principal, settings)

    admin = settings.security.admin_principal
    observer = DecisionObserver(bootstrap_servers, core.codec, agencies.ids, options(admin))
    await observer.start()
    report = DemoReport()
    agreements = ", ".join(a.agreement_id for a in core.policy.policy.agreements)
    console.print(f"[dim]Sharing policy {core.policy.version}: {agreements}[/dim]")
    try:
        async with AsyncExitStack() as stack:
            publishers = {
                agency: await stack.enter_async_context(
                    AgencyPublisher(
                        bootstrap_servers,
                        agency,
                        core.codec,
                        kafka_options=options(agencies.get(agency).principal),
                    )
                )
                for agency in {step.agency for step in steps}
            }
            with Progress(console=console, transient=True) as progress:
                task = progress.add_task("Sharing events", total=len(steps))
                for step in steps:
                    await _play_step(step, publishers[step.agency], observer)
                    _print_step(console, step, observer, core)
                    progress.advance(task)
    finally:
        await observer.stop()
    report.disclosures = observer.disclosures
    report.dead_letters = [(d.agency, d.reason) for d in observer.dead_letters]
    for agency in agencies.ids:
        own = options(agencies.get(agency).principal)
        report.deliveries[agency] = await read_deliveries(
            bootstrap_servers, core.codec, agency, own
        )
    _print_summary(console, report, core)
    return report


async def _play_step(
    step: StoryStep, publisher: AgencyPublisher, observer: DecisionObserver
) -> None:
    if step.record is None:
        await publisher.publish_raw(step.raw or b"")
    else:
        await publisher.publish(step.record)
    if step.record is None or step.refused:
        await observer.wait_for(None, 0, dead_letters=1)
        return
    # One event's disclosures are committed in one transaction: once one is visible, all are.
    await observer.wait_for(step.record["envelope"]["event_id"], 1, dead_letters=0)
    await observer.drain()


def _print_step(
    console: Console, step: StoryStep, observer: DecisionObserver, core: CoreComponents
) -> None:
    console.print(f"\n[bold]{step.caption}[/bold]  [dim]({step.agency})[/dim]")
    if step.record is None or step.refused:
        letter = observer.dead_letters[-1]
        console.print(f"  [yellow]dead-lettered to dlq.{letter.agency}: {letter.reason}[/yellow]")
        return
    event_id = step.record["envelope"]["event_id"]
    refused: Counter[str] = Counter()
    transforms = {rule.rule_id: rule.transforms for rule in core.policy.policy.rules()}
    for disclosure in (d for d in observer.disclosures if d["event_id"] == event_id):
        name = core.agencies.get(disclosure["recipient_agency"]).name_en
        if disclosure["permitted"]:
            console.print(
                f"  [green]shared with {name}[/green] [dim](rule {disclosure['rule_id']})[/dim]"
            )
            console.print(
                f"      purpose {disclosure['purpose']}; legal basis {disclosure['legal_basis']}"
            )
            changed = transforms.get(disclosure["rule_id"], {})
            fields = [
                f"{name} ({_TRANSFORMED[changed[name]]})" if name in changed else name
                for name in disclosure["fields_shared"]
            ]
            console.print(f"      fields {', '.join(fields)}")
        else:
            refused[disclosure["reason"]] += 1
    for reason, count in refused.items():
        console.print(
            f"  [red]refused to {count} agenc{'y' if count == 1 else 'ies'}:"
            f" {reason_text(reason)}[/red]"
        )


def _print_summary(console: Console, report: DemoReport, core: CoreComponents) -> None:
    table = Table(title="What each agency received")
    table.add_column("Agency")
    table.add_column("Events received")
    table.add_column("Refused to it")
    decided = {d["recipient_agency"] for d in report.disclosures}
    for agency in core.agencies:
        if agency.agency_id not in decided:
            continue
        received = Counter(r["envelope"]["event_type"] for r in report.deliveries[agency.agency_id])
        refused = sum(
            1
            for d in report.disclosures
            if d["recipient_agency"] == agency.agency_id and not d["permitted"]
        )
        table.add_row(
            agency.name_en,
            ", ".join(f"{t} x{n}" for t, n in received.items()) or "nothing",
            str(refused),
        )
    console.print()
    console.print(table)
    permitted = sum(1 for d in report.disclosures if d["permitted"])
    console.print(
        f"{permitted} disclosures, {len(report.disclosures) - permitted} refusals,"
        f" {len(report.dead_letters)} dead-lettered; every decision is on the 'disclosures' topic."
    )


def run_demo(
    access: StackAccess, core: CoreComponents, settings: Settings, console: Console
) -> DemoReport:
    """Run the story against an already running stack."""
    return asyncio.run(play_story(access, core, settings, console))
