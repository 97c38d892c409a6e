"""The exports: the ODS, read back with a second library, holds the CSV's values; JSON too."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyexcel_ods3

from broker.statistics.exports import JSON_SCHEMA_ID, to_csv, to_json, to_ods
from broker.statistics.facts import Fact, Measure
from broker.statistics.report import Report, build_report
from tests.support.statistics_data import dead_lettered, disclosed

AGENCY_AREAS = {"gwent-police": "gwent", "probation-wales": "wales", "gdas": "gwent"}
LABELS = {"gwent": "Gwent", "gwent-police": "Gwent Police", "probation-wales": "Probation"}


def _report() -> Report:
    counted = [
        (Fact(Measure.COHORT_NET, "2026-01", area="gwent", cohort="FIXED"), 23),
        (Fact(Measure.COHORT_NET, "2026-01", area="gwent", cohort="FLEX"), 3),
        (Fact(Measure.COHORT_NET, "2026-01", area="gwent", cohort="FREE"), 9),
        (disclosed("gwent-police", "probation-wales", purpose="p", legal_basis="b"), 40),
        (disclosed("gwent-police", "gdas", purpose="p", legal_basis="b"), 2),
        (Fact(Measure.RECEIVED, "2026-01", area="gwent", agency="gwent-police"), 42),
        (dead_lettered("gwent-police"), 1),
    ]
    return build_report(counted, "2026-01", "2026-01", ["gwent"], AGENCY_AREAS)


def _csv_values() -> dict[tuple[str, str, str], str]:
    rows = list(csv.DictReader(io.StringIO(to_csv(_report(), LABELS))))
    return {(r["table"], r["row"], r["column"]): r["value"] for r in rows}


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def test_the_ods_read_by_another_library_has_the_same_numbers_as_the_csv(tmp_path: Path) -> None:
    """Every value of every table sheet, read with pyexcel-ods3, equals the CSV's."""
    report = _report()
    path = tmp_path / "statistics.ods"
    path.write_bytes(to_ods(report, LABELS))
    book = pyexcel_ods3.get_data(str(path))
    expected = _csv_values()
    found: dict[tuple[str, str, str], str] = {}
    for table in report.tables:
        sheet = book[table.table_id]
        assert sheet[0][0] == table.title
        headings = [str(h) for h in sheet[2]]
        width = 2 if headings[:2] in (["Month", "Area"], ["Area", "Cohort"]) else 1
        for line in sheet[3:]:
            line = [*line, *[""] * (len(headings) - len(line))]
            label = " / ".join(_text(v) for v in line[:width])
            for heading, value in zip(headings[width:], line[width:], strict=True):
                found[(table.table_id, label, heading)] = _text(value)
    assert found == expected
    assert expected[("sharing_flows", "Gwent Police", "gdas")] == "[c]"


def test_the_ods_opens_with_a_cover_sheet_naming_the_rule_and_contact(tmp_path: Path) -> None:
    """The first sheet is the cover: title, period, suppression rule, [c], contact."""
    path = tmp_path / "statistics.ods"
    path.write_bytes(to_ods(_report(), LABELS))
    book = pyexcel_ods3.get_data(str(path))
    first = next(iter(book))
    assert first == "Cover_sheet"
    cover = {str(row[0]): str(row[1]) for row in book[first][1:] if len(row) > 1}
    assert cover["Period"].startswith("2026-01 to 2026-01")
    assert "1 to 4" in cover["Suppression"]
    assert "Symbol [c]" in cover and "@" in cover["Contact"]


def test_json_export_names_its_schema_and_marks_suppressed_values() -> None:
    """The JSON carries the schema id, the period and [c] in place of small counts."""
    document = json.loads(to_json(_report(), LABELS))
    assert document["schema"] == JSON_SCHEMA_ID
    assert document["period"] == {"from": "2026-01", "to": "2026-01"}
    flows = next(t for t in document["tables"] if t["id"] == "sharing_flows")
    assert flows["headings"] == ["Sender", "gdas", "Probation", "Total"]
    assert flows["rows"][0] == ["Gwent Police", "[c]", "[c]", 42]
