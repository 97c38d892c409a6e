"""``iom-broker stats export``: the published statistics as a file, checked arguments."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from broker.cli import app
from broker.identity.principal import Principal, Role
from broker.statistics.facts import Fact, Measure
from broker.statistics.oversight import scope_for
from broker.statistics.report import Scope
from broker.statistics.store import StatisticsStore


@pytest.fixture
def store_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A statistics store with 2 and 30 disclosures, named by IOM_STATISTICS__STORE_URL."""
    url = f"sqlite:///{tmp_path / 'statistics.sqlite3'}"
    store = StatisticsStore(url)
    flows = {
        Fact(Measure.DISCLOSED, "2026-03", area="gwent", agency="gwent-police", recipient=r): n
        for r, n in (("gdas", 2), ("probation-wales", 30))
    }
    store.apply(flows, {}, {})
    store.close()
    monkeypatch.setenv("IOM_STATISTICS__STORE_URL", url)
    monkeypatch.setenv("IOM_API__STORE_URL", f"sqlite:///{tmp_path / 'no-records.sqlite3'}")
    return url


def test_csv_export_hides_the_small_flow(store_url: str) -> None:
    """The CSV on standard output shows 30 flows to probation and [c] for the 2 to GDAS."""
    result = CliRunner().invoke(app, ["stats", "export", "--from", "2026-01", "--to", "2026-03"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    flows = {r["column"]: r["value"] for r in rows if r["table"] == "sharing_flows"}
    assert flows["Gwent Drug and Alcohol Service"] == "[c]"
    assert "2" not in flows.values()


def test_ods_and_json_exports_are_written_to_the_file_asked(store_url: str, tmp_path: Path) -> None:
    """--format ods writes a spreadsheet, --format json a document naming its period."""
    ods, document = tmp_path / "s.ods", tmp_path / "s.json"
    for file_format, out in (("ods", ods), ("json", document)):
        args = ["stats", "export", "--format", file_format, "--from", "2026-03", "--to", "2026-03"]
        result = CliRunner().invoke(app, [*args, "--out", str(out)])
        assert result.exit_code == 0, result.output
    assert ods.read_bytes().startswith(b"PK")
    assert json.loads(document.read_text())["period"] == {"from": "2026-03", "to": "2026-03"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2026-13"], "--from '2026-13': give a month as YYYY-MM"),
        (["--from", "2026-05", "--to", "2026-04"], "--from 2026-05 is after --to 2026-04"),
        (["--area", "atlantis"], "--area 'atlantis': not an area"),
    ],
)
def test_bad_arguments_are_one_line_usage_errors(
    store_url: str, args: list[str], message: str
) -> None:
    """A wrong month, period or area stops with exit 2 and one line naming it."""
    result = CliRunner().invoke(app, ["stats", "export", *args])
    assert result.exit_code == 2
    assert message in result.output


def test_only_oversight_and_dpos_have_a_scope() -> None:
    """Oversight sees Wales, a DPO their agency, everyone else nothing."""
    assert scope_for(Principal("o", Role.OVERSIGHT)) == Scope()
    assert scope_for(Principal("d", Role.DPO, agency="gdas")) == Scope(agency="gdas")
    for role in (Role.AUDITOR, Role.OPERATOR, Role.SERVICE):
        assert scope_for(Principal("x", role)) is None
    assert scope_for(Principal("s", Role.SUPERVISEE, subject_ref="subj-a")) is None
