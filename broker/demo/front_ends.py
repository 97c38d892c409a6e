"""Tell the demo's user where the supervisee portal and the DPO console are, and how to sign in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console


def subject_ref_of(disclosures: list[dict[str, Any]], event_id: str) -> str | None:
    """The keyed subject reference the router recorded for ``event_id``, if any."""
    return next(
        (d["subject_ref"] for d in disclosures if d["event_id"] == event_id and d["subject_ref"]),
        None,
    )


def print_front_ends(console: Console, api_url: str, state: Path, subject_ref: str | None) -> None:
    """Print the portal and console URLs with the commands that give development sign-in codes."""
    command = f"iom-broker dev token --state {state}"
    console.print()
    console.print("[bold]Front ends (development sign-in: paste a code the command prints)[/bold]")
    console.print(f"  Supervisee portal  {api_url}/portal")
    if subject_ref:
        console.print(f"      as Rhys:       {command} --supervisee {subject_ref}")
    console.print(f"  DPO console        {api_url}/console")
    console.print(f"      as probation:  {command} --dpo probation-wales")
    console.print(f"  API (OpenAPI)      {api_url}/docs")
