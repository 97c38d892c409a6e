"""``adapter run`` end to end: one lifecycle, inbox in, deliveries out, reports kept."""

from __future__ import annotations

import asyncio
import json
import textwrap
import uuid
from pathlib import Path

import pytest

from broker.agency_registry import load_agencies
from broker.catalogue.catalogue import default_catalogue
from broker.settings import PROJECT_ROOT
from iom_adapters.police import CustodyExportAdapter
from iom_adapters.probation import HmppsDomainEventsAdapter
from iom_adapters.sdk.config import load_config
from iom_adapters.sdk.runner import AdapterRunner
from iom_adapters.sdk.yaml_lines import ConfigFileError
from tests.integration.adapters.support import documents_in, new_person, personalised
from tests.integration.adapters.test_round_trip import enrol
from tests.integration.router_fixture import RunningRouter

AGENCIES = PROJECT_ROOT / "policies" / "agencies.yaml"


def runner_for(adapter: type, config_path: Path, settings_agencies: Path) -> AdapterRunner:
    """A runner validated against the agency registry, as ``adapter run`` builds it."""
    config, located = load_config(config_path)
    return AdapterRunner(
        adapter,
        config,
        default_catalogue(),
        agencies=load_agencies(settings_agencies),
        located=located,
        base_dir=config_path.parent,
    )


def write(path: Path, text: str) -> Path:
    """Write a config file."""
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


async def test_police_inbox_to_probation_drop_folder(
    running_router: RunningRouter, tmp_path: Path
) -> None:
    """A custody CSV dropped in the police inbox ends up in probation's drop folder."""
    person = new_person()
    await enrol(running_router, person.subject())
    bootstrap = running_router.bootstrap
    agencies = running_router.settings.agencies_file
    police = runner_for(
        CustodyExportAdapter,
        write(
            tmp_path / "police.yaml",
            f"""\
            agency: gwent-police
            state_dir: police-state
            kafka: {{bootstrap_servers: "{bootstrap}"}}
            inbox: {{path: police-inbox, poll_seconds: 0.2}}
            """,
        ),
        agencies,
    )
    probation = runner_for(
        HmppsDomainEventsAdapter,
        write(
            tmp_path / "probation.yaml",
            f"""\
            state_dir: probation-state
            kafka: {{bootstrap_servers: "{bootstrap}"}}
            receive: {{sink: jsonl, folder: probation-drop, group_id: test-{uuid.uuid4().hex[:8]}}}
            """,
        ),
        agencies,
    )
    stop = asyncio.Event()
    tasks = [asyncio.create_task(r.run(stop)) for r in (police, probation)]
    try:
        inbox = tmp_path / "police-inbox"
        document = personalised("police/custody-export.csv", {"2019/0412873N": person.pnc_id})
        inbox.mkdir(exist_ok=True)
        (inbox / ".custody-export.csv.tmp").write_bytes(document.data)
        (inbox / ".custody-export.csv.tmp").rename(inbox / "custody-export.csv")
        async with asyncio.timeout(60):
            while True:
                mine = [
                    d
                    for d in documents_in(tmp_path / "probation-drop")
                    if (d.get("subject") or {}).get("crn") == person.crn
                    and d["event_type"] == "arrest"
                ]
                if mine:
                    break
                await asyncio.sleep(0.3)
    finally:
        stop.set()
        await asyncio.gather(*tasks)
    assert mine[0]["payload"]["offence_category"] == "Theft"
    assert not list(inbox.glob("*.csv")), "the file left the inbox"
    (filed,) = list((inbox / "failed").iterdir())
    assert filed.name.endswith("custody-export.csv")
    reports = [json.loads(line) for line in (tmp_path / "police-state" / "reports.jsonl").open()]
    assert [(r["locator"], r["reason"]) for r in reports] == [
        ("custody-export.csv:8", "invalid_identifier"),
        ("custody-export.csv:9", "invalid_value"),
        ("custody-export.csv:10", "missing_field"),
        ("custody-export.csv:11", "malformed_input"),
    ]
    assert reports[0]["source"].endswith("custody-export.csv")


def test_unregistered_agency_fails_at_start(tmp_path: Path) -> None:
    """An agency id missing from the registry stops the adapter before it runs."""
    config = write(tmp_path / "a.yaml", "agency: gwent-polis\n")
    with pytest.raises(
        ConfigFileError, match=r"a.yaml:1: agency 'gwent-polis' is not a registered"
    ):
        runner_for(CustodyExportAdapter, config, AGENCIES)


def test_relay_transactional_id_outside_the_agency_prefix_fails_at_start(tmp_path: Path) -> None:
    """A relay transactional id the agency's Kafka ACLs would refuse stops the adapter at start."""
    config = write(
        tmp_path / "a.yaml",
        "agency: gwent-police\noutbox:\n  transactional_id: police-relay\n",
    )
    with pytest.raises(
        ConfigFileError, match=r"a.yaml:3: transactional id 'police-relay' must start with"
    ):
        runner_for(CustodyExportAdapter, config, AGENCIES)


def test_webhook_secret_must_be_set_at_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A webhook whose secret variable is unset is refused at start, naming the variable."""
    monkeypatch.delenv("IOM_TEST_HOOK_SECRET", raising=False)
    config = write(
        tmp_path / "a.yaml",
        """\
        receive:
          sink: webhook
          url: https://probation.example/iom
          secret_env: IOM_TEST_HOOK_SECRET
        """,
    )
    with pytest.raises(ConfigFileError, match="IOM_TEST_HOOK_SECRET is not set"):
        runner_for(HmppsDomainEventsAdapter, config, AGENCIES)
