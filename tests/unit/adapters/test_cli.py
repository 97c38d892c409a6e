"""``iom-broker adapter list`` and ``convert``: what an integrator sees."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import fastavro
from typer.testing import CliRunner

from broker.catalogue.catalogue import default_catalogue
from broker.cli import app
from tests.unit.adapters.samples import SAMPLES

runner = CliRunner()


def test_list_shows_every_installed_adapter() -> None:
    """The four adapters are listed with their default agency."""
    result = runner.invoke(app, ["adapter", "list"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == [
        "health-fhir",
        "mapping",
        "police-custody",
        "probation-hmpps",
    ]
    assert "gwent-police" in lines[2]


def test_convert_prints_avro_json_events_and_reports_rejections() -> None:
    """Events go to stdout in Avro JSON; rejections go to stderr with their line; exit 1."""
    result = runner.invoke(
        app,
        ["adapter", "convert", "police-custody", str(SAMPLES / "police" / "custody-export.csv")],
    )
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 6
    entry = default_catalogue().latest("arrest")
    first: Any = next(fastavro.json_reader(io.StringIO(lines[0]), entry.schema))
    assert first["envelope"]["subject"]["pnc_id"] == "2019/0412873N"
    assert "rejected: custody-export.csv:8: invalid_identifier: PNCID:" in result.stderr
    assert "6 events, 0 skipped, 4 rejected" in result.stderr
    assert "2008/1177410Q" not in result.stderr


def test_convert_with_a_mapping_option_in_plain_form() -> None:
    """The mapping adapter takes its mapping file from ``--option``; plain JSON is readable."""
    result = runner.invoke(
        app,
        [
            "adapter",
            "convert",
            "mapping",
            str(SAMPLES / "gdas" / "gdas-export.json"),
            "--option",
            f"mapping={SAMPLES / 'gdas' / 'gdas.mapping.yaml'}",
            "--format",
            "plain",
        ],
    )
    assert result.exit_code == 1
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert [e["envelope"]["source_agency"] for e in events] == ["gdas"] * 3
    assert events[2]["payload"]["scheduled_for"] == "2026-04-08T10:00:00.000Z"


def test_convert_clean_file_exits_zero() -> None:
    """A file whose records all map exits 0."""
    result = runner.invoke(
        app,
        ["adapter", "convert", "health-fhir", str(SAMPLES / "health" / "referral-bundle.json")],
    )
    assert result.exit_code == 0, result.stderr
    assert "1 events, 0 skipped, 0 rejected" in result.stderr


def test_convert_config_error_is_one_line(tmp_path: Path) -> None:
    """A bad mapping file stops convert with one ``file:line`` line and exit status 2."""
    bad = tmp_path / "bad.mapping.yaml"
    bad.write_text("agency: gdas\nrecord_id: [id]\nevents:\n  - event_type: nope\n")
    result = runner.invoke(
        app,
        [
            "adapter",
            "convert",
            "mapping",
            str(SAMPLES / "gdas" / "gdas-export.json"),
            "-o",
            f"mapping={bad}",
        ],
    )
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {bad}:4: events.0.event_type: 'nope' is not")
    assert len(result.stderr.splitlines()) == 1


def test_unknown_adapter_lists_the_installed_ones() -> None:
    """Asking for an adapter that is not installed names those that are."""
    result = runner.invoke(app, ["adapter", "convert", "nhs-pas", "x.json"])
    assert result.exit_code == 2
    assert "no adapter named 'nhs-pas'; installed: health-fhir, mapping" in result.stderr


def test_run_with_a_bad_config_stops_before_starting(tmp_path: Path) -> None:
    """``adapter run`` validates its config first: one line naming file, line and setting."""
    config = tmp_path / "police.yaml"
    config.write_text("agency: gwent-police\ninbox:\n  poll_seconds: 1\n")
    result = runner.invoke(app, ["adapter", "run", "police-custody", "--config", str(config)])
    assert result.exit_code == 2
    assert result.stderr == f"error: {config}:2: inbox.path: Field required\n"
