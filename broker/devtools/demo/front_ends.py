"""Tell the demo's user where the supervisee portal and the DPO console are, and how to sign in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console

from broker.devtools.identity.dev_users import add_dev_supervisee


def subject_ref_of(disclosures: list[dict[str, Any]], event_id: str) -> str | None:
    """The keyed subject reference the router recorded for ``event_id``, if any."""
    return next(
        (d["subject_ref"] for d in disclosures if d["event_id"] == event_id and d["subject_ref"]),
        None,
    )


DEMO_PERSON = "Rhys (demo story)"


def list_demo_person(state: Path, subject_ref: str | None) -> None:
    """Offer the demo story's person on the development issuer's sign-in page."""
    if subject_ref:
        add_dev_supervisee(state / "identity", subject_ref, DEMO_PERSON)


def print_front_ends(console: Console, api_url: str, state: Path, subject_ref: str | None) -> None:
    """Print the portal and console URLs, who to pick on the development sign-in page, and the
    commands that print development tokens for the API."""
    command = f"iom-broker dev token --state {state}"
    console.print()
    console.print(
        "[bold]Front ends (DEVELOPMENT sign-in: pick a person on the issuer's page; "
        f"trust {state / 'pki' / 'ca.crt'} or accept the browser's warning)[/bold]"
    )
    console.print(f"  Supervisee portal  {api_url}/portal")
    if subject_ref:
        console.print(f"      sign in as:    {DEMO_PERSON}")
    console.print(f"  DPO console        {api_url}/console")
    console.print("      sign in as:    Data protection officer, The Probation Service in Wales")
    console.print(f"  API (OpenAPI)      {api_url}/docs")
    if subject_ref:
        console.print(f"      Rhys's token:  {command} --supervisee {subject_ref}")
    console.print(f"      a DPO's token: {command} --dpo probation-wales")
    console.print(f"  Oversight          {api_url}/console/statistics  (DPO console, Statistics)")
    console.print(f"      all of Wales:  {api_url}/statistics/export?format=ods")
    console.print(f"      with token:    {command} --oversight")
